"""Campaign finance in the database: a chapter's conflict policy as rows, imports of filings,
the stored contributions (so the screen can run again when the policy changes), and findings
with their reviews.

The engine (records, policy, matching, screening) is plain Python; these models feed it
(ChapterPolicy.to_engine, StoredContribution.to_engine) and keep what it found. Findings and
reviews are never deleted: a finding that no longer matches is withdrawn.
"""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import Cast
from django.utils import timezone

from pledgewatch.candidates.models import Candidate
from pledgewatch.chapters.models import Chapter
from pledgewatch.core.models import AppendOnlyError
from pledgewatch.finance.matching import RULE_LABELS, Rule
from pledgewatch.finance.policy import Policy
from pledgewatch.finance.records import Contribution

MONEY = {"max_digits": 14, "decimal_places": 2}


def validate_regex(value: str) -> None:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValidationError(f"This is not a valid regular expression: {exc}.") from None


class Tier(models.IntegerChoices):
    CONFLICT = 1, "Tier 1: conflict"
    REVIEW = 2, "Tier 2: review"
    INFORMATIONAL = 3, "Tier 3: informational"


# --- the conflict policy ------------------------------------------------------------------


class ChapterPolicy(models.Model):
    """A chapter's copy of the conflict policy, made from the shipped default on first use."""

    chapter = models.OneToOneField(
        Chapter, on_delete=models.PROTECT, related_name="conflict_policy"
    )
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=50, blank=True)
    description = models.TextField(blank=True)
    committee_min = models.DecimalField(
        "flag committee and organization money above ($)",
        default=Decimal(0),
        validators=[MinValueValidator(0)],
        **MONEY,
    )
    individual_over = models.DecimalField(
        "flag an executive's net total per cycle above ($)",
        default=Decimal(200),
        validators=[MinValueValidator(0)],
        **MONEY,
    )
    employee_review_over = models.DecimalField(
        "flag an ordinary employee's net total per cycle for review above ($)",
        default=Decimal(1000),
        validators=[MinValueValidator(0)],
        **MONEY,
    )
    executive_occupation_pattern = models.TextField(
        validators=[validate_regex],
        help_text="A regular expression (case-insensitive): occupations that count as executives.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "chapter policies"

    def __str__(self) -> str:
        return f"{self.name} ({self.chapter})"

    def as_dict(self) -> dict[str, Any]:
        """The policy in the engine's JSON shape (see data/m4a_default_policy.json)."""
        return {
            "name": self.name,
            "version": self.version,
            "description": self.description,
            "thresholds": {
                "committee_min": str(self.committee_min),
                "individual_over": str(self.individual_over),
                "employee_review_over": str(self.employee_review_over),
            },
            "executive_occupation_pattern": self.executive_occupation_pattern,
            "organizations": [o.as_dict() for o in self.organizations.all()],
            "never_flag": [n.as_dict() for n in self.never_flag.all()],
        }

    def to_engine(self) -> Policy:
        return Policy.from_dict(self.as_dict(), origin=f"the policy of {self.chapter}")

    def never_flag_ids(self) -> dict[str, str]:
        """FEC committee id -> the never-flag entry (a health-worker union, say) that lists it."""
        return {
            cid.upper(): entry.name
            for entry in self.never_flag.all()
            for cid in entry.fec_committee_ids
        }

    def organization_ids(self, *, exclude: int | None = None) -> dict[str, str]:
        """FEC committee id -> the organization that lists it as its PAC."""
        return {
            cid.upper(): org.name
            for org in self.organizations.exclude(pk=exclude)
            for cid in org.fec_committee_ids
        }


class ConflictOrganizationQuerySet(models.QuerySet):
    def search(self, text: str) -> ConflictOrganizationQuerySet:
        qs = self.alias(
            _aliases=Cast("aliases", models.TextField()),
            _brands=Cast("brands", models.TextField()),
            _ids=Cast("fec_committee_ids", models.TextField()),
        )
        q = Q()
        for word in text.split()[:5]:
            q &= (
                Q(name__icontains=word)
                | Q(parent__icontains=word)
                | Q(_aliases__icontains=word)
                | Q(_brands__icontains=word)
                | Q(_ids__icontains=word)
            )
        return qs.filter(q)

    def industries(self) -> list[str]:
        return list(
            self.exclude(industry="")
            .order_by("industry")
            .values_list("industry", flat=True)
            .distinct()
        )


class ConflictOrganization(models.Model):
    """A listed organization: its names, its PACs, and how serious money from it is (tier)."""

    NAME_LISTS = ("aliases", "brands", "subsidiaries", "former_names")

    policy = models.ForeignKey(
        ChapterPolicy, on_delete=models.CASCADE, related_name="organizations"
    )
    name = models.CharField(max_length=200)
    parent = models.CharField("parent organization", max_length=200, blank=True)
    industry = models.CharField(max_length=60, blank=True, help_text="e.g. insurer, pharma.")
    tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    aliases = models.JSONField(default=list, blank=True)
    brands = models.JSONField(default=list, blank=True)
    subsidiaries = models.JSONField(default=list, blank=True)
    former_names = models.JSONField(default=list, blank=True)
    fec_committee_ids = models.JSONField("FEC committee ids (its PACs)", default=list, blank=True)
    sources = models.JSONField(default=list, blank=True, help_text="[{claim, url}, ...]")
    pahcf_member = models.BooleanField(
        "member of the Partnership for America's Health Care Future", default=False
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConflictOrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["tier", "name"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "name"], name="organization_unique_name"),
            models.CheckConstraint(condition=Q(tier__in=[1, 2, 3]), name="organization_tier"),
        ]

    def __str__(self) -> str:
        return self.name

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "tier": self.tier,
            "industry": self.industry,
            "parent": self.parent or None,
            "aliases": list(self.aliases),
            "brands": list(self.brands),
            "subsidiaries": list(self.subsidiaries),
            "former_names": list(self.former_names),
            "fec_committee_ids": list(self.fec_committee_ids),
            "pahcf_member": self.pahcf_member,
            "sources": list(self.sources),
        }

    # The fields an edit compares (before/after in the audit log).
    AUDITED = (
        "name", "parent", "industry", "tier", *NAME_LISTS, "fec_committee_ids", "sources",
        "pahcf_member", "notes",
    )  # fmt: skip


class NeverFlagEntry(models.Model):
    """Never flagged, whatever matches: health-worker unions and the like."""

    policy = models.ForeignKey(ChapterPolicy, on_delete=models.CASCADE, related_name="never_flag")
    name = models.CharField(max_length=200)
    aliases = models.JSONField(default=list, blank=True)
    fec_committee_ids = models.JSONField("FEC committee ids", default=list, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    sources = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    AUDITED = ("name", "aliases", "fec_committee_ids", "reason", "sources")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "never-flag entries"
        constraints = [
            models.UniqueConstraint(fields=["policy", "name"], name="never_flag_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "aliases": list(self.aliases),
            "fec_committee_ids": list(self.fec_committee_ids),
            "reason": self.reason,
            "sources": list(self.sources),
        }


# --- the FEC committee directory (public data, shared by every chapter) ---------------------


class FecCommittee(models.Model):
    """One committee of the FEC's committee master (cm.txt), or of the FEC API's committee
    list: who a donor committee is and, above all, its connected organization, which the
    screen's connected-organization rule reads. Public data, the same for every chapter: there
    is no chapter here. Loaded by `pledgewatch load-committees`, and filled in from the API
    when a fetch meets a donor committee the directory does not have."""

    committee_id = models.CharField("FEC committee id", max_length=20, unique=True)
    name = models.CharField(max_length=200, blank=True)
    connected_org = models.CharField("connected organization", max_length=200, blank=True)
    committee_type = models.CharField(max_length=1, blank=True, help_text="CMTE_TP: H, S, Q ...")
    designation = models.CharField(max_length=1, blank=True, help_text="CMTE_DSGN: P, A, B ...")
    org_type = models.CharField(
        "organization type", max_length=1, blank=True, help_text="ORG_TP: C, T, L, M ..."
    )
    candidate_id = models.CharField(max_length=20, blank=True)
    # Where the row came from: the file's name (cm20.zip, cm.txt) or "OpenFEC".
    source = models.CharField(max_length=100)
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["committee_id"]
        verbose_name = "FEC committee"

    def __str__(self) -> str:
        return f"{self.committee_id} {self.name}".strip()

    # The fields a load writes (all but the id).
    LOADED = (
        "name", "connected_org", "committee_type", "designation", "org_type", "candidate_id",
        "source", "loaded_at",
    )  # fmt: skip


# --- imports and what they stored ---------------------------------------------------------


class ImportStatus(models.TextChoices):
    NEEDS_MAPPING = "needs_mapping", "Waiting for column mapping"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Reading"
    SAVING = "saving", "Saving and screening"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed: nothing was changed"


class ImportKind(models.TextChoices):
    UPLOAD = "upload", "Uploaded file"
    OPENFEC = "openfec", "FEC API"


FEC_EXTENSIONS = {".fec", ".zip"}
TABLE_EXTENSIONS = {".csv", ".tsv", ".txt", ".xlsx"}


def finance_upload_path(instance: FinanceImport, filename: str) -> str:
    # Never the user's file name on disk; the extension stays, as the importers read by it.
    ext = Path(instance.original_name or filename).suffix.lower()
    ext = ext if ext in FEC_EXTENSIONS | TABLE_EXTENSIONS else ".bin"
    return f"finance/{instance.candidate.chapter_id}/{secrets.token_hex(16)}{ext}"


class FinanceImportQuerySet(models.QuerySet):
    def active(self) -> FinanceImportQuerySet:
        return self.filter(
            status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.SAVING]
        )


class FinanceImport(models.Model):
    """One upload (or one fetch from the FEC API) and what it stored: the job row polled for
    progress. Either everything it read is stored and screened, or nothing is."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="finance_imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=ImportKind.choices)
    original_name = models.CharField(max_length=255, blank=True)
    file = models.FileField(upload_to=finance_upload_path, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    # A preset's name ("nyc-cfb"), a {field: column} dict for a custom spreadsheet, or None
    # for an FEC filing.
    mapping = models.JSONField(null=True, blank=True)
    sheet = models.CharField(max_length=100, blank=True)
    headers = models.JSONField(default=list, blank=True)
    committee_id = models.CharField(max_length=20, blank=True)
    cycle = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ImportStatus.choices)
    rows_total = models.PositiveIntegerField(default=0)
    rows_processed = models.PositiveIntegerField(default=0)
    filings_added = models.PositiveIntegerField(default=0)
    filings_skipped = models.PositiveIntegerField(default=0)
    filings_superseded = models.PositiveIntegerField(default=0)
    contributions_added = models.PositiveIntegerField(default=0)
    findings_open = models.PositiveIntegerField(default=0)
    # What the chosen columns leave out (no employer column...): shown, not fatal.
    notes = models.JSONField(default=list, blank=True)
    # [{"file": ..., "line": ..., "message": ...}]
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = FinanceImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Finance import {self.pk} ({self.original_name})"

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.SUCCEEDED, ImportStatus.FAILED}

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.SUCCEEDED:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_processed * 100 // self.rows_total)


class StoredFilingQuerySet(models.QuerySet):
    def current(self) -> StoredFilingQuerySet:
        return self.filter(superseded_by__isnull=True)


class StoredFiling(models.Model):
    """One report as imported. An amendment replaces the report it amends (superseded_by)."""

    finance_import = models.ForeignKey(
        FinanceImport, on_delete=models.PROTECT, related_name="filings"
    )
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="filings")
    source = models.CharField(max_length=20)
    filing_id = models.CharField(max_length=100)
    committee_id = models.CharField(max_length=40, blank=True)
    committee_name = models.CharField(max_length=200, blank=True)
    form_type = models.CharField(max_length=10, blank=True)
    report_code = models.CharField(max_length=10, blank=True)
    coverage_from = models.DateField(null=True, blank=True)
    coverage_through = models.DateField(null=True, blank=True)
    amends = models.CharField(max_length=100, blank=True)
    is_amendment = models.BooleanField(default=False)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )
    # A hash of the rows: the same spreadsheet uploaded twice is recognised and skipped.
    fingerprint = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StoredFilingQuerySet.as_manager()

    class Meta:
        ordering = ["-coverage_through", "filing_id", "id"]
        indexes = [models.Index(fields=["candidate", "filing_id"])]

    def __str__(self) -> str:
        what = " ".join(p for p in (self.form_type, self.report_code) if p)
        return f"{self.filing_id}{f' ({what})' if what else ''}"


class StoredContribution(models.Model):
    """A Contribution as the importer produced it: every field, so the screen can run again."""

    stored_filing = models.ForeignKey(
        StoredFiling, on_delete=models.PROTECT, related_name="contributions"
    )
    source = models.CharField(max_length=20)
    filing_id = models.CharField(max_length=100)
    transaction_id = models.CharField(max_length=100, blank=True)
    form_type = models.CharField(max_length=20, blank=True)
    recipient_committee_id = models.CharField(max_length=40, blank=True)
    contributor_name = models.CharField(max_length=300, blank=True)
    contributor_type = models.CharField(max_length=20, blank=True)
    contributor_fec_id = models.CharField(max_length=20, blank=True)
    employer = models.CharField(max_length=200, blank=True)
    occupation = models.CharField(max_length=200, blank=True)
    date = models.DateField(null=True, blank=True)
    amount = models.DecimalField(**MONEY)
    memo = models.BooleanField(default=False)
    memo_text = models.CharField(max_length=300, blank=True)
    back_reference = models.CharField(max_length=100, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=40, blank=True)
    line = models.PositiveIntegerField(default=0)
    amends = models.CharField(max_length=100, blank=True)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["stored_filing", "line", "id"]

    def __str__(self) -> str:
        return f"{self.contributor_name} {self.amount} ({self.filing_id} line {self.line})"

    ENGINE_FIELDS = (
        "source", "filing_id", "transaction_id", "form_type", "recipient_committee_id",
        "contributor_name", "contributor_type", "contributor_fec_id", "employer", "occupation",
        "date", "amount", "memo", "memo_text", "back_reference", "city", "state", "line",
        "amends", "extra",
    )  # fmt: skip

    def to_engine(self) -> Contribution:
        return Contribution(**{name: getattr(self, name) for name in self.ENGINE_FIELDS})


# --- findings and their review ------------------------------------------------------------


class FindingStatus(models.TextChoices):
    OPEN = "open", "Open"
    CONFIRMED = "confirmed", "Confirmed"
    DISMISSED = "dismissed", "Dismissed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ReviewDecision(models.TextChoices):
    CONFIRMED = "confirmed", "Confirm: this is a conflicting donation"
    DISMISSED = "dismissed", "Dismiss: not a conflict"
    OPEN = "open", "Reopen: needs another look"


RULE_SHORT = {
    Rule.COMMITTEE_ID: "PAC id",
    Rule.CONNECTED_ORG: "Connected organization",
    Rule.ORGANIZATION_NAME: "Donor's name",
    Rule.EMPLOYER_EXECUTIVE: "Executive",
    Rule.EMPLOYER_EMPLOYEE: "Employee",
}

# Findings that count toward a candidate's totals (a dismissed one was judged not a conflict).
COUNTED_STATUSES = (FindingStatus.OPEN, FindingStatus.CONFIRMED)


class FindingQuerySet(models.QuerySet):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Findings are never deleted: a rescreen withdraws them.")

    def current(self) -> FindingQuerySet:
        return self.exclude(status=FindingStatus.WITHDRAWN)

    def counted(self) -> FindingQuerySet:
        return self.filter(status__in=COUNTED_STATUSES)

    def summary(self) -> dict[str, Any]:
        """Net totals by tier and by listed organization, and counts by status. No donors."""
        counted = self.counted()
        by_tier = {
            row["tier"]: row
            for row in counted.values("tier").annotate(total=Sum("net_amount"), n=Count("id"))
        }
        tiers = [
            {"tier": t.value, "label": t.label, "total": by_tier[t]["total"], "n": by_tier[t]["n"]}
            for t in Tier
            if t.value in by_tier
        ]
        entities = list(
            counted.values("entity_name", "industry")
            .annotate(total=Sum("net_amount"), n=Count("id"), tier=models.Min("tier"))
            .order_by("-total", "entity_name")
        )
        statuses: dict[str, int] = defaultdict(int)
        for status, n in self.values_list("status").annotate(n=Count("id")).order_by():
            statuses[status] = n
        return {
            "by_tier": tiers,
            "by_entity": entities,
            "total": sum((t["total"] for t in tiers), Decimal(0)),
            "counts": {s.value: statuses[s.value] for s in FindingStatus},
        }


class Finding(models.Model):
    """A contribution the screen matched to a listed organization, with the reason why.

    One row per (contribution, organization, rule), ever: a rescreen updates it, and withdraws
    it when the policy no longer matches; the reviews stay with it."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="findings")
    contribution = models.ForeignKey(
        StoredContribution, on_delete=models.PROTECT, related_name="findings"
    )
    tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    entity_name = models.CharField("organization", max_length=200)
    industry = models.CharField(max_length=60, blank=True)
    rule = models.CharField(max_length=30, choices=list(RULE_SHORT.items()))
    matched = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(**MONEY)
    net_amount = models.DecimalField(**MONEY)
    refunded = models.DecimalField(default=Decimal(0), **MONEY)
    donor_total = models.DecimalField(**MONEY)
    cycle = models.PositiveSmallIntegerField(default=0)
    counted = models.BooleanField(default=True)
    explanation = models.TextField()
    status = models.CharField(
        max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["tier", "entity_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "entity_name", "rule"], name="one_finding_per_match"
            )
        ]
        indexes = [models.Index(fields=["candidate", "status", "tier"])]

    def __str__(self) -> str:
        return f"{self.entity_name}: {self.amount} ({self.get_status_display()})"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Findings are never deleted: a rescreen withdraws them.")

    @property
    def rule_label(self) -> str:
        return RULE_LABELS.get(self.rule, self.rule)


class FindingReview(models.Model):
    """A person's decision on a finding, with the reason. Never changed, never deleted."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="reviews")
    status = models.CharField(max_length=20, choices=ReviewDecision.choices)
    reason = models.TextField()
    # None for a review Pledgewatch wrote itself: one carried over from the report an amendment
    # replaced (carried_from is then the review it repeats).
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="carried_to"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} by {self.reviewer}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Reviews are never changed: add another one.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Reviews are never deleted.")

    @property
    def reviewer(self) -> str:
        """Who decided: the person, or Pledgewatch for a review carried over."""
        return str(self.by) if self.by_id else "Pledgewatch (carried over)"
