"""Offices, races and the candidates a chapter considers; their campaign-finance committees and
the chapter's contact log with each campaign. The endorsement pipeline lives in
pledgewatch.endorsements and starts from a Candidate.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from pledgewatch.chapters.models import Chapter

FEC_COMMITTEE_ID = re.compile(r"^C\d{8}$")


class ChapterQuerySet(models.QuerySet):
    def for_chapter(self, chapter: Chapter) -> models.QuerySet:
        return self.filter(chapter=chapter)


class OfficeLevel(models.TextChoices):
    MUNICIPAL = "municipal", "Municipal"
    COUNTY = "county", "County"
    STATE_LEGISLATIVE = "state_legislative", "State legislative"
    STATEWIDE = "statewide", "Statewide"
    FEDERAL = "federal", "Federal"


class Office(models.Model):
    """An office candidates run for: "City Council, District 3"; "U.S. House, PA-3"."""

    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="offices")
    name = models.CharField(max_length=200, help_text="For example: City Council, or U.S. House.")
    level = models.CharField(max_length=20, choices=OfficeLevel.choices)
    district = models.CharField(
        max_length=100, blank=True, help_text="For example: District 3, or PA-3. Blank if at large."
    )
    state = models.CharField(max_length=2, blank=True, help_text="Two-letter postal code, e.g. PA.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChapterQuerySet.as_manager()

    class Meta:
        ordering = ["level", "name", "district", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["chapter", "name", "district"], name="office_unique_per_chapter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.district}" if self.district else self.name


class ElectionKind(models.TextChoices):
    PRIMARY = "primary", "Primary"
    GENERAL = "general", "General"
    SPECIAL = "special", "Special"
    RUNOFF = "runoff", "Runoff"


class Race(models.Model):
    """One election for one office: the 2026 Democratic primary for City Council, District 3."""

    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="races")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="races")
    kind = models.CharField(max_length=10, choices=ElectionKind.choices)
    party = models.CharField(max_length=100, blank=True, help_text="For a party primary.")
    election_date = models.DateField()
    filing_deadline = models.DateField(
        null=True, blank=True, help_text="The last day candidates may file to get on the ballot."
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChapterQuerySet.as_manager()

    class Meta:
        ordering = ["election_date", "office__name", "id"]

    def __str__(self) -> str:
        kind = (
            f"{self.party} {self.get_kind_display().lower()}"
            if self.party
            else (self.get_kind_display().lower())
        )
        return f"{self.office}: {kind} {self.election_date:%-d %b %Y}"

    def clean(self) -> None:
        if (
            self.filing_deadline
            and self.election_date
            and self.filing_deadline > self.election_date
        ):
            raise ValidationError(
                {"filing_deadline": "The filing deadline must be on or before the election."}
            )
        if self.office_id and self.chapter_id and self.office.chapter_id != self.chapter_id:
            raise ValidationError({"office": "Choose one of your chapter's offices."})


class CandidateQuerySet(ChapterQuerySet):
    pass


class Candidate(models.Model):
    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="candidates")
    race = models.ForeignKey(
        Race, on_delete=models.PROTECT, related_name="candidates", null=True, blank=True
    )
    name = models.CharField(max_length=200)
    party = models.CharField(max_length=100, blank=True)
    office_sought = models.CharField(
        max_length=200, blank=True, help_text="For example: U.S. House, Oregon 4th district."
    )
    website = models.URLField(blank=True)
    # The campaign's contact for the chapter (not the candidate's private details).
    contact_name = models.CharField("campaign contact", max_length=200, blank=True)
    email = models.EmailField("campaign email", blank=True)
    phone = models.CharField("campaign phone", max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.race_id and self.chapter_id and self.race.chapter_id != self.chapter_id:
            raise ValidationError({"race": "Choose one of your chapter's races."})

    @property
    def office_label(self) -> str:
        return str(self.race.office) if self.race_id else self.office_sought


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


class ContactKind(models.TextChoices):
    CALL = "call", "Phone call"
    MEETING = "meeting", "Meeting"
    EMAIL = "email", "Email"
    TALKING_POINTS = "talking_points", "Talking points sent"
    OTHER = "other", "Other"


class ContactLogEntry(models.Model):
    """One contact between the chapter and a campaign: who, when, what was said. Append-only:
    a correction is a new entry."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=20, choices=ContactKind.choices)
    happened_at = models.DateTimeField()
    people = models.CharField(
        "who took part",
        max_length=300,
        help_text="For example: Dana (committee), the campaign manager.",
    )
    summary = models.TextField("what was said")
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_at", "-id"]
        verbose_name_plural = "contact log entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.candidate} on {self.happened_at:%Y-%m-%d}"
