"""The chapter's public forums and the organizations it works with.

The guide: "organize a public event on DSA's Medicare for All campaign and invite union locals,
progressive community organizations, and any candidates your chapter might endorse to speak on
record". A forum has invitations (to organizations or candidates) with RSVPs; who spoke; notes
and a recording; and the committee's evaluation of each candidate's speech.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from pledgewatch.candidates.models import Candidate
from pledgewatch.chapters.models import Chapter


class ChapterQuerySet(models.QuerySet):
    def for_chapter(self, chapter: Chapter) -> models.QuerySet:
        return self.filter(chapter=chapter)


class OrganizationKind(models.TextChoices):
    UNION_LOCAL = "union_local", "Union local"
    COMMUNITY = "community", "Community organization"
    ADVOCACY = "advocacy", "Advocacy group"
    OTHER = "other", "Other"


class Organization(models.Model):
    """A union local, community group or other organization in the chapter's directory."""

    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="organizations")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=OrganizationKind.choices)
    website = models.URLField(blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChapterQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "name"], name="organization_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class OrganizationContact(models.Model):
    """A person to reach at an organization (private: committee only)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True, help_text="For example: President.")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organization})"


class Forum(models.Model):
    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="forums")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=200, help_text="For example: Local 1199 union hall.")
    address = models.CharField(max_length=300, blank=True)
    accessibility = models.TextField(
        "accessibility notes", blank=True,
        help_text="Step-free entrance, ASL interpretation, childcare, masks ...",
    )  # fmt: skip
    description = models.TextField(blank=True)
    recording_url = models.URLField("recording", blank=True)
    notes = models.TextField(blank=True)
    is_public = models.BooleanField("show on the chapter's public page", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChapterQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%-d %b %Y})"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The forum must end after it starts."})


class Rsvp(models.TextChoices):
    INVITED = "invited", "Invited, no answer yet"
    YES = "yes", "Coming"
    NO = "no", "Not coming"
    MAYBE = "maybe", "Maybe"


class Invitation(models.Model):
    """An invitation to speak, to exactly one organization or one candidate."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="invitations")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations"
    )
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations"
    )
    invited_on = models.DateField()
    rsvp = models.CharField(max_length=10, choices=Rsvp.choices, default=Rsvp.INVITED)
    speaker = models.CharField(
        "who speaks", max_length=200, blank=True, help_text="The person who speaks for them."
    )
    spoke = models.BooleanField("spoke on record", default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organization__isnull=False) & Q(candidate__isnull=True))
                | (Q(organization__isnull=True) & Q(candidate__isnull=False)),
                name="invitation_to_one_guest",
            ),
            models.UniqueConstraint(
                fields=["forum", "organization"], name="invitation_once_per_organization"
            ),
            models.UniqueConstraint(
                fields=["forum", "candidate"], name="invitation_once_per_candidate"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guest} at {self.forum}"

    @property
    def guest(self) -> Organization | Candidate | None:
        return self.organization or self.candidate


class SpeechRating(models.TextChoices):
    STRONG = "strong", "Strong: a credible commitment to Medicare for All"
    ADEQUATE = "adequate", "Adequate"
    WEAK = "weak", "Weak or evasive"


class SpeechEvaluation(models.Model):
    """One committee member's evaluation of one candidate's speech at a forum."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="evaluations")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    rating = models.CharField(max_length=10, choices=SpeechRating.choices)
    notes = models.TextField()
    at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "evaluator"], name="one_evaluation_per_evaluator"
            )
        ]

    def __str__(self) -> str:
        return f"Evaluation of {self.invitation}"
