"""The forum's page reads its invitations in a number of queries that does not grow with the
number of guests; a forum's date must be a real one (a year from 2000 to 2100), refused with a
message instead of a server error when it is not."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pledgewatch.forums.models import Forum
from tests.endorsements.factories import (
    ForumFactory,
    InvitationFactory,
    OrganizationFactory,
    RaceFactory,
)
from tests.finance.factories import CandidateFactory

BASE = "/c/lakeshore/forums"
FORUM_POST = {
    "title": "Medicare for All town hall",
    "starts_at": "2026-10-01T19:00",
    "ends_at": "2026-10-01T21:00",
    "place": "SEIU Local 73 hall",
    "is_public": "on",
}


def _guests(forum, n):
    for _ in range(n):
        race = RaceFactory(chapter=forum.chapter)
        InvitationFactory(
            forum=forum,
            candidate=CandidateFactory(chapter=forum.chapter, race=race),
            spoke=True,
        )
        InvitationFactory(forum=forum, candidate=None, organization=OrganizationFactory(
            chapter=forum.chapter
        ))  # fmt: skip
        # A candidate without a race shows the office they seek.
        InvitationFactory(forum=forum, candidate=CandidateFactory(chapter=forum.chapter))


@pytest.mark.parametrize("who", ["bob", "committee_member"])
def test_the_forum_page_reads_the_same_number_of_queries_for_2_or_10_guests_of_each_kind(
    who, request, client_as, chapter
):
    client = client_as(request.getfixturevalue(who))
    forum = ForumFactory(chapter=chapter)
    url = f"{BASE}/{forum.pk}/"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url).content.decode()
        return len(ctx), page

    _guests(forum, 2)
    few, _ = count()
    _guests(forum, 8)
    many, page = count()
    print(f"forum_detail ({who}): {few} queries for 6 guests, {many} for 30")
    assert page.count('id="invitation-') >= 30
    assert "City Council, District" in page  # the office of a candidate with a race
    assert "U.S. House" in page  # the office sought by one without
    assert many == few


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("starts_at", "9999-12-31T22:00"),
        ("starts_at", "0001-01-01T00:30"),
        ("starts_at", "1999-12-31T19:00"),
        ("ends_at", "9999-12-31T23:30"),
        ("ends_at", "2101-01-01T10:00"),
    ],
)
def test_a_year_out_of_range_is_refused_with_a_message(
    field, value, client_as, committee_member, chapter
):
    response = client_as(committee_member).post(f"{BASE}/add/", {**FORUM_POST, field: value})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a date between the years 2000 and 2100." in page
    assert 'aria-invalid="true"' in page
    assert not Forum.objects.exists()


def test_editing_into_a_year_out_of_range_is_refused(client_as, committee_member, chapter):
    forum = ForumFactory(chapter=chapter)
    response = client_as(committee_member).post(
        f"{BASE}/{forum.pk}/edit/",
        {**FORUM_POST, "starts_at": "9999-12-31T22:00", "ends_at": "9999-12-31T23:00"},
    )
    assert response.status_code == 200
    assert "Enter a date between the years 2000 and 2100." in response.content.decode()
    starts_at = forum.starts_at
    forum.refresh_from_db()
    assert forum.starts_at == starts_at


def test_the_first_and_last_years_are_accepted(client_as, committee_member, chapter):
    client = client_as(committee_member)
    client.post(
        f"{BASE}/add/",
        {**FORUM_POST, "starts_at": "2000-01-01T00:30", "ends_at": "2000-01-01T02:00"},
    )
    client.post(
        f"{BASE}/add/",
        {**FORUM_POST, "starts_at": "2100-12-31T20:00", "ends_at": "2100-12-31T23:59"},
    )
    assert Forum.objects.count() == 2
