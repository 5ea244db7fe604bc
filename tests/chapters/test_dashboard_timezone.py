"""The dashboard's times and "today" are the chapter's (America/Chicago for the test chapter),
not the server's UTC."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from pledgewatch.chapters.models import ImportStatus, RosterFormat, RosterImport
from tests.endorsements.factories import BallotAccessFactory, ForumFactory

CHICAGO = ZoneInfo("America/Chicago")
# 11:30 pm on 1 October in Chicago: already 2 October in UTC.
NOW = dt.datetime(2026, 10, 1, 23, 30, tzinfo=CHICAGO)


def _dashboard(client):
    with time_machine.travel(NOW, tick=False):
        return client.get("/c/lakeshore/").content.decode()


def test_a_forum_is_shown_at_its_time_in_the_chapters_zone(client_as, bob, chapter):
    assert chapter.timezone == "America/Chicago"
    # 7 pm in Chicago is midnight UTC (the next day).
    ForumFactory(
        chapter=chapter,
        title="Town hall",
        starts_at=dt.datetime(2026, 10, 3, 19, 0, tzinfo=CHICAGO),
    )
    page = _dashboard(client_as(bob))
    assert '<time datetime="2026-10-03T19:00:00-05:00">Oct 3, 2026, 7:00 p.m. CDT</time>' in page


def test_ballot_deadlines_count_from_the_chapters_today(client_as, bob, chapter):
    for name, deadline in [
        ("Yesterday Chicago", dt.date(2026, 9, 30)),
        ("Today Chicago", dt.date(2026, 10, 1)),  # already yesterday in UTC
        ("In 30 days", dt.date(2026, 10, 31)),
        ("In 31 days", dt.date(2026, 11, 1)),  # 30 days from UTC's today
    ]:
        BallotAccessFactory(
            candidate__chapter=chapter, candidate__name=name, filing_deadline=deadline
        )
    page = _dashboard(client_as(bob))
    assert "Today Chicago</a>: Oct 1, 2026" in page
    assert "In 30 days</a>: Oct 31, 2026" in page
    assert "Yesterday Chicago" not in page
    assert "In 31 days" not in page


def test_the_last_roster_import_is_dated_in_the_chapters_zone(client_as, alice, chapter):
    job = RosterImport.objects.create(
        chapter=chapter,
        original_name="roster.csv",
        format=RosterFormat.DSA,
        status=ImportStatus.SUCCEEDED,
    )
    # Created at 11 pm in Chicago: 4 am the next day in UTC.
    RosterImport.objects.filter(pk=job.pk).update(
        created_at=dt.datetime(2026, 9, 14, 23, 0, tzinfo=CHICAGO)
    )
    page = _dashboard(client_as(alice))
    assert "Last roster import: Sep 14, 2026" in page
