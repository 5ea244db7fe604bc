"""The forums' rules, in the services: a guest spoke only once the forum started, one
invitation per guest and forum, guests of the forum's own chapter only, RSVPs audited, one
evaluation per evaluator; the iCalendar file; and the forum gate that "spoke" meets."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.utils import timezone

from pledgewatch.core.models import AuditEvent
from pledgewatch.endorsements import gates
from pledgewatch.endorsements.models import Gate
from pledgewatch.forums import services
from pledgewatch.forums.models import Invitation, Rsvp, SpeechEvaluation, SpeechRating
from tests.endorsements.factories import (
    EndorsementFactory,
    ForumFactory,
    InvitationFactory,
    OrganizationFactory,
)
from tests.finance.factories import CandidateFactory

UTC = dt.UTC


def future_forum(chapter, **kw):
    start = timezone.now() + dt.timedelta(days=3)
    return ForumFactory(
        chapter=chapter, starts_at=start, ends_at=start + dt.timedelta(hours=2), **kw
    )


def forum_gate(candidate):
    statuses = gates.evaluate(EndorsementFactory(candidate=candidate))
    return next(s for s in statuses if s.gate == Gate.FORUM)


# --- the iCalendar file -------------------------------------------------------------------


def test_the_calendar_file_parses_back_with_the_forum_in_utc(chapter, settings):
    settings.SITE_URL = "https://pledgewatch.example.org"
    forum = ForumFactory(
        chapter=chapter,
        title="Medicare for All town hall; questions, answers",
        # 7 pm in Chicago on 1 Oct 2026 (daylight time, UTC-5) is midnight UTC.
        starts_at=dt.datetime(2026, 10, 2, 0, 0, tzinfo=UTC),
        ends_at=dt.datetime(2026, 10, 2, 2, 30, tzinfo=UTC),
        place="SEIU Local 73 hall",
        address="300 S Ashland Ave, Chicago, IL 60607",
        description="Candidates speak on record about single payer.\nDoors at 6:30.",
        accessibility="Step-free entrance; ASL interpretation; childcare on site.",
        notes="Private committee notes",
    )
    cal = icalendar.Calendar.from_ical(services.forum_calendar(forum))
    assert str(cal["version"]) == "2.0" and str(cal["prodid"])
    [event] = cal.walk("VEVENT")
    assert str(event["uid"]) == f"forum-{forum.pk}@pledgewatch.example.org"
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start == dt.datetime(2026, 10, 2, 0, 0, tzinfo=UTC)
    assert end == dt.datetime(2026, 10, 2, 2, 30, tzinfo=UTC)
    assert start.utcoffset() == dt.timedelta(0)
    raw = services.forum_calendar(forum).decode()
    assert "DTSTART:20261002T000000Z" in raw and "DTEND:20261002T023000Z" in raw
    assert str(event["summary"]) == "Medicare for All town hall; questions, answers"
    assert str(event["location"]) == "SEIU Local 73 hall, 300 S Ashland Ave, Chicago, IL 60607"
    description = str(event["description"])
    assert description.startswith("Candidates speak on record about single payer.\nDoors")
    assert "Accessibility: Step-free entrance; ASL interpretation; childcare on site." in (
        description
    )
    assert "Private committee notes" not in raw  # the file is what may be published
    assert event.decoded("dtstamp").tzinfo is not None


def test_the_calendar_uid_is_stable_and_differs_between_forums(chapter):
    a, b = ForumFactory(chapter=chapter), ForumFactory(chapter=chapter)

    def uid(forum):
        return str(
            icalendar.Calendar.from_ical(services.forum_calendar(forum)).walk("VEVENT")[0]["uid"]
        )

    assert uid(a) == uid(a) != uid(b)


def test_the_calendar_file_leaves_out_what_is_empty(chapter):
    forum = ForumFactory(chapter=chapter, description="", accessibility="", address="")
    [event] = icalendar.Calendar.from_ical(services.forum_calendar(forum)).walk("VEVENT")
    assert "description" not in event
    assert str(event["location"]) == "Union hall"


def test_the_calendar_filename_uses_the_title_and_the_local_date(chapter):
    forum = ForumFactory(
        chapter=chapter,
        title="M4A Town Hall!",
        starts_at=dt.datetime(2026, 10, 2, 0, 0, tzinfo=UTC),  # still 1 Oct in Chicago
        ends_at=dt.datetime(2026, 10, 2, 2, 0, tzinfo=UTC),
    )
    assert services.calendar_filename(forum) == "m4a-town-hall-2026-10-01.ics"


# --- who spoke, and the forum gate --------------------------------------------------------


def test_marking_spoke_meets_the_forum_gate(chapter, committee_member):
    invitation = InvitationFactory(forum__chapter=chapter)  # the forum started a week ago
    before = forum_gate(invitation.candidate)
    assert not before.met and "Invited to" in before.evidence

    services.record_speech(
        invitation=invitation, speaker="The candidate", spoke=True, by=committee_member
    )
    after = forum_gate(invitation.candidate)
    assert after.met and after.evidence.startswith("Spoke at Medicare for All town hall")
    event = AuditEvent.objects.get(action="forums.speech_recorded")
    assert event.data["changes"]["spoke"] == [False, True]

    services.record_speech(invitation=invitation, speaker="", spoke=False, by=committee_member)
    assert not forum_gate(invitation.candidate).met


def test_a_guest_cannot_have_spoken_before_the_forum_starts(chapter, committee_member):
    invitation = InvitationFactory(forum=future_forum(chapter))
    with pytest.raises(services.ForumError, match="once the forum has started"):
        services.record_speech(invitation=invitation, speaker="", spoke=True, by=committee_member)
    invitation.refresh_from_db()
    assert not invitation.spoke
    assert not forum_gate(invitation.candidate).met
    # Who will speak can be planned ahead.
    services.record_speech(
        invitation=invitation, speaker="Dana Ruiz", spoke=False, by=committee_member
    )
    invitation.refresh_from_db()
    assert invitation.speaker == "Dana Ruiz"


def test_a_forum_with_speakers_cannot_move_into_the_future(chapter, committee_member):
    invitation = InvitationFactory(forum__chapter=chapter, spoke=True)
    forum = invitation.forum
    later = timezone.now() + dt.timedelta(days=2)
    with pytest.raises(services.ForumError, match="spoken"):
        services.update_forum(
            forum=forum,
            starts_at=later,
            ends_at=later + dt.timedelta(hours=1),
            by=committee_member,
        )
    forum.refresh_from_db()
    assert forum.starts_at < timezone.now()


def test_a_forum_must_end_after_it_starts(chapter, committee_member):
    start = timezone.now()
    with pytest.raises(Exception, match="must end after it starts"):
        services.add_forum(
            chapter=chapter,
            by=committee_member,
            title="Town hall",
            starts_at=start,
            ends_at=start,
            place="Hall",
        )


# --- invitations ----------------------------------------------------------------------------


def test_each_guest_is_invited_once_per_forum(chapter, committee_member):
    forum = ForumFactory(chapter=chapter)
    organization = OrganizationFactory(chapter=chapter)
    candidate = CandidateFactory(chapter=chapter)
    day = dt.date(2026, 9, 1)
    services.invite(forum=forum, organization=organization, invited_on=day, by=committee_member)
    services.invite(forum=forum, candidate=candidate, invited_on=day, by=committee_member)
    with pytest.raises(services.ForumError, match="already invited"):
        services.invite(forum=forum, organization=organization, invited_on=day, by=committee_member)
    with pytest.raises(services.ForumError, match="already invited"):
        services.invite(forum=forum, candidate=candidate, invited_on=day, by=committee_member)
    with pytest.raises(services.ForumError, match="either one organization or one candidate"):
        services.invite(
            forum=forum,
            organization=organization,
            candidate=candidate,
            invited_on=day,
            by=committee_member,
        )
    assert forum.invitations.count() == 2
    # The same guest may be invited to another forum.
    services.invite(
        forum=ForumFactory(chapter=chapter),
        candidate=candidate,
        invited_on=day,
        by=committee_member,
    )
    assert AuditEvent.objects.filter(action="forums.invited").count() == 3


def test_guests_come_from_the_forums_own_chapter(chapter, other_chapter, committee_member):
    forum = ForumFactory(chapter=chapter)
    day = dt.date(2026, 9, 1)
    with pytest.raises(services.ForumError, match="your chapter's organizations"):
        services.invite(
            forum=forum,
            organization=OrganizationFactory(chapter=other_chapter),
            invited_on=day,
            by=committee_member,
        )
    with pytest.raises(services.ForumError, match="your chapter's candidates"):
        services.invite(
            forum=forum,
            candidate=CandidateFactory(chapter=other_chapter),
            invited_on=day,
            by=committee_member,
        )
    assert not Invitation.objects.exists()


def test_rsvp_changes_are_audited_with_the_old_and_new_answer(chapter, committee_member):
    invitation = InvitationFactory(forum__chapter=chapter)
    services.set_rsvp(invitation=invitation, rsvp=Rsvp.MAYBE, by=committee_member)
    services.set_rsvp(invitation=invitation, rsvp=Rsvp.YES, by=committee_member)
    services.set_rsvp(invitation=invitation, rsvp=Rsvp.YES, by=committee_member)  # no change
    invitation.refresh_from_db()
    assert invitation.rsvp == Rsvp.YES
    events = AuditEvent.objects.filter(action="forums.rsvp_changed").order_by("id")
    assert [e.data for e in events] == [
        {"from": "invited", "to": "maybe"},
        {"from": "maybe", "to": "yes"},
    ]
    assert all(e.actor == committee_member and e.chapter == chapter for e in events)
    with pytest.raises(services.ForumError):
        services.set_rsvp(invitation=invitation, rsvp="sure", by=committee_member)


def test_an_invitation_recorded_as_spoken_is_not_withdrawn(chapter, committee_member):
    spoken = InvitationFactory(forum__chapter=chapter, spoke=True)
    with pytest.raises(services.ForumError, match="spoken"):
        services.remove_invitation(invitation=spoken, by=committee_member)
    pending = InvitationFactory(forum=spoken.forum)
    services.remove_invitation(invitation=pending, by=committee_member)
    assert list(Invitation.objects.all()) == [spoken]
    assert AuditEvent.objects.filter(action="forums.invitation_removed").count() == 1


# --- evaluations ----------------------------------------------------------------------------


def test_one_evaluation_per_evaluator_changed_by_saving_again(chapter, committee_member, alice):
    invitation = InvitationFactory(forum__chapter=chapter, spoke=True)
    services.save_evaluation(
        invitation=invitation,
        evaluator=committee_member,
        rating=SpeechRating.WEAK,
        notes="Dodged the question.",
    )
    services.save_evaluation(
        invitation=invitation,
        evaluator=committee_member,
        rating=SpeechRating.ADEQUATE,
        notes="Better on reflection.",
    )
    services.save_evaluation(
        invitation=invitation,
        evaluator=alice,
        rating=SpeechRating.STRONG,
        notes="Clear commitment.",
    )
    mine = SpeechEvaluation.objects.get(evaluator=committee_member)
    assert (mine.rating, mine.notes) == ("adequate", "Better on reflection.")
    assert invitation.evaluations.count() == 2
    changed = AuditEvent.objects.get(action="forums.evaluation_changed")
    assert changed.data == {"rating": ["weak", "adequate"]}
    assert AuditEvent.objects.filter(action="forums.evaluation_added").count() == 2


def test_only_a_candidates_recorded_speech_is_evaluated(chapter, committee_member):
    not_yet = InvitationFactory(forum__chapter=chapter)
    with pytest.raises(services.ForumError, match="spoke"):
        services.save_evaluation(
            invitation=not_yet, evaluator=committee_member, rating=SpeechRating.STRONG, notes="x"
        )
    org = Invitation.objects.create(
        forum=not_yet.forum,
        organization=OrganizationFactory(chapter=chapter),
        invited_on=dt.date(2026, 9, 1),
        spoke=True,
    )
    with pytest.raises(services.ForumError, match="candidate"):
        services.save_evaluation(
            invitation=org, evaluator=committee_member, rating=SpeechRating.STRONG, notes="x"
        )
    assert not SpeechEvaluation.objects.exists()


# --- contacts ------------------------------------------------------------------------------


def test_contact_details_stay_out_of_the_audit_log(chapter, committee_member):
    organization = OrganizationFactory(chapter=chapter)
    contact = services.add_contact(
        organization=organization,
        name="Rosa Martínez",
        role="President",
        email="rosa@local73.example.org",
        phone="(312) 555-0142",
        by=committee_member,
    )
    services.update_contact(
        contact=contact,
        name="Rosa Martínez",
        role="President",
        email="rmartinez@local73.example.org",
        phone="(312) 555-0199",
        by=committee_member,
    )
    services.remove_contact(contact=contact, by=committee_member)
    events = AuditEvent.objects.filter(action__startswith="forums.contact_").order_by("id")
    assert [e.action for e in events] == [
        "forums.contact_added",
        "forums.contact_changed",
        "forums.contact_removed",
    ]
    assert events[1].data == {"contact": "Rosa Martínez", "fields": ["email", "phone"]}
    logged = repr([e.data for e in events])
    assert "local73" not in logged and "555" not in logged
