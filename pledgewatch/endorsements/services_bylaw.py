"""Changes to the chapter's rescission by-law, its resources for candidates, and the talking
points packet: atomic, audited, keyword-only, with by=.

The by-law has one row per chapter (RescissionBylaw). Before adoption the chapter edits a draft
that starts from the model text (texts.model_bylaw_text). adopt() records the vote once; after
that the text changes only through amend(), which records a new adoption. The history of the
by-law lives in the append-only audit log: every "bylaw.amended" event carries the version it
replaced (text, date, body, votes, minutes), and bylaw_history() reads them back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from pledgewatch.candidates.models import Candidate, ContactKind, ContactLogEntry
from pledgewatch.chapters.models import Chapter
from pledgewatch.core import emails
from pledgewatch.core.audit import record
from pledgewatch.core.models import AuditEvent
from pledgewatch.endorsements import texts
from pledgewatch.endorsements.models import RescissionBylaw, Resource


class BylawError(Exception):
    """A change the by-law's rules refuse; the message says why, for the user."""


class SendError(Exception):
    """The packet could not be sent; the message says why, for the user."""


def chapter_today(chapter: Chapter) -> dt.date:
    """Today's date where the chapter is (an adoption cannot be dated after it)."""
    return timezone.localdate(timezone=ZoneInfo(chapter.timezone))


# --- The by-law --------------------------------------------------------------------------------


def bylaw_of(chapter: Chapter) -> RescissionBylaw | None:
    return RescissionBylaw.objects.filter(chapter=chapter).first()


def draft_text(chapter: Chapter) -> str:
    """The text to start editing from: the chapter's own draft, or the model text."""
    bylaw = bylaw_of(chapter)
    return bylaw.text if bylaw is not None and bylaw.text else texts.model_bylaw_text(chapter)


@dataclass(frozen=True)
class Adoption:
    """One adoption vote, as the chapter records it."""

    adopted_on: dt.date
    adopted_by_body: str
    votes_yes: int
    votes_no: int
    votes_abstain: int
    minutes_url: str = ""


@dataclass(frozen=True)
class BylawVersion:
    """An adopted text that a later amendment replaced (read back from the audit log)."""

    text: str
    adopted_on: dt.date | None
    adopted_by_body: str
    votes_yes: int | None
    votes_no: int | None
    votes_abstain: int | None
    minutes_url: str
    replaced_on: dt.date | None
    replaced_at: dt.datetime


def _snapshot(bylaw: RescissionBylaw) -> dict[str, Any]:
    return {
        "text": bylaw.text,
        "adopted_on": bylaw.adopted_on.isoformat() if bylaw.adopted_on else None,
        "adopted_by_body": bylaw.adopted_by_body,
        "votes_yes": bylaw.votes_yes,
        "votes_no": bylaw.votes_no,
        "votes_abstain": bylaw.votes_abstain,
        "minutes_url": bylaw.minutes_url,
    }


def check_adoption(chapter: Chapter, adoption: Adoption) -> None:
    """The rules every recorded adoption follows (the form checks them too, field by field)."""
    if adoption.adopted_on > chapter_today(chapter):
        raise BylawError("The adoption date cannot be in the future.")
    counts = (adoption.votes_yes, adoption.votes_no, adoption.votes_abstain)
    if any(n is None or n < 0 for n in counts):
        raise BylawError("Vote counts are whole numbers, zero or more.")
    if adoption.votes_yes <= adoption.votes_no:
        raise BylawError("The by-law is adopted only with more yes votes than no votes.")
    if not adoption.adopted_by_body.strip():
        raise BylawError("Say which body adopted the by-law, for example: General meeting.")


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise BylawError("The by-law needs its text.")
    return text


def _apply(bylaw: RescissionBylaw, text: str, adoption: Adoption, by: Any) -> None:
    bylaw.text = text
    bylaw.adopted_on = adoption.adopted_on
    bylaw.adopted_by_body = adoption.adopted_by_body.strip()
    bylaw.votes_yes = adoption.votes_yes
    bylaw.votes_no = adoption.votes_no
    bylaw.votes_abstain = adoption.votes_abstain
    bylaw.minutes_url = adoption.minutes_url
    bylaw.updated_by = by if getattr(by, "is_authenticated", False) else None
    bylaw.save()


def _locked(chapter: Chapter) -> RescissionBylaw | None:
    return RescissionBylaw.objects.select_for_update().filter(chapter=chapter).first()


@transaction.atomic
def save_draft(*, chapter: Chapter, text: str, by: Any) -> RescissionBylaw:
    """Save the chapter's draft (before adoption only: an adopted by-law is amended)."""
    text = _clean_text(text)
    bylaw = _locked(chapter)
    if bylaw is not None and bylaw.adopted:
        raise BylawError("The by-law is adopted: change it by recording an amendment.")
    if bylaw is None:
        bylaw = RescissionBylaw(chapter=chapter)
    bylaw.text = text
    bylaw.updated_by = by if getattr(by, "is_authenticated", False) else None
    bylaw.save()
    record("bylaw.draft_saved", by=by, chapter=chapter, obj=bylaw, data={"text": text})
    return bylaw


@transaction.atomic
def adopt(*, chapter: Chapter, text: str, adoption: Adoption, by: Any) -> RescissionBylaw:
    """Record the chapter's adoption of `text` (once: later changes are amendments)."""
    text = _clean_text(text)
    check_adoption(chapter, adoption)
    bylaw = _locked(chapter)
    if bylaw is not None and bylaw.adopted:
        raise BylawError("The by-law is already adopted: record an amendment instead.")
    if bylaw is None:
        bylaw = RescissionBylaw(chapter=chapter)
    _apply(bylaw, text, adoption, by)
    record("bylaw.adopted", by=by, chapter=chapter, obj=bylaw, data={"adopted": _snapshot(bylaw)})
    return bylaw


@transaction.atomic
def amend(*, chapter: Chapter, text: str, adoption: Adoption, by: Any) -> RescissionBylaw:
    """Replace the adopted text by an amendment the chapter adopted. The version it replaces
    is kept in the audit event (see bylaw_history)."""
    text = _clean_text(text)
    check_adoption(chapter, adoption)
    bylaw = _locked(chapter)
    if bylaw is None or not bylaw.adopted:
        raise BylawError("The by-law is not adopted yet: record its adoption first.")
    if text == bylaw.text.strip():
        raise BylawError("The text is the same as the adopted by-law: change it to amend it.")
    if adoption.adopted_on < bylaw.adopted_on:
        raise BylawError(
            f"An amendment cannot be dated before the by-law it amends "
            f"(adopted {bylaw.adopted_on:%-d %B %Y})."
        )
    previous = _snapshot(bylaw)
    _apply(bylaw, text, adoption, by)
    record(
        "bylaw.amended",
        by=by,
        chapter=chapter,
        obj=bylaw,
        data={"previous": previous, "adopted": _snapshot(bylaw)},
    )
    return bylaw


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def bylaw_history(chapter: Chapter) -> list[BylawVersion]:
    """The adopted texts that amendments replaced, newest first."""
    events = AuditEvent.objects.for_chapter(chapter).filter(
        action="bylaw.amended", object_type=RescissionBylaw._meta.label
    )
    versions = []
    for event in events.order_by("-created_at", "-id"):
        old = event.data.get("previous") or {}
        new = event.data.get("adopted") or {}
        versions.append(
            BylawVersion(
                text=old.get("text", ""),
                adopted_on=_date(old.get("adopted_on")),
                adopted_by_body=old.get("adopted_by_body", ""),
                votes_yes=old.get("votes_yes"),
                votes_no=old.get("votes_no"),
                votes_abstain=old.get("votes_abstain"),
                minutes_url=old.get("minutes_url", ""),
                replaced_on=_date(new.get("adopted_on")),
                replaced_at=event.created_at,
            )
        )
    return versions


# --- Resources for candidates ------------------------------------------------------------------

RESOURCE_FIELDS = ("title", "url", "description", "position")


@transaction.atomic
def add_resource(
    *, chapter: Chapter, title: str, url: str, description: str = "", position: int = 0, by: Any
) -> Resource:
    resource = Resource.objects.create(
        chapter=chapter, title=title, url=url, description=description, position=position
    )
    record(
        "resource.added",
        by=by,
        chapter=chapter,
        obj=resource,
        data={"title": title, "url": url, "description": description, "position": position},
    )
    return resource


@transaction.atomic
def change_resource(*, resource: Resource, by: Any, **fields: Any) -> Resource:
    """Change a resource's title, url, description or position (audited with the old values)."""
    unknown = set(fields) - set(RESOURCE_FIELDS)
    if unknown:
        raise TypeError(f"Not a resource field: {', '.join(sorted(unknown))}")
    changed = {k: v for k, v in fields.items() if getattr(resource, k) != v}
    if not changed:
        return resource
    before = {k: getattr(resource, k) for k in changed}
    for key, value in changed.items():
        setattr(resource, key, value)
    resource.save(update_fields=list(changed))
    record(
        "resource.changed",
        by=by,
        chapter=resource.chapter,
        obj=resource,
        data={"before": before, "after": changed},
    )
    return resource


@transaction.atomic
def delete_resource(*, resource: Resource, by: Any) -> None:
    data = {"title": resource.title, "url": resource.url, "description": resource.description}
    chapter = resource.chapter
    record("resource.deleted", by=by, chapter=chapter, obj=resource, data=data)
    resource.delete()


# --- The talking points packet -----------------------------------------------------------------


def packet_context(*, chapter: Chapter, candidate: Candidate) -> dict[str, Any]:
    """What the packet shows, on the page and in the email."""
    return {
        "chapter": chapter,
        "candidate": candidate,
        "principles_intro": texts.PRINCIPLES_INTRO,
        "principles": texts.PRINCIPLES,
        "principles_source_url": texts.PRINCIPLES_SOURCE_URL,
        "principles_source_title": texts.PRINCIPLES_SOURCE_TITLE,
        "resources": list(chapter.resources.all()),
    }


def check_address(value: str) -> str:
    """One email address, on one line (a line break would let text into the headers)."""
    if "\r" in value or "\n" in value:
        raise SendError("Give one address on one line: an address cannot contain a line break.")
    value = value.strip()
    if not value:
        raise SendError("Give the address to send the packet to.")
    if "," in value or ";" in value:
        raise SendError("Give one address: the packet goes to one recipient at a time.")
    try:
        validate_email(value)
    except ValidationError:
        raise SendError(f"“{value}” is not an email address, such as name@example.org.") from None
    return value


def _person(user: Any) -> str:
    if not getattr(user, "is_authenticated", False):
        return "someone"
    full = user.get_full_name()
    return full if full == user.email else f"{full} <{user.email}>"


@transaction.atomic
def send_talking_points(
    *, candidate: Candidate, to: str, message: str = "", by: Any
) -> ContactLogEntry:
    """Email the packet to `to` and record the send in the candidate's contact log and the
    audit log. The email goes last, inside the transaction: if it fails, nothing is recorded."""
    to = check_address(to)
    message = (message or "").strip()
    chapter = candidate.chapter
    ctx = {**packet_context(chapter=chapter, candidate=candidate), "message": message}
    if getattr(by, "is_authenticated", False):
        ctx["sender"] = by.get_full_name()
    n = len(ctx["resources"])
    summary = (
        f"Emailed the talking points packet to {to}: DSA's five Medicare for All principles and "
        f"{n} chapter resource{'s' if n != 1 else ''}."
    )
    if message:
        summary += f"\n\nPersonal message:\n{message}"
    entry = ContactLogEntry.objects.create(
        candidate=candidate,
        kind=ContactKind.TALKING_POINTS,
        happened_at=timezone.now(),
        people=f"Sent by {_person(by)} to {to}"[:300],
        summary=summary,
        logged_by=by if getattr(by, "is_authenticated", False) else None,
    )
    record(
        "talking_points.sent",
        by=by,
        chapter=chapter,
        obj=candidate,
        data={"to": to, "message": message, "resources": n, "contact_log_entry": entry.pk},
    )
    email = emails.make_message("talking_points", to, ctx)
    if getattr(by, "is_authenticated", False) and by.email:
        email.reply_to = [by.email]
    try:
        email.send()
    except (OSError, ValueError) as exc:  # SMTP refusals, no connection, a bad header
        raise SendError(
            f"The email could not be sent ({exc.__class__.__name__}), so nothing was recorded. "
            "Try again later."
        ) from exc
    return entry
