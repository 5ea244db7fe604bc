"""save_strategy and the history: revisions are numbered and never changed or deleted; the diff
is word by word."""

from __future__ import annotations

import datetime as dt

import pytest

from pledgewatch.campaigns import services
from pledgewatch.campaigns.history import compare, word_diff
from pledgewatch.campaigns.models import Decision, StrategyRevision
from pledgewatch.core.models import AppendOnlyError
from tests.campaigns.factories import CampaignFactory, StrategyRevisionFactory
from tests.factories import UserFactory


@pytest.fixture
def campaign(chapter):
    return CampaignFactory(chapter=chapter)


def save(campaign, by, base=None, **kw):
    args = {"answers": {}, "decision": Decision.UNDECIDED, "reason": "", "decided_on": None}
    return services.save_strategy(campaign=campaign, by=by, base=base, **(args | kw))


def test_revisions_are_never_changed_or_deleted(campaign, alice):
    revision = save(campaign, alice, answers={"goals": "Win."})
    revision.reason = "changed"
    with pytest.raises(AppendOnlyError):
        revision.save()
    with pytest.raises(AppendOnlyError):
        revision.delete()
    with pytest.raises(AppendOnlyError):
        StrategyRevision.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        StrategyRevision.objects.update(reason="changed")
    assert StrategyRevision.objects.get().reason == ""


def test_deleting_the_author_keeps_the_revision(campaign):
    # (Users with audit events are protected; one without can be deleted.)
    author = UserFactory()
    StrategyRevisionFactory(review__campaign=campaign, by=author, answers={"goals": "Win."})
    author.delete()
    revision = StrategyRevision.objects.get()
    assert revision.by is None and revision.answers == {"goals": "Win."}


def test_a_decision_without_reason_or_date_is_refused_by_the_service_too(campaign, alice):
    with pytest.raises(services.StrategyError):
        save(campaign, alice, decision=Decision.PURSUE, reason="", decided_on=dt.date(2026, 1, 1))
    with pytest.raises(services.StrategyError):
        save(campaign, alice, decision=Decision.NOT_NOW, reason="Small base.", decided_on=None)
    assert not StrategyRevision.objects.exists()


def test_numbers_follow_on_and_a_stale_base_is_refused(campaign, alice):
    assert save(campaign, alice, base=0, answers={"goals": "A"}).number == 1
    assert save(campaign, alice, base=1, answers={"goals": "B"}).number == 2
    with pytest.raises(services.StaleEdit):
        save(campaign, alice, base=1, answers={"goals": "C"})
    assert save(campaign, alice, answers={"goals": "C"}).number == 3  # no base: no check


def test_unknown_answer_keys_are_not_stored(campaign, alice):
    revision = save(campaign, alice, answers={"goals": "A", "injected": "B", "base_cares": " "})
    assert revision.answers == {"goals": "A"}


def test_ensure_default_campaign_is_idempotent(chapter, other_chapter):
    first = services.ensure_default_campaign(chapter=chapter)
    assert services.ensure_default_campaign(chapter=chapter) == first
    assert services.ensure_default_campaign(chapter=other_chapter) != first


def test_word_diff_keeps_the_words_around_a_change():
    assert word_diff("Win single payer in Illinois.", "Win single payer in every state.") == [
        ("same", "Win single payer in "),
        ("removed", "Illinois."),
        ("added", "every state."),
    ]
    assert word_diff("", "New") == [("added", "New")]


def test_compare_the_first_revision_with_nothing(campaign, alice):
    revision = save(
        campaign,
        alice,
        answers={"goals": "Win."},
        decision=Decision.PURSUE,
        reason="Why.",
        decided_on=dt.date(2026, 9, 1),
    )
    result = compare(revision, None)
    assert [q.change.status for q in result.questions] == ["added"] + ["unchanged"] * 5
    assert result.decision_changed and result.date_changed and result.reason.status == "added"
    assert result.changed_questions == 1
