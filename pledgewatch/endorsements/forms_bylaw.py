"""Forms for the rescission by-law, the chapter's resources and sending the talking points.
Input validation only: the rules live in services_bylaw, which checks them again."""

from __future__ import annotations

from typing import Any

from django import forms

from pledgewatch.chapters.models import Chapter
from pledgewatch.endorsements.models import RescissionBylaw, Resource
from pledgewatch.endorsements.services_bylaw import (
    Adoption,
    SendError,
    chapter_today,
    check_address,
)

TEXT_HELP = (
    "Paragraphs are separated by a blank line. Links are shown as links. Members and the "
    "public read this text once it is adopted."
)


class BylawDraftForm(forms.Form):
    text = forms.CharField(
        label="By-law text",
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=TEXT_HELP,
        error_messages={"required": "The by-law needs its text."},
    )


def _count(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=1_000_000,
        error_messages={
            "max_value": "That is more votes than any chapter has members: check the count.",
            "required": "Give the count (0 if none).",
            "min_value": "A count cannot be below zero.",
            "invalid": "Give a whole number, such as 42.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )


class AdoptionForm(forms.Form):
    """The text the chapter adopted and the vote that adopted it: for the first adoption and
    for each amendment (then `current` is the adopted by-law it amends)."""

    text = forms.CharField(
        label="By-law text, as adopted",
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=TEXT_HELP,
        error_messages={"required": "The by-law needs its text."},
    )
    adopted_on = forms.DateField(
        label="Date of the vote",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Give the date the chapter voted.",
            "invalid": "Give a date such as 2026-09-20.",
        },
    )
    adopted_by_body = forms.CharField(
        label="Adopted by",
        max_length=200,
        help_text="The body that voted: for example, General meeting, or an online vote of "
        "members in good standing.",
        error_messages={"required": "Say which body adopted the by-law."},
    )
    votes_yes = _count("Yes votes")
    votes_no = _count("No votes")
    votes_abstain = _count("Abstentions")
    minutes_url = forms.URLField(
        label="Link to the minutes (optional)",
        required=False,
        max_length=200,
        help_text="Where members can read the record of the vote.",
        error_messages={"invalid": "Give a full web address, such as https://example.org/minutes."},
    )

    def __init__(
        self, *args: Any, chapter: Chapter, current: RescissionBylaw | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.chapter = chapter
        self.current = current

    def clean_adopted_on(self):
        day = self.cleaned_data["adopted_on"]
        today = chapter_today(self.chapter)
        if day > today:
            raise forms.ValidationError(
                f"The date cannot be in the future (today is {today:%-d %B %Y} in the chapter's "
                "time zone). Record the adoption after the vote."
            )
        if self.current is not None and self.current.adopted_on and day < self.current.adopted_on:
            raise forms.ValidationError(
                "An amendment cannot be dated before the by-law it amends (adopted "
                f"{self.current.adopted_on:%-d %B %Y})."
            )
        return day

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if self.current is not None and text == self.current.text.strip():
            raise forms.ValidationError(
                "This is the text already adopted: change it to record an amendment."
            )
        return text

    def clean(self):
        cleaned = super().clean()
        yes, no = cleaned.get("votes_yes"), cleaned.get("votes_no")
        if yes is not None and no is not None and yes <= no:
            self.add_error(
                "votes_yes",
                "A by-law is adopted only with more yes votes than no votes: check the counts.",
            )
        return cleaned

    def adoption(self) -> Adoption:
        d = self.cleaned_data
        return Adoption(
            adopted_on=d["adopted_on"],
            adopted_by_body=d["adopted_by_body"].strip(),
            votes_yes=d["votes_yes"],
            votes_no=d["votes_no"],
            votes_abstain=d["votes_abstain"],
            minutes_url=d["minutes_url"],
        )


class ResourceForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = ["title", "url", "description", "position"]
        labels = {
            "url": "Link",
            "description": "Why it helps (optional)",
            "position": "Order in the packet",
        }
        help_texts = {
            "title": "As candidates will read it, for example: Our chapter's M4A canvass report.",
            "url": "A full web address, starting with https://.",
            "description": "One or two sentences, shown under the link.",
            "position": "Lower numbers come first.",
        }
        error_messages = {
            "title": {"required": "Give the resource a title."},
            "url": {
                "required": "Give the link.",
                "invalid": "Give a full web address, such as https://example.org/report.",
            },
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class SendTalkingPointsForm(forms.Form):
    # A CharField, not an EmailField: the address is checked as a whole (a line break in it is
    # reported as such, not as a generic invalid address).
    to = forms.CharField(
        label="To",
        strip=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="The campaign's email address, or another one for this candidate.",
        error_messages={"required": "Give the address to send the packet to."},
    )
    message = forms.CharField(
        label="A personal message (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Goes at the top of the email, above the packet.",
    )

    def clean_to(self) -> str:
        try:
            return check_address(self.cleaned_data["to"])
        except SendError as exc:
            raise forms.ValidationError(str(exc)) from None
