"""Issue campaigns (Medicare for All by default) and the guide's strategy review: should the
chapter pursue electoral work as part of this campaign? Six questions, the committee's written
answers, a decision and why; every revision is kept.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from pledgewatch.chapters.models import Chapter
from pledgewatch.core.models import AppendOnlyError

# The guide's six questions (Medicare for All Organizing Guide, chapter 8), in its words.
STRATEGY_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("goals", "What are the main political goals of our campaigns?"),
    (
        "without_sacrifice",
        "How do we support a candidate without sacrificing any of our main political goals?",
    ),
    (
        "base_cares",
        "Will working on Medicare for All help build a base, and will that base also care about "
        "the politician we endorse?",
    ),
    (
        "candidate_builds_base",
        "Will campaigning for the candidate help build a base for Medicare for All?",
    ),
    (
        "conversations",
        "Is it easier for us to have good, socialist organizing conversations with strangers when "
        "we focus on Medicare for All or on a candidate?",
    ),
    (
        "internal_structure",
        "How will running an electoral campaign change the structure of our internal organizing "
        "and the leadership development that results from campaigning for Medicare for All?",
    ),
)
GUIDE_SOURCE = (
    "Medicare for All Organizing Guide, chapter 8: Integrating Your Medicare for All Campaign "
    "into Electoral Work"
)


class CampaignQuerySet(models.QuerySet):
    def for_chapter(self, chapter: Chapter) -> CampaignQuerySet:
        return self.filter(chapter=chapter)


class Campaign(models.Model):
    """An issue campaign the chapter runs; electoral work is decided per campaign."""

    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "name"], name="campaign_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Decision(models.TextChoices):
    UNDECIDED = "undecided", "Not decided yet"
    PURSUE = "pursue", "Pursue electoral work"
    NOT_NOW = "not_now", "Do not pursue electoral work now"


class StrategyReview(models.Model):
    """The current answers and decision for one campaign; `revisions` keeps every version."""

    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, related_name="strategy_review"
    )
    answers = models.JSONField(default=dict)  # question key -> the committee's written answer
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.UNDECIDED)
    reason = models.TextField("why", blank=True)
    decided_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Strategy review: {self.campaign}"

    def answer_list(self) -> list[tuple[str, str, str]]:
        """(key, question, answer) in the guide's order."""
        return [(key, q, self.answers.get(key, "")) for key, q in STRATEGY_QUESTIONS]

    @property
    def answered(self) -> int:
        return sum(1 for key, _q in STRATEGY_QUESTIONS if self.answers.get(key, "").strip())


class StrategyRevisionQuerySet(models.QuerySet):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Strategy revisions are never deleted.")

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Strategy revisions are never changed: save a new one.")


class StrategyRevision(models.Model):
    """A saved version of a review: never changed, never deleted (save() of a saved revision,
    delete() and the QuerySet's delete() and update() refuse)."""

    review = models.ForeignKey(StrategyReview, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    answers = models.JSONField(default=dict)
    decision = models.CharField(max_length=20, choices=Decision.choices)
    reason = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    objects = StrategyRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="strategy_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.review.campaign}: revision {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Strategy revisions are never changed: save a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Strategy revisions are never deleted.")
