"""Forms for offices, races, candidates, their committees and the contact log: input validation
only (the changes are in services.py).

Times are entered in the chapter's time zone: the views that take a time activate it while they
validate and render (views.in_chapter_timezone), so a naive "14:30" means 14:30 there."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone

from pledgewatch.candidates.models import (
    CampaignCommittee,
    Candidate,
    ContactKind,
    ContactLogEntry,
    Office,
    Race,
)
from pledgewatch.chapters.models import Chapter

PHONE = re.compile(r"^[0-9+()./\- ]{7,}(?:\s*(?:x|ext\.?)\s*\d{1,6})?$", re.IGNORECASE)
PHONE_MESSAGE = "Enter a phone number with digits, spaces and + ( ) - only, e.g. (312) 555-0142."

# Two-letter postal codes: the states, DC and the territories that elect officials.
POSTAL_CODES = frozenset(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR VI".split()
)

# The campaign's contact details: only for a role with VIEW_CONTACTS.
CONTACT_FIELDS = ("contact_name", "email", "phone")


def _one_line(value: str) -> str:
    return " ".join(value.split())


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LocalDateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker; the value is local to the chapter."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


# --- offices and races ---------------------------------------------------------------------


class OfficeForm(forms.ModelForm):
    """An office of the chapter; name and district are unique in the chapter (ignoring case)."""

    class Meta:
        model = Office
        fields = ["name", "level", "district", "state"]
        labels = {"district": "District (optional)", "state": "State (optional)"}
        error_messages = {
            "name": {"required": "Enter the office's name, such as City Council."},
            "level": {
                "required": "Choose the level of government.",
                "invalid_choice": "Choose one of the levels listed.",
            },
        }
        widgets = {
            "state": forms.TextInput(
                attrs={"maxlength": 2, "autocapitalize": "characters", "autocomplete": "off"}
            )
        }

    def __init__(self, *args: Any, chapter: Chapter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chapter = chapter

    def clean_name(self) -> str:
        return _one_line(self.cleaned_data["name"])

    def clean_district(self) -> str:
        return _one_line(self.cleaned_data["district"])

    def clean_state(self) -> str:
        state = self.cleaned_data["state"].strip().upper()
        if state and state not in POSTAL_CODES:
            raise forms.ValidationError("Enter a two-letter postal code, such as PA or DC.")
        return state

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        name, district = cleaned.get("name"), cleaned.get("district")
        if name is not None and district is not None:
            same = Office.objects.for_chapter(self.chapter).filter(
                name__iexact=name, district__iexact=district
            )
            if self.instance.pk:
                same = same.exclude(pk=self.instance.pk)
            if same.exists():
                label = f"{name}, {district}" if district else name
                self.add_error(
                    "name",
                    f"“{label}” is already one of the chapter's offices. Use that office, or "
                    "give this one a different name or district.",
                )
        return cleaned


class RaceForm(forms.ModelForm):
    """A race for one of the chapter's offices; the filing deadline is checked against the
    election by Race.clean()."""

    class Meta:
        model = Race
        fields = ["office", "kind", "party", "election_date", "filing_deadline", "notes"]
        labels = {
            "kind": "Kind of election",
            "party": "Party (for a party primary)",
            "election_date": "Election day",
            "filing_deadline": "Filing deadline (optional)",
            "notes": "Notes (optional)",
        }
        help_texts = {"election_date": "The day of the vote."}
        widgets = {
            "election_date": date_input(),
            "filing_deadline": date_input(),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "office": {
                "required": "Choose the office this race is for.",
                "invalid_choice": "Choose one of your chapter's offices.",
            },
            "kind": {
                "required": "Choose the kind of election.",
                "invalid_choice": "Choose one of the kinds listed.",
            },
            "election_date": {
                "required": "Enter the day of the election.",
                "invalid": "Enter a date, such as 2027-03-16.",
            },
            "filing_deadline": {"invalid": "Enter a date, such as 2026-12-14."},
        }

    def __init__(self, *args: Any, chapter: Chapter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        office = self.fields["office"]
        office.queryset = Office.objects.for_chapter(chapter)  # type: ignore[attr-defined]
        office.empty_label = "Choose an office"  # type: ignore[attr-defined]
        office.help_text = "Not listed? Add the office first, from the offices page."

    def clean_party(self) -> str:
        return _one_line(self.cleaned_data["party"])


# --- candidates ----------------------------------------------------------------------------


class CandidateForm(forms.ModelForm):
    """A candidate: the race they run in (one of the chapter's), or the office in words when no
    race is recorded; the campaign's website and, for a role that may see them, its contact."""

    class Meta:
        model = Candidate
        fields = [
            "name",
            "party",
            "race",
            "office_sought",
            "website",
            "contact_name",
            "email",
            "phone",
        ]
        labels = {
            "party": "Party (optional)",
            "race": "Race (optional)",
            "office_sought": "Office sought, when no race is recorded (optional)",
            "website": "Campaign website (optional)",
            "contact_name": "Campaign contact (optional)",
            "email": "Campaign email (optional)",
            "phone": "Campaign phone (optional)",
        }
        help_texts = {
            "office_sought": (
                "For example: U.S. House, Oregon 4th district. Shown only while no race is "
                "chosen above."
            ),
            "website": "The full address, starting with https://",
            "contact_name": "The person at the campaign the chapter deals with, and their role.",
        }
        widgets = {
            "website": forms.URLInput(attrs={"inputmode": "url"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }
        error_messages = {
            "name": {"required": "Enter the candidate's name."},
            "race": {"invalid_choice": "Choose one of your chapter's races."},
            "website": {"invalid": "Enter a web address such as https://example.org/."},
            "email": {"invalid": "Enter an email address, such as name@example.org."},
        }

    def __init__(self, *args: Any, chapter: Chapter, contacts: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        race = self.fields["race"]
        race.queryset = Race.objects.for_chapter(chapter).select_related("office")  # type: ignore[attr-defined]
        race.empty_label = "No race recorded yet"  # type: ignore[attr-defined]
        race.help_text = "Not listed? Add the race first, from the races page."
        if not contacts:
            for name in CONTACT_FIELDS:
                del self.fields[name]

    def clean_name(self) -> str:
        return _one_line(self.cleaned_data["name"])

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(PHONE_MESSAGE)
        return phone


class CandidateFilterForm(forms.Form):
    """The candidate list: all, one race's candidates, or those with no race recorded."""

    NO_RACE = "none"

    race = forms.ChoiceField(
        label="Race",
        required=False,
        error_messages={"invalid_choice": "Choose one of the chapter's races."},
    )

    def __init__(self, *args: Any, races: list[Race], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["race"].choices = [  # type: ignore[attr-defined]
            ("", "All races"),
            *[(str(r.pk), str(r)) for r in races],
            (self.NO_RACE, "No race recorded"),
        ]


class CommitteeForm(forms.ModelForm):
    """A committee id for one candidate (validated by CampaignCommittee.clean)."""

    class Meta:
        model = CampaignCommittee
        fields = ["jurisdiction", "committee_id", "name"]
        labels = {"name": "Committee name (optional)"}

    def __init__(self, *args, candidate: Candidate, **kwargs) -> None:
        super().__init__(*args, instance=CampaignCommittee(candidate=candidate), **kwargs)
        self.candidate = candidate

    def clean_committee_id(self) -> str:
        return self.cleaned_data["committee_id"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        cid = cleaned.get("committee_id")
        if (
            cid
            and self.candidate.committees.filter(
                jurisdiction=cleaned.get("jurisdiction"), committee_id=cid
            ).exists()
        ):
            self.add_error("committee_id", f"{cid} is already listed for this candidate.")
        return cleaned


# --- the contact log -----------------------------------------------------------------------


class ContactLogForm(forms.ModelForm):
    """One contact with a campaign, as it happened (never in the future)."""

    kind = forms.ChoiceField(
        label="Kind of contact",
        choices=ContactKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the kind of contact.",
            "invalid_choice": "Choose one of the kinds listed.",
        },
    )

    class Meta:
        model = ContactLogEntry
        fields = ["kind", "happened_at", "people", "summary"]
        labels = {"happened_at": "When"}
        widgets = {
            "happened_at": LocalDateTimeInput(),
            "summary": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {"summary": "What each side said, and anything promised or asked for."}
        error_messages = {
            "happened_at": {
                "required": "Enter the date and time of the contact.",
                "invalid": "Enter a date and time, such as 2026-05-04 14:30.",
            },
            "people": {"required": "Say who took part, on both sides."},
            "summary": {"required": "Say what was said."},
        }

    def __init__(self, *args: Any, chapter: Chapter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tz = chapter.timezone.replace("_", " ")
        self.fields["happened_at"].help_text = f"Date and time in {tz}."
        if not self.is_bound:
            self.fields["happened_at"].initial = timezone.localtime().replace(
                second=0, microsecond=0
            )

    def clean_happened_at(self):
        when = self.cleaned_data["happened_at"]
        if when > timezone.now():
            raise forms.ValidationError(
                "That time is in the future: log a contact once it has happened."
            )
        return when

    def clean_people(self) -> str:
        return _one_line(self.cleaned_data["people"])
