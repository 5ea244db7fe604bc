"""Input validation for the pledge, ballot-access and questionnaire-record forms.

Each form takes `today` (the chapter's local date) so that "cannot be in the future" means the
chapter's today, not the server's."""

from __future__ import annotations

from datetime import date
from pathlib import PurePath
from typing import Any

from django import forms
from django.core.validators import URLValidator

from pledgewatch.candidates.models import Candidate
from pledgewatch.endorsements.models import (
    BallotAccess,
    BallotStatus,
    Pledge,
    QuestionnaireRecord,
)
from pledgewatch.endorsements.services_evidence import (
    EXTENSIONS,
    MAX_DOCUMENT_MB,
    read_head,
    sniff_document,
)

WEB_URL = URLValidator(
    schemes=["http", "https"], message="Enter a web address starting with https:// or http://."
)


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


class EvidenceForm(forms.ModelForm):
    """Shared: dates no later than the chapter's today; web addresses http(s) only."""

    no_future: tuple[str, ...] = ()
    web_urls: tuple[str, ...] = ()

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        for name in self.no_future:
            field = self.fields[name]
            field.widget = date_input()
            field.widget.attrs["max"] = today.isoformat()
        for name in self.web_urls:
            # Only web addresses: they are shown as links.
            self.fields[name].validators = [WEB_URL]
            self.fields[name].error_messages["invalid"] = WEB_URL.message

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name in self.no_future:
            value = cleaned.get(name)
            if value and value > self.today:
                self.add_error(
                    name, f"This date cannot be in the future (today is {_day(self.today)})."
                )
        return cleaned


# --- pledge --------------------------------------------------------------------------------


class PledgeForm(EvidenceForm):
    no_future = ("made_on",)
    web_urls = ("url",)

    upload = forms.FileField(
        label="Upload a copy (PDF, PNG or JPEG)",
        required=False,
        help_text=(
            f"Up to {MAX_DOCUMENT_MB} MB. A scan or screenshot of the statement, for when the "
            "link might go away. Uploading replaces the current copy."
        ),
        widget=forms.FileInput(
            attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}
        ),
    )
    remove_document = forms.BooleanField(label="Remove the stored copy", required=False)

    class Meta:
        model = Pledge
        fields = ["text", "made_on", "url", "scope"]
        labels = {
            "text": "The statement, as published",
            "made_on": "Date of the statement",
            "url": "Link to the public statement",
            "scope": "What the pledge refuses",
        }
        help_texts = {
            "text": "Copy the candidate's words exactly.",
            "url": "Where anyone can read it: the campaign's site, a news story, a post.",
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "scope": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = "Copy the statement's text here."
        self.fields["made_on"].error_messages["required"] = "Give the date of the statement."
        if not (self.instance.pk and self.instance.document):
            del self.fields["remove_document"]

    def clean_upload(self) -> Any:
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        kind = EXTENSIONS.get(PurePath(upload.name).suffix.lower())
        if kind is None:
            raise forms.ValidationError(
                "Upload a PDF, PNG or JPEG file (.pdf, .png, .jpg). Other files, web pages "
                "among them, are not accepted."
            )
        if upload.size > MAX_DOCUMENT_MB * 1024 * 1024:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_DOCUMENT_MB} MB. Try a smaller scan or a screenshot."
            )
        content = sniff_document(read_head(upload))
        if content is None:
            raise forms.ValidationError(
                f"This file is named .{PurePath(upload.name).suffix.lower()[1:]} but its "
                "content is not a PDF, PNG or JPEG. Save or export it as one of those and "
                "upload it again."
            )
        if content.content_type != kind.content_type:
            raise forms.ValidationError(
                f"This file is named as a {kind.label} but its content is a {content.label}. "
                "Rename it to match, or save it again in the right format."
            )
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("upload") and cleaned.get("remove_document"):
            self.add_error(
                "remove_document",
                "Either upload a new copy or remove the stored one, not both.",
            )
        return cleaned


# --- ballot access -------------------------------------------------------------------------


def _count_field(label: str, *, required: bool, help_text: str, negative: str) -> forms.Field:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        help_text=help_text,
        error_messages={"min_value": negative, "invalid": "Enter a whole number, like 1200."},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )


class BallotAccessForm(EvidenceForm):
    no_future = ("verified_on",)
    web_urls = ("source_url",)

    signatures_required = _count_field(
        "Signatures required",
        required=False,
        help_text="Valid signatures the filing needs. 0 if none; blank if not known yet.",
        negative="Signatures required cannot be negative: 0 means none are needed.",
    )
    signatures_gathered = _count_field(
        "Signatures gathered so far",
        required=True,
        help_text="The campaign's latest count.",
        negative="Signatures gathered cannot be negative.",
    )
    fee = forms.DecimalField(
        label="Filing fee ($)",
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text="Blank if there is none.",
        error_messages={
            "min_value": "The fee cannot be negative.",
            "invalid": "Enter an amount in dollars, like 50 or 750.00.",
            "max_decimal_places": "Give the fee in dollars and cents, like 750.00.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "min": 0, "step": "0.01"}),
    )

    class Meta:
        model = BallotAccess
        fields = [
            "signatures_required",
            "signatures_gathered",
            "fee",
            "fee_paid",
            "filing_deadline",
            "source_url",
            "status",
            "verified_on",
            "notes",
        ]
        labels = {
            "fee_paid": "The fee is paid",
            "verified_on": "Status verified on",
        }
        help_texts = {
            "verified_on": (
                "When someone checked the status against the official candidate list. "
                "Required for “On the ballot”."
            ),
        }
        widgets = {
            "filing_deadline": date_input(),
            "status": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, candidate: Candidate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.race = candidate.race if candidate.race_id else None
        self.fields["signatures_gathered"].error_messages["required"] = (
            "Enter the signatures gathered so far (0 if none yet)."
        )
        deadline = self.fields["filing_deadline"]
        if self.race and self.race.filing_deadline:
            deadline.help_text = (
                f"The race's filing deadline is {_day(self.race.filing_deadline)}; leave this "
                "blank to use it."
            )
            if not self.instance.pk and not self.initial.get("filing_deadline"):
                self.initial["filing_deadline"] = self.race.filing_deadline
        else:
            deadline.help_text = "The last day to file. Reminders go to the committee before it."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        deadline = cleaned.get("filing_deadline")
        if deadline is None and "filing_deadline" not in self.errors and self.race:
            cleaned["filing_deadline"] = deadline = self.race.filing_deadline
        if deadline and self.race and deadline > self.race.election_date:
            self.add_error(
                "filing_deadline",
                "The filing deadline must be on or before the election "
                f"({_day(self.race.election_date)}).",
            )
        status = cleaned.get("status")
        if (
            status == BallotStatus.ON_BALLOT
            and not cleaned.get("verified_on")
            and "verified_on" not in self.errors
        ):
            self.add_error(
                "verified_on",
                "Give the date someone checked the official candidate list: a candidate counts "
                "as on the ballot once that is verified.",
            )
        return cleaned


# --- questionnaire record ------------------------------------------------------------------


class NullBooleanRadio(forms.RadioSelect):
    """Yes / no / not yet as radio buttons, with "not yet" checked for None."""

    def format_value(self, value: Any) -> list[str]:
        if value in (True, "True", "true", "1"):
            return ["true"]
        if value in (False, "False", "false", "0"):
            return ["false"]
        return ["unknown"]


MEETS_MINIMUM_CHOICES = [
    ("unknown", "Not evaluated yet"),
    ("true", "Yes: the answers meet all three"),
    ("false", "No: the answers fall short of at least one"),
]


class QuestionnaireRecordForm(EvidenceForm):
    no_future = ("sent_on", "answered_on", "evaluated_on", "published_on")
    web_urls = ("published_url",)

    meets_minimum = forms.NullBooleanField(
        label="Do the answers meet the guide's minimum criteria?",
        required=False,
        widget=NullBooleanRadio(choices=MEETS_MINIMUM_CHOICES),
    )

    class Meta:
        model = QuestionnaireRecord
        fields = [
            "sent_on",
            "answered_on",
            "evaluated_on",
            "meets_minimum",
            "evaluation",
            "published_on",
            "published_url",
        ]
        labels = {
            "sent_on": "Sent to the candidate on",
            "answered_on": "Answers received on",
            "evaluated_on": "Evaluated by the committee on",
            "evaluation": "Evaluation notes",
            "published_on": "Answers published on",
            "published_url": "Where the answers are published",
        }
        help_texts = {
            "evaluation": "What the committee found, criterion by criterion.",
            "published_url": "A page members and the press can read.",
        }
        widgets = {"evaluation": forms.Textarea(attrs={"rows": 6})}

    # (later step, earlier step, message when the earlier date is missing, when it is later)
    ORDER = (
        (
            "answered_on",
            "sent_on",
            "Record when the questionnaire was sent before its answers.",
            "The answers cannot come before the questionnaire was sent ({earlier}).",
        ),
        (
            "evaluated_on",
            "answered_on",
            "Record when the answers came in before their evaluation.",
            "The evaluation cannot come before the answers were received ({earlier}).",
        ),
        (
            "published_on",
            "evaluated_on",
            "Record the committee's evaluation before the publication.",
            "The answers cannot be published before they were evaluated ({earlier}).",
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for later, earlier, missing, before in self.ORDER:
            later_day, earlier_day = cleaned.get(later), cleaned.get(earlier)
            if not later_day or later in self.errors:
                continue
            if not earlier_day:
                if earlier not in self.errors:
                    self.add_error(later, missing)
            elif later_day < earlier_day:
                self.add_error(later, before.format(earlier=_day(earlier_day)))
        evaluated = cleaned.get("evaluated_on")
        meets = cleaned.get("meets_minimum")
        if evaluated and meets is None:
            self.add_error(
                "meets_minimum",
                "Say whether the answers meet the guide's minimum criteria: the evaluation is "
                "not complete without it.",
            )
        if meets is not None and not evaluated and "evaluated_on" not in self.errors:
            self.add_error("evaluated_on", "Give the date of the committee's evaluation.")
        published, url = cleaned.get("published_on"), cleaned.get("published_url")
        if published and not url and "published_url" not in self.errors:
            self.add_error(
                "published_url",
                "Give the address where the answers are published: the public link is the "
                "point of publishing.",
            )
        if url and not published and "published_on" not in self.errors:
            self.add_error("published_on", "Give the date the answers were published.")
        return cleaned
