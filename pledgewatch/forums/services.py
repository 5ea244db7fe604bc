"""Changes to forums, invitations, speech evaluations and the organization directory: atomic,
audited, keyword-only, with by=. ForumError carries the message the user sees.

forum_calendar(forum) is the one place a forum becomes an iCalendar file; the committee's
download and the public page's both call it, so it holds only what may be published (no notes,
no invitations, no contacts)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from pledgewatch.candidates.models import Candidate
from pledgewatch.chapters.models import Chapter
from pledgewatch.core.audit import apply_changes, audit_value, record, update_audited
from pledgewatch.forums.models import (
    Forum,
    Invitation,
    Organization,
    OrganizationContact,
    Rsvp,
    SpeechEvaluation,
)


class ForumError(Exception):
    """A change the forum's rules refuse; the message says why, for the user."""


def has_started(forum: Forum, *, now: dt.datetime | None = None) -> bool:
    return forum.starts_at <= (now or timezone.now())


def local_start(forum: Forum) -> dt.datetime:
    """The forum's start in its chapter's time zone (for messages and file names)."""
    return forum.starts_at.astimezone(ZoneInfo(forum.chapter.timezone))


def _when(forum: Forum) -> str:
    start = local_start(forum)
    return f"{start:%-d %b %Y}, {start:%-I:%M %p}"


# --- the organization directory ----------------------------------------------------------


@transaction.atomic
def add_organization(
    *, chapter: Chapter, name: str, kind: str, website: str = "", notes: str = "", by: Any
) -> Organization:
    organization = Organization(chapter=chapter, name=name, kind=kind, website=website, notes=notes)
    organization.full_clean()
    organization.save()
    record(
        "forums.organization_added",
        by=by,
        chapter=chapter,
        obj=organization,
        data={"name": name, "kind": kind},
    )
    return organization


@transaction.atomic
def update_organization(*, organization: Organization, by: Any, **fields: Any) -> Organization:
    """`fields`: name, kind, website, notes."""
    update_audited(
        "forums.organization_changed", organization, fields, by=by, chapter=organization.chapter
    )
    return organization


# Contact people's email addresses and phone numbers stay out of the audit log: it records who
# was added or removed, and which fields changed, not the private details themselves.


@transaction.atomic
def add_contact(
    *,
    organization: Organization,
    name: str,
    role: str = "",
    email: str = "",
    phone: str = "",
    by: Any,
) -> OrganizationContact:
    contact = OrganizationContact(
        organization=organization, name=name, role=role, email=email, phone=phone
    )
    contact.full_clean()
    contact.save()
    record(
        "forums.contact_added",
        by=by,
        chapter=organization.chapter,
        obj=organization,
        data={"contact": name, "role": role},
    )
    return contact


@transaction.atomic
def update_contact(*, contact: OrganizationContact, by: Any, **fields: Any) -> OrganizationContact:
    """`fields`: name, role, email, phone."""
    changes = apply_changes(contact, fields)
    if changes:
        record(
            "forums.contact_changed",
            by=by,
            chapter=contact.organization.chapter,
            obj=contact.organization,
            data={"contact": contact.name, "fields": sorted(changes)},
        )
    return contact


@transaction.atomic
def remove_contact(*, contact: OrganizationContact, by: Any) -> None:
    organization = contact.organization
    data = {"contact": contact.name, "role": contact.role}
    contact.delete()
    record(
        "forums.contact_removed", by=by, chapter=organization.chapter, obj=organization, data=data
    )


# --- forums ------------------------------------------------------------------------------


@transaction.atomic
def add_forum(*, chapter: Chapter, by: Any, **fields: Any) -> Forum:
    """`fields`: title, starts_at, ends_at, place, address, accessibility, description,
    is_public."""
    forum = Forum(chapter=chapter, **fields)
    forum.full_clean()
    forum.save()
    record(
        "forums.forum_added",
        by=by,
        chapter=chapter,
        obj=forum,
        data={k: audit_value(v) for k, v in fields.items() if k in ("title", "starts_at")},
    )
    return forum


def check_start_keeps_speakers(forum: Forum, starts_at: dt.datetime | None) -> None:
    if (
        starts_at is not None
        and starts_at > timezone.now()
        and forum.pk
        and forum.invitations.filter(spoke=True).exists()
    ):
        raise ForumError(
            "Some guests are recorded as having spoken at this forum, so it cannot start in "
            "the future. Correct “spoke on record” for them first."
        )


@transaction.atomic
def update_forum(*, forum: Forum, by: Any, **fields: Any) -> Forum:
    """`fields`: any of add_forum's. A forum with recorded speakers cannot move into the
    future (a speech cannot precede its forum)."""
    check_start_keeps_speakers(forum, fields.get("starts_at"))
    update_audited("forums.forum_changed", forum, fields, by=by, chapter=forum.chapter)
    return forum


@transaction.atomic
def record_report(*, forum: Forum, notes: str, recording_url: str, by: Any) -> Forum:
    """The notes and the recording, once the forum has started."""
    if not has_started(forum):
        raise ForumError(
            f"Notes and a recording can be added once the forum has started ({_when(forum)})."
        )
    changes = apply_changes(forum, {"notes": notes, "recording_url": recording_url})
    if changes:
        record(
            "forums.report_recorded",
            by=by,
            chapter=forum.chapter,
            obj=forum,
            data={"fields": sorted(changes), "recording_url": recording_url},
        )
    return forum


# --- invitations -------------------------------------------------------------------------


@transaction.atomic
def invite(
    *,
    forum: Forum,
    invited_on: dt.date,
    by: Any,
    organization: Organization | None = None,
    candidate: Candidate | None = None,
) -> Invitation:
    """Invite one organization or one candidate of the forum's chapter, once per forum."""
    if (organization is None) == (candidate is None):
        raise ForumError("Invite either one organization or one candidate.")
    guest = organization or candidate
    if guest.chapter_id != forum.chapter_id:
        raise ForumError(
            f"Choose one of your chapter's {'organizations' if organization else 'candidates'}."
        )
    existing = forum.invitations.filter(organization=organization, candidate=candidate)
    if existing.exists():
        raise ForumError(f"{guest} is already invited to this forum.")
    invitation = Invitation.objects.create(
        forum=forum, organization=organization, candidate=candidate, invited_on=invited_on
    )
    record(
        "forums.invited",
        by=by,
        chapter=forum.chapter,
        obj=invitation,
        data={
            "forum": forum.pk,
            "guest": str(guest),
            "kind": "organization" if organization else "candidate",
            "invited_on": invited_on.isoformat(),
        },
    )
    return invitation


@transaction.atomic
def set_rsvp(*, invitation: Invitation, rsvp: str, by: Any) -> Invitation:
    """Record the guest's answer; the audit event keeps the old and the new one."""
    if rsvp not in Rsvp.values:
        raise ForumError("Choose one of the answers listed.")
    current = Invitation.objects.select_for_update().get(pk=invitation.pk)
    old = current.rsvp
    invitation.rsvp = rsvp
    if old != rsvp:
        Invitation.objects.filter(pk=invitation.pk).update(rsvp=rsvp)
        record(
            "forums.rsvp_changed",
            by=by,
            chapter=invitation.forum.chapter,
            obj=invitation,
            data={"from": old, "to": rsvp},
        )
    return invitation


@transaction.atomic
def record_speech(*, invitation: Invitation, speaker: str, spoke: bool, by: Any) -> Invitation:
    """Who speaks for the guest (any time), and whether they spoke on record (only once the
    forum has started). For a candidate, "spoke" is the evidence of the forum gate."""
    forum = invitation.forum
    if spoke and not has_started(forum):
        raise ForumError(
            f"You can record that a guest spoke once the forum has started ({_when(forum)})."
        )
    update_audited(
        "forums.speech_recorded",
        invitation,
        {"speaker": speaker, "spoke": spoke},
        by=by,
        chapter=forum.chapter,
    )
    return invitation


@transaction.atomic
def remove_invitation(*, invitation: Invitation, by: Any) -> None:
    """Withdraw an invitation made by mistake. One recorded as spoken, or with evaluations,
    is part of the record and stays."""
    if invitation.spoke:
        raise ForumError(
            f"{invitation.guest} is recorded as having spoken: correct that first if it is wrong."
        )
    if invitation.evaluations.exists():
        raise ForumError(f"The committee has evaluated {invitation.guest}'s speech: it stays.")
    forum = invitation.forum
    data = {"forum": forum.pk, "guest": str(invitation.guest), "rsvp": invitation.rsvp}
    invitation.delete()
    record("forums.invitation_removed", by=by, chapter=forum.chapter, obj=forum, data=data)


# --- the committee's evaluation of a candidate's speech -----------------------------------


@transaction.atomic
def save_evaluation(
    *, invitation: Invitation, evaluator: Any, rating: str, notes: str
) -> SpeechEvaluation:
    """The evaluator's own evaluation of a candidate's speech: created the first time, changed
    after that (one per evaluator per invitation)."""
    if invitation.candidate_id is None:
        raise ForumError("Only a candidate's speech is evaluated.")
    if not invitation.spoke:
        raise ForumError(
            f"Record that {invitation.candidate} spoke at the forum before evaluating the speech."
        )
    evaluation = (
        SpeechEvaluation.objects.select_for_update()
        .filter(invitation=invitation, evaluator=evaluator)
        .first()
    )
    created = evaluation is None
    if created:
        evaluation = SpeechEvaluation(invitation=invitation, evaluator=evaluator)
    old_rating = evaluation.rating
    evaluation.rating = rating
    evaluation.notes = notes
    evaluation.full_clean()
    evaluation.save()
    record(
        "forums.evaluation_added" if created else "forums.evaluation_changed",
        by=evaluator,
        chapter=invitation.forum.chapter,
        obj=invitation,
        data={"rating": rating} if created else {"rating": [old_rating, rating]},
    )
    return evaluation


# --- the iCalendar file --------------------------------------------------------------------


def _uid_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "pledgewatch.invalid"


def calendar_uid(forum: Forum) -> str:
    """Stable for the forum's life, so a calendar that imports it twice updates one event."""
    return f"forum-{forum.pk}@{_uid_domain()}"


def calendar_filename(forum: Forum) -> str:
    return f"{slugify(forum.title) or 'forum'}-{local_start(forum):%Y-%m-%d}.ics"


def forum_calendar(forum: Forum) -> bytes:
    """The forum as an iCalendar (RFC 5545) file: one event with its UID, its times in UTC,
    its place and address, and a description that ends with the accessibility notes.

    Only what may be published goes in (title, times, place, description, accessibility), so
    the public page can serve it as it is."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Pledgewatch//Forums//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", calendar_uid(forum))
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", forum.starts_at.astimezone(dt.UTC))
    event.add("dtend", forum.ends_at.astimezone(dt.UTC))
    event.add("summary", forum.title)
    location = ", ".join(part for part in (forum.place, forum.address) if part)
    if location:
        event.add("location", location)
    description = [forum.description.strip()] if forum.description.strip() else []
    if forum.accessibility.strip():
        description.append(f"Accessibility: {forum.accessibility.strip()}")
    if description:
        event.add("description", "\n\n".join(description))
    cal.add_component(event)
    return cal.to_ical()
