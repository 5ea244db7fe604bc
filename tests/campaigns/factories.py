from __future__ import annotations

import factory

from pledgewatch.campaigns.models import Campaign, Decision, StrategyReview, StrategyRevision
from tests.factories import ChapterFactory


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        django_get_or_create = ["chapter", "name"]

    chapter = factory.SubFactory(ChapterFactory)
    name = "Medicare for All"


class StrategyReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyReview
        django_get_or_create = ["campaign"]

    campaign = factory.SubFactory(CampaignFactory)


class StrategyRevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyRevision

    review = factory.SubFactory(StrategyReviewFactory)
    number = factory.Sequence(lambda n: n + 1)
    answers = factory.LazyAttribute(lambda o: dict(o.review.answers))
    decision = Decision.UNDECIDED
