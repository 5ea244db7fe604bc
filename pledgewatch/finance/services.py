"""Campaign-finance changes: the chapter's policy, imports, the screen and reviews.

Atomic, audited, keyword-only, with by=. The engine (importers, matching, screening) is plain
Python; this module stores what it reads and finds. An import either stores and screens
everything it read or changes nothing; the screen can run again at any time (after a policy
edit, or a new import) and keeps every review: findings are matched to the previous screen's by
(contribution, organization, rule), and those that no longer match are withdrawn, not deleted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.text import get_valid_filename

from pledgewatch.candidates.models import Candidate
from pledgewatch.chapters.models import Chapter
from pledgewatch.core.audit import record
from pledgewatch.finance import directory
from pledgewatch.finance.models import (
    FEC_EXTENSIONS,
    TABLE_EXTENSIONS,
    ChapterPolicy,
    ConflictOrganization,
    FinanceImport,
    Finding,
    FindingReview,
    FindingStatus,
    ImportKind,
    ImportStatus,
    NeverFlagEntry,
    ReviewDecision,
    StoredContribution,
    StoredFiling,
)
from pledgewatch.finance.policy import DEFAULT_POLICY_PATH, Policy, normalize
from pledgewatch.finance.records import Contribution, Filing, SourceError
from pledgewatch.finance.screening import screen

log = logging.getLogger(__name__)

CENT = Decimal("0.01")
MAX_STORED_ERRORS = 100
BATCH = 1000
# Sources whose filing ids are FEC file numbers: a file number names one immutable document,
# whichever way it arrived, so a second copy is skipped.
FEC_SOURCES = {"fec", "fec-paper", "openfec"}
TMP_PREFIX = "pledgewatch-import-"
FEC_MAPPING = "fec"  # the upload form's "no mapping: an FEC filing"
CUSTOM_MAPPING = "custom"  # "choose the columns"
AUTO_MAPPING = "auto"  # "detect from the file"


class FinanceError(Exception):
    """Something the user can fix; the message says what."""


# --- the chapter's policy -----------------------------------------------------------------


def default_policy_data() -> dict[str, Any]:
    """The shipped default policy (data/m4a_default_policy.json) as plain data."""
    try:
        return json.loads(Path(DEFAULT_POLICY_PATH).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError("the default conflict policy is missing",
                          path=str(DEFAULT_POLICY_PATH)) from None  # fmt: skip


def get_or_create_policy(chapter: Chapter, *, by: Any = None) -> ChapterPolicy:
    """The chapter's policy; on first use, a copy of the shipped default."""
    existing = ChapterPolicy.objects.filter(chapter=chapter).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _create_policy(chapter, default_policy_data(), by=by)
    except IntegrityError:  # created meanwhile by another request
        return ChapterPolicy.objects.get(chapter=chapter)


def _create_policy(chapter: Chapter, data: dict[str, Any], *, by: Any) -> ChapterPolicy:
    engine = Policy.from_dict(data, origin="the default policy")  # refuses a malformed file
    policy = ChapterPolicy.objects.create(
        chapter=chapter,
        name=engine.name,
        version=engine.version,
        description=engine.description,
        committee_min=engine.thresholds.committee_min,
        individual_over=engine.thresholds.individual_over,
        employee_review_over=engine.thresholds.employee_review_over,
        executive_occupation_pattern=engine.executive_occupation_pattern,
    )
    ConflictOrganization.objects.bulk_create(
        ConflictOrganization(
            policy=policy,
            name=o.name,
            parent=o.parent or "",
            industry=o.industry,
            tier=o.tier,
            aliases=list(o.aliases),
            brands=list(o.brands),
            subsidiaries=list(o.subsidiaries),
            former_names=list(o.former_names),
            fec_committee_ids=[c.upper() for c in o.fec_committee_ids],
            sources=list(o.sources),
            pahcf_member=o.pahcf_member,
        )
        for o in engine.organizations
    )
    NeverFlagEntry.objects.bulk_create(
        NeverFlagEntry(
            policy=policy,
            name=n.name,
            aliases=list(n.aliases),
            fec_committee_ids=[c.upper() for c in n.fec_committee_ids],
            reason=n.reason,
            sources=list(n.sources),
        )
        for n in engine.never_flag
    )
    record(
        "finance.policy_created",
        by=by,
        chapter=chapter,
        obj=policy,
        data={
            "name": policy.name,
            "version": policy.version,
            "organizations": len(engine.organizations),
            "never_flag": len(engine.never_flag),
        },
    )
    return policy


class PolicyError(FinanceError):
    pass


def never_flag_conflicts(policy: ChapterPolicy, committee_ids: Iterable[str]) -> list[str]:
    """Messages for committee ids a never-flag entry (a health-worker union) lists."""
    never = policy.never_flag_ids()
    return [
        f"{cid} belongs to {never[cid]}, which this policy never flags: a health-worker union's "
        "money is not a conflict."
        for cid in committee_ids
        if cid.upper() in never
    ]


def organization_conflicts(
    policy: ChapterPolicy, committee_ids: Iterable[str], *, exclude_org: int | None = None
) -> list[str]:
    """Messages for committee ids an organization lists as its PAC (for a never-flag entry)."""
    listed = policy.organization_ids(exclude=exclude_org)
    return [
        f"{cid} is listed as a PAC of {listed[cid]}: remove it there first."
        for cid in committee_ids
        if cid.upper() in listed
    ]


def _state(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: _jsonable(getattr(obj, name)) for name in fields}


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value.quantize(CENT))  # "200" from a form and "200.00" from the database
    if isinstance(value, list):
        return list(value)
    return value


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    changed = [k for k in after if before.get(k) != after[k]]
    return {
        "before": {k: before.get(k) for k in changed},
        "after": {k: after[k] for k in changed},
    }


POLICY_FIELDS = (
    "name", "version", "description", "committee_min", "individual_over",
    "employee_review_over", "executive_occupation_pattern",
)  # fmt: skip


@transaction.atomic
def update_policy(*, policy: ChapterPolicy, values: dict[str, Any], by: Any) -> None:
    """Change the policy's name, thresholds or executive pattern; every candidate is screened
    again."""
    before = _state(ChapterPolicy.objects.get(pk=policy.pk), POLICY_FIELDS)
    for name, value in values.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    diff = _changes(before, _state(policy, POLICY_FIELDS))
    if diff["after"]:
        record("finance.policy_changed", by=by, chapter=policy.chapter, obj=policy, data=diff)
        rescreen_chapter_on_commit(policy.chapter)


@transaction.atomic
def add_organization(
    *, policy: ChapterPolicy, values: dict[str, Any], by: Any
) -> ConflictOrganization:
    _refuse_never_flag_ids(policy, values.get("fec_committee_ids", []))
    org = ConflictOrganization(policy=policy, **values)
    org.full_clean()
    org.save()
    record(
        "finance.organization_added",
        by=by,
        chapter=policy.chapter,
        obj=org,
        data={"before": None, "after": _state(org, ConflictOrganization.AUDITED)},
    )
    rescreen_chapter_on_commit(policy.chapter)
    return org


@transaction.atomic
def update_organization(
    *, organization: ConflictOrganization, values: dict[str, Any], by: Any
) -> None:
    policy = organization.policy
    _refuse_never_flag_ids(policy, values.get("fec_committee_ids", []))
    # From the database: a ModelForm has already written the new values onto the instance.
    before = _state(
        ConflictOrganization.objects.get(pk=organization.pk), ConflictOrganization.AUDITED
    )
    for name, value in values.items():
        setattr(organization, name, value)
    organization.full_clean()
    organization.save()
    diff = _changes(before, _state(organization, ConflictOrganization.AUDITED))
    if diff["after"]:
        record("finance.organization_changed", by=by, chapter=policy.chapter, obj=organization,
               data=diff)  # fmt: skip
        rescreen_chapter_on_commit(policy.chapter)


def add_alias(*, organization: ConflictOrganization, alias: str, by: Any) -> None:
    """Add one spelling (from the alias proposals) to an organization's aliases."""
    alias = " ".join(alias.split())
    if not normalize(alias):
        raise PolicyError("An alias needs letters or digits.")
    engine = organization.policy.to_engine()
    if engine.is_never_flagged(alias):
        raise PolicyError(f"“{alias}” names an organization this policy never flags.")
    if normalize(alias) in {normalize(a) for a in [organization.name, *organization.aliases]}:
        raise PolicyError(f"“{alias}” is already a name of {organization.name}.")
    update_organization(
        organization=organization, values={"aliases": [*organization.aliases, alias]}, by=by
    )


def _refuse_never_flag_ids(policy: ChapterPolicy, committee_ids: Iterable[str]) -> None:
    problems = never_flag_conflicts(policy, committee_ids)
    if problems:
        raise PolicyError(" ".join(problems))


@transaction.atomic
def add_never_flag(*, policy: ChapterPolicy, values: dict[str, Any], by: Any) -> NeverFlagEntry:
    problems = organization_conflicts(policy, values.get("fec_committee_ids", []))
    if problems:
        raise PolicyError(" ".join(problems))
    entry = NeverFlagEntry(policy=policy, **values)
    entry.full_clean()
    entry.save()
    record(
        "finance.never_flag_added",
        by=by,
        chapter=policy.chapter,
        obj=entry,
        data={"before": None, "after": _state(entry, NeverFlagEntry.AUDITED)},
    )
    rescreen_chapter_on_commit(policy.chapter)
    return entry


@transaction.atomic
def update_never_flag(*, entry: NeverFlagEntry, values: dict[str, Any], by: Any) -> None:
    policy = entry.policy
    problems = organization_conflicts(policy, values.get("fec_committee_ids", []))
    if problems:
        raise PolicyError(" ".join(problems))
    before = _state(NeverFlagEntry.objects.get(pk=entry.pk), NeverFlagEntry.AUDITED)
    for name, value in values.items():
        setattr(entry, name, value)
    entry.full_clean()
    entry.save()
    diff = _changes(before, _state(entry, NeverFlagEntry.AUDITED))
    if diff["after"]:
        record("finance.never_flag_changed", by=by, chapter=policy.chapter, obj=entry, data=diff)
        rescreen_chapter_on_commit(policy.chapter)


def rescreen_chapter_on_commit(chapter: Chapter) -> None:
    from pledgewatch.finance.tasks import rescreen_chapter

    transaction.on_commit(lambda: rescreen_chapter.enqueue(chapter.pk))


def rescreen_chapter(chapter_id: int) -> int:
    """Screen again every candidate of the chapter that has imported filings."""
    candidates = Candidate.objects.filter(chapter_id=chapter_id, filings__isnull=False).distinct()
    n = 0
    for candidate in candidates:
        rescreen(candidate)
        n += 1
    return n


def rescreen_everyone() -> int:
    """Screen again every candidate with imported filings, in every chapter (after the shared
    committee directory changed: `pledgewatch load-committees --rescreen`)."""
    n = 0
    for candidate in Candidate.objects.filter(filings__isnull=False).distinct().order_by("pk"):
        rescreen(candidate)
        n += 1
    return n


# --- the screen ---------------------------------------------------------------------------


@dataclass
class RescreenResult:
    contributions: int
    findings: int
    new: int
    updated: int
    withdrawn: int
    reinstated: int
    carried_over: int = 0  # new findings that took the review of the report they replace

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT)


@transaction.atomic
def rescreen(candidate: Candidate, *, by: Any = None) -> RescreenResult:
    """Screen the candidate's current filings against the chapter's policy and bring the
    findings up to date: new matches are added, changed ones updated (their status kept), and
    findings that no longer match are withdrawn; a withdrawn finding that matches again gets
    back the status of its last review."""
    # One screen at a time per candidate: two would both create the same new findings.
    candidate = Candidate.objects.select_for_update().select_related("chapter").get(pk=candidate.pk)
    policy_row = get_or_create_policy(candidate.chapter)
    policy = policy_row.to_engine()
    rows = list(
        StoredContribution.objects.filter(
            stored_filing__candidate=candidate, stored_filing__superseded_by__isnull=True
        ).order_by("pk")
    )
    contributions = [r.to_engine() for r in rows]
    owner = {id(c): r for c, r in zip(contributions, rows, strict=True)}
    # The donor committees' connected organizations (rule 2), from the shared directory.
    result = screen(contributions, policy, committees=directory.for_candidate(candidate))

    existing = {(f.contribution_id, f.entity_name, f.rule): f for f in candidate.findings.all()}
    last_review = dict(
        FindingReview.objects.filter(finding__candidate=candidate)
        .filter(
            pk=Subquery(
                FindingReview.objects.filter(finding=OuterRef("finding"))
                .order_by("-at", "-id")
                .values("pk")[:1]
            )
        )
        .values_list("finding_id", "status")
    )
    now = timezone.now()
    seen: set[tuple] = set()
    new: list[Finding] = []
    changed: list[Finding] = []
    reinstated = 0
    for ef in result.findings:
        row = owner[id(ef.contribution)]
        org = ef.match.organization
        key = (row.pk, org.name[:200], ef.match.rule)
        if key in seen:
            continue
        seen.add(key)
        values = {
            "tier": ef.match.tier,
            "industry": (org.industry or "")[:60],
            "matched": ef.match.matched[:200],
            "amount": _money(ef.contribution.amount),
            "net_amount": _money(ef.net_amount),
            "refunded": _money(ef.refunded),
            "donor_total": _money(ef.donor_total),
            "cycle": ef.cycle,
            "counted": ef.counted,
            "explanation": ef.explanation,
        }
        finding = existing.get(key)
        if finding is None:
            new.append(
                Finding(
                    candidate=candidate,
                    contribution=row,
                    entity_name=key[1],
                    rule=key[2],
                    status=FindingStatus.OPEN,
                    **values,
                )
            )
            continue
        dirty = any(getattr(finding, k) != v for k, v in values.items())
        if finding.status == FindingStatus.WITHDRAWN:
            finding.status = last_review.get(finding.pk, FindingStatus.OPEN)
            reinstated += 1
            dirty = True
        if dirty:
            for k, v in values.items():
                setattr(finding, k, v)
            finding.updated_at = now
            changed.append(finding)
    withdrawn = 0
    for key, finding in existing.items():
        if key not in seen and finding.status != FindingStatus.WITHDRAWN:
            finding.status = FindingStatus.WITHDRAWN
            finding.updated_at = now
            changed.append(finding)
            withdrawn += 1
    carried = _carry_reviews(candidate, new)
    Finding.objects.bulk_create(new, batch_size=BATCH)
    for review in carried:
        review.finding_id = review.finding.pk  # set by bulk_create
    FindingReview.objects.bulk_create(carried, batch_size=BATCH)
    Finding.objects.bulk_update(
        changed,
        ["tier", "industry", "matched", "amount", "net_amount", "refunded", "donor_total",
         "cycle", "counted", "explanation", "status", "updated_at"],
        batch_size=BATCH,
    )  # fmt: skip
    outcome = RescreenResult(
        contributions=len(rows),
        findings=len(result.findings),
        new=len(new),
        updated=len(changed) - withdrawn,
        withdrawn=withdrawn,
        reinstated=reinstated,
        carried_over=len(carried),
    )
    record(
        "finance.rescreened",
        by=by,
        chapter=candidate.chapter,
        obj=candidate,
        data={"policy": policy_row.name, "version": policy_row.version, **outcome.as_dict()},
    )
    if carried:
        record(
            "finance.reviews_carried_over",
            by=None,
            chapter=candidate.chapter,
            obj=candidate,
            data={
                "reviews": [
                    {"from_finding": r.carried_from.finding_id, "to_finding": r.finding_id,
                     "status": r.status}
                    for r in carried[:MAX_STORED_ERRORS]
                ],
                "count": len(carried),
            },
        )  # fmt: skip
    return outcome


# Decisions an amendment's finding takes over from the finding it replaces ("reopen" is not).
CARRIED_DECISIONS = (ReviewDecision.CONFIRMED, ReviewDecision.DISMISSED)


def _carry_reviews(candidate: Candidate, new: list[Finding]) -> list[FindingReview]:
    """Reviews for new findings on a filing that replaced another (an amendment, or a corrected
    spreadsheet): when the replaced filing had a finding for the same receipt (recipient
    committee and transaction id) and the same organization whose last review confirmed or
    dismissed it, the new finding takes that status, with a review that says where it came from
    (by Pledgewatch, not a person). Sets the new findings' status; returns the unsaved
    reviews."""
    filings = {f.contribution.stored_filing_id for f in new if f.contribution.transaction_id}
    if not filings:
        return []
    last = FindingReview.objects.filter(finding=OuterRef("finding")).order_by("-at", "-id")
    decisions = (
        FindingReview.objects.filter(
            finding__candidate=candidate,
            finding__contribution__stored_filing__superseded_by__in=filings,
            pk=Subquery(last.values("pk")[:1]),
            status__in=CARRIED_DECISIONS,
        )
        .exclude(finding__contribution__transaction_id="")
        .select_related("by", "finding__contribution__stored_filing__superseded_by")
        .order_by("at", "id")  # the latest decision of a receipt and organization wins
    )

    def key(filing_id: int, contribution: StoredContribution, entity: str) -> tuple:
        return (filing_id, contribution.recipient_committee_id.strip().upper(),
                contribution.transaction_id, entity)  # fmt: skip

    earlier: dict[tuple, FindingReview] = {}
    for review in decisions:
        old = review.finding
        filing = old.contribution.stored_filing
        earlier[key(filing.superseded_by_id, old.contribution, old.entity_name)] = review
    carried = []
    now = timezone.now()
    for finding in new:
        row = finding.contribution
        review = earlier.get(key(row.stored_filing_id, row, finding.entity_name))
        if review is None or not row.transaction_id:
            continue
        old_filing = review.finding.contribution.stored_filing
        finding.status = review.status
        carried.append(
            FindingReview(
                finding=finding,
                status=review.status,
                reason=(
                    f"Carried over from filing {old_filing.filing_id}, which filing "
                    f"{old_filing.superseded_by.filing_id} replaces: the same receipt "
                    f"(transaction {row.transaction_id}) was {review.status} there by "
                    f"{review.reviewer} on {timezone.localdate(review.at):%Y-%m-%d}: "
                    f"{review.reason}"
                ),
                by=None,
                carried_from=review,
                at=now,
            )
        )
    return carried


def queue_rescreen(*, candidate: Candidate, by: Any) -> None:
    """Screen the candidate again in the background (the "screen again" button)."""
    from pledgewatch.finance.tasks import rescreen_candidate

    user_id = by.pk if getattr(by, "is_authenticated", False) else None
    transaction.on_commit(lambda: rescreen_candidate.enqueue(candidate.pk, user_id))


@transaction.atomic
def review_finding(*, finding: Finding, status: str, reason: str, by: Any) -> FindingReview:
    """Confirm, dismiss or reopen a finding; a reason is always required."""
    reason = reason.strip()
    if status not in ReviewDecision.values:
        raise FinanceError("Choose confirm, dismiss or reopen.")
    if not reason:
        raise FinanceError("Give the reason for this decision: it is kept with the finding.")
    finding = (
        Finding.objects.select_for_update().select_related("candidate__chapter").get(pk=finding.pk)
    )
    if finding.status == FindingStatus.WITHDRAWN:
        raise FinanceError(
            "This finding no longer matches the policy (it was withdrawn by a later screen), "
            "so it cannot be reviewed."
        )
    review = FindingReview.objects.create(finding=finding, status=status, reason=reason, by=by)
    before = finding.status
    finding.status = status
    finding.save(update_fields=["status", "updated_at"])
    record(
        "finance.finding_reviewed",
        by=by,
        chapter=finding.candidate.chapter,
        obj=finding,
        data={"before": {"status": before}, "after": {"status": status}, "reason": reason},
    )
    return review


# --- imports ------------------------------------------------------------------------------


def _extension(name: str) -> str:
    return Path(name).suffix.lower()


def start_upload_import(
    *, candidate: Candidate, upload: Any, mapping: str | dict | None, by: Any, sheet: str = ""
) -> FinanceImport:
    """Store an uploaded filing or spreadsheet and queue its import (or, for a spreadsheet that
    matches no preset, wait for its columns). Raises FinanceError and keeps nothing when the
    file cannot be one."""
    name = Path(str(getattr(upload, "name", "") or "upload")).name
    ext = _extension(name)
    if ext not in FEC_EXTENSIONS | TABLE_EXTENSIONS:
        raise FinanceError(
            f"“{name}” is not a file we can read: upload an FEC filing (.fec, or a .zip of "
            ".fec files) or a spreadsheet (.csv, .tsv, .txt or .xlsx)."
        )
    if mapping in (None, "", AUTO_MAPPING):
        mapping = FEC_MAPPING if ext in FEC_EXTENSIONS else AUTO_MAPPING
    if ext in FEC_EXTENSIONS and mapping != FEC_MAPPING:
        raise FinanceError(
            f"“{name}” is an FEC filing, which needs no column mapping: choose "
            "“FEC .fec/.zip (no mapping)”."
        )
    if ext in TABLE_EXTENSIONS and mapping == FEC_MAPPING:
        raise FinanceError(
            f"“{name}” is a spreadsheet, not an FEC filing: choose its layout, or "
            "“Detect from the file”."
        )
    job = FinanceImport(
        candidate=candidate,
        uploaded_by=by,
        kind=ImportKind.UPLOAD,
        original_name=name[-255:],
        file_size=getattr(upload, "size", 0) or 0,
        mapping=None if mapping == FEC_MAPPING else mapping,
        sheet=sheet,
        status=ImportStatus.QUEUED,
    )
    job.file.save(name, upload, save=False)
    try:
        if ext in TABLE_EXTENSIONS:
            _prepare_table(job)
        with transaction.atomic():
            job.save()
            record(
                "finance.import_uploaded",
                by=by,
                chapter=candidate.chapter,
                obj=job,
                data={"candidate": candidate.pk, "file": name, "bytes": job.file_size,
                      "mapping": job.mapping},
            )  # fmt: skip
            if job.status == ImportStatus.QUEUED:
                _enqueue(job)
    except BaseException:
        job.file.delete(save=False)
        raise
    return job


def _prepare_table(job: FinanceImport) -> None:
    """Read a spreadsheet's header row: check the chosen layout against it (or find one), or
    wait for the user to choose the columns."""
    from pledgewatch.finance.importers import tabular

    try:
        with _named_copy(job) as path:
            headers = [str(h) for h in tabular.headers(path, sheet=job.sheet or None)]
    except SourceError as exc:
        raise FinanceError(_message(exc)) from None
    job.headers = headers
    if job.mapping == AUTO_MAPPING:
        job.mapping = tabular.detect_preset(headers) or CUSTOM_MAPPING
    if job.mapping == CUSTOM_MAPPING:
        job.mapping = None
        job.status = ImportStatus.NEEDS_MAPPING
        return
    if job.mapping not in tabular.PRESETS:
        raise FinanceError(f"“{job.mapping}” is not a layout we know.")
    try:
        job.notes = tabular.mapping_warnings(headers, job.mapping)
    except SourceError as exc:
        label = tabular.PRESETS[job.mapping].get("label", job.mapping)
        raise FinanceError(
            f"This file does not look like a {label}: {_message(exc)} Choose another kind of "
            "file, or “Other spreadsheet” to choose the columns yourself."
        ) from None
    job.committee_id = _receiving_committee(job.candidate, job.mapping)


def _receiving_committee(candidate: Candidate, preset: str | None) -> str:
    """The committee whose receipts a spreadsheet holds, for layouts that do not say
    (CAL-ACCESS, a campaign's sheet without a committee column): the candidate's committee with
    that body, or their only committee."""
    jurisdiction = {"nyc-cfb": "nyc-cfb", "cal-access": "cal-access", "nys-boe": "nys-boe"}
    committees = list(candidate.committees.all())
    matching = [c for c in committees if c.jurisdiction == jurisdiction.get(preset or "")]
    if len(matching) == 1:
        return matching[0].committee_id
    return committees[0].committee_id if len(committees) == 1 else ""


# A required detail another column can stand in for: a file that splits names has a last name.
MAPPING_ALTERNATIVES: dict[str, tuple[str, ...]] = {"contributor_name": ("last_name",)}


def mapping_fields() -> tuple[dict[str, str], set[str], dict[str, tuple[str, ...]]]:
    """The details a spreadsheet's columns can hold (field -> label), the required ones, and
    for a required one the columns that may stand in for it."""
    from pledgewatch.finance.importers import tabular

    return dict(tabular.FIELDS), {"amount", "contributor_name"}, dict(MAPPING_ALTERNATIVES)


def check_mapping(*, job: FinanceImport, mapping: dict[str, str]) -> list[str]:
    """Raises FinanceError when the chosen columns cannot be imported; returns warnings
    (what the screen will miss)."""
    from pledgewatch.finance.importers import tabular

    fields, required, alternatives = mapping_fields()
    for field in sorted(required):
        if not any(mapping.get(f) for f in (field, *alternatives.get(field, ()))):
            if field == "contributor_name":
                raise FinanceError(
                    "Choose the column with the contributor's name (or the first- and "
                    "last-name columns): the screen matches names."
                )
            raise FinanceError(f"Choose the column with the {fields[field].lower()}.")
    try:
        return tabular.mapping_warnings(job.headers, mapping)
    except SourceError as exc:
        raise FinanceError(_message(exc)) from None


def set_mapping(*, job: FinanceImport, mapping: dict[str, str], by: Any) -> None:
    """Save a spreadsheet's column choices and queue the import. Raises FinanceError."""
    notes = check_mapping(job=job, mapping=mapping)
    with transaction.atomic():
        job.mapping = {k: v for k, v in mapping.items() if v}
        job.notes = notes
        job.committee_id = (
            "" if mapping.get("committee_id") else _receiving_committee(job.candidate, None)
        )
        job.status = ImportStatus.QUEUED
        job.save(update_fields=["mapping", "notes", "committee_id", "status"])
        record("finance.import_mapped", by=by, chapter=job.candidate.chapter, obj=job,
               data=job.mapping)  # fmt: skip
        _enqueue(job)


def cancel_import(*, job: FinanceImport, by: Any) -> None:
    with transaction.atomic():
        _finish(
            job,
            ImportStatus.FAILED,
            [{"file": job.original_name, "line": 0, "message": "Cancelled before it ran."}],
        )
        record("finance.import_cancelled", by=by, chapter=job.candidate.chapter, obj=job)


def start_api_import(
    *, candidate: Candidate, committee_id: str, cycle: int | None, by: Any
) -> FinanceImport:
    """Queue a fetch of a committee's itemized receipts from the FEC's API (OpenFEC)."""
    if not settings.OPENFEC_API_KEY:
        raise FinanceError(
            "Fetching from the FEC API needs an API key, and this site has none: ask its "
            "maintainer to set OPENFEC_API_KEY (free at https://api.data.gov/signup/). "
            "Meanwhile, download the filing from fec.gov and upload it here."
        )
    with transaction.atomic():
        job = FinanceImport.objects.create(
            candidate=candidate,
            uploaded_by=by,
            kind=ImportKind.OPENFEC,
            original_name=f"FEC API: {committee_id}" + (f", {cycle} cycle" if cycle else ""),
            committee_id=committee_id,
            cycle=cycle,
            status=ImportStatus.QUEUED,
        )
        record(
            "finance.import_requested",
            by=by,
            chapter=candidate.chapter,
            obj=job,
            data={"candidate": candidate.pk, "committee_id": committee_id, "cycle": cycle},
        )
        _enqueue(job)
    return job


def _enqueue(job: FinanceImport) -> None:
    from pledgewatch.finance.tasks import run_finance_import

    transaction.on_commit(lambda: run_finance_import.enqueue(job.pk))


def run_import(import_id: int) -> FinanceImport:
    """Read the file (or the API), store its filings and contributions, apply amendments and
    screen the candidate again: all in one transaction, or nothing."""
    claimed = FinanceImport.objects.filter(pk=import_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    job = FinanceImport.objects.select_related("candidate__chapter", "uploaded_by").get(
        pk=import_id
    )
    if not claimed:
        return job  # already run, running, or cancelled
    try:
        filings = _read(job)
        _check_filers(job, filings)
        committees = _api_committees(job, filings)
        job.status = ImportStatus.SAVING
        job.rows_total = job.rows_processed = sum(len(f.contributions) for f in filings)
        job.save(update_fields=["status", "rows_total", "rows_processed"])
        with transaction.atomic():
            _store(job, filings)
            if committees:
                directory.save_committees(committees, source=directory.API_SOURCE)
            job.filings_superseded += apply_amendments(job.candidate)
            outcome = rescreen(job.candidate, by=job.uploaded_by)
            job.findings_open = job.candidate.findings.filter(status=FindingStatus.OPEN).count()
            _finish(job, ImportStatus.SUCCEEDED, [])
            record(
                "finance.import_succeeded",
                by=job.uploaded_by,
                chapter=job.candidate.chapter,
                obj=job,
                data={
                    "filings_added": job.filings_added,
                    "filings_skipped": job.filings_skipped,
                    "filings_superseded": job.filings_superseded,
                    "contributions_added": job.contributions_added,
                    "new_findings": outcome.new,
                },
            )
    except (SourceError, FinanceError) as exc:
        row = _error_row(job, exc)
        _fail(job, [row], {"error": row["message"], "file": row["file"], "line": row["line"]})
    except Exception:
        log.exception("finance import %s failed", job.pk)
        message = (
            "Something went wrong on our side while importing; nothing was changed. "
            "The error has been logged for the site's maintainers."
        )
        row = {"file": job.original_name, "line": 0, "message": message}
        _fail(job, [row], {"error": "internal"})
    return job


def _check_filers(job: FinanceImport, filings: list[Filing]) -> None:
    """An uploaded FEC filing must be filed by one of the candidate's committees: otherwise a
    report of an unrelated committee would be counted as the candidate's. Spreadsheets carry no
    filer id and are not checked. Raises FinanceError naming both sides."""
    if job.kind != ImportKind.UPLOAD:
        return
    candidate = job.candidate
    own = sorted({c.committee_id.strip().upper() for c in candidate.committees.all()})
    foreign: dict[str, Filing] = {}
    for filing in filings:
        if filing.source not in FEC_SOURCES:
            continue
        filer = filing.committee_id.strip().upper()
        if filer not in own:
            foreign.setdefault(filer, filing)
    if not foreign:
        return
    filer, filing = next(iter(foreign.items()))
    theirs = (
        f"{candidate.name}'s committees ({', '.join(own)})"
        if own
        else f"{candidate.name}'s committees ({candidate.name} has none yet)"
    )
    who = f"committee {filer}" if filer else "a committee it does not name"
    if filer and filing.committee_name:
        who += f" ({filing.committee_name})"
    message = f"Filing {filing.filing_id} was filed by {who}, which is not one of {theirs}. "
    others = [cid or "(no committee id)" for cid in foreign if cid != filer]
    if others:
        message += (
            f"This file also holds filings of {', '.join(others)}, which are not the "
            "candidate's either. "
        )
    if filer:
        message += (
            f"If {filer} raises money for {candidate.name}, add it under “Campaign committees” "
            "on the candidate's page (jurisdiction Federal (FEC)), then upload the file again. "
        )
    else:
        message += "Check that this is the candidate's filing. "
    raise FinanceError(message + "Nothing was imported.")


def _api_committees(job: FinanceImport, filings: list[Filing]) -> list[dict[str, str]]:
    """For a fetch from the FEC's API: what the API says about the donor committees that the
    committee directory does not hold yet (for the connected-organization rule). Best effort:
    a failure is logged, and the screen goes on without them."""
    if job.kind != ImportKind.OPENFEC:
        return []
    ids = {
        c.contributor_fec_id
        for f in filings
        for c in f.contributions
        if c.contributor_fec_id and c.contributor_type != "individual"
    }
    wanted = directory.missing(ids)[: directory.MAX_API_LOOKUPS]
    if not wanted:
        return []
    from pledgewatch.finance.importers.openfec import OpenFEC

    try:
        client = OpenFEC(settings.OPENFEC_API_KEY, base_url=settings.OPENFEC_BASE_URL)
        return client.committees(wanted)
    except SourceError as exc:
        log.warning("OpenFEC committees for import %s not read: %s", job.pk, exc)
        return []


def _message(exc: Exception) -> str:
    """The error without our own folders: the importers read the upload under its own name in
    a temporary folder, so what is left names the user's file."""
    return re.sub(r"/\S*/" + TMP_PREFIX + r"[^/\s]*/", "", str(exc))


def _error_row(job: FinanceImport, exc: Exception) -> dict[str, Any]:
    """{file, line, message} for the import's page: the file (or zip member) and line the
    importer named, and its message without that prefix."""
    path = getattr(exc, "path", "") or ""
    line = getattr(exc, "line", 0) or 0
    text = str(exc)
    prefix = f"{path}, line {line}: " if path and line else (f"{path}: " if path else "")
    if prefix and text.startswith(prefix):
        text = text[len(prefix) :]
    name = _message(Exception(path)).rsplit("/", 1)[-1] if path else ""
    return {"file": name or job.original_name, "line": line, "message": _message(Exception(text))}


def _finish(job: FinanceImport, status: str, errors: list[dict] | None = None) -> None:
    job.status = status
    job.finished_at = timezone.now()
    if errors is not None:
        job.errors = errors[:MAX_STORED_ERRORS]
        job.error_count = len(errors)
    job.save()
    # The file holds donors' names and addresses: it is not kept once the import has run.
    if job.file:
        job.file.delete(save=False)
        FinanceImport.objects.filter(pk=job.pk).update(file="")


def _fail(job: FinanceImport, errors: list[dict], data: dict) -> None:
    # After a rollback the counts in memory describe work that did not happen.
    job.filings_added = job.filings_skipped = job.filings_superseded = 0
    job.contributions_added = job.findings_open = 0
    _finish(job, ImportStatus.FAILED, errors)
    record("finance.import_failed", by=job.uploaded_by, chapter=job.candidate.chapter, obj=job,
           data=data)  # fmt: skip


class _named_copy:
    """The stored upload under its original name (in a private temporary folder): the FEC
    importer reads the file number from the name, and errors then name the user's file."""

    def __init__(self, job: FinanceImport) -> None:
        self.job = job
        self.tmp: str | None = None

    def __enter__(self) -> Path:
        self.tmp = tempfile.mkdtemp(prefix=TMP_PREFIX)
        name = get_valid_filename(self.job.original_name) or "upload"
        target = Path(self.tmp) / name
        source = self.job.file.path
        try:
            os.symlink(source, target)
        except OSError:
            shutil.copyfile(source, target)
        return target

    def __exit__(self, *exc: Any) -> None:
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)


def _read(job: FinanceImport) -> list[Filing]:
    if job.kind == ImportKind.OPENFEC:
        return _read_api(job)
    ext = _extension(job.original_name)
    with _named_copy(job) as path:
        if ext in FEC_EXTENSIONS:
            from pledgewatch.finance.importers import fec

            filings = fec.read_fec(path)
        else:
            from pledgewatch.finance.importers import tabular

            # Never a file path: read_table would take a string that is not a preset for one.
            if not isinstance(job.mapping, dict) and job.mapping not in tabular.PRESETS:
                raise FinanceError("Choose which column holds what before importing.")
            filings = tabular.read_table(
                path, mapping=job.mapping, sheet=job.sheet or None, committee_id=job.committee_id
            )
    if not filings:
        raise FinanceError("The file holds no filing to import.")
    return filings


def _read_api(job: FinanceImport) -> list[Filing]:
    from pledgewatch.finance.importers.openfec import OpenFEC

    client = OpenFEC(settings.OPENFEC_API_KEY, base_url=settings.OPENFEC_BASE_URL)

    def progress(done: int, total: int | None) -> None:
        FinanceImport.objects.filter(pk=job.pk).update(
            rows_processed=done, rows_total=max(total or 0, done)
        )

    by_filing: dict[str, Filing] = {}
    for c in client.schedule_a(job.committee_id, cycle=job.cycle, progress=progress):
        key = c.filing_id or f"openfec-{job.committee_id}"
        filing = by_filing.get(key)
        if filing is None:
            filing = by_filing[key] = Filing(
                source=c.source,
                filing_id=key,
                committee_id=c.recipient_committee_id or job.committee_id,
                amends=c.amends,
                is_amendment=bool(c.amends),
            )
        filing.contributions.append(c)
    if not by_filing:
        raise FinanceError(
            f"The FEC has no itemized receipts for {job.committee_id}"
            + (f" in the {job.cycle} cycle" if job.cycle else "")
            + ": check the committee id and the cycle."
        )
    _describe_api_filings(client, job.committee_id, by_filing)
    return list(by_filing.values())


def _describe_api_filings(client: Any, committee_id: str, filings: dict[str, Filing]) -> None:
    """Report type, coverage and what each filing amends, from the FEC's e-filing list (which
    holds about four months), so amendments replace what they amend. Best effort."""
    try:
        listed = client.new_filings(committee_id)
    except SourceError as exc:
        log.warning("OpenFEC e-filing list for %s not read: %s", committee_id, exc)
        return
    for meta in listed:
        filing = filings.get(meta.get("file_number", ""))
        if filing is None:
            continue
        filing.committee_name = meta.get("committee_name") or ""
        filing.form_type = meta.get("form_type") or ""
        filing.report_code = meta.get("report_type") or ""
        filing.coverage_from = meta.get("coverage_start_date")
        filing.coverage_through = meta.get("coverage_end_date")
        filing.amends = meta.get("amends") or filing.amends
        filing.is_amendment = bool(meta.get("is_amendment")) or bool(filing.amends)


def _fingerprint(filing: Filing) -> str:
    digest = hashlib.sha256()
    for c in sorted(
        filing.contributions,
        key=lambda c: (c.line, c.transaction_id, c.contributor_name, str(c.amount)),
    ):
        row = (c.transaction_id, c.contributor_name, str(c.amount), str(c.date), c.form_type)
        digest.update(json.dumps(row).encode())
    return digest.hexdigest()


def _clip(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    """Cut text to the column's length: a spreadsheet cell can be longer than an FEC field."""
    for name, value in values.items():
        if isinstance(value, str):
            limit = model._meta.get_field(name).max_length
            if limit and len(value) > limit:
                values[name] = value[:limit]
    return values


def _store(job: FinanceImport, filings: list[Filing]) -> None:
    """Store new filings with their contributions. A filing whose FEC file number is already
    stored is skipped (a file number names one document). A spreadsheet or state filing whose
    id is stored with other rows replaces that one (a corrected copy)."""
    candidate = job.candidate
    stored = list(candidate.filings.all())
    fec_numbers = {f.filing_id for f in stored if f.source in FEC_SOURCES}
    current_other = {
        (f.source, f.filing_id): f
        for f in stored
        if f.source not in FEC_SOURCES and f.superseded_by_id is None
    }
    seen_here: set[tuple[str, str]] = set()
    for filing in filings:
        fec_source = filing.source in FEC_SOURCES
        key = ("fec" if fec_source else filing.source, filing.filing_id)
        fingerprint = _fingerprint(filing)
        if key in seen_here or (fec_source and filing.filing_id in fec_numbers):
            job.filings_skipped += 1
            continue
        previous = None if fec_source else current_other.get((filing.source, filing.filing_id))
        if previous is not None and previous.fingerprint == fingerprint:
            job.filings_skipped += 1
            continue
        seen_here.add(key)
        row = StoredFiling.objects.create(
            finance_import=job,
            candidate=candidate,
            fingerprint=fingerprint,
            **_clip(
                StoredFiling,
                {
                    "source": filing.source,
                    "filing_id": filing.filing_id,
                    "committee_id": filing.committee_id,
                    "committee_name": filing.committee_name,
                    "form_type": filing.form_type,
                    "report_code": filing.report_code,
                    "coverage_from": filing.coverage_from,
                    "coverage_through": filing.coverage_through,
                    "amends": filing.amends,
                    "is_amendment": filing.is_amendment,
                },
            ),
        )
        if previous is not None:
            previous.superseded_by = row
            previous.save(update_fields=["superseded_by"])
            job.filings_superseded += 1
        for start in range(0, len(filing.contributions), BATCH):
            StoredContribution.objects.bulk_create(
                _stored_contribution(row, c) for c in filing.contributions[start : start + BATCH]
            )
        job.filings_added += 1
        job.contributions_added += len(filing.contributions)


def _stored_contribution(filing: StoredFiling, c: Contribution) -> StoredContribution:
    values = {name: getattr(c, name) for name in StoredContribution.ENGINE_FIELDS}
    values["amount"] = _money(c.amount)
    values["extra"] = json.loads(json.dumps(c.extra, default=str))
    values["line"] = max(int(c.line or 0), 0)
    return StoredContribution(stored_filing=filing, **_clip(StoredContribution, values))


def apply_amendments(candidate: Candidate) -> int:
    """Mark the reports that amendments replace as superseded (the FEC importer's rules, over
    every current filing of the candidate, whichever import brought it). Returns how many."""
    from pledgewatch.finance.importers.fec import form_family, select_current

    current = list(candidate.filings.current().order_by("pk"))
    proxies = [
        Filing(
            source=f.source,
            filing_id=f.filing_id,
            committee_id=f.committee_id,
            form_type=f.form_type,
            report_code=f.report_code,
            coverage_from=f.coverage_from,
            coverage_through=f.coverage_through,
            amends=f.amends,
            is_amendment=f.is_amendment,
        )
        for f in current
    ]
    kept_ids = {id(p) for p in select_current(proxies)}
    kept = [f for f, p in zip(current, proxies, strict=True) if id(p) in kept_ids]

    def report(f: StoredFiling) -> tuple:
        return (f.committee_id.upper(), form_family(f.form_type), f.report_code.upper(),
                f.coverage_from, f.coverage_through)  # fmt: skip

    def order(f: StoredFiling) -> tuple:
        return (int(f.filing_id) if f.filing_id.isdigit() else 0, f.pk)

    superseded = 0
    for f, p in zip(current, proxies, strict=True):
        if id(p) in kept_ids:
            continue
        by_amends = [k for k in kept if k.amends and k.amends == f.filing_id]
        same_report = [k for k in kept if report(k) == report(f)]
        replacement = max(by_amends or same_report, key=order, default=None)
        if replacement is None:
            log.warning("filing %s is replaced but we found nothing that replaces it", f.pk)
            continue
        f.superseded_by = replacement
        f.save(update_fields=["superseded_by"])
        superseded += 1
    return superseded


# --- reads for pages ----------------------------------------------------------------------


def donor_names(candidate: Candidate) -> list[str]:
    """Employers of individual donors and the names of other donors, in current filings: the
    spellings alias proposals are drawn from."""
    rows = StoredContribution.objects.filter(
        stored_filing__candidate=candidate, stored_filing__superseded_by__isnull=True
    )
    employers = rows.filter(contributor_type="individual").exclude(employer="")
    others = rows.exclude(contributor_type="individual").exclude(contributor_name="")
    names: dict[str, None] = {}
    for value in employers.values_list("employer", flat=True).distinct():
        names[value] = None
    for value in others.values_list("contributor_name", flat=True).distinct():
        names[value] = None
    return list(names)


def alias_proposals(candidate: Candidate, policy: ChapterPolicy) -> list[dict[str, Any]]:
    from pledgewatch.finance.matching import propose_aliases

    orgs = {o.name: o for o in policy.organizations.all()}
    out = []
    for p in propose_aliases(donor_names(candidate), policy.to_engine()):
        org = orgs.get(p.organization.name)
        if org is not None:
            out.append({"text": p.text, "organization": org, "similar_to": p.similar_to,
                        "score": p.score})  # fmt: skip
    return out
