"""Candidates a chapter considers, and the campaign-finance committees that file for them.

Minimal for now: a later issue adds offices, races and endorsements.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models

from pledgewatch.chapters.models import Chapter

FEC_COMMITTEE_ID = re.compile(r"^C\d{8}$")


class CandidateQuerySet(models.QuerySet):
    def for_chapter(self, chapter: Chapter) -> CandidateQuerySet:
        return self.filter(chapter=chapter)


class Candidate(models.Model):
    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="candidates")
    name = models.CharField(max_length=200)
    party = models.CharField(max_length=100, blank=True)
    office_sought = models.CharField(
        max_length=200, blank=True, help_text="For example: U.S. House, Oregon 4th district."
    )
    website = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Jurisdiction(models.TextChoices):
    FEC = "fec", "Federal (FEC)"
    NYC_CFB = "nyc-cfb", "New York City Campaign Finance Board"
    CAL_ACCESS = "cal-access", "California (Cal-Access)"
    NYS_BOE = "nys-boe", "New York State Board of Elections"
    OTHER = "other", "Other"


class CampaignCommittee(models.Model):
    """A committee that raises money for the candidate, by its id with the body it files with."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="committees")
    jurisdiction = models.CharField(
        max_length=20, choices=Jurisdiction.choices, default=Jurisdiction.FEC
    )
    committee_id = models.CharField(
        "committee id", max_length=40, help_text="An FEC id is C and eight digits: C00215905."
    )
    name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["jurisdiction", "committee_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "jurisdiction", "committee_id"],
                name="committee_unique_per_candidate",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name or self.committee_id} ({self.get_jurisdiction_display()})"

    def clean(self) -> None:
        self.committee_id = self.committee_id.strip().upper()
        if self.jurisdiction == Jurisdiction.FEC and not FEC_COMMITTEE_ID.match(self.committee_id):
            raise ValidationError(
                {"committee_id": "An FEC committee id is C followed by eight digits: C00215905."}
            )
