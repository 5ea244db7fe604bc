from __future__ import annotations

import zoneinfo

from django import forms
from django.conf import settings

from pledgewatch.chapters import roster
from pledgewatch.chapters.models import Chapter, MemberStatus, RosterFormat
from pledgewatch.core.permissions import Role

US_TIMEZONES = sorted(
    tz for tz in zoneinfo.available_timezones() if tz.startswith(("America/", "Pacific/Honolulu"))
)

ENCODINGS = [
    ("utf-8", "UTF-8 (DSA's export, “CSV UTF-8” from Excel, Google Sheets)"),
    ("cp1252", "Windows-1252 (plain “CSV” from Excel on Windows)"),
    ("latin-1", "Latin-1 (ISO-8859-1)"),
    ("utf-16", "UTF-16 (“Unicode text” from Excel)"),
]


class ChapterSettingsForm(forms.ModelForm):
    timezone = forms.ChoiceField(choices=[(tz, tz) for tz in US_TIMEZONES])

    class Meta:
        model = Chapter
        fields = [
            "name",
            "timezone",
            "endorsement_threshold",
            "abstention_rule",
            "quorum_percent",
            "rescission_petition_size",
        ]
        widgets = {
            "endorsement_threshold": forms.RadioSelect,
            "abstention_rule": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.timezone
        if current and current not in US_TIMEZONES:
            self.fields["timezone"].choices = [(current, current), *self.fields["timezone"].choices]


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="Roster file (.csv)",
        help_text="DSA's national membership export as it comes, or any CSV with a header row.",
    )
    format = forms.ChoiceField(
        label="Kind of file",
        choices=[("", "Detect from the header row"), *RosterFormat.choices],
        required=False,
    )
    encoding = forms.ChoiceField(label="Text encoding", choices=ENCODINGS, initial="utf-8")
    full_snapshot = forms.BooleanField(
        label="This file is the complete list: mark members missing from it as lapsed",
        required=False,
        initial=True,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.ROSTER_MAX_UPLOAD_MB * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError(
                f"This file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                f"{settings.ROSTER_MAX_UPLOAD_MB} MB. A chapter's DSA export is far smaller: "
                f"check that this is the right file, or ask your site's maintainer to raise "
                f"ROSTER_MAX_UPLOAD_MB."
            )
        return upload


class MappingForm(forms.Form):
    """For a generic CSV: which column holds each field."""

    default_status = forms.ChoiceField(
        label="Status of everyone in this file (used when no column is chosen for Status)",
        choices=[("", "—"), *MemberStatus.choices],
        required=False,
    )

    def __init__(self, *args, headers: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "— not in this file —"), *[(h, h) for h in headers if h]]
        guesses = roster.guess_mapping(headers)
        for name, label in roster.FIELD_LABELS.items():
            required = name in roster.REQUIRED[RosterFormat.GENERIC]
            self.fields[f"map_{name}"] = forms.ChoiceField(
                label=f"{label}{' (required)' if required else ''}",
                choices=choices,
                required=required,
                initial=guesses.get(name, ""),
            )

    def clean(self):
        cleaned = super().clean()
        used: dict[str, str] = {}
        for name in roster.FIELD_LABELS:
            header = cleaned.get(f"map_{name}")
            if header:
                if header in used:
                    other = roster.FIELD_LABELS[used[header]]
                    self.add_error(
                        f"map_{name}", f"Column “{header}” is already chosen for {other}."
                    )
                used[header] = name
        if not cleaned.get("map_status") and not cleaned.get("default_status"):
            self.add_error(
                "default_status", "Choose a Status column, or the status of everyone in the file."
            )
        return cleaned

    def mapping(self) -> dict[str, str]:
        return {n: self.cleaned_data.get(f"map_{n}") or "" for n in roster.FIELD_LABELS}


class MemberFilterForm(forms.Form):
    q = forms.CharField(label="Search name, email, id or ZIP", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status", choices=[("", "Any status"), *MemberStatus.choices], required=False
    )


class RoleForm(forms.Form):
    email = forms.EmailField(label="Email address")
    name = forms.CharField(label="Name", max_length=150, required=False)
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.MEMBER)


class ChangeRoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)
