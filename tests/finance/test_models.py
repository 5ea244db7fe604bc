"""The finance models: the policy round-trips to the engine, stored contributions are the
engine's records again, totals leave out dismissed and withdrawn findings, and findings and
reviews are never deleted."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pledgewatch.candidates.models import CampaignCommittee, Jurisdiction
from pledgewatch.core.models import AppendOnlyError
from pledgewatch.finance import services
from pledgewatch.finance.importers.fec import read_fec
from pledgewatch.finance.models import (
    ChapterPolicy,
    Finding,
    FindingReview,
    FindingStatus,
    StoredContribution,
    validate_regex,
)
from pledgewatch.finance.policy import Policy
from tests.finance.conftest import EFILINGS
from tests.finance.factories import (
    CandidateFactory,
    FindingFactory,
    StoredFilingFactory,
    finance_test_settings,
)
from tests.finance.policies import SMALL

SHIPPED_DEFAULT = services.default_policy_data  # before the fixture swaps in the small policy


@pytest.fixture(autouse=True)
def _finance(settings, tmp_path, monkeypatch):
    finance_test_settings(settings, tmp_path, monkeypatch)


def test_a_chapter_policy_is_the_engine_policy_it_was_made_from(chapter):
    policy = services.get_or_create_policy(chapter)
    engine, original = policy.to_engine(), Policy.from_dict(SMALL)
    assert engine.name == original.name
    assert engine.thresholds == original.thresholds
    assert engine.executive_occupation_pattern == original.executive_occupation_pattern
    key = lambda o: o.name  # noqa: E731
    assert sorted(engine.organizations, key=key) == sorted(original.organizations, key=key)
    assert [n.name for n in engine.never_flag] == [n.name for n in original.never_flag]
    assert engine.by_committee["C00274431"].name == "UnitedHealth Group"


def test_the_shipped_default_policy_becomes_a_chapters_policy(monkeypatch, other_chapter):
    from pledgewatch.finance.policy import DEFAULT_POLICY_PATH

    if not DEFAULT_POLICY_PATH.exists():
        pytest.skip(f"{DEFAULT_POLICY_PATH.name} is not in the repository yet")
    monkeypatch.setattr(services, "default_policy_data", SHIPPED_DEFAULT)
    policy = services.get_or_create_policy(other_chapter)
    assert policy.organizations.count() == len(Policy.default().organizations)
    engine, default = policy.to_engine(), Policy.default()
    assert set(engine.by_committee) == set(default.by_committee)
    assert set(engine.by_name) == set(default.by_name)


def test_executive_pattern_must_be_a_regular_expression():
    validate_regex(r"\b(CEO|CFO)\b")
    with pytest.raises(ValidationError, match="not a valid regular expression"):
        validate_regex(r"\b(CEO")


def test_an_fec_committee_id_is_c_and_eight_digits(chapter):
    candidate = CandidateFactory(chapter=chapter)
    committee = CampaignCommittee(
        candidate=candidate, jurisdiction=Jurisdiction.FEC, committee_id=" c00215905 "
    )
    committee.full_clean()
    assert committee.committee_id == "C00215905"
    committee.committee_id = "215905"
    with pytest.raises(ValidationError, match="C followed by eight digits"):
        committee.full_clean()
    CampaignCommittee(
        candidate=candidate, jurisdiction=Jurisdiction.NYC_CFB, committee_id="1545"
    ).full_clean()


def test_stored_contributions_give_back_the_engines_records(shared_data, chapter):
    originals = read_fec(EFILINGS / "fastfec__1544132.fec")[0].contributions[:50]
    filing = StoredFilingFactory(finance_import__candidate__chapter=chapter)
    StoredContribution.objects.bulk_create(
        services._stored_contribution(filing, c) for c in originals
    )
    again = [r.to_engine() for r in filing.contributions.order_by("pk")]
    assert again == originals


def test_totals_count_open_and_confirmed_findings_only(chapter):
    candidate = CandidateFactory(chapter=chapter)
    for status, amount, tier in [
        (FindingStatus.OPEN, "1000.00", 1),
        (FindingStatus.CONFIRMED, "500.00", 1),
        (FindingStatus.DISMISSED, "9999.00", 1),
        (FindingStatus.WITHDRAWN, "7777.00", 2),
        (FindingStatus.OPEN, "250.00", 2),
    ]:
        FindingFactory(
            candidate=candidate,
            status=status,
            net_amount=Decimal(amount),
            tier=tier,
            entity_name=f"Org {tier}",
        )
    summary = candidate.findings.summary()
    assert [(t["tier"], t["total"], t["n"]) for t in summary["by_tier"]] == [
        (1, Decimal("1500.00"), 2),
        (2, Decimal("250.00"), 1),
    ]
    assert [(e["entity_name"], e["total"]) for e in summary["by_entity"]] == [
        ("Org 1", Decimal("1500.00")),
        ("Org 2", Decimal("250.00")),
    ]
    assert summary["total"] == Decimal("1750.00")
    assert summary["counts"] == {"open": 2, "confirmed": 1, "dismissed": 1, "withdrawn": 1}


def test_findings_and_reviews_are_never_deleted(chapter, alice):
    finding = FindingFactory(candidate__chapter=chapter)
    review = FindingReview.objects.create(finding=finding, status="confirmed", reason="x", by=alice)
    with pytest.raises(AppendOnlyError):
        finding.delete()
    with pytest.raises(AppendOnlyError):
        Finding.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        review.delete()
    review.reason = "changed"
    with pytest.raises(AppendOnlyError):
        review.save()


def test_one_policy_per_chapter(chapter):
    services.get_or_create_policy(chapter)
    services.get_or_create_policy(chapter)
    assert ChapterPolicy.objects.filter(chapter=chapter).count() == 1
