"""Issue campaigns and the guide's strategy review.

Everyone in the chapter (VIEW_CANDIDATES) reads the campaigns, the review (the six questions, the
committee's answers, the decision) and its history; the committee (MANAGE_STRATEGY) adds and
renames campaigns and edits the review, and every save of a review is a new numbered revision
(services.save_strategy).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from pledgewatch.campaigns import access, services
from pledgewatch.campaigns.forms import CampaignForm, StrategyForm
from pledgewatch.campaigns.history import compare
from pledgewatch.campaigns.models import GUIDE_SOURCE, STRATEGY_QUESTIONS, Campaign
from pledgewatch.chapters.access import chapter_view
from pledgewatch.core.permissions import Permission


def _today(chapter) -> dt.date:
    return timezone.localdate(timezone=ZoneInfo(chapter.timezone))


@chapter_view(Permission.VIEW_CANDIDATES)
def campaign_list(request: HttpRequest) -> HttpResponse:
    services.ensure_default_campaign(chapter=request.chapter, by=request.user)
    campaigns = Campaign.objects.for_chapter(request.chapter).select_related("strategy_review")
    rows = [(c, services.review_of(c)) for c in campaigns]
    return TemplateResponse(
        request,
        "campaigns/campaign_list.html",
        {"rows": rows, "question_count": len(STRATEGY_QUESTIONS)},
    )


@chapter_view(Permission.VIEW_CANDIDATES)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for(request, pk)
    review = services.review_of(campaign)
    revisions = review.revisions.select_related("by") if review.pk else []
    return TemplateResponse(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "review": review,
            "revisions": revisions,
            "guide_source": GUIDE_SOURCE,
            "question_count": len(STRATEGY_QUESTIONS),
        },
    )


@chapter_view(Permission.MANAGE_STRATEGY)
def campaign_create(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None, chapter=request.chapter)
    if request.method == "POST" and form.is_valid():
        campaign = services.create_campaign(
            chapter=request.chapter,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            by=request.user,
        )
        messages.success(request, f"Campaign “{campaign.name}” added. Start its strategy review.")
        return redirect("campaigns:campaign_detail", slug=request.chapter.slug, pk=campaign.pk)
    return TemplateResponse(request, "campaigns/campaign_form.html", {"form": form})


@chapter_view(Permission.MANAGE_STRATEGY)
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for(request, pk)
    form = CampaignForm(request.POST or None, instance=campaign, chapter=request.chapter)
    if request.method == "POST" and form.is_valid():
        changed = services.update_campaign(
            campaign=campaign,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            by=request.user,
        )
        if changed:
            messages.success(request, "Campaign saved.")
        else:
            messages.info(request, "Nothing changed.")
        return redirect("campaigns:campaign_detail", slug=request.chapter.slug, pk=campaign.pk)
    # The heading keeps the saved name while the form shows what was typed.
    saved = Campaign.objects.get(pk=campaign.pk)
    return TemplateResponse(
        request, "campaigns/campaign_form.html", {"form": form, "campaign": saved}
    )


@chapter_view(Permission.MANAGE_STRATEGY)
def strategy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for(request, pk)
    review = services.review_of(campaign)
    form = StrategyForm(
        request.POST or None,
        review=review,
        base=services.latest_number(review),
        today=_today(request.chapter),
    )
    stale = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            revision = services.save_strategy(
                campaign=campaign,
                answers=form.answers(),
                decision=data["decision"],
                reason=data["reason"],
                decided_on=data["decided_on"],
                base=data["base"],
                by=request.user,
            )
        except services.NothingChanged as e:
            messages.info(request, str(e))
            return redirect("campaigns:campaign_detail", slug=request.chapter.slug, pk=campaign.pk)
        except services.StaleEdit as e:
            # Keep the editor's text; saving again now replaces the newer revision knowingly.
            stale = True
            form.add_error(None, str(e))
            form.data = form.data.copy()
            form.data["base"] = str(services.latest_number(services.review_of(campaign)))
        except services.StrategyError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, f"Strategy review saved as revision {revision.number}.")
            return redirect("campaigns:campaign_detail", slug=request.chapter.slug, pk=campaign.pk)
    return TemplateResponse(
        request,
        "campaigns/strategy_form.html",
        {"campaign": campaign, "form": form, "guide_source": GUIDE_SOURCE, "stale": stale},
    )


@chapter_view(Permission.VIEW_CANDIDATES)
def revision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    revision = access.get_revision_for(request, pk)
    review = revision.review
    previous = review.revisions.filter(number__lt=revision.number).order_by("-number").first()
    following = review.revisions.filter(number__gt=revision.number).order_by("number").first()
    latest = services.latest_number(review)
    return TemplateResponse(
        request,
        "campaigns/revision_detail.html",
        {
            "campaign": review.campaign,
            "revision": revision,
            "comparison": compare(revision, previous),
            "following": following,
            "is_latest": revision.number == latest,
            "guide_source": GUIDE_SOURCE,
        },
    )
