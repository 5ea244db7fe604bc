"""factory_boy factories for candidates and the finance models, and the policy the Django tests
screen with (the small test policy, not the shipped default list, so that what the tests
assert does not move when the default list is edited)."""

from __future__ import annotations

import copy
from decimal import Decimal

import factory

from pledgewatch.candidates.models import CampaignCommittee, Candidate, Jurisdiction
from pledgewatch.finance import services
from pledgewatch.finance.models import (
    ChapterPolicy,
    ConflictOrganization,
    FinanceImport,
    Finding,
    FindingStatus,
    ImportKind,
    ImportStatus,
    NeverFlagEntry,
    StoredContribution,
    StoredFiling,
)
from tests.factories import ChapterFactory
from tests.finance.policies import SMALL


def use_small_policy(monkeypatch) -> None:
    """New chapter policies are copies of SMALL instead of the shipped default."""
    monkeypatch.setattr(services, "default_policy_data", lambda: copy.deepcopy(SMALL))


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    chapter = factory.SubFactory(ChapterFactory)
    name = factory.Sequence(lambda n: f"Candidate {n}")
    party = "Democratic"
    office_sought = "U.S. House"


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignCommittee

    candidate = factory.SubFactory(CandidateFactory)
    jurisdiction = Jurisdiction.FEC
    committee_id = factory.Sequence(lambda n: f"C{90_000_000 + n:08d}")
    name = "Friends of the candidate"


class FinanceImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinanceImport

    candidate = factory.SubFactory(CandidateFactory)
    kind = ImportKind.UPLOAD
    original_name = "filing.fec"
    status = ImportStatus.QUEUED


class StoredFilingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StoredFiling

    finance_import = factory.SubFactory(FinanceImportFactory)
    candidate = factory.SelfAttribute("finance_import.candidate")
    source = "fec"
    filing_id = factory.Sequence(lambda n: str(1_000_000 + n))
    committee_id = "C00215905"


class StoredContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StoredContribution

    stored_filing = factory.SubFactory(StoredFilingFactory)
    source = "fec"
    filing_id = factory.SelfAttribute("stored_filing.filing_id")
    transaction_id = factory.Sequence(lambda n: f"T{n}")
    form_type = "SA11C"
    recipient_committee_id = "C00215905"
    contributor_name = "UNITEDHEALTH GROUP INC PAC"
    contributor_type = "committee"
    contributor_fec_id = "C00274431"
    amount = Decimal("1000.00")
    line = 10


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    candidate = factory.SubFactory(CandidateFactory)
    contribution = factory.LazyAttribute(
        lambda o: StoredContributionFactory(stored_filing__finance_import__candidate=o.candidate)
    )
    tier = 1
    entity_name = "UnitedHealth Group"
    industry = "insurer"
    rule = "committee_id"
    matched = "C00274431"
    amount = Decimal("1000.00")
    net_amount = Decimal("1000.00")
    donor_total = Decimal("1000.00")
    cycle = 2018
    explanation = "UNITEDHEALTH GROUP INC PAC gave $1,000.00."
    status = FindingStatus.OPEN


class ChapterPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChapterPolicy
        django_get_or_create = ["chapter"]

    chapter = factory.SubFactory(ChapterFactory)
    name = "test policy"
    executive_occupation_pattern = SMALL["executive_occupation_pattern"]


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflictOrganization

    policy = factory.SubFactory(ChapterPolicyFactory)
    name = factory.Sequence(lambda n: f"Insurer {n}")
    industry = "insurer"
    tier = 1


class NeverFlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeverFlagEntry

    policy = factory.SubFactory(ChapterPolicyFactory)
    name = factory.Sequence(lambda n: f"Nurses union {n}")
    fec_committee_ids = factory.LazyFunction(list)
    reason = "health-worker union"


def finance_test_settings(settings, tmp_path, monkeypatch) -> None:
    """Uploads in a temporary folder, the small policy, and no FEC API key."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.OPENFEC_API_KEY = ""
    use_small_policy(monkeypatch)
