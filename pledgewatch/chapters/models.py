"""Chapters (the tenants), the roles users hold in them, and the member roster."""

from __future__ import annotations

import zoneinfo
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from pledgewatch.core.permissions import Permission, Role, role_has


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a time zone name such as America/New_York.")


class Threshold(models.TextChoices):
    # (share of counted votes, strict?) below in Chapter.THRESHOLDS
    MAJORITY = "majority", "More than half"
    SIXTY = "sixty", "At least 60%"
    TWO_THIRDS = "two_thirds", "At least two thirds"
    THREE_QUARTERS = "three_quarters", "At least three quarters"


class AbstentionRule(models.TextChoices):
    EXCLUDED = "excluded", "Not counted: the threshold is a share of yes + no"
    AGAINST = "against", "Counted: the threshold is a share of yes + no + abstain"


class ChapterQuerySet(models.QuerySet):
    def for_user(self, user) -> ChapterQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(roles__user=user).distinct()


class Chapter(models.Model):
    """A DSA chapter: the tenant every other record belongs to."""

    THRESHOLDS: dict[str, tuple[Fraction, bool]] = {
        Threshold.MAJORITY: (Fraction(1, 2), True),
        Threshold.SIXTY: (Fraction(3, 5), False),
        Threshold.TWO_THIRDS: (Fraction(2, 3), False),
        Threshold.THREE_QUARTERS: (Fraction(3, 4), False),
    }

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    timezone = models.CharField(
        max_length=64, default="America/New_York", validators=[validate_timezone]
    )
    # By-law settings: how this chapter decides endorsements and rescissions.
    endorsement_threshold = models.CharField(
        max_length=20, choices=Threshold.choices, default=Threshold.TWO_THIRDS
    )
    abstention_rule = models.CharField(
        max_length=20, choices=AbstentionRule.choices, default=AbstentionRule.EXCLUDED
    )
    quorum_percent = models.DecimalField(
        "quorum (% of members in good standing)",
        max_digits=5,
        decimal_places=2,
        default=10,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    rescission_petition_size = models.PositiveIntegerField(
        "signatures needed to petition for a rescission",
        default=5,
        validators=[MinValueValidator(1)],
        help_text="Members in good standing who must sign (Philly DSA's by-law: five).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChapterQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_percent__gte=0) & Q(quorum_percent__lte=100),
                name="chapter_quorum_percent_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def threshold_met(self, *, yes: int, no: int, abstain: int = 0) -> bool:
        """Whether a vote passes under this chapter's threshold and abstention rule."""
        counted = yes + no + (abstain if self.abstention_rule == AbstentionRule.AGAINST else 0)
        if counted == 0:
            return False
        share, strict = self.THRESHOLDS[self.endorsement_threshold]
        ratio = Fraction(yes, counted)
        return ratio > share if strict else ratio >= share

    def quorum_met(self, *, ballots_cast: int, eligible: int) -> bool:
        """Quorum: ballots cast (abstentions included) as a share of eligible members."""
        if eligible == 0:
            return False
        return Fraction(ballots_cast, eligible) * 100 >= Fraction(self.quorum_percent)


class ChapterRole(models.Model):
    """A user's role in one chapter. A user may hold roles in several chapters."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chapter_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["chapter", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["chapter", "user"], name="one_role_per_user_per_chapter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.chapter}"

    def has(self, permission: Permission) -> bool:
        return role_has(self.role, permission)


class MemberStatus(models.TextChoices):
    GOOD_STANDING = "good_standing", "Member in Good Standing"
    MEMBER = "member", "Member"
    LAPSED = "lapsed", "Lapsed"


class MemberQuerySet(models.QuerySet):
    def in_good_standing(self) -> MemberQuerySet:
        return self.filter(status=MemberStatus.GOOD_STANDING)

    def search(self, text: str) -> MemberQuerySet:
        q = Q()
        for word in text.split()[:5]:
            q &= (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(external_id=word)
                | Q(zip_code__startswith=word)
            )
        return self.filter(q)


class Member(models.Model):
    """One person on the chapter's roster, as the latest import described them.

    We keep what organizing needs (name, contact, standing, dates, address for districts) and
    do not import demographic or accommodation columns from the national export.
    """

    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="members")
    external_id = models.CharField(
        "export id", max_length=64, blank=True, help_text="actionkit_id (AK_ID) in DSA's export"
    )
    first_name = models.CharField(max_length=100, blank=True)
    middle_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True, db_index=True)
    phone = models.CharField(max_length=40, blank=True)
    address1 = models.CharField(max_length=200, blank=True)
    address2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=40, blank=True)
    zip_code = models.CharField(max_length=20, blank=True)
    join_date = models.DateField(null=True, blank=True)
    expiry_date = models.DateField("membership expires", null=True, blank=True)
    membership_type = models.CharField(max_length=40, blank=True)
    dues_status = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=20, choices=MemberStatus.choices, db_index=True)
    do_not_call = models.BooleanField(default=False)
    on_latest_roster = models.BooleanField(
        default=True, help_text="False once a full roster import no longer lists this member."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    # Fields a roster import compares and writes, in display order.
    IMPORTED_FIELDS = (
        "external_id", "first_name", "middle_name", "last_name", "email", "phone",
        "address1", "address2", "city", "state", "zip_code", "join_date", "expiry_date",
        "membership_type", "dues_status", "status", "do_not_call",
    )  # fmt: skip

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["chapter", "external_id"],
                condition=~Q(external_id=""),
                name="member_external_id_unique_per_chapter",
            )
        ]
        indexes = [models.Index(fields=["chapter", "status"])]

    def __str__(self) -> str:
        return self.full_name or self.email or f"member {self.pk}"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)


class ImportStatus(models.TextChoices):
    NEEDS_MAPPING = "needs_mapping", "Waiting for column mapping"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Checking rows"
    SAVING = "saving", "Saving changes"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed: nothing was changed"


class RosterFormat(models.TextChoices):
    DSA = "dsa", "DSA national export (current headers, actionkit_id)"
    DSA_LEGACY = "dsa_legacy", "DSA national export (older headers, AK_ID)"
    GENERIC = "generic", "Other CSV (choose the columns)"


def roster_upload_path(instance: RosterImport, filename: str) -> str:
    # Never the user's file name on disk: a random name in the chapter's private folder.
    import secrets

    return f"rosters/{instance.chapter_id}/{secrets.token_hex(16)}.csv"


class RosterImportQuerySet(models.QuerySet):
    def active(self) -> RosterImportQuerySet:
        return self.filter(
            status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.SAVING]
        )


class RosterImport(models.Model):
    """One upload of a roster file and what its import did (the job row polled for progress)."""

    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="roster_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    original_name = models.CharField(max_length=255)
    file = models.FileField(upload_to=roster_upload_path, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    encoding = models.CharField(max_length=20, default="utf-8")
    format = models.CharField(max_length=20, choices=RosterFormat.choices)
    headers = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    default_status = models.CharField(
        max_length=20, choices=MemberStatus.choices, blank=True,
        help_text="For a file without a status column: the status of everyone in it.",
    )  # fmt: skip
    full_snapshot = models.BooleanField(
        default=True, help_text="Members missing from the file are marked lapsed."
    )
    status = models.CharField(max_length=20, choices=ImportStatus.choices)
    rows_total = models.PositiveIntegerField(default=0)
    rows_processed = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    lapsed = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)

    objects = RosterImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Roster import {self.pk} ({self.original_name})"

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


class ChangeKind(models.TextChoices):
    ADDED = "added", "Added"
    CHANGED = "changed", "Changed"
    LAPSED = "lapsed", "Lapsed"


class MemberChange(models.Model):
    """History: what one import did to one member. Never updated, never deleted."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="changes")
    roster_import = models.ForeignKey(
        RosterImport, on_delete=models.PROTECT, related_name="member_changes"
    )
    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    # {"field": [old, new], ...}; empty for an added member.
    fields = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.member}"
