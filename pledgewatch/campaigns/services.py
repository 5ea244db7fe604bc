"""Changes to issue campaigns and their strategy reviews: atomic, audited, keyword-only, by=.

Every chapter has a "Medicare for All" campaign: ensure_default_campaign() creates it the first
time the chapter's campaigns are listed (as the finance app copies the default conflict policy
on first use), so no chapter needs a data migration or a creation hook.

save_strategy() is the only way a strategy review changes: it writes the current answers and
decision on the StrategyReview and a numbered StrategyRevision that is never changed or deleted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from pledgewatch.campaigns.models import (
    STRATEGY_QUESTIONS,
    Campaign,
    Decision,
    StrategyReview,
    StrategyRevision,
)
from pledgewatch.chapters.models import Chapter
from pledgewatch.core.audit import record, update_audited

DEFAULT_CAMPAIGN = "Medicare for All"
DEFAULT_DESCRIPTION = "DSA's campaign for single-payer healthcare: Medicare for All."


class StrategyError(Exception):
    """A save the review refuses; the message says why, for the user."""


class NothingChanged(StrategyError):
    pass


class StaleEdit(StrategyError):
    """Someone saved a newer revision while this edit was open."""


def ensure_default_campaign(*, chapter: Chapter, by: Any = None) -> Campaign:
    """The chapter's Medicare for All campaign, created (and audited) while the chapter has
    no campaign at all; once it has one, its first campaign (the committee may have renamed
    the default one)."""
    campaign = (
        Campaign.objects.filter(chapter=chapter, name=DEFAULT_CAMPAIGN).first()
        or Campaign.objects.filter(chapter=chapter).order_by("created_at", "id").first()
    )
    if campaign is not None:
        return campaign
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(
                chapter=chapter, name=DEFAULT_CAMPAIGN, description=DEFAULT_DESCRIPTION
            )
            record(
                "campaigns.campaign_created",
                by=by,
                chapter=chapter,
                obj=campaign,
                data={"name": campaign.name, "default": True},
            )
    except IntegrityError:  # created by a request running at the same time
        campaign = Campaign.objects.get(chapter=chapter, name=DEFAULT_CAMPAIGN)
    return campaign


def create_campaign(*, chapter: Chapter, name: str, description: str, by: Any) -> Campaign:
    """A new issue campaign of the chapter (its strategy review starts empty), audited."""
    with transaction.atomic():
        campaign = Campaign(chapter=chapter, name=name.strip(), description=description.strip())
        campaign.full_clean()
        campaign.save()
        record(
            "campaigns.campaign_created",
            by=by,
            chapter=chapter,
            obj=campaign,
            data={"name": campaign.name},
        )
    return campaign


def update_campaign(*, campaign: Campaign, name: str, description: str, by: Any) -> bool:
    """Rename or describe a campaign, audited with what changed; False when nothing did."""
    with transaction.atomic():
        changes = update_audited(
            "campaigns.campaign_changed",
            campaign,
            {"name": name.strip(), "description": description.strip()},
            by=by,
            chapter=campaign.chapter,
        )
    return bool(changes)


def review_of(campaign: Campaign) -> StrategyReview:
    """The campaign's review for reading: the saved one, or an empty unsaved one (nothing is
    written until the committee saves)."""
    try:
        return campaign.strategy_review
    except StrategyReview.DoesNotExist:
        return StrategyReview(campaign=campaign)


def latest_number(review: StrategyReview) -> int:
    """The number of the review's latest revision (0 before the first)."""
    if review.pk is None:
        return 0
    return review.revisions.aggregate(n=Max("number"))["n"] or 0


def _clean_answers(answers: dict[str, str]) -> dict[str, str]:
    """The six answers, stripped, in the guide's order; empty answers are left out."""
    cleaned = {}
    for key, _question in STRATEGY_QUESTIONS:
        text = (answers.get(key) or "").strip()
        if text:
            cleaned[key] = text
    return cleaned


@transaction.atomic
def save_strategy(
    *,
    campaign: Campaign,
    answers: dict[str, str],
    decision: str,
    reason: str,
    decided_on: dt.date | None,
    by: Any,
    base: int | None = None,
) -> StrategyRevision:
    """Save the committee's answers and decision as the review's next revision.

    `base` is the latest revision number the editor saw: if someone saved since, StaleEdit is
    raised rather than overwriting their work. A save that changes nothing is refused
    (NothingChanged). The forms check the decision's reason and date; a decision of
    "undecided" keeps no date."""
    decision = Decision(decision).value
    reason = (reason or "").strip()
    if decision == Decision.UNDECIDED:
        decided_on = None
    elif not reason or decided_on is None:
        raise StrategyError("A decision needs the reason and the date it was made.")
    answers = _clean_answers(answers)

    review, _created = StrategyReview.objects.get_or_create(campaign=campaign)
    review = StrategyReview.objects.select_for_update().get(pk=review.pk)
    latest = latest_number(review)
    if base is not None and base != latest:
        raise StaleEdit(
            f"Someone saved revision {latest} while you were editing. Your text is still in "
            "the form: compare it with the current review, then save again."
        )
    before = {
        "answers": _clean_answers(review.answers),
        "decision": review.decision,
        "reason": review.reason.strip(),
        "decided_on": review.decided_on,
    }
    after = {"answers": answers, "decision": decision, "reason": reason, "decided_on": decided_on}
    empty = not answers and decision == Decision.UNDECIDED and not reason
    # A review saved before revisions were kept gets its first revision even if unchanged.
    if before == after and (latest or empty):
        raise NothingChanged("Nothing changed, so no new revision was saved.")

    review.answers = answers
    review.decision = decision
    review.reason = reason
    review.decided_on = decided_on
    review.updated_by = by if getattr(by, "is_authenticated", False) else None
    review.save()
    revision = StrategyRevision.objects.create(
        review=review,
        number=latest + 1,
        answers=answers,
        decision=decision,
        reason=reason,
        decided_on=decided_on,
        by=review.updated_by,
    )
    changed = [
        key
        for key, _q in STRATEGY_QUESTIONS
        if before["answers"].get(key, "") != answers.get(key, "")
    ]
    record(
        "campaigns.strategy_revised",
        by=by,
        chapter=campaign.chapter,
        obj=campaign,
        data={
            "revision": revision.number,
            "decision": decision,
            "previous_decision": before["decision"],
            "decided_on": decided_on.isoformat() if decided_on else None,
            "answers_changed": changed,
        },
    )
    return revision
