"""The contact log: the committee (MANAGE_ENDORSEMENTS) logs calls, meetings and emails with a
campaign, in the chapter's time zone and never in the future; VIEW_CONTACTS reads the log,
newest first, on the candidate's page; entries are never edited or deleted."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from pledgewatch.candidates.models import ContactKind, ContactLogEntry
from pledgewatch.core.models import AuditEvent
from tests.endorsements.factories import ContactLogEntryFactory
from tests.finance.factories import CandidateFactory

# 20:00 UTC on 4 May 2026 is 15:00 in Chicago (CDT, UTC-5), the chapter's time zone.
NOW = dt.datetime(2026, 5, 4, 20, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def candidate(chapter):
    return CandidateFactory(chapter=chapter, name="Rosa Delgado")


def add_url(candidate) -> str:
    return f"/c/{candidate.chapter.slug}/candidates/{candidate.pk}/contacts/add/"


def page_url(candidate) -> str:
    return f"/c/{candidate.chapter.slug}/candidates/{candidate.pk}/"


def entry_data(**overrides) -> dict[str, str]:
    return {
        "kind": ContactKind.CALL,
        "happened_at": "2026-05-04T14:30",
        "people": "Dana (committee), Sam Ortiz (campaign manager)",
        "summary": "Sam said Rosa backs single payer.\nShe will answer the questionnaire.",
        **overrides,
    }


def text(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_committee_logs_a_contact_in_the_chapters_time_zone(
    client_as, committee_member, candidate
):
    response = client_as(committee_member).post(add_url(candidate), entry_data())
    assert response["Location"] == f"{page_url(candidate)}#contact-log"
    entry = ContactLogEntry.objects.get()
    # 14:30 in Chicago is 19:30 UTC.
    assert entry.happened_at == dt.datetime(2026, 5, 4, 19, 30, tzinfo=dt.UTC)
    assert entry.candidate == candidate and entry.logged_by == committee_member
    assert entry.people == "Dana (committee), Sam Ortiz (campaign manager)"
    event = AuditEvent.objects.get(action="candidate.contact_logged")
    assert event.actor == committee_member and event.data["contact_log_entry"] == entry.pk
    assert event.data["happened_at"] == "2026-05-04T19:30:00+00:00"
    assert "single payer" not in str(event.data)  # what was said stays in the log


def test_the_form_starts_at_now_in_the_chapters_time_zone(client_as, committee_member, candidate):
    page = client_as(committee_member).get(add_url(candidate)).content.decode()
    assert 'value="2026-05-04T15:00"' in page
    assert "Date and time in America/Chicago." in page


def test_a_contact_in_the_future_is_refused(client_as, committee_member, candidate):
    client = client_as(committee_member)
    # 15:01 in Chicago is a minute from now; in UTC it would look long past.
    response = client.post(add_url(candidate), entry_data(happened_at="2026-05-04T15:01"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "That time is in the future: log a contact once it has happened." in page
    assert 'aria-describedby="id_happened_at_helptext id_happened_at_error"' in page
    assert not ContactLogEntry.objects.exists()
    # This very minute has happened.
    assert (
        client.post(add_url(candidate), entry_data(happened_at="2026-05-04T15:00")).status_code
        == 302
    )


def test_an_incomplete_entry_says_what_is_missing(client_as, committee_member, candidate):
    page = (
        client_as(committee_member)
        .post(add_url(candidate), {"kind": "fax", "happened_at": "tuesday"})
        .content.decode()
    )
    assert "Choose one of the kinds listed." in page
    assert "Enter a date and time, such as 2026-05-04 14:30." in page
    assert "Say who took part, on both sides." in page
    assert "Say what was said." in page
    assert not ContactLogEntry.objects.exists()


def test_the_log_is_shown_newest_first_in_the_chapters_time_zone(
    client_as, committee_member, candidate
):
    ContactLogEntryFactory(
        candidate=candidate,
        kind=ContactKind.MEETING,
        happened_at=dt.datetime(2026, 4, 20, 23, 15, tzinfo=dt.UTC),
        summary="First meeting at the union hall.",
    )
    ContactLogEntryFactory(
        candidate=candidate,
        kind=ContactKind.CALL,
        happened_at=dt.datetime(2026, 5, 1, 14, 0, tzinfo=dt.UTC),
        summary="Follow-up call.",
    )
    ContactLogEntryFactory(summary="Another candidate's call.")  # another candidate's
    page = text(client_as(committee_member).get(page_url(candidate)))
    log = page.split('id="contact-log"')[1]
    assert log.index("Follow-up call.") < log.index("First meeting at the union hall.")
    assert "20 Apr 2026, 18:15" in log  # 23:15 UTC is 18:15 in Chicago
    assert "1 May 2026, 09:00" in log
    assert "Another candidate" not in page
    assert "Log a contact" in log  # the committee's form, below the log


def test_a_member_neither_reads_nor_adds_to_the_log(client_as, bob, candidate):
    ContactLogEntryFactory(candidate=candidate, summary="SECRET-CONTACT-LOG")
    client = client_as(bob)
    response = client.get(page_url(candidate))
    assert "SECRET-CONTACT-LOG" not in response.content.decode()
    assert "contact_log" not in response.context and "contact_form" not in response.context
    assert client.get(add_url(candidate)).status_code == 403
    assert client.post(add_url(candidate), entry_data()).status_code == 403
    assert ContactLogEntry.objects.count() == 1


def test_a_canvass_lead_does_not_read_the_log_either(client_as, canvass_lead, candidate):
    ContactLogEntryFactory(candidate=candidate, summary="SECRET-CONTACT-LOG")
    page = client_as(canvass_lead).get(page_url(candidate)).content.decode()
    assert "SECRET-CONTACT-LOG" not in page


def test_another_chapters_user_cannot_log_a_contact(client_as, charlie, candidate):
    client = client_as(charlie)
    own = f"/c/harbor-city/candidates/{candidate.pk}/contacts/add/"
    assert client.post(own, entry_data()).status_code == 404
    assert client.post(add_url(candidate), entry_data()).status_code == 404
    assert not ContactLogEntry.objects.exists()


def test_the_log_is_append_only(client_as, committee_member, candidate, alice):
    entry = ContactLogEntryFactory(candidate=candidate, summary="As first written.")
    client = client_as(committee_member)
    # No page edits or deletes an entry ...
    for name in ("contact_edit", "contact_delete", "contact_remove"):
        with pytest.raises(NoReverseMatch):
            reverse(f"candidates:{name}", kwargs={"slug": "lakeshore", "pk": entry.pk})
    links = re.findall(
        r'(?:href|action)="([^"]*/contacts/[^"]*)"', text(client.get(page_url(candidate)))
    )
    assert links and set(links) == {add_url(candidate)}
    # ... a correction is a new entry, and the first stays as written.
    client.post(add_url(candidate), entry_data(summary="Correction: she said maybe."))
    entry.refresh_from_db()
    assert entry.summary == "As first written."
    assert ContactLogEntry.objects.filter(candidate=candidate).count() == 2
    # Nor does the admin site change or delete entries.
    request = RequestFactory().get("/admin/")
    request.user = alice
    model_admin = site._registry[ContactLogEntry]
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)


def test_what_the_log_says_is_escaped(client_as, committee_member, candidate):
    client = client_as(committee_member)
    client.post(
        add_url(candidate),
        entry_data(people="<b>Sam</b>", summary="<script>alert(1)</script>\nSecond line"),
    )
    page = client.get(page_url(candidate)).content.decode()
    assert "<script>alert(1)</script>" not in page and "<b>Sam</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Second line" in page
    assert "&lt;b&gt;Sam&lt;/b&gt;" in page


def test_a_talking_points_send_appears_in_the_log(client_as, committee_member, candidate):
    ContactLogEntryFactory(
        candidate=candidate,
        kind=ContactKind.TALKING_POINTS,
        logged_by=None,
        summary="Emailed the talking points packet.",
    )
    page = text(client_as(committee_member).get(page_url(candidate)))
    assert "Talking points sent" in page and "Emailed the talking points packet." in page
    assert "Logged by someone no longer in the app" in page
