"""Changes to candidates and their committees: atomic, audited, keyword-only, with by=."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from pledgewatch.candidates.models import CampaignCommittee, Candidate
from pledgewatch.chapters.models import Chapter
from pledgewatch.core.audit import record


@transaction.atomic
def add_candidate(
    *, chapter: Chapter, name: str, party: str, office_sought: str, website: str, by: Any
) -> Candidate:
    candidate = Candidate.objects.create(
        chapter=chapter, name=name, party=party, office_sought=office_sought, website=website
    )
    record(
        "candidate.added",
        by=by,
        chapter=chapter,
        obj=candidate,
        data={"name": name, "party": party, "office_sought": office_sought, "website": website},
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
