"""The chapter's public page (/p/<slug>/) and its forums' .ics files: readable without an
account, showing only what the chapter publishes, and only that chapter's."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from pledgewatch.endorsements.models import Gate, GateWaiver, Stage, Transition
from pledgewatch.forums.models import OrganizationContact, Rsvp
from tests.endorsements.factories import (
    ContactLogEntryFactory,
    EndorsementFactory,
    ForumFactory,
    InvitationFactory,
    OrganizationFactory,
    PledgeFactory,
    RaceFactory,
    RescissionBylawFactory,
)
from tests.factories import MemberFactory
from tests.finance.factories import CandidateFactory, FindingFactory

# 03:00 UTC on 4 November is still 3 November in Chicago (the test chapters' time zone).
DECIDED_AT = dt.datetime(2026, 11, 4, 3, 0, tzinfo=dt.UTC)


def decide(endorsement, to: str, *, at=DECIDED_AT, votes=(None, None, None), reason="Reason"):
    yes, no, abstain = votes
    with time_machine.travel(at, tick=False):
        Transition.objects.create(
            endorsement=endorsement,
            from_stage=Stage.VOTE if to == Stage.ENDORSED else Stage.ENDORSED,
            to_stage=to,
            reason=reason,
            votes_yes=yes,
            votes_no=no,
            votes_abstain=abstain,
        )
    endorsement.stage = to
    endorsement.save()


def published(chapter, name, stage=Stage.ENDORSED, **candidate):
    candidate = CandidateFactory(chapter=chapter, name=name, **candidate)
    endorsement = EndorsementFactory(candidate=candidate)
    decide(endorsement, Stage.ENDORSED, votes=(41, 3, 2), reason="INTERNAL-REASON")
    if stage == Stage.RESCINDED:
        decide(endorsement, Stage.RESCINDED, at=dt.datetime(2027, 2, 1, 18, tzinfo=dt.UTC))
    return endorsement


@pytest.fixture
def page_data(chapter, other_chapter):
    race = RaceFactory(chapter=chapter, office__name="City Council", office__district="Ward 3")
    ada = published(
        chapter,
        "Ada Organizer",
        race=race,
        website="https://ada.example.org/",
        contact_name="PRIVATE-CONTACT-NAME",
        email="campaign@ada.example.org",
        phone="555-0100",
    )
    ada.public_statement = "Lakeshore DSA endorses Ada for single payer."
    ada.save()
    PledgeFactory(
        candidate=ada.candidate,
        text="I refuse money from insurers and pharma.",
        url="https://ada.example.org/pledge",
        document="pledges/1/1/PRIVATE-UPLOAD.pdf",
    )
    GateWaiver.objects.create(
        endorsement=ada, gate=Gate.FORUM, reason="The venue cancelled the forum."
    )
    GateWaiver.objects.create(
        endorsement=ada,
        gate=Gate.BALLOT,
        reason="WITHDRAWN-WAIVER",
        withdrawn_at=timezone.now(),
    )
    ContactLogEntryFactory(candidate=ada.candidate, summary="SECRET-CONTACT-LOG")
    FindingFactory(candidate=ada.candidate)  # its donor: UNITEDHEALTH GROUP INC PAC

    gary = published(chapter, "Gary Rescinded", stage=Stage.RESCINDED)
    gary.public_statement = "Lakeshore DSA rescinds its endorsement of Gary."
    gary.save()

    for name, stage in [
        ("Carla Considering", Stage.CONSIDERING),
        ("Vera Vetting", Stage.VETTING),
        ("Vic Voting", Stage.VOTE),
        ("Dan Declined", Stage.DECLINED),
    ]:
        EndorsementFactory(candidate=CandidateFactory(chapter=chapter, name=name), stage=stage)

    MemberFactory(chapter=chapter, first_name="Mabel", last_name="PRIVATE-MEMBER")
    RescissionBylawFactory(
        chapter=chapter,
        text="Five members in good standing may petition to rescind an endorsement.",
        adopted_on=dt.date(2026, 6, 1),
        adopted_by_body="General meeting",
        votes_yes=80,
        votes_no=4,
        votes_abstain=1,
    )
    soon = timezone.now() + dt.timedelta(days=10)
    town_hall = ForumFactory(
        chapter=chapter,
        title="Medicare for All town hall",
        starts_at=soon,
        ends_at=soon + dt.timedelta(hours=2),
        place="Local 73 union hall",
        accessibility="Step-free entrance; ASL interpretation.",
        notes="PRIVATE-FORUM-NOTES",
    )
    org = OrganizationFactory(chapter=chapter, name="Nurses Local 1")
    OrganizationContact.objects.create(
        organization=org, name="PRIVATE-ORG-CONTACT", email="president@nurses.example.org"
    )
    InvitationFactory(forum=town_hall, organization=org, candidate=None, rsvp=Rsvp.YES)
    ForumFactory(
        chapter=chapter,
        title="PRIVATE committee session",
        starts_at=soon,
        ends_at=soon + dt.timedelta(hours=1),
        is_public=False,
    )
    ForumFactory(chapter=chapter, title="Last month's forum")  # over: not upcoming

    published(other_chapter, "Harbor Endorsee")
    RescissionBylawFactory(
        chapter=other_chapter, text="HARBOR BY-LAW", adopted_on=dt.date(2026, 1, 1)
    )
    ForumFactory(
        chapter=other_chapter,
        title="Harbor forum",
        starts_at=soon,
        ends_at=soon + dt.timedelta(hours=1),
    )
    return {"ada": ada, "gary": gary, "town_hall": town_hall}


def test_an_anonymous_visitor_sees_what_the_chapter_published(client, page_data):
    response = client.get("/p/lakeshore/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ada Organizer" in html and "City Council, Ward 3" in html
    assert "https://ada.example.org/" in html
    assert "Lakeshore DSA endorses Ada for single payer." in html
    assert 'Endorsed on <time datetime="2026-11-03">3 November 2026</time>' in html
    assert "41 yes, 3 no, 2 abstaining" in html
    assert "I refuse money from insurers and pharma." in html
    assert "1 October 2026" in html and 'href="https://ada.example.org/pledge"' in html
    assert (
        "Spoke at the chapter&#x27;s public forum</strong>: The venue cancelled the forum." in html
    )
    # The rescinded endorsement with both decisions.
    assert "Gary Rescinded" in html and "Lakeshore DSA rescinds its endorsement of Gary." in html
    assert 'Endorsement rescinded on <time datetime="2027-02-01">1 February 2027</time>' in html
    # The adopted by-law and the upcoming public forum.
    assert "Five members in good standing may petition to rescind an endorsement." in html
    assert "Adopted on 1 June 2026 by General meeting: 80 yes, 4 no, 1 abstaining" in html
    assert "Medicare for All town hall" in html and "Local 73 union hall" in html
    assert "Step-free entrance; ASL interpretation." in html
    assert f"/p/lakeshore/forums/{page_data['town_hall'].pk}/calendar.ics" in html


def test_nothing_private_or_undecided_is_shown(client, page_data):
    html = client.get("/p/lakeshore/").content.decode()
    for hidden in [
        "Carla Considering",
        "Vera Vetting",
        "Vic Voting",
        "Dan Declined",
        "INTERNAL-REASON",  # a transition's reason is the committee's
        "WITHDRAWN-WAIVER",
        "PRIVATE-CONTACT-NAME",
        "campaign@ada.example.org",
        "555-0100",
        "SECRET-CONTACT-LOG",
        "UNITEDHEALTH",
        "PRIVATE-MEMBER",
        "PRIVATE-UPLOAD",
        "PRIVATE committee session",
        "PRIVATE-FORUM-NOTES",
        "PRIVATE-ORG-CONTACT",
        "president@nurses.example.org",
        "Nurses Local 1",  # invitations and RSVPs are not published
        "Last month&#x27;s forum",
        "csrfmiddlewaretoken",
    ]:
        assert hidden not in html, hidden


def test_another_chapters_records_never_appear(client, page_data):
    html = client.get("/p/lakeshore/").content.decode()
    for other in ["Harbor Endorsee", "HARBOR BY-LAW", "Harbor forum", "Harbor City DSA"]:
        assert other not in html, other
    theirs = client.get("/p/harbor-city/").content.decode()
    assert "Harbor Endorsee" in theirs and "HARBOR BY-LAW" in theirs
    assert "Ada Organizer" not in theirs and "Medicare for All town hall" not in theirs


def test_an_unknown_chapter_is_not_found(client, db):
    assert client.get("/p/no-such-chapter/").status_code == 404
    assert client.get("/p/no-such-chapter/forums/1/calendar.ics").status_code == 404


def test_a_draft_by_law_is_not_published(client, chapter):
    RescissionBylawFactory(chapter=chapter, text="DRAFT TEXT", adopted_on=None)
    html = client.get("/p/lakeshore/").content.decode()
    assert "DRAFT TEXT" not in html and "rescission by-law" not in html


def test_candidate_written_text_is_escaped(client, chapter):
    evil = '<script>alert("x")</script>'
    endorsement = published(chapter, f"Eve {evil}", website="https://eve.example.org/")
    endorsement.public_statement = f"Statement {evil}"
    endorsement.save()
    PledgeFactory(candidate=endorsement.candidate, text=f"Pledge {evil}")
    GateWaiver.objects.create(endorsement=endorsement, gate=Gate.BYLAW, reason=f"Waiver {evil}")
    html = client.get("/p/lakeshore/").content.decode()
    assert "<script>" not in html
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") == 4


def test_the_page_is_publicly_cacheable_and_sets_no_cookie(client, client_as, alice, page_data):
    for visitor in (client, client_as(alice)):
        response = visitor.get("/p/lakeshore/")
        assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
        assert not response.cookies
        assert "Cookie" not in response.get("Vary", "")
        assert "Ada Organizer" in response.content.decode()
    assert client.post("/p/lakeshore/").status_code == 405


def test_a_public_forum_has_an_ics_file(client, page_data):
    forum = page_data["town_hall"]
    response = client.get(f"/p/lakeshore/forums/{forum.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and "SUMMARY:Medicare for All town hall" in body
    assert "PRIVATE-FORUM-NOTES" not in body


def test_a_non_public_or_another_chapters_forum_has_no_public_ics(client, chapter, page_data):
    private = chapter.forums.get(is_public=False)
    harbor = ForumFactory(chapter__slug="harbor-city", title="Harbor forum 2")
    assert client.get(f"/p/lakeshore/forums/{private.pk}/calendar.ics").status_code == 404
    assert client.get(f"/p/lakeshore/forums/{harbor.pk}/calendar.ics").status_code == 404
    assert client.get(f"/p/harbor-city/forums/{harbor.pk}/calendar.ics").status_code == 200
