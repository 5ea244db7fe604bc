"""The evidence for three gates: the candidate's pledge, their ballot access, and the
questionnaire record; and the reminder emails before filing deadlines.

Saves are atomic, audited, keyword-only, with by=. Each save records what changed as
{field: [before, after]} in the audit event.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import mailers
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from pledgewatch.candidates.models import Candidate
from pledgewatch.chapters.models import Chapter, ChapterRole
from pledgewatch.core import emails
from pledgewatch.core.audit import record
from pledgewatch.core.permissions import Role
from pledgewatch.endorsements.models import (
    BallotAccess,
    BallotReminder,
    BallotStatus,
    Pledge,
    PledgeScope,
    QuestionnaireRecord,
    Stage,
)

logger = logging.getLogger(__name__)

# --- dates ---------------------------------------------------------------------------------


def local_today(chapter: Chapter, now: datetime | None = None) -> date:
    """Today in the chapter's timezone (a deadline is a day where the chapter is)."""
    return timezone.localdate(now or timezone.now(), ZoneInfo(chapter.timezone))


# --- pledge documents ----------------------------------------------------------------------

# Pledge copies: PDF or an image, recognised by their first bytes (never by the name alone).
MAX_DOCUMENT_MB = 10


@dataclass(frozen=True)
class DocumentKind:
    extension: str
    content_type: str
    label: str


PDF = DocumentKind("pdf", "application/pdf", "PDF")
PNG = DocumentKind("png", "image/png", "PNG image")
JPEG = DocumentKind("jpg", "image/jpeg", "JPEG image")
# The extensions a copy may have, and what its content must then be.
EXTENSIONS = {".pdf": PDF, ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG}


def sniff_document(head: bytes) -> DocumentKind | None:
    """What a file is, from its first bytes: a PDF, a PNG, a JPEG, or None for anything else
    (HTML, SVG, scripts, archives ...)."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    return None


def read_head(upload: Any, size: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


# --- the audit trail of a save -------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _apply(instance: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set `values` on `instance`; return what changed as {field: [before, after]}."""
    changes = {}
    for field, value in values.items():
        before = getattr(instance, field)
        if before != value:
            changes[field] = [_plain(before), _plain(value)]
            setattr(instance, field, value)
    return changes


# --- pledge --------------------------------------------------------------------------------


@transaction.atomic
def save_pledge(
    *,
    candidate: Candidate,
    text: str,
    made_on: date,
    url: str,
    scope: str,
    by: Any,
    upload: UploadedFile | None = None,
    remove_document: bool = False,
) -> Pledge:
    """Record or change the candidate's pledge. `upload` (already checked by the form:
    PDF/PNG/JPEG by content, size) replaces the stored copy; `remove_document` drops it.
    The old file is deleted once the change is committed."""
    pledge = Pledge.objects.select_for_update().filter(candidate=candidate).first()
    created = pledge is None
    if pledge is None:
        pledge = Pledge(candidate=candidate)
    changes = _apply(
        pledge,
        {"text": text.strip(), "made_on": made_on, "url": url, "scope": PledgeScope(scope).value},
    )
    old_name = pledge.document.name if pledge.document else ""
    if upload is not None:
        kind = sniff_document(read_head(upload))
        if kind is None:  # the form checks this; a service never stores what it cannot vouch for
            raise ValueError("not a PDF, PNG or JPEG")
        name = f"pledge-{secrets.token_hex(8)}.{kind.extension}"
        pledge.document.save(name, upload, save=False)
        changes["document"] = [old_name, pledge.document.name]
    elif remove_document and old_name:
        pledge.document = ""
        changes["document"] = [old_name, ""]
    pledge.recorded_by = by if getattr(by, "is_authenticated", False) else None
    pledge.save()
    if "document" in changes and old_name:
        storage = pledge.document.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    if created or changes:
        record(
            "endorsement.pledge_recorded" if created else "endorsement.pledge_changed",
            by=by,
            chapter=candidate.chapter,
            obj=candidate,
            data={"changes": changes},
        )
    return pledge


def scope_summary(chapter: Chapter) -> list[dict[str, Any]]:
    """What each pledge scope means in the chapter's conflict policy: the organizations the
    screen (and the finance gate) enforces for it, counted by tier and by industry."""
    from pledgewatch.finance.models import ConflictOrganization, Tier
    from pledgewatch.finance.services import get_or_create_policy

    policy = get_or_create_policy(chapter)
    rows = (
        ConflictOrganization.objects.filter(policy=policy, tier__in=(1, 2))
        .values("tier", "industry")
        .annotate(n=Count("id"))
        .order_by("tier", "-n", "industry")
    )
    by_tier: dict[int, dict[str, Any]] = {}
    for row in rows:
        tier = by_tier.setdefault(
            row["tier"],
            {"tier": row["tier"], "label": Tier(row["tier"]).label, "n": 0, "industries": []},
        )
        tier["n"] += row["n"]
        tier["industries"].append({"industry": row["industry"] or "other", "n": row["n"]})
    summary = []
    for scope in PledgeScope:
        tiers = [by_tier.get(t, {"tier": t, "label": Tier(t).label, "n": 0, "industries": []})
                 for t in PledgeScope.tiers(scope)]  # fmt: skip
        summary.append(
            {
                "value": scope.value,
                "label": scope.label,
                "tiers": tiers,
                "total": sum(t["n"] for t in tiers),
            }
        )
    return summary


# --- ballot access -------------------------------------------------------------------------

BALLOT_FIELDS = (
    "signatures_required",
    "signatures_gathered",
    "fee",
    "fee_paid",
    "filing_deadline",
    "source_url",
    "status",
    "verified_on",
    "notes",
)


@dataclass(frozen=True)
class SignatureProgress:
    gathered: int
    required: int
    percent: int  # capped at 100 (for the bar)
    short: int  # still to gather (0 once enough)
    over: int  # gathered beyond the requirement (a cushion against invalid signatures)

    @property
    def bar_value(self) -> int:
        return min(self.gathered, self.required)


def signature_progress(access: BallotAccess | None) -> SignatureProgress | None:
    """Signatures gathered against the requirement, or None when none are required (or the
    requirement is not known yet)."""
    if access is None or not access.signatures_required:
        return None
    gathered, required = access.signatures_gathered, access.signatures_required
    return SignatureProgress(
        gathered=gathered,
        required=required,
        percent=access.signature_percent or 0,
        short=max(0, required - gathered),
        over=max(0, gathered - required),
    )


def days_until(day: date | None, today: date) -> int | None:
    return (day - today).days if day else None


@transaction.atomic
def save_ballot_access(*, candidate: Candidate, values: dict[str, Any], by: Any) -> BallotAccess:
    """Record or change the candidate's ballot access (fields in BALLOT_FIELDS, validated by
    the form)."""
    access = BallotAccess.objects.select_for_update().filter(candidate=candidate).first()
    created = access is None
    if access is None:
        access = BallotAccess(candidate=candidate)
    changes = _apply(access, {f: values[f] for f in BALLOT_FIELDS if f in values})
    access.updated_by = by if getattr(by, "is_authenticated", False) else None
    access.save()
    if created or changes:
        record(
            "endorsement.ballot_recorded" if created else "endorsement.ballot_changed",
            by=by,
            chapter=candidate.chapter,
            obj=candidate,
            data={"changes": changes},
        )
    return access


# --- questionnaire record ------------------------------------------------------------------

QUESTIONNAIRE_FIELDS = (
    "sent_on",
    "answered_on",
    "evaluated_on",
    "meets_minimum",
    "evaluation",
    "published_on",
    "published_url",
)

# The guide (ch. 8), word for word: what the answers must show at a minimum.
MINIMUM_CRITERIA_QUOTE = (
    "At a minimum, the candidate’s answers should demonstrate broadly social-democratic "
    "politics, a commitment to pushing Medicare for All legislatively and/or by lobbying "
    "higher officeholders, and a commitment to continue working with their grassroots base "
    "once in office to actually deliver on their campaign promises."
)
MINIMUM_CRITERIA = (
    "broadly social-democratic politics",
    "a commitment to pushing Medicare for All legislatively and/or by lobbying higher "
    "officeholders",
    "a commitment to continue working with their grassroots base once in office",
)


@transaction.atomic
def save_questionnaire_record(
    *, candidate: Candidate, values: dict[str, Any], by: Any
) -> QuestionnaireRecord:
    """Record or change the committee's questionnaire record (fields in QUESTIONNAIRE_FIELDS,
    validated by the form: dates in order, a URL with the publication)."""
    rec = QuestionnaireRecord.objects.select_for_update().filter(candidate=candidate).first()
    created = rec is None
    if rec is None:
        rec = QuestionnaireRecord(candidate=candidate)
    changes = _apply(rec, {f: values[f] for f in QUESTIONNAIRE_FIELDS if f in values})
    rec.updated_by = by if getattr(by, "is_authenticated", False) else None
    rec.save()
    if created or changes:
        record(
            "endorsement.questionnaire_recorded"
            if created
            else "endorsement.questionnaire_changed",
            by=by,
            chapter=candidate.chapter,
            obj=candidate,
            data={"changes": changes},
        )
    return rec


# --- reminders before filing deadlines -----------------------------------------------------

# Days before a filing deadline when the committee is reminded, from the earliest.
REMINDER_DAYS = (14, 7, 1)
# A candidate the chapter has turned down needs no reminders.
NO_REMINDER_STAGES = (Stage.DECLINED, Stage.RESCINDED)


def reminder_due(days_left: int) -> int | None:
    """Which reminder (14, 7 or 1 days before) is due with `days_left` days to the deadline.

    The smallest threshold at or above days_left: on a normal day that is the reminder of the
    day itself (14, 7, 1), and after a missed run (cron down, a record entered late) it is the
    one that was missed, sent once with the real number of days left. On the deadline day the
    1-day reminder is still due if it was never sent; after the deadline nothing is."""
    if days_left < 0:
        return None
    due = [d for d in REMINDER_DAYS if days_left <= d]
    return min(due) if due else None


@dataclass(frozen=True)
class SentReminder:
    chapter: str
    candidate: str
    deadline: str
    days_before: int
    days_left: int
    recipients: int
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def reminder_recipients(chapter: Chapter) -> list[Any]:
    """The chapter's committee members and admins with an email, each once."""
    roles = (
        ChapterRole.objects.filter(
            chapter=chapter, role__in=[Role.COMMITTEE, Role.ADMIN], user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__email")
    )
    return [r.user for r in roles]


def send_ballot_reminders(*, now: datetime | None = None) -> list[SentReminder]:
    """Email every chapter's committee and admins about each pending ballot-access record whose
    filing deadline is 14, 7 or 1 days ahead in the chapter's timezone. Each reminder
    (record, deadline, days before) goes once: BallotReminder is the record of it, so running
    this again (cron, a second worker) sends nothing new. A failed send is logged and tried
    again on the next run."""
    now = now or timezone.now()
    utc_today = now.date()
    candidates = (
        BallotAccess.objects.filter(
            status=BallotStatus.PENDING,
            # Every timezone is within a day of UTC: the exact check is per chapter below.
            filing_deadline__gte=utc_today - timedelta(days=1),
            filing_deadline__lte=utc_today + timedelta(days=max(REMINDER_DAYS) + 1),
        )
        .exclude(candidate__endorsement__stage__in=NO_REMINDER_STAGES)
        .select_related("candidate__chapter", "candidate__race__office")
        .order_by("filing_deadline", "id")
    )
    sent = []
    for access in candidates:
        chapter = access.candidate.chapter
        days_left = (access.filing_deadline - local_today(chapter, now)).days
        days_before = reminder_due(days_left)
        if days_before is None:
            continue
        try:
            result = _send_reminder(access, days_before=days_before, days_left=days_left)
        except Exception as exc:  # one failing send must not stop the others
            logger.exception("Ballot reminder for %s failed", access.candidate)
            result = SentReminder(
                chapter=chapter.slug,
                candidate=access.candidate.name,
                deadline=access.filing_deadline.isoformat(),
                days_before=days_before,
                days_left=days_left,
                recipients=0,
                error=str(exc) or exc.__class__.__name__,
            )
        if result is not None:
            sent.append(result)
    return sent


@transaction.atomic
def _send_reminder(
    access: BallotAccess, *, days_before: int, days_left: int
) -> SentReminder | None:
    """Send one reminder unless it was sent already. The BallotReminder row and the sending
    share a transaction: if sending fails the row is rolled back and the next run tries again;
    a concurrent run waits on the row's unique constraint and then finds it sent."""
    reminder, created = BallotReminder.objects.get_or_create(
        ballot_access=access, deadline=access.filing_deadline, days_before=days_before
    )
    if not created:
        return None
    candidate = access.candidate
    chapter = candidate.chapter
    path = reverse("endorsements:ballot_detail", kwargs={"slug": chapter.slug, "pk": candidate.pk})
    ctx = {
        "chapter": chapter,
        "candidate": candidate,
        "access": access,
        "deadline": access.filing_deadline,
        "days_left": days_left,
        "signatures": signature_progress(access),
        "url": f"{settings.SITE_URL}{path}",
    }
    messages = [
        emails.make_message("ballot_reminder", user.email, {**ctx, "user": user})
        for user in reminder_recipients(chapter)
    ]
    if messages:
        with mailers.default as connection:
            connection.send_messages(messages)
    reminder.recipients = len(messages)
    reminder.save(update_fields=["recipients"])
    record(
        "endorsement.ballot_reminder_sent",
        chapter=chapter,
        obj=candidate,
        data={
            "deadline": access.filing_deadline.isoformat(),
            "days_before": days_before,
            "days_left": days_left,
            "recipients": len(messages),
        },
    )
    return SentReminder(
        chapter=chapter.slug,
        candidate=candidate.name,
        deadline=access.filing_deadline.isoformat(),
        days_before=days_before,
        days_left=days_left,
        recipients=len(messages),
    )
