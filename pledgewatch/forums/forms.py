"""Forms for forums, invitations, evaluations and the organization directory.

Times are entered and shown in the chapter's time zone: the views activate it while they
validate and render (views.in_chapter_timezone), so a naive "19:00" means 19:00 there."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone

from pledgewatch.candidates.models import Candidate
from pledgewatch.chapters.models import Chapter
from pledgewatch.forums import services
from pledgewatch.forums.models import (
    Forum,
    Invitation,
    Organization,
    OrganizationContact,
    OrganizationKind,
    Rsvp,
    SpeechEvaluation,
    SpeechRating,
)

PHONE = re.compile(r"^[0-9+()./\- ]{7,}(?:\s*(?:x|ext\.?)\s*\d{1,6})?$", re.IGNORECASE)
# A forum's dates: a typo such as year 9999 is refused with a message (converted to UTC it
# would not fit in a datetime at all).
FIRST_YEAR, LAST_YEAR = 2000, 2100
YEAR_BOUNDS = {"min": f"{FIRST_YEAR}-01-01T00:00", "max": f"{LAST_YEAR}-12-31T23:59"}
YEAR_MESSAGE = f"Enter a date between the years {FIRST_YEAR} and {LAST_YEAR}."


def check_year(value):
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise forms.ValidationError(YEAR_MESSAGE, code="year")
    return value


class LocalDateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker; the value is local to the chapter."""

    input_type = "datetime-local"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# --- the organization directory ----------------------------------------------------------


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(label="Search by name", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="Kind", choices=[("", "Any kind"), *OrganizationKind.choices], required=False
    )


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "kind", "website", "notes"]
        help_texts = {
            "name": "For example: SEIU Local 73, or Lakeshore Tenants Union.",
            "notes": "What the chapter should know: its positions, past work together.",
        }

    def __init__(self, *args, chapter: Chapter, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.chapter = chapter

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        same = Organization.objects.for_chapter(self.chapter).filter(name__iexact=name)
        if self.instance.pk:
            same = same.exclude(pk=self.instance.pk)
        if same.exists():
            raise forms.ValidationError(f"{name} is already in the directory.")
        return name


class ContactForm(forms.ModelForm):
    class Meta:
        model = OrganizationContact
        fields = ["name", "role", "email", "phone"]
        labels = {
            "role": "Role (optional)",
            "email": "Email (optional)",
            "phone": "Phone (optional)",
        }
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})}

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(
                "Enter a phone number with digits, spaces and + ( ) - only, e.g. (312) 555-0142."
            )
        return phone


# --- forums --------------------------------------------------------------------------------


class ForumForm(forms.ModelForm):
    class Meta:
        model = Forum
        fields = [
            "title",
            "starts_at",
            "ends_at",
            "place",
            "address",
            "accessibility",
            "description",
            "is_public",
        ]
        labels = {"starts_at": "Starts", "ends_at": "Ends"}
        widgets = {
            "starts_at": LocalDateTimeInput(attrs=YEAR_BOUNDS),
            "ends_at": LocalDateTimeInput(attrs=YEAR_BOUNDS),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, chapter: Chapter, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.chapter = chapter
        for name in ("starts_at", "ends_at"):
            self.fields[name].help_text = f"Date and time in {chapter.timezone.replace('_', ' ')}."
        self.fields[
            "description"
        ].help_text = "What the forum is about, for guests and, if it is public, for everyone."

    def clean_starts_at(self):
        return check_year(self.cleaned_data["starts_at"])

    def clean_ends_at(self):
        return check_year(self.cleaned_data["ends_at"])

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            try:
                services.check_start_keeps_speakers(self.instance, cleaned.get("starts_at"))
            except services.ForumError as e:
                self.add_error("starts_at", str(e))
        return cleaned


class ReportForm(forms.ModelForm):
    """After the forum: the notes and the recording."""

    class Meta:
        model = Forum
        fields = ["notes", "recording_url"]
        labels = {"notes": "Notes from the forum", "recording_url": "Link to the recording"}
        help_texts = {
            "notes": "Who came, what was said, what follows.",
            "recording_url": "For example, a video or audio page. Leave blank if none.",
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 6})}


# --- invitations ---------------------------------------------------------------------------


class _InviteForm(forms.Form):
    """Pick a guest from the chapter's own list. The field's queryset is the whole chapter's
    list, so an id from another chapter is refused; the menu offers only guests not invited
    yet, and inviting one twice gets its own message."""

    guest_field = ""
    invited_on = forms.DateField(
        label="Invited on", widget=DateInput(), help_text="The day the invitation went out."
    )

    def __init__(self, *args, forum: Forum, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.forum = forum
        self.fields["invited_on"].initial = timezone.localdate()
        field = self.fields[self.guest_field]
        field.queryset = self.guests()
        invited = forum.invitations.exclude(**{f"{self.guest_field}": None}).values_list(
            f"{self.guest_field}_id", flat=True
        )
        field.choices = [("", "Choose …")] + [
            (g.pk, field.label_from_instance(g)) for g in field.queryset.exclude(pk__in=invited)
        ]

    def guests(self):
        raise NotImplementedError

    @property
    def has_choices(self) -> bool:
        return len(self.fields[self.guest_field].choices) > 1

    def clean(self):
        cleaned = super().clean()
        guest = cleaned.get(self.guest_field)
        if guest and self.forum.invitations.filter(**{self.guest_field: guest}).exists():
            self.add_error(self.guest_field, f"{guest} is already invited to this forum.")
        return cleaned


class InviteOrganizationForm(_InviteForm):
    guest_field = "organization"
    organization = forms.ModelChoiceField(
        label="Organization", queryset=Organization.objects.none()
    )

    field_order = ["organization", "invited_on"]

    def guests(self):
        return Organization.objects.for_chapter(self.forum.chapter)


class InviteCandidateForm(_InviteForm):
    guest_field = "candidate"
    candidate = forms.ModelChoiceField(label="Candidate", queryset=Candidate.objects.none())

    field_order = ["candidate", "invited_on"]

    def guests(self):
        return Candidate.objects.for_chapter(self.forum.chapter)


class RsvpForm(forms.Form):
    rsvp = forms.ChoiceField(label="RSVP", choices=Rsvp.choices)


class SpeechForm(forms.ModelForm):
    """Who speaks for the guest, and whether they spoke on record (once the forum started)."""

    class Meta:
        model = Invitation
        fields = ["speaker", "spoke"]
        help_texts = {
            "speaker": "The person who speaks for them; you can fill this in ahead of the forum.",
            "spoke": "Tick once they have spoken at the forum. For a candidate this meets the "
            "forum gate.",
        }

    def clean_spoke(self) -> bool:
        spoke = self.cleaned_data["spoke"]
        forum = self.instance.forum
        if spoke and not services.has_started(forum):
            start = services.local_start(forum)
            raise forms.ValidationError(
                "A guest can be recorded as having spoken once the forum has started "
                f"({start:%-d %b %Y}, {start:%-I:%M %p})."
            )
        return spoke


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = SpeechEvaluation
        fields = ["rating", "notes"]
        labels = {"rating": "Your rating of the speech", "notes": "Your notes"}
        help_texts = {
            "notes": "What they committed to, and what they avoided. Only the committee sees these."
        }
        widgets = {"rating": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = SpeechRating.choices  # no empty radio button
