"""The endorsement pipeline: one Endorsement per candidate, moved through the guide's stages by
recorded transitions, and the evidence for each of the guide's gates (pledge, ballot access,
the chapter's rescission by-law, the questionnaire; the forum and finance gates read the forums
and finance apps). See gates.py for what "met" means and states.py for the stage machine.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from pledgewatch.candidates.models import Candidate
from pledgewatch.chapters.models import Chapter


class Stage(models.TextChoices):
    CONSIDERING = "considering", "Considering"
    VETTING = "vetting", "Vetting"
    QUESTIONNAIRE = "questionnaire", "Questionnaire"
    VOTE = "vote", "Member vote"
    ENDORSED = "endorsed", "Endorsed"
    DECLINED = "declined", "Declined"
    RESCINDED = "rescinded", "Rescinded"


class Gate(models.TextChoices):
    """The guide's checklist before a vote, in the guide's order."""

    FORUM = "forum", "Spoke at the chapter's public forum"
    FINANCE = "finance", "Campaign-finance records reviewed"
    PLEDGE = "pledge", "Public pledge refusing conflicting donations"
    BALLOT = "ballot", "Ballot access verified"
    BYLAW = "bylaw", "The chapter's rescission by-law adopted"
    QUESTIONNAIRE = "questionnaire", "Questionnaire answered, evaluated and published"


class EndorsementQuerySet(models.QuerySet):
    def for_chapter(self, chapter: Chapter) -> EndorsementQuerySet:
        return self.filter(candidate__chapter=chapter)


class Endorsement(models.Model):
    """Where a candidate stands in the chapter's process. Change `stage` only through
    services.move(), which checks the machine and the gates and records the transition."""

    candidate = models.OneToOneField(
        Candidate, on_delete=models.CASCADE, related_name="endorsement"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.CONSIDERING)
    stage_changed_at = models.DateTimeField(auto_now_add=True)
    # Published with the result: the chapter's statement on endorsing, declining or rescinding.
    public_statement = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EndorsementQuerySet.as_manager()

    class Meta:
        ordering = ["candidate__name", "id"]

    def __str__(self) -> str:
        return f"{self.candidate}: {self.get_stage_display()}"


class Transition(models.Model):
    """One move of an endorsement from a stage to another: who, when and why. Append-only."""

    endorsement = models.ForeignKey(
        Endorsement, on_delete=models.CASCADE, related_name="transitions"
    )
    from_stage = models.CharField(max_length=20, choices=Stage.choices)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    reason = models.TextField()
    # For moves out of the vote: the count as recorded (the voting module fills these later).
    votes_yes = models.PositiveIntegerField(null=True, blank=True)
    votes_no = models.PositiveIntegerField(null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(null=True, blank=True)
    # The chapter's public statement made with this move (endorsed, declined, rescinded).
    statement = models.TextField(blank=True)
    # When the vote opens: each gate's state then ({gate, state, evidence, waiver}), so the
    # record shows what the vote stood on even if a setting or a waiver changes later.
    gates = models.JSONField(default=list, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.endorsement.candidate}: {self.from_stage} -> {self.to_stage}"


class GateSetting(models.Model):
    """A chapter turning one gate off for all its candidates (no row: the gate is on)."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="gate_settings")
    gate = models.CharField(max_length=20, choices=Gate.choices)
    enabled = models.BooleanField(default=True)
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chapter", "gate"], name="gate_setting_unique")
        ]

    def __str__(self) -> str:
        return f"{self.chapter}: {self.gate} {'on' if self.enabled else 'off'}"


class GateWaiver(models.Model):
    """One gate waived for one candidate, with a written reason shown publicly. A withdrawn
    waiver is kept (withdrawn_at set) and the gate applies again."""

    endorsement = models.ForeignKey(Endorsement, on_delete=models.CASCADE, related_name="waivers")
    gate = models.CharField(max_length=20, choices=Gate.choices)
    reason = models.TextField(help_text="Shown publicly with the endorsement.")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["endorsement", "gate"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_active_waiver_per_gate",
            )
        ]

    def __str__(self) -> str:
        return f"{self.endorsement.candidate}: {self.gate} waived"


class FinanceDecision(models.Model):
    """The committee's recorded decision on a candidate's finance findings, when it goes ahead
    although a finding in the pledge's scope is still open."""

    endorsement = models.ForeignKey(
        Endorsement, on_delete=models.CASCADE, related_name="finance_decisions"
    )
    text = models.TextField("decision and why")
    # [finding id, tier] of every open or confirmed finding in the pledge's scope when the
    # decision was taken: a finding not in this list needs a new decision (gates.covers).
    covered = models.JSONField(default=list, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Finance decision on {self.endorsement.candidate}"


class PledgeScope(models.TextChoices):
    """What the pledge refuses, as the chapter's conflict policy names it: the finance gate and
    the screen enforce exactly this."""

    CONFLICT = "conflict", "Tier 1: every organization the policy lists as a conflict"
    CONFLICT_AND_REVIEW = "conflict_review", "Tiers 1 and 2: conflicts and organizations to review"

    @classmethod
    def tiers(cls, scope: str) -> tuple[int, ...]:
        return (1, 2) if scope == cls.CONFLICT_AND_REVIEW else (1,)


def pledge_upload_path(instance: Pledge, filename: str) -> str:
    return f"pledges/{instance.candidate.chapter_id}/{instance.candidate_id}/{filename}"


class Pledge(models.Model):
    """The candidate's public statement refusing conflicting donations."""

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="pledge")
    text = models.TextField("the statement, as published")
    made_on = models.DateField("date of the statement")
    url = models.URLField("link to the public statement", blank=True)
    document = models.FileField(
        "or a copy (PDF or image)", upload_to=pledge_upload_path, blank=True
    )
    scope = models.CharField(
        max_length=20, choices=PledgeScope.choices, default=PledgeScope.CONFLICT
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Pledge of {self.candidate}"

    @property
    def tiers(self) -> tuple[int, ...]:
        return PledgeScope.tiers(self.scope)


class BallotStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ON_BALLOT = "on_ballot", "On the ballot"
    FAILED = "failed", "Failed to qualify"


class BallotAccess(models.Model):
    """What one candidacy needs to get on the ballot, how far along it is, and its status."""

    candidate = models.OneToOneField(
        Candidate, on_delete=models.CASCADE, related_name="ballot_access"
    )
    signatures_required = models.PositiveIntegerField(null=True, blank=True)
    signatures_gathered = models.PositiveIntegerField(default=0)
    fee = models.DecimalField(
        "filing fee ($)", max_digits=10, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    fee_paid = models.BooleanField(default=False)
    filing_deadline = models.DateField(null=True, blank=True)
    source_url = models.URLField(
        "official source or Ballotpedia page", blank=True,
        help_text="Where the requirements come from, e.g. the state's election office.",
    )  # fmt: skip
    status = models.CharField(
        max_length=20, choices=BallotStatus.choices, default=BallotStatus.PENDING
    )
    verified_on = models.DateField(
        null=True, blank=True, help_text="When someone checked the status with the official list."
    )
    notes = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "ballot access records"

    def __str__(self) -> str:
        return f"Ballot access of {self.candidate}"

    @property
    def signature_percent(self) -> int | None:
        if not self.signatures_required:
            return None
        return min(100, 100 * self.signatures_gathered // self.signatures_required)


class BallotReminder(models.Model):
    """A reminder email sent to the committee before a filing deadline (never sent twice)."""

    ballot_access = models.ForeignKey(
        BallotAccess, on_delete=models.CASCADE, related_name="reminders"
    )
    deadline = models.DateField()
    days_before = models.PositiveIntegerField()
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot_access", "deadline", "days_before"], name="ballot_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder {self.days_before} days before {self.deadline}"


class RescissionBylaw(models.Model):
    """The chapter's by-law giving it the right to rescind an endorsement publicly: the text it
    started from, the text it adopted, and the adoption vote. Shown publicly once adopted."""

    chapter = models.OneToOneField(
        Chapter, on_delete=models.CASCADE, related_name="rescission_bylaw"
    )
    text = models.TextField("by-law text")
    adopted_on = models.DateField(null=True, blank=True)
    adopted_by_body = models.CharField(
        "adopted by", max_length=200, blank=True, help_text="For example: General meeting."
    )
    votes_yes = models.PositiveIntegerField(null=True, blank=True)
    votes_no = models.PositiveIntegerField(null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(null=True, blank=True)
    minutes_url = models.URLField("link to the minutes", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Rescission by-law of {self.chapter}"

    @property
    def adopted(self) -> bool:
        return self.adopted_on is not None


class QuestionnaireRecord(models.Model):
    """The questionnaire step as recorded by the committee (dates and the public link). The
    questionnaire module (private candidate links, answers, evaluation) fills this in later."""

    candidate = models.OneToOneField(
        Candidate, on_delete=models.CASCADE, related_name="questionnaire_record"
    )
    sent_on = models.DateField(null=True, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    evaluated_on = models.DateField(null=True, blank=True)
    meets_minimum = models.BooleanField(
        "answers meet the guide's minimum criteria", null=True, blank=True
    )
    evaluation = models.TextField("evaluation notes", blank=True)
    published_on = models.DateField(null=True, blank=True)
    published_url = models.URLField("where the answers are published", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Questionnaire of {self.candidate}"


class Resource(models.Model):
    """A chapter's own resource for candidates' talking points packets (a link and a note)."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=200)
    url = models.URLField()
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "title", "id"]

    def __str__(self) -> str:
        return self.title
