"""Forum pages: everyone in the chapter reads forums; the committee plans them, invites guests
(of its own chapter only), records RSVPs and who spoke, and evaluates candidates' speeches,
which only the committee sees. Times are entered and shown in the chapter's time zone."""

from __future__ import annotations

import datetime as dt

import icalendar
from django.utils import timezone

from pledgewatch.core.models import AuditEvent
from pledgewatch.endorsements import gates
from pledgewatch.endorsements.models import Gate
from pledgewatch.forums.models import Forum, Invitation, Rsvp, SpeechEvaluation, SpeechRating
from tests.endorsements.factories import (
    EndorsementFactory,
    ForumFactory,
    InvitationFactory,
    OrganizationFactory,
)
from tests.finance.factories import CandidateFactory

UTC = dt.UTC
BASE = "/c/lakeshore/forums"


def future_forum(chapter, days=3, **kw):
    start = timezone.now() + dt.timedelta(days=days)
    return ForumFactory(
        chapter=chapter, starts_at=start, ends_at=start + dt.timedelta(hours=2), **kw
    )


FORUM_POST = {
    "title": "Medicare for All town hall",
    "starts_at": "2026-10-01T19:00",
    "ends_at": "2026-10-01T21:00",
    "place": "SEIU Local 73 hall",
    "address": "300 S Ashland Ave",
    "accessibility": "Step-free entrance; ASL interpretation.",
    "description": "Candidates speak on record.",
    "is_public": "on",
}


# --- the list and the forum's page ----------------------------------------------------------


def test_the_list_shows_upcoming_forums_soonest_first_then_past_ones_latest_first(
    client_as, bob, chapter, other_chapter
):
    future_forum(chapter, days=30, title="Autumn forum")
    future_forum(chapter, days=2, title="Next week's forum")
    ForumFactory(
        chapter=chapter,
        title="Spring forum",
        starts_at=timezone.now() - dt.timedelta(days=200),
        ends_at=timezone.now() - dt.timedelta(days=200, hours=-2),
    )
    ForumFactory(chapter=chapter, title="Summer forum")  # a week ago
    future_forum(other_chapter, title="Elsewhere forum")
    page = client_as(bob).get(f"{BASE}/").content.decode()
    order = [page.index(t) for t in ("Next week", "Autumn forum", "Summer forum", "Spring forum")]
    assert order == sorted(order)
    assert page.index("Autumn forum") < page.index('id="past-h"') < page.index("Summer forum")
    assert "Elsewhere forum" not in page
    assert "Add a forum" not in page


def test_the_committee_adds_a_forum_with_times_in_the_chapters_time_zone(
    client_as, committee_member, chapter
):
    client = client_as(committee_member)
    assert 'type="datetime-local"' in client.get(f"{BASE}/add/").content.decode()
    response = client.post(f"{BASE}/add/", FORUM_POST)
    forum = Forum.objects.get()
    assert response["Location"] == f"{BASE}/{forum.pk}/"
    # 7 pm in Chicago (daylight time, UTC-5) is midnight UTC.
    assert forum.starts_at == dt.datetime(2026, 10, 2, 0, 0, tzinfo=UTC)
    assert forum.ends_at == dt.datetime(2026, 10, 2, 2, 0, tzinfo=UTC)
    assert forum.chapter == chapter and forum.is_public
    assert AuditEvent.objects.get(action="forums.forum_added").actor == committee_member

    page = client.get(f"{BASE}/{forum.pk}/").content.decode()
    assert "Thu 1 Oct 2026, 7:00 PM" in page and "9:00 PM CDT" in page
    edit = client.get(f"{BASE}/{forum.pk}/edit/").content.decode()
    assert 'value="2026-10-01T19:00"' in edit


def test_a_forum_must_end_after_it_starts(client_as, committee_member, chapter):
    page = (
        client_as(committee_member)
        .post(f"{BASE}/add/", {**FORUM_POST, "ends_at": "2026-10-01T18:00"})
        .content.decode()
    )
    assert "The forum must end after it starts." in page
    assert 'aria-invalid="true"' in page
    assert not Forum.objects.exists()


def test_a_time_that_does_not_exist_in_the_chapters_zone_is_refused(
    client_as, committee_member, chapter
):
    # 2:30 am on 8 March 2026 does not exist in Chicago (clocks jump from 2 to 3).
    page = (
        client_as(committee_member)
        .post(
            f"{BASE}/add/",
            {**FORUM_POST, "starts_at": "2026-03-08T02:30", "ends_at": "2026-03-08T04:00"},
        )
        .content.decode()
    )
    assert "may not exist" in page
    assert not Forum.objects.exists()


def test_editing_a_forum_with_speakers_cannot_move_it_into_the_future(
    client_as, committee_member, chapter
):
    invitation = InvitationFactory(forum__chapter=chapter, spoke=True)
    later = timezone.localtime(timezone.now() + dt.timedelta(days=5))
    post = {
        **FORUM_POST,
        "starts_at": f"{later:%Y-%m-%dT%H:%M}",
        "ends_at": f"{later + dt.timedelta(hours=2):%Y-%m-%dT%H:%M}",
    }
    page = client_as(committee_member).post(f"{BASE}/{invitation.forum.pk}/edit/", post)
    assert "cannot start in the future" in page.content.decode()
    invitation.forum.refresh_from_db()
    assert invitation.forum.starts_at < timezone.now()


def test_the_forum_page_escapes_what_people_typed(client_as, bob, chapter):
    forum = ForumFactory(
        chapter=chapter,
        title="<script>alert(1)</script> town hall",
        description="<img src=x onerror=alert(2)>",
        accessibility="<b>ramp</b>",
    )
    InvitationFactory(forum=forum, candidate__name="<i>Eve</i>", speaker="<u>Mal</u>")
    page = client_as(bob).get(f"{BASE}/{forum.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "<b>ramp</b>" not in page and "<i>Eve</i>" not in page and "<u>Mal</u>" not in page


def test_a_member_reads_the_forum_but_not_the_committees_evaluations(
    client_as, bob, committee_member, chapter
):
    invitation = InvitationFactory(forum__chapter=chapter, spoke=True, rsvp=Rsvp.YES)
    SpeechEvaluation.objects.create(
        invitation=invitation,
        evaluator=committee_member,
        rating=SpeechRating.WEAK,
        notes="Secret deliberation: dodged the pharma question.",
    )
    response = client_as(bob).get(f"{BASE}/{invitation.forum.pk}/")
    page = response.content.decode()
    assert invitation.candidate.name in page and "Coming" in page
    assert "Secret deliberation" not in page and "Committee evaluations" not in page
    assert "Save RSVP" not in page and "Invite a candidate" not in page
    assert "evaluated_by_me" not in response.context
    committee_page = client_as(committee_member).get(f"{BASE}/{invitation.forum.pk}/")
    text = committee_page.content.decode()
    assert "Secret deliberation: dodged the pharma question." in text
    assert "Weak or evasive" in text and "Edit your evaluation" in text


def test_a_member_cannot_change_a_forum(client_as, bob, chapter):
    invitation = InvitationFactory(forum__chapter=chapter)
    client = client_as(bob)
    forum = invitation.forum
    assert client.post(f"{BASE}/add/", FORUM_POST).status_code == 403
    assert client.post(f"{BASE}/{forum.pk}/edit/", FORUM_POST).status_code == 403
    url = f"{BASE}/invitations/{invitation.pk}/rsvp/"
    assert client.post(url, {"rsvp": "yes"}).status_code == 403
    url = f"{BASE}/invitations/{invitation.pk}/speech/"
    assert client.post(url, {"spoke": "on"}).status_code == 403
    invitation.refresh_from_db()
    assert invitation.rsvp == Rsvp.INVITED and not invitation.spoke


def test_another_chapters_admin_cannot_reach_the_forum_from_their_own_chapter(
    client_as, charlie, other_chapter, chapter
):
    invitation = InvitationFactory(forum__chapter=chapter)
    client = client_as(charlie)
    own = "/c/harbor-city/forums"
    assert client.get(f"{own}/{invitation.forum.pk}/").status_code == 404
    assert client.get(f"{own}/{invitation.forum.pk}/calendar.ics").status_code == 404
    response = client.post(f"{own}/invitations/{invitation.pk}/rsvp/", {"rsvp": "no"})
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.rsvp == Rsvp.INVITED


# --- the calendar file ----------------------------------------------------------------------


def test_the_calendar_download_is_an_ics_file_with_the_forums_times(client_as, bob, chapter):
    forum = ForumFactory(
        chapter=chapter,
        title="Town Hall",
        starts_at=dt.datetime(2026, 10, 2, 0, 0, tzinfo=UTC),
        ends_at=dt.datetime(2026, 10, 2, 2, 0, tzinfo=UTC),
        accessibility="Step-free entrance.",
    )
    response = client_as(bob).get(f"{BASE}/{forum.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="town-hall-2026-10-01.ics"'
    [event] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart") == dt.datetime(2026, 10, 2, 0, 0, tzinfo=UTC)
    assert event.decoded("dtend") == dt.datetime(2026, 10, 2, 2, 0, tzinfo=UTC)
    assert "Accessibility: Step-free entrance." in str(event["description"])
    assert (
        f"{BASE}/{forum.pk}/calendar.ics"
        in client_as(bob).get(f"{BASE}/{forum.pk}/").content.decode()
    )


# --- invitations ----------------------------------------------------------------------------


def test_the_committee_invites_candidates_and_organizations_of_the_chapter(
    client_as, committee_member, chapter
):
    forum = future_forum(chapter)
    candidate = CandidateFactory(chapter=chapter, name="Maria Hadden")
    organization = OrganizationFactory(chapter=chapter, name="SEIU Local 73")
    client = client_as(committee_member)
    page = client.get(f"{BASE}/{forum.pk}/").content.decode()
    assert "Maria Hadden" in page and "SEIU Local 73" in page  # in the menus
    response = client.post(
        f"{BASE}/{forum.pk}/invite/candidate/",
        {"candidate": candidate.pk, "invited_on": "2026-09-01"},
    )
    invitation = Invitation.objects.get(candidate=candidate)
    assert response["Location"] == f"{BASE}/{forum.pk}/#invitation-{invitation.pk}"
    assert invitation.invited_on == dt.date(2026, 9, 1) and invitation.rsvp == Rsvp.INVITED
    client.post(
        f"{BASE}/{forum.pk}/invite/organization/",
        {"organization": organization.pk, "invited_on": "2026-09-02"},
    )
    assert Invitation.objects.filter(forum=forum, organization=organization).exists()

    again = client.post(
        f"{BASE}/{forum.pk}/invite/candidate/",
        {"candidate": candidate.pk, "invited_on": "2026-09-03"},
    )
    assert "Maria Hadden is already invited to this forum." in again.content.decode()
    assert forum.invitations.count() == 2
    page = client.get(f"{BASE}/{forum.pk}/").content.decode()
    assert "Every candidate of the chapter is invited" in page


def test_a_guest_of_another_chapter_is_refused(client_as, committee_member, chapter, other_chapter):
    forum = future_forum(chapter)
    client = client_as(committee_member)
    theirs = CandidateFactory(chapter=other_chapter, name="Their Candidate")
    their_org = OrganizationFactory(chapter=other_chapter, name="Their Union")
    page = client.get(f"{BASE}/{forum.pk}/").content.decode()
    assert "Their Candidate" not in page and "Their Union" not in page
    for kind, pk in (("candidate", theirs.pk), ("organization", their_org.pk)):
        response = client.post(
            f"{BASE}/{forum.pk}/invite/{kind}/", {kind: pk, "invited_on": "2026-09-01"}
        )
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_rsvp_is_saved_by_a_plain_post_and_audited(client_as, committee_member, chapter):
    invitation = InvitationFactory(forum__chapter=chapter)
    url = f"{BASE}/invitations/{invitation.pk}/rsvp/"
    response = client_as(committee_member).post(url, {"rsvp": "yes"})
    assert response["Location"] == f"{BASE}/{invitation.forum.pk}/#invitation-{invitation.pk}"
    invitation.refresh_from_db()
    assert invitation.rsvp == Rsvp.YES
    event = AuditEvent.objects.get(action="forums.rsvp_changed")
    assert event.data == {"from": "invited", "to": "yes"} and event.actor == committee_member
    assert client_as(committee_member).get(url).status_code == 405


def test_an_rsvp_from_htmx_gets_back_its_section_and_an_announcement(
    client_as, committee_member, chapter
):
    invitation = InvitationFactory(forum__chapter=chapter, candidate__name="Maria Hadden")
    url = f"{BASE}/invitations/{invitation.pk}/rsvp/"
    response = client_as(committee_member).post(
        url, {"rsvp": "maybe"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<div class="rsvp" id="rsvp-{invitation.pk}">')
    assert "<html" not in html and "Maybe" in html
    assert 'hx-swap-oob="innerHTML">RSVP saved: Maria Hadden, maybe.' in html
    invitation.refresh_from_db()
    assert invitation.rsvp == Rsvp.MAYBE

    bad = client_as(committee_member).post(url, {"rsvp": "sure"}, headers={"HX-Request": "true"})
    assert 'role="alert"' in bad.content.decode() and "hx-swap-oob" not in bad.content.decode()
    invitation.refresh_from_db()
    assert invitation.rsvp == Rsvp.MAYBE


def test_spoke_is_refused_before_the_forum_starts(client_as, committee_member, chapter):
    invitation = InvitationFactory(forum=future_forum(chapter))
    url = f"{BASE}/invitations/{invitation.pk}/speech/"
    page = client_as(committee_member).post(url, {"speaker": "Dana", "spoke": "on"})
    assert page.status_code == 200
    assert "once the forum has started" in page.content.decode()
    invitation.refresh_from_db()
    assert not invitation.spoke and invitation.speaker == ""


def test_recording_that_a_candidate_spoke_meets_the_forum_gate(
    client_as, committee_member, chapter
):
    invitation = InvitationFactory(forum__chapter=chapter)  # started a week ago
    endorsement = EndorsementFactory(candidate=invitation.candidate)

    def forum_gate():
        return next(g for g in gates.evaluate(endorsement) if g.gate == Gate.FORUM)

    assert not forum_gate().met
    url = f"{BASE}/invitations/{invitation.pk}/speech/"
    response = client_as(committee_member).post(url, {"speaker": "The candidate", "spoke": "on"})
    assert response.status_code == 302
    assert forum_gate().met
    client_as(committee_member).post(url, {"speaker": "The candidate"})  # unticked
    assert not forum_gate().met


def test_withdrawing_an_invitation(client_as, committee_member, chapter):
    pending = InvitationFactory(forum__chapter=chapter)
    spoken = InvitationFactory(forum=pending.forum, spoke=True)
    client = client_as(committee_member)
    client.post(f"{BASE}/invitations/{pending.pk}/remove/")
    response = client.post(f"{BASE}/invitations/{spoken.pk}/remove/", follow=True)
    assert "recorded as having spoken" in response.content.decode()
    assert list(Invitation.objects.all()) == [spoken]


# --- notes and recording --------------------------------------------------------------------


def test_notes_and_recording_only_once_the_forum_has_started(client_as, committee_member, chapter):
    upcoming = future_forum(chapter)
    client = client_as(committee_member)
    post = {"notes": "Forty people came.", "recording_url": "https://video.example.org/m4a"}
    page = client.post(f"{BASE}/{upcoming.pk}/report/", post).content.decode()
    assert "once the forum has started" in page
    upcoming.refresh_from_db()
    assert upcoming.notes == ""

    held = ForumFactory(chapter=chapter)
    assert client.post(f"{BASE}/{held.pk}/report/", post).status_code == 302
    held.refresh_from_db()
    assert held.notes == "Forty people came." and held.recording_url.endswith("/m4a")
    assert AuditEvent.objects.filter(action="forums.report_recorded").count() == 1
    bad = client.post(f"{BASE}/{held.pk}/report/", {"recording_url": "javascript:alert(1)"})
    assert "Enter a valid URL." in bad.content.decode()


# --- evaluations ----------------------------------------------------------------------------


def test_each_committee_member_writes_and_edits_their_own_evaluation(
    client_as, committee_member, alice, chapter
):
    invitation = InvitationFactory(forum__chapter=chapter, spoke=True)
    url = f"{BASE}/invitations/{invitation.pk}/evaluation/"
    cam = client_as(committee_member)
    form = cam.get(url).content.decode()
    assert 'type="radio"' in form and "---------" not in form
    cam.post(url, {"rating": "weak", "notes": "Evasive on pharma money."})
    cam.post(url, {"rating": "adequate", "notes": "On reflection, adequate."})
    client_as(alice).post(url, {"rating": "strong", "notes": "A clear commitment."})
    assert invitation.evaluations.count() == 2
    cams = SpeechEvaluation.objects.get(evaluator=committee_member)
    assert (cams.rating, cams.notes) == ("adequate", "On reflection, adequate.")
    # Alice's page has her own evaluation in the form and Cam's apart, read-only.
    page = client_as(alice).get(url).content.decode()
    assert "A clear commitment." in page and "On reflection, adequate." in page
    assert page.index("A clear commitment.") < page.index("Other committee members")
    forum_page = cam.get(f"{BASE}/{invitation.forum.pk}/").content.decode()
    assert "On reflection, adequate." in forum_page and "A clear commitment." in forum_page

    empty = cam.post(url, {"rating": "", "notes": ""}).content.decode()
    assert "This field is required." in empty


def test_a_speech_is_evaluated_only_once_the_candidate_spoke(
    client_as, committee_member, bob, chapter
):
    invitation = InvitationFactory(forum__chapter=chapter)
    url = f"{BASE}/invitations/{invitation.pk}/evaluation/"
    response = client_as(committee_member).post(
        url, {"rating": "strong", "notes": "x"}, follow=True
    )
    assert "before evaluating the speech" in response.content.decode()
    assert not SpeechEvaluation.objects.exists()
    invitation.spoke = True
    invitation.save()
    assert client_as(bob).post(url, {"rating": "strong", "notes": "x"}).status_code == 403
    assert not SpeechEvaluation.objects.exists()


def test_editing_a_forum_is_audited_with_what_changed(client_as, committee_member, chapter):
    client = client_as(committee_member)
    client.post(f"{BASE}/add/", FORUM_POST)
    forum = Forum.objects.get()
    response = client.post(
        f"{BASE}/{forum.pk}/edit/",
        {**FORUM_POST, "starts_at": "2026-10-01T18:30", "place": "Pilsen community center"},
    )
    assert response.status_code == 302
    forum.refresh_from_db()
    assert forum.starts_at == dt.datetime(2026, 10, 1, 23, 30, tzinfo=UTC)
    event = AuditEvent.objects.get(action="forums.forum_changed")
    assert event.data["changes"] == {
        "starts_at": ["2026-10-02T00:00:00+00:00", "2026-10-01T23:30:00+00:00"],
        "place": ["SEIU Local 73 hall", "Pilsen community center"],
    }
