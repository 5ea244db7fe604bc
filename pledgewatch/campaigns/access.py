"""The only way views reach campaigns and strategy revisions: through request.chapter (see
chapters.access), so an id from another chapter is a 404."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from pledgewatch.campaigns.models import Campaign, StrategyRevision


def get_campaign_for(request: HttpRequest, pk: int) -> Campaign:
    chapter = request.chapter  # type: ignore[attr-defined]
    return get_object_or_404(Campaign.objects.for_chapter(chapter), pk=pk)


def get_revision_for(request: HttpRequest, pk: int) -> StrategyRevision:
    chapter = request.chapter  # type: ignore[attr-defined]
    return get_object_or_404(
        StrategyRevision.objects.select_related("review__campaign", "by").filter(
            review__campaign__chapter=chapter
        ),
        pk=pk,
    )
