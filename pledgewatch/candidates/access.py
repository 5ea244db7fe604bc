"""The only way views reach candidates: through request.chapter (see chapters.access)."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from pledgewatch.candidates.models import CampaignCommittee, Candidate


def get_candidate_for(request: HttpRequest, pk: int) -> Candidate:
    chapter = request.chapter  # type: ignore[attr-defined]
    return get_object_or_404(Candidate.objects.for_chapter(chapter), pk=pk)


def get_committee_for(request: HttpRequest, pk: int) -> CampaignCommittee:
    chapter = request.chapter  # type: ignore[attr-defined]
    return get_object_or_404(
        CampaignCommittee.objects.select_related("candidate").filter(candidate__chapter=chapter),
        pk=pk,
    )
