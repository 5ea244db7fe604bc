"""Objects of `chapter` for the campaigns URLs that take a pk (read by the permission metatest)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model

from tests.campaigns.factories import CampaignFactory, StrategyRevisionFactory


def objects(chapter) -> dict[str, Callable[[], Model]]:
    return {
        "campaigns:campaign_detail": lambda: CampaignFactory(chapter=chapter),
        "campaigns:campaign_edit": lambda: CampaignFactory(chapter=chapter),
        "campaigns:strategy_edit": lambda: CampaignFactory(chapter=chapter),
        "campaigns:revision_detail": lambda: StrategyRevisionFactory(
            review__campaign__chapter=chapter
        ),
    }
