"""Changes to candidates and their committees: atomic, audited, keyword-only, with by=."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from pledgewatch.candidates.models import CampaignCommittee, Candidate
from pledgewatch.chapters.models import Chapter
from pledgewatch.core.audit import record


@transaction.atomic
def add_candidate(*, chapter: Chapter, name: str, by: Any, **fields: Any) -> Candidate:
    """A new candidate, with its endorsement record at "considering". `fields`: party,
    office_sought, website, race, contact_name, email, phone."""
    from pledgewatch.endorsements.services import endorsement_for

    candidate = Candidate(chapter=chapter, name=name, **fields)
    candidate.full_clean()
    candidate.save()
    endorsement_for(candidate)
    record(
        "candidate.added",
        by=by,
        chapter=chapter,
        obj=candidate,
        data={"name": name, **{k: str(v) if v is not None else "" for k, v in fields.items()}},
    )
    return candidate


@transaction.atomic
def add_committee(
    *, candidate: Candidate, jurisdiction: str, committee_id: str, name: str, by: Any
) -> CampaignCommittee:
    committee = CampaignCommittee.objects.create(
        candidate=candidate, jurisdiction=jurisdiction, committee_id=committee_id, name=name
    )
    record(
        "candidate.committee_added",
        by=by,
        chapter=candidate.chapter,
        obj=candidate,
        data={"jurisdiction": jurisdiction, "committee_id": committee_id, "name": name},
    )
    return committee


@transaction.atomic
def remove_committee(*, committee: CampaignCommittee, by: Any) -> None:
    """Forget a committee id. Filings already imported for it stay, with their findings."""
    candidate = committee.candidate
    data = {
        "jurisdiction": committee.jurisdiction,
        "committee_id": committee.committee_id,
        "name": committee.name,
    }
    committee.delete()
    record("candidate.committee_removed", by=by, chapter=candidate.chapter, obj=candidate,
           data=data)  # fmt: skip
