from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from pledgewatch.campaigns.models import STRATEGY_QUESTIONS, Campaign, Decision, StrategyReview

ANSWER_MAX = 10_000
REASON_MAX = 5_000
DESCRIPTION_MAX = 2_000  # a campaign's


def answer_field(key: str) -> str:
    return f"answer_{key}"


class StrategyForm(forms.Form):
    """The six answers and the decision. A decision to pursue electoral work or not needs its
    reason and the date it was made (today or earlier, in the chapter's time zone)."""

    decision = forms.ChoiceField(
        label="Should the chapter pursue electoral work as part of this campaign?",
        choices=Decision.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Why",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required for a decision: what the committee weighed and why it decided.",
    )
    decided_on = forms.DateField(
        label="Date of the decision",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Required for a decision (today or earlier). Left empty while undecided.",
    )
    # The latest revision number the editor saw, so a concurrent save is not overwritten.
    base = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self, *args: Any, review: StrategyReview, base: int, today: dt.date, **kwargs: Any
    ) -> None:
        initial = {answer_field(key): answer for key, _q, answer in review.answer_list()} | {
            "decision": review.decision,
            "reason": review.reason,
            "decided_on": review.decided_on,
            "base": base,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.today = today
        answers = {
            answer_field(key): forms.CharField(
                label=f"{i}. {question}",
                required=False,
                max_length=ANSWER_MAX,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
            for i, (key, question) in enumerate(STRATEGY_QUESTIONS, start=1)
        }
        # The questions first, in the guide's order, then the decision.
        self.fields = answers | self.fields

    def answer_fields(self) -> list[forms.BoundField]:
        return [self[answer_field(key)] for key, _q in STRATEGY_QUESTIONS]

    def decision_fields(self) -> list[forms.BoundField]:
        return [self["decision"], self["reason"], self["decided_on"]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision not in (Decision.PURSUE, Decision.NOT_NOW):
            return cleaned  # undecided: no date is kept (services.save_strategy)
        if not (cleaned.get("reason") or "").strip() and "reason" not in self.errors:
            self.add_error("reason", "A decision needs its reason: say why the committee decided.")
        decided_on = cleaned.get("decided_on")
        if decided_on is None and "decided_on" not in self.errors:
            self.add_error("decided_on", "A decision needs the date the committee made it.")
        elif decided_on and decided_on > self.today:
            self.add_error(
                "decided_on",
                f"The date cannot be in the future (today is {self.today:%-d %B %Y}).",
            )
        return cleaned

    def answers(self) -> dict[str, str]:
        return {key: self.cleaned_data[answer_field(key)] for key, _q in STRATEGY_QUESTIONS}


class CampaignForm(forms.ModelForm):
    """An issue campaign's name (unique in the chapter) and what it is about."""

    class Meta:
        model = Campaign
        fields = ["name", "description"]
        labels = {"name": "Name of the campaign", "description": "What the campaign is about"}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"name": "For example: Medicare for All, or Housing for All."}

    def __init__(self, *args: Any, chapter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chapter = chapter
        self.fields["description"].widget.attrs["maxlength"] = DESCRIPTION_MAX

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())  # required: never empty here
        taken = Campaign.objects.filter(chapter=self.chapter, name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("The chapter already has a campaign by this name.")
        return name

    def clean_description(self) -> str:
        description = self.cleaned_data["description"].strip()
        if len(description) > DESCRIPTION_MAX:
            raise forms.ValidationError("Keep the description under 2,000 characters.")
        return description
