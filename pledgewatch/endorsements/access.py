"""The only way views reach endorsement records: through request.chapter (see chapters.access).

get_endorsement_for(request, candidate_pk) is shared by the pipeline, evidence, by-law and public
views: it finds the candidate within the request's chapter (404 for another chapter's id) and
returns its Endorsement, creating a missing one at "considering" (services.endorsement_for).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from pledgewatch.candidates.models import Candidate
from pledgewatch.endorsements.models import Endorsement, GateWaiver
from pledgewatch.endorsements.services import endorsement_for


def get_candidate_for(request: HttpRequest, candidate_pk: int) -> Candidate:
    """The candidate `candidate_pk` of request.chapter, or 404."""
    chapter = request.chapter  # type: ignore[attr-defined]
    return get_object_or_404(
        Candidate.objects.for_chapter(chapter).select_related("race", "race__office"),
        pk=candidate_pk,
    )


def get_endorsement_for(request: HttpRequest, candidate_pk: int) -> Endorsement:
    """The Endorsement of candidate `candidate_pk` of request.chapter (404 for a candidate of
    another chapter). A candidate without one gets it now, at "considering"."""
    candidate = get_candidate_for(request, candidate_pk)
    endorsement = endorsement_for(candidate)
    endorsement.candidate = candidate  # keep the select_related candidate
    return endorsement


def get_waiver_for(request: HttpRequest, pk: int) -> GateWaiver:
    """Waiver `pk` of a candidate of request.chapter, or 404."""
    chapter = request.chapter  # type: ignore[attr-defined]
    return get_object_or_404(
        GateWaiver.objects.select_related("endorsement__candidate").filter(
            endorsement__candidate__chapter=chapter
        ),
        pk=pk,
    )
