"""Changes to chapters, roles and the roster: atomic, audited, keyword-only, with by=."""

from __future__ import annotations

import logging
from typing import IO, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from pledgewatch.chapters import roster
from pledgewatch.chapters.models import (
    ChangeKind,
    Chapter,
    ChapterRole,
    ImportStatus,
    Member,
    MemberChange,
    MemberStatus,
    RosterFormat,
    RosterImport,
)
from pledgewatch.core import emails
from pledgewatch.core.audit import record
from pledgewatch.core.permissions import Role

log = logging.getLogger(__name__)

BATCH = 1000
PROGRESS_EVERY = 2000


# --- chapters and roles -----------------------------------------------------------------


@transaction.atomic
def update_chapter_settings(*, chapter: Chapter, changed: dict[str, Any], by: Any) -> None:
    chapter.save()
    record("chapter.settings_changed", by=by, chapter=chapter, obj=chapter, data=changed)


class LastAdminError(Exception):
    pass


@transaction.atomic
def set_role(*, chapter: Chapter, user: Any, role: str, by: Any) -> ChapterRole:
    """Give a user a role in the chapter, or change it; a chapter always keeps an admin."""
    chapter_role, created = ChapterRole.objects.get_or_create(
        chapter=chapter, user=user, defaults={"role": role}
    )
    old = None if created else chapter_role.role
    if old == role:
        return chapter_role
    if old == Role.ADMIN:
        # Lock the admins' rows so two demotions at once cannot both pass this check.
        admins = list(
            ChapterRole.objects.select_for_update().filter(chapter=chapter, role=Role.ADMIN)
        )
        if len(admins) <= 1:
            raise LastAdminError(
                "A chapter needs at least one admin: make someone else admin first."
            )
    if not created:
        chapter_role.role = role
        chapter_role.save(update_fields=["role"])
    record(
        "chapter.role_set",
        by=by,
        chapter=chapter,
        obj=user,
        data={"role": role, "previous": old},
    )
    return chapter_role


def add_person(*, chapter: Chapter, email: str, name: str, role: str, by: Any) -> ChapterRole:
    """Give someone a role in the chapter, creating their account (and inviting them) if new."""
    User = get_user_model()
    email = email.strip().lower()
    with transaction.atomic():
        user, created = User.objects.get_or_create(email=email, defaults={"name": name})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        chapter_role = set_role(chapter=chapter, user=user, role=role, by=by)
    ctx = {
        "chapter": chapter,
        "user": user,
        "role": chapter_role.get_role_display(),
        "invited_by": by,
        "new_account": created,
        "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    if created:
        ctx["set_password_url"] = settings.SITE_URL + reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    emails.send("invite", user.email, ctx)
    return chapter_role


# --- roster import ------------------------------------------------------------------------


def start_import(
    *,
    chapter: Chapter,
    upload: Any,
    encoding: str,
    fmt: str,
    full_snapshot: bool,
    by: Any,
) -> RosterImport:
    """Store the upload and read its header. Raises RosterFileError (and keeps nothing) when
    the file cannot be a roster; otherwise returns the import, queued or waiting for mapping."""
    headers = roster.read_headers(upload, encoding)
    detected = roster.detect_format(headers)
    fmt = fmt or detected
    if fmt != RosterFormat.GENERIC:
        roster.build_layout(fmt, headers)  # raises for missing required columns
    with transaction.atomic():
        job = RosterImport(
            chapter=chapter,
            uploaded_by=by,
            original_name=str(getattr(upload, "name", "roster.csv"))[-255:],
            file_size=getattr(upload, "size", 0) or 0,
            encoding=encoding,
            format=fmt,
            headers=headers,
            full_snapshot=full_snapshot,
            status=ImportStatus.NEEDS_MAPPING
            if fmt == RosterFormat.GENERIC
            else ImportStatus.QUEUED,
        )
        job.file.save("roster.csv", upload, save=False)
        job.save()
        record(
            "roster.import_uploaded",
            by=by,
            chapter=chapter,
            obj=job,
            data={"file": job.original_name, "format": fmt, "bytes": job.file_size},
        )
        if job.status == ImportStatus.QUEUED:
            _enqueue(job)
    return job


def set_mapping(
    *, job: RosterImport, mapping: dict[str, str], default_status: str, by: Any
) -> None:
    """Save a generic CSV's column choices and queue the import. Raises RosterFileError."""
    roster.build_layout(job.format, job.headers, mapping, default_status)
    with transaction.atomic():
        job.mapping = {k: v for k, v in mapping.items() if v}
        job.default_status = default_status
        job.status = ImportStatus.QUEUED
        job.save(update_fields=["mapping", "default_status", "status"])
        record("roster.import_mapped", by=by, chapter=job.chapter, obj=job, data=job.mapping)
        _enqueue(job)


def cancel_import(*, job: RosterImport, by: Any) -> None:
    with transaction.atomic():
        _finish(
            job,
            ImportStatus.FAILED,
            errors=[{"row": 0, "column": "", "message": "Cancelled before it ran."}],
        )
        record("roster.import_cancelled", by=by, chapter=job.chapter, obj=job)


def _enqueue(job: RosterImport) -> None:
    from pledgewatch.chapters.tasks import run_roster_import

    transaction.on_commit(lambda: run_roster_import.enqueue(job.pk))


def _count_rows(stream: IO[bytes]) -> int:
    """A quick estimate for the progress bar: lines after the header."""
    lines = sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))
    stream.seek(0)
    return max(lines - 1, 1)


def _finish(
    job: RosterImport, status: str, errors: list[dict] | None = None, error_count: int = 0
) -> None:
    job.status = status
    job.finished_at = timezone.now()
    if errors is not None:
        job.errors = errors[: roster.MAX_STORED_ERRORS]
        job.error_count = error_count or len(errors)
    job.save()
    # The file holds members' private details: it is not kept once the import has run.
    if job.file:
        job.file.delete(save=False)
        RosterImport.objects.filter(pk=job.pk).update(file="")


def run_import(job_id: int) -> RosterImport:
    """Check every row, then save all of them in one transaction, or nothing at all."""
    # Claim the job atomically: a worker and an inline run never both import the same file.
    claimed = RosterImport.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    job = RosterImport.objects.select_related("chapter", "uploaded_by").get(pk=job_id)
    if not claimed:
        return job  # already run, running, or cancelled
    try:
        layout = roster.build_layout(job.format, job.headers, job.mapping, job.default_status)
        with job.file.open("rb") as stream:
            job.rows_total = _count_rows(stream)
            job.save(update_fields=["rows_total"])
            errors, error_count, rows = _check(job, stream, layout)
            if rows == 0 and not error_count:
                message = "The file has a header row but no members under it."
                errors, error_count = [{"row": 2, "column": "", "message": message}], 1
            if error_count:
                _fail(job, errors, error_count, {"errors": error_count})
                return job
            job.status = ImportStatus.SAVING
            job.rows_total = job.rows_processed = rows
            job.save(update_fields=["status", "rows_total", "rows_processed"])
            stream.seek(0)
            with transaction.atomic():
                _save(job, stream, layout)
                _finish(job, ImportStatus.SUCCEEDED, [])
                counts = {k: getattr(job, k) for k in ("added", "changed", "lapsed", "unchanged")}
                record("roster.import_succeeded", by=job.uploaded_by, chapter=job.chapter,
                       obj=job, data=counts)  # fmt: skip
    except roster.RosterFileError as exc:
        _fail(job, [exc.as_dict()], 1, {"error": str(exc)})
    except Exception:
        log.exception("roster import %s failed", job.pk)
        message = (
            "Something went wrong on our side while importing; nothing was changed. "
            "The error has been logged for the site's maintainers."
        )
        _fail(job, [{"row": 0, "column": "", "message": message}], 1, {"error": "internal"})
    return job


def _fail(job: RosterImport, errors: list[dict], error_count: int, data: dict) -> None:
    # After a rollback the counts in memory describe work that did not happen.
    job.added = job.changed = job.unchanged = job.lapsed = 0
    _finish(job, ImportStatus.FAILED, errors, error_count)
    record("roster.import_failed", by=job.uploaded_by, chapter=job.chapter, obj=job, data=data)


def _check(job: RosterImport, stream: IO[bytes], layout: roster.Layout):
    """First pass: every row's errors, duplicate ids/emails; no writes but progress."""
    errors: list[dict] = []
    error_count = 0
    seen_ids: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    rows = 0
    for row_number, rec, row_errors in roster.iter_rows(stream, layout, job.encoding):
        rows += 1
        if rec is not None:
            ext = rec["external_id"]
            if ext:
                if ext in seen_ids:
                    row_errors.append(
                        roster.RowError(
                            row_number,
                            layout.header_of("external_id"),
                            f"id {ext} is also on row {seen_ids[ext]}: a member must appear once",
                        )
                    )
                seen_ids.setdefault(ext, row_number)
            else:
                email = rec["email"]
                if email in seen_emails:
                    row_errors.append(
                        roster.RowError(
                            row_number,
                            layout.header_of("email"),
                            f"{email} is also on row {seen_emails[email]}; neither row has an id",
                        )
                    )
                seen_emails.setdefault(email, row_number)
        error_count += len(row_errors)
        if len(errors) < roster.MAX_STORED_ERRORS:
            errors.extend(e.as_dict() for e in row_errors)
        if rows % PROGRESS_EVERY == 0:
            RosterImport.objects.filter(pk=job.pk).update(rows_processed=rows)
    return errors, error_count, rows


def _save(job: RosterImport, stream: IO[bytes], layout: roster.Layout) -> None:
    """Second pass, inside one transaction: upsert every row, then lapse the absent."""
    chapter = job.chapter
    seen: set[int] = set()
    batch: list[dict[str, Any]] = []
    for _row, rec, _errors in roster.iter_rows(stream, layout, job.encoding):
        if rec is None:  # cannot happen after a clean check; never write a half-read row
            raise roster.RosterFileError("The file changed while it was being imported.")
        batch.append(rec)
        if len(batch) >= BATCH:
            _save_batch(job, chapter, batch, seen)
            batch = []
    if batch:
        _save_batch(job, chapter, batch, seen)
    if job.full_snapshot:
        _lapse_absent(job, chapter, seen)


FIELDS = Member.IMPORTED_FIELDS


def _save_batch(
    job: RosterImport, chapter: Chapter, batch: list[dict[str, Any]], seen: set[int]
) -> None:
    now = timezone.now()
    ids = [r["external_id"] for r in batch if r["external_id"]]
    by_id = {m.external_id: m for m in Member.objects.filter(chapter=chapter, external_id__in=ids)}
    emails = [r["email"] for r in batch if r["external_id"] not in by_id]
    by_email: dict[str, Member] = {}
    for m in Member.objects.filter(chapter=chapter, email__in=emails).order_by("pk"):
        if m.pk not in seen:
            by_email.setdefault(m.email, m)

    new: list[Member] = []
    changed: list[tuple[Member, dict[str, list[Any]]]] = []
    for rec in batch:
        member = by_id.get(rec["external_id"]) if rec["external_id"] else None
        if member is None:
            candidate = by_email.get(rec["email"])
            # Email matches only where an export id cannot contradict it.
            if candidate is not None and (not candidate.external_id or not rec["external_id"]):
                member = by_email.pop(rec["email"])
        if member is None:
            new.append(Member(chapter=chapter, **rec))
            continue
        seen.add(member.pk)
        diff: dict[str, list[Any]] = {}
        for name in FIELDS:
            value = rec[name]
            if name == "external_id" and not value:
                continue  # a file without ids never erases one
            if getattr(member, name) != value:
                diff[name] = [_jsonable(getattr(member, name)), _jsonable(value)]
                setattr(member, name, value)
        if not member.on_latest_roster:
            diff["on_latest_roster"] = [False, True]
            member.on_latest_roster = True
        if diff:
            member.updated_at = now
            changed.append((member, diff))
        else:
            job.unchanged += 1

    if new:
        Member.objects.bulk_create(new)
        seen.update(m.pk for m in new)
        MemberChange.objects.bulk_create(
            MemberChange(member=m, roster_import=job, kind=ChangeKind.ADDED) for m in new
        )
        job.added += len(new)
    if changed:
        Member.objects.bulk_update(
            [m for m, _ in changed], [*FIELDS, "on_latest_roster", "updated_at"]
        )
        MemberChange.objects.bulk_create(
            MemberChange(
                member=m,
                roster_import=job,
                kind=ChangeKind.LAPSED
                if d.get("status", [None, None])[1] == MemberStatus.LAPSED
                else ChangeKind.CHANGED,
                fields=d,
            )
            for m, d in changed
        )
        for _m, d in changed:
            if d.get("status", [None, None])[1] == MemberStatus.LAPSED:
                job.lapsed += 1
            else:
                job.changed += 1


def _lapse_absent(job: RosterImport, chapter: Chapter, seen: set[int]) -> None:
    """A full export lists every member: whoever it leaves out is no longer a member."""
    absent = [
        (pk, status)
        for pk, status in Member.objects.filter(chapter=chapter, on_latest_roster=True)
        .values_list("pk", "status")
        .iterator(chunk_size=5000)
        if pk not in seen
    ]
    for start in range(0, len(absent), BATCH):
        chunk = absent[start : start + BATCH]
        pks = [pk for pk, _ in chunk]
        Member.objects.filter(pk__in=pks).update(
            status=MemberStatus.LAPSED, on_latest_roster=False, updated_at=timezone.now()
        )
        MemberChange.objects.bulk_create(
            MemberChange(
                member_id=pk,
                roster_import=job,
                kind=ChangeKind.LAPSED,
                fields={"status": [status, MemberStatus.LAPSED], "on_latest_roster": [True, False]},
            )
            for pk, status in chunk
        )
        job.lapsed += len(chunk)


def _jsonable(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value
