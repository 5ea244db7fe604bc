"""The finance summary on a candidate's page: totals by tier and organization for a role with
view_finance_summary, donors only for the committee (view_donors), nothing for other chapters;
the headline counts conflict and review money, and tier 3 is shown apart."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pledgewatch.core import permissions
from pledgewatch.core.permissions import Permission, Role
from pledgewatch.finance.models import FindingStatus
from tests.finance.factories import CandidateFactory, FindingFactory, StoredContributionFactory

DONOR = "ALVAREZ, JORDAN"
EMPLOYER = "ACME HEALTH PLANS INC"


@pytest.fixture
def candidate(chapter):
    candidate = CandidateFactory(chapter=chapter, name="Dana Whitfield")

    def finding(tier: int, amount: str, entity: str, **kwargs):
        contribution = StoredContributionFactory(
            stored_filing__finance_import__candidate=candidate, **kwargs
        )
        value = Decimal(amount)
        return FindingFactory(
            candidate=candidate,
            contribution=contribution,
            tier=tier,
            entity_name=entity,
            amount=value,
            net_amount=value,
            donor_total=value,
        )

    finding(1, "2500.00", "Acme Health Plans")
    finding(
        1,
        "400.00",
        "Acme Health Plans",
        contributor_name=DONOR,
        contributor_type="individual",
        contributor_fec_id="",
        employer=EMPLOYER,
        occupation="CEO",
    )
    finding(2, "1200.00", "Sunrise Hospital Group")
    finding(3, "700.00", "State Medical Society")
    dismissed = finding(1, "9999.00", "Acme Health Plans")
    dismissed.status = FindingStatus.DISMISSED
    dismissed.save()
    return candidate


def url(candidate) -> str:
    return f"/c/{candidate.chapter.slug}/candidates/{candidate.pk}/"


def text(response) -> str:
    return " ".join(response.content.decode().split())


def test_a_member_sees_the_totals_but_no_donor(client_as, bob, candidate):
    response = client_as(bob).get(url(candidate))
    assert response.status_code == 200
    page = text(response)
    assert "Money from organizations on the conflict policy" in page
    assert "Acme Health Plans" in page and "$2,900.00" in page  # by organization
    assert "Donors' names are shown only to the committee" in page
    assert DONOR not in page and EMPLOYER not in page
    # Not merely hidden: the donors are not in what the template was given.
    assert "top_findings" not in response.context
    assert "summary" in response.context
    assert "All findings" not in page


def test_the_committee_sees_the_donors_too(client_as, committee_member, candidate):
    response = client_as(committee_member).get(url(candidate))
    page = text(response)
    assert "Money from organizations on the conflict policy" in page
    assert DONOR in page and EMPLOYER in page
    assert "All findings" in page
    assert "Donors' names are shown only to the committee" not in page


def test_a_role_without_the_summary_permission_sees_no_money(
    client_as, bob, candidate, monkeypatch
):
    """view_finance_summary is what the candidate's page checks for the totals (every role has
    it today, so take it away from members to see the check work)."""
    monkeypatch.setitem(
        permissions.ROLE_PERMISSIONS,
        Role.MEMBER,
        permissions.ROLE_PERMISSIONS[Role.MEMBER] - {Permission.VIEW_FINANCE_SUMMARY},
    )
    response = client_as(bob).get(url(candidate))
    assert response.status_code == 200  # the candidate's page itself needs view_candidates
    page = text(response)
    assert "Dana Whitfield" in page
    assert "summary" not in response.context and "top_findings" not in response.context
    assert "Money from organizations" not in page
    assert "Acme Health Plans" not in page and "$2,900.00" not in page


def test_another_chapters_user_and_an_anonymous_visitor_see_nothing(
    client, client_as, charlie, candidate
):
    assert client_as(charlie).get(url(candidate)).status_code == 404
    assert client_as(charlie).get(f"/c/harbor-city/candidates/{candidate.pk}/").status_code == 404
    response = client.get(url(candidate))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_headline_counts_conflict_and_review_money_and_tier_3_apart(client_as, bob, candidate):
    response = client_as(bob).get(url(candidate))
    page = text(response)
    # Tier 1: 2,500 + 400; tier 2: 1,200. The dismissed 9,999 is left out.
    assert (
        "Conflict and review money (tiers 1 and 2), net of refunds: <strong>$4,100.00</strong>"
        in page
    )
    assert "$4,800.00" not in page  # what every tier would add up to
    assert (
        "Informational (tier 3), not in that total: <strong>$700.00</strong> in 1 finding" in page
    )
    assert 'Tier 3: informational <span class="muted">(not in the total)</span>' in page
    summary = response.context["summary"]
    assert summary["headline_total"] == Decimal("4100.00")
    assert summary["informational"]["total"] == Decimal("700.00")


def test_the_summary_states_the_engines_tier_rule(client_as, bob, candidate):
    page = text(client_as(bob).get(url(candidate)))
    assert "from its executives counts at the organization's tier" in page
    assert "An ordinary employee's money counts one tier lower" in page
    assert "employees of tier-3 organizations are not reported" in page


def test_without_tier_3_money_there_is_no_informational_line(client_as, bob, chapter):
    candidate = CandidateFactory(chapter=chapter)
    FindingFactory(candidate=candidate, tier=2, amount=Decimal(50), net_amount=Decimal(50))
    page = text(client_as(bob).get(url(candidate)))
    assert "net of refunds: <strong>$50.00</strong>" in page
    assert "Informational (tier 3)" not in page
