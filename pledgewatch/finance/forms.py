"""Input validation only: the rules about what may change live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from pledgewatch.candidates.models import FEC_COMMITTEE_ID, Candidate, Jurisdiction
from pledgewatch.finance.models import (
    RULE_SHORT,
    ChapterPolicy,
    ConflictOrganization,
    FindingStatus,
    NeverFlagEntry,
    ReviewDecision,
    Tier,
)
from pledgewatch.finance.services import (
    AUTO_MAPPING,
    CUSTOM_MAPPING,
    FEC_MAPPING,
    never_flag_conflicts,
    organization_conflicts,
)


def mapping_choices() -> list[tuple[str, str]]:
    from pledgewatch.finance.importers import tabular

    return [
        (AUTO_MAPPING, "Detect from the file"),
        (FEC_MAPPING, "FEC .fec/.zip (no mapping)"),
        *[(name, p.get("label", name)) for name, p in tabular.PRESETS.items()],
        (CUSTOM_MAPPING, "Other spreadsheet (.csv, .xlsx): choose the columns next"),
    ]


class LinesField(forms.CharField):
    """A list edited as text, one item per line (blank lines and repeats dropped)."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        items: dict[str, None] = {}
        for line in str(text).splitlines():
            line = " ".join(line.split())
            if line:
                items[line] = None
        return list(items)

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.to_python(self.prepare_value(initial)) != self.to_python(data)


class CommitteeIdsField(LinesField):
    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        return [v.upper() for v in super().to_python(value)]

    def validate(self, value: Any) -> None:
        super().validate(value)
        bad = [v for v in value if not FEC_COMMITTEE_ID.match(v)]
        if bad:
            raise ValidationError(
                f"Not an FEC committee id: {', '.join(bad)}. An id is C followed by eight "
                "digits, one per line: C00274431."
            )


class SourcesField(LinesField):
    """Sources as “claim | https://…” lines; stored as [{claim, url}]."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(
                f"{s.get('claim', '')} | {s.get('url', '')}" if isinstance(s, dict) else str(s)
                for s in value
            )
        return value

    def to_python(self, value: Any) -> list[dict[str, str]]:  # type: ignore[override]
        out = []
        for line in super().to_python(value):
            claim, _, url = line.rpartition("|") if "|" in line else ("", "", line)
            out.append({"claim": claim.strip(), "url": url.strip()})
        return out

    def validate(self, value: Any) -> None:
        super().validate(value)
        check = URLValidator(schemes=["http", "https"])
        for source in value:
            try:
                check(source["url"])
            except ValidationError:
                raise ValidationError(
                    f"“{source['url']}” is not a web address. Write each source as "
                    "“what it shows | https://…”, one per line."
                ) from None


# --- imports ------------------------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Filing or spreadsheet",
        help_text="An FEC electronic filing (.fec, or a .zip of them, as fec.gov offers it), "
        "or a spreadsheet (.csv, .tsv, .txt, .xlsx) from a state or city system or from the "
        "campaign.",
    )
    mapping = forms.ChoiceField(label="Kind of file", choices=mapping_choices)
    sheet = forms.CharField(
        label="Sheet (an .xlsx with several)",
        required=False,
        max_length=100,
        help_text="Leave empty for the first sheet.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.FINANCE_MAX_UPLOAD_MB * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError(
                f"This file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                f"{settings.FINANCE_MAX_UPLOAD_MB} MB. Upload it as a .zip (a filing compresses "
                f"well), or ask your site's maintainer to raise FINANCE_MAX_UPLOAD_MB."
            )
        return upload


class ApiFetchForm(forms.Form):
    committee_id = forms.ChoiceField(label="Committee")
    cycle = forms.IntegerField(
        label="Election cycle (two-year period)",
        required=False,
        min_value=1980,
        max_value=2100,
        help_text="The even year that ends it: 2024 covers 2023 and 2024. Empty: every cycle.",
    )

    def __init__(self, *args: Any, candidate: Candidate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        committees = candidate.committees.filter(jurisdiction=Jurisdiction.FEC)
        self.fields["committee_id"].choices = [
            (c.committee_id, f"{c.committee_id} {c.name}".strip()) for c in committees
        ]


class ColumnMappingForm(forms.Form):
    """For a spreadsheet that matches no layout: which column holds each detail.

    `required` names the details that must have a column; they are marked in the label and
    with `required` (or `aria-required`). `alternatives` maps a required detail to others that
    can stand in for it (a contributor's name, or the last name of a file that splits names):
    such a detail is marked required, with the alternative in its help text, and the form
    refuses a mapping that has neither."""

    def __init__(
        self,
        *args: Any,
        headers: list[str],
        fields: dict[str, str],
        required: set[str],
        guesses: dict[str, str],
        alternatives: dict[str, tuple[str, ...]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.mapped = list(fields)
        self.labels = dict(fields)
        self.alternatives = {
            name: tuple(o for o in others if o in fields)
            for name, others in (alternatives or {}).items()
            if name in required and name in fields
        }
        choices = [("", "— not in this file —"), *[(h, h) for h in headers if h]]
        for name, label in fields.items():
            needed = name in required
            others = self.alternatives.get(name, ())
            field = forms.ChoiceField(
                label=f"{label} (required)" if needed else label,
                choices=choices,
                # A detail another column can stand in for is checked in clean().
                required=needed and not others,
                initial=guesses.get(name, ""),
                error_messages={"required": f"Choose the column that holds the {label.lower()}."},
            )
            if needed:
                field.widget.attrs["aria-required"] = "true"
            if others:
                names = " or ".join(f"“{fields[o]}”" for o in others)
                field.help_text = f"Or, if the file splits it up, choose {names} below."
            self.fields[f"map_{name}"] = field

    def clean(self):
        cleaned = super().clean()
        used: dict[str, str] = {}
        for name in self.mapped:
            header = cleaned.get(f"map_{name}")
            if header:
                if header in used:
                    other = self.labels[used[header]]
                    self.add_error(
                        f"map_{name}", f"Column “{header}” is already chosen for {other}."
                    )
                used[header] = name
        for name, others in self.alternatives.items():
            if not any(cleaned.get(f"map_{n}") for n in (name, *others)):
                names = " or ".join(f"“{self.labels[o]}”" for o in others)
                self.add_error(
                    f"map_{name}",
                    f"Choose the column that holds the {self.labels[name].lower()}, or {names}.",
                )
        return cleaned

    def mapping(self) -> dict[str, str]:
        chosen = {n: self.cleaned_data.get(f"map_{n}") for n in self.mapped}
        return {n: header for n, header in chosen.items() if header}


# --- findings -----------------------------------------------------------------------------


class FindingFilterForm(forms.Form):
    tier = forms.TypedChoiceField(
        label="Tier", choices=[("", "Any tier"), *Tier.choices], coerce=int, required=False,
        empty_value=None,
    )  # fmt: skip
    entity = forms.ChoiceField(label="Organization", required=False)
    rule = forms.ChoiceField(
        label="Rule", choices=[("", "Any rule"), *RULE_SHORT.items()], required=False
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Open, confirmed or dismissed"), *FindingStatus.choices],
        required=False,
    )
    filing = forms.ChoiceField(label="Filing", required=False)

    def __init__(
        self, *args: Any, entities: list[str], filings: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entity"].choices = [("", "Any organization"), *[(e, e) for e in entities]]
        self.fields["filing"].choices = [("", "Any filing"), *filings]


class ReviewForm(forms.Form):
    status = forms.ChoiceField(
        label="Decision",
        choices=ReviewDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose confirm, dismiss or reopen."},
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Give the reason for this decision."},
        help_text="Required: what you checked, and why you decided so. Kept with the finding.",
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Give the reason for this decision.")
        return reason


# --- the policy ---------------------------------------------------------------------------


class PolicyForm(forms.ModelForm):
    class Meta:
        model = ChapterPolicy
        fields = [
            "name", "version", "description", "committee_min", "individual_over",
            "employee_review_over", "executive_occupation_pattern",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "executive_occupation_pattern": forms.Textarea(attrs={"rows": 3}),
        }
        # The model's label says "for review", which is true only at a tier-1 organization.
        labels = {
            "employee_review_over": "Flag an ordinary employee's net total per cycle above ($)",
        }
        # The engine's rule (matching.classify): an executive counts at the organization's
        # tier, an ordinary employee one tier lower, and a tier-3 organization's employees
        # are not reported.
        help_texts = {
            "individual_over": "An executive's money counts at the organization's tier.",
            "employee_review_over": "An ordinary employee's money counts one tier lower than "
            "the organization's: tier 2 (review) at a tier-1 organization, tier 3 "
            "(informational) at a tier-2 one. Employees of tier-3 organizations are not "
            "reported.",
        }


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(label="Search names and PAC ids", required=False, max_length=100)
    tier = forms.TypedChoiceField(
        label="Tier", choices=[("", "Any tier"), *Tier.choices], coerce=int, required=False,
        empty_value=None,
    )  # fmt: skip
    industry = forms.ChoiceField(label="Industry", required=False)

    def __init__(self, *args: Any, industries: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = [("", "Any industry"), *[(i, i) for i in industries]]


class OrganizationForm(forms.ModelForm):
    aliases = LinesField(label="Aliases, one per line", help_text="Other spellings of its name.")
    brands = LinesField(label="Brands, one per line")
    subsidiaries = LinesField(label="Subsidiaries, one per line")
    former_names = LinesField(label="Former names, one per line")
    fec_committee_ids = CommitteeIdsField(
        label="FEC committee ids of its PACs, one per line", help_text="For example C00274431."
    )
    sources = SourcesField(label="Sources, one per line", help_text="“what it shows | https://…”")

    class Meta:
        model = ConflictOrganization
        fields = [
            "name", "parent", "industry", "tier", "aliases", "brands", "subsidiaries",
            "former_names", "fec_committee_ids", "sources", "pahcf_member", "notes",
        ]  # fmt: skip
        widgets = {"tier": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, policy: ChapterPolicy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy
        self.instance.policy = policy

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        others = self.policy.organizations.exclude(pk=self.instance.pk)
        if others.filter(name__iexact=name).exists():
            raise ValidationError(f"The policy already lists “{name}”.")
        return name

    def clean_fec_committee_ids(self) -> list[str]:
        ids = self.cleaned_data["fec_committee_ids"]
        problems = never_flag_conflicts(self.policy, ids)
        if problems:
            raise ValidationError(problems)
        return ids

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class NeverFlagForm(forms.ModelForm):
    aliases = LinesField(label="Other names, one per line")
    fec_committee_ids = CommitteeIdsField(label="FEC committee ids, one per line")
    sources = SourcesField(label="Sources, one per line", help_text="“what it shows | https://…”")

    class Meta:
        model = NeverFlagEntry
        fields = ["name", "aliases", "fec_committee_ids", "reason", "sources"]

    def __init__(self, *args: Any, policy: ChapterPolicy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy
        self.instance.policy = policy

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if self.policy.never_flag.exclude(pk=self.instance.pk).filter(name__iexact=name).exists():
            raise ValidationError(f"“{name}” is already on the never-flag list.")
        return name

    def clean_fec_committee_ids(self) -> list[str]:
        ids = self.cleaned_data["fec_committee_ids"]
        problems = organization_conflicts(self.policy, ids)
        if problems:
            raise ValidationError(problems)
        return ids

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class AliasForm(forms.Form):
    alias = forms.CharField(max_length=200)
    candidate = forms.IntegerField(required=False, widget=forms.HiddenInput)
