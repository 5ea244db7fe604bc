"""Input validation for the pipeline pages: moves, waivers, the finance decision, gate settings.
The rules about what may change (the stage machine, the gates) live in services."""

from __future__ import annotations

from typing import Any

from django import forms

from pledgewatch.candidates.models import Race
from pledgewatch.endorsements import states
from pledgewatch.endorsements.models import Endorsement, Gate, Stage

# Moves that publish the chapter's statement with the result.
STATEMENT_STAGES = frozenset({Stage.ENDORSED, Stage.DECLINED, Stage.RESCINDED})


class RaceFilterForm(forms.Form):
    race = forms.ModelChoiceField(
        queryset=Race.objects.none(),
        required=False,
        empty_label="All races",
        error_messages={"invalid_choice": "Choose one of the chapter's races."},
    )

    def __init__(self, *args: Any, chapter: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["race"].queryset = Race.objects.for_chapter(chapter).select_related("office")


# No chapter has a million members; the database's integers stop at about two billion.
MAX_COUNT = 1_000_000


class MoveForm(forms.Form):
    """A move the stage machine allows from the endorsement's stage. The gates are checked by
    services.move(), whose refusal the view shows as this form's error."""

    to = forms.ChoiceField(
        label="Move to",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose where the candidate moves.",
            "invalid_choice": "That move is not open from this stage.",
        },
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded with the move, with your name and the time.",
        error_messages={"required": "Say why: every move is recorded with its reason."},
    )
    votes_yes = forms.IntegerField(
        label="Yes votes", min_value=0, max_value=MAX_COUNT, required=False,
        error_messages={
            "max_value": "That is more votes than any chapter has members: check the count.",
            "invalid": "Enter the number of yes votes as a whole number.",
            "min_value": "A count cannot be negative.",
        },
    )  # fmt: skip
    votes_no = forms.IntegerField(
        label="No votes", min_value=0, max_value=MAX_COUNT, required=False,
        error_messages={
            "max_value": "That is more votes than any chapter has members: check the count.",
            "invalid": "Enter the number of no votes as a whole number.",
            "min_value": "A count cannot be negative.",
        },
    )  # fmt: skip
    votes_abstain = forms.IntegerField(
        label="Abstentions", min_value=0, max_value=MAX_COUNT, required=False,
        error_messages={
            "max_value": "That is more votes than any chapter has members: check the count.",
            "invalid": "Enter the number of abstentions as a whole number.",
            "min_value": "A count cannot be negative.",
        },
    )  # fmt: skip
    statement = forms.CharField(
        label="Public statement",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Published with the result (endorsed, not endorsed, or rescinded).",
    )

    VOTE_FIELDS = ("votes_yes", "votes_no", "votes_abstain")

    def __init__(self, *args: Any, endorsement: Endorsement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.endorsement = endorsement
        current = endorsement.stage
        self.fields["to"].choices = [
            (to, states.action_label(current, to)) for to in states.ALLOWED.get(current, ())
        ]
        self.takes_votes = current == Stage.VOTE
        self.takes_statement = any(to in STATEMENT_STAGES for to in states.ALLOWED.get(current, ()))
        if not self.takes_votes:
            for name in self.VOTE_FIELDS:
                del self.fields[name]
        if not self.takes_statement:
            del self.fields["statement"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        to = data.get("to")
        if self.takes_votes:
            counts = [data.get(name) for name in self.VOTE_FIELDS]
            given = [c is not None for c in counts]
            if any(given) and not all(given):
                raise forms.ValidationError(
                    "Give the yes, no and abstain counts together (0 where there were none), "
                    "or leave all three blank."
                )
            if all(given) and to and to not in states.VOTE_OUTCOMES:
                raise forms.ValidationError(
                    "Counts are recorded only with the vote's result (endorsed or not "
                    "endorsed): leave them blank to send the candidate back."
                )
        return data

    def get_votes(self) -> tuple[int, int, int] | None:
        """(yes, no, abstain) as given, for a move out of the vote; None otherwise."""
        if not self.takes_votes:
            return None
        counts = [self.cleaned_data.get(name) for name in self.VOTE_FIELDS]
        if any(c is None for c in counts):
            return None
        return (counts[0], counts[1], counts[2])

    def get_statement(self) -> str | None:
        """The public statement, for a move that publishes one; None otherwise."""
        if self.cleaned_data.get("to") not in STATEMENT_STAGES:
            return None
        return self.cleaned_data.get("statement") or ""


def gate_auto_id(prefix: str, gate: Any) -> str:
    """Field ids for one gate's form among several on a page: the names stay plain."""
    gate = gate if gate in Gate.values else "gate"
    return f"id_{prefix}_{gate}_%s"


class WaiveForm(forms.Form):
    """Waive one gate for one candidate: the reason is shown publicly. Build it with
    auto_id=gate_auto_id("waive", gate), as there is one per unmet gate on the page."""

    gate = forms.ChoiceField(choices=Gate.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Reason for the waiver (shown publicly)",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown with the endorsement to members, the press and the public.",
        error_messages={"required": "A waiver needs a written reason: it is shown publicly."},
    )


class FinanceDecisionForm(forms.Form):
    text = forms.CharField(
        label="The committee's decision and why",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "For example: the committee reviewed the open findings and goes ahead because ... "
            "It stands for the finance gate until a newer finding appears."
        ),
        error_messages={"required": "Write the committee's decision and why."},
    )


class GateSettingForm(forms.Form):
    """Turn one gate on or off for every candidate of the chapter (one form per gate: build it
    with auto_id=gate_auto_id("gate", gate))."""

    gate = forms.ChoiceField(choices=Gate.choices, widget=forms.HiddenInput)
    enabled = forms.TypedChoiceField(
        choices=[("on", "On"), ("off", "Off")],
        coerce=lambda v: v == "on",
        widget=forms.HiddenInput,
        error_messages={"required": "Choose on or off."},
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Required to turn a gate off; recorded with your name.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("enabled") is False and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why the chapter turns this gate off.")
        return data
