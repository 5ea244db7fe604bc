from __future__ import annotations

from django import forms

from pledgewatch.candidates.models import CampaignCommittee, Candidate


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = ["name", "party", "office_sought", "website"]


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
