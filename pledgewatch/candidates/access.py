"""The only way views reach offices, races and candidates: through request.chapter (see
chapters.access), so an id that belongs to another chapter is a 404."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from pledgewatch.candidates.models import CampaignCommittee, Candidate, Office, Race
from pledgewatch.chapters.models import Chapter


def _chapter(request: HttpRequest) -> Chapter:
    return request.chapter  # type: ignore[attr-defined]


def get_office_for(request: HttpRequest, pk: int) -> Office:
    return get_object_or_404(Office.objects.for_chapter(_chapter(request)), pk=pk)


def get_race_for(request: HttpRequest, pk: int) -> Race:
    return get_object_or_404(
        Race.objects.for_chapter(_chapter(request)).select_related("office"), pk=pk
    )


def get_candidate_for(request: HttpRequest, pk: int) -> Candidate:
    return get_object_or_404(
        Candidate.objects.for_chapter(_chapter(request)).select_related("race__office"), pk=pk
    )


def get_committee_for(request: HttpRequest, pk: int) -> CampaignCommittee:
    return get_object_or_404(
        CampaignCommittee.objects.select_related("candidate").filter(
            candidate__chapter=_chapter(request)
        ),
        pk=pk,
    )
