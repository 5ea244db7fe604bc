"""The matching rules, in order. Each match says which rule, which entity, and what matched.

1. committee_id     the donor committee's FEC id is one of the organization's PACs
2. connected_org    the donor committee's connected organization (FEC committee master) is it
3. organization_name  a committee or organization donor's own name names it
4. employer         an individual's employer names it; the occupation decides the tier:
                    an executive counts at the organization's tier, an ordinary employee one
                    tier lower (a tier-1 company's employee is tier 2: review), and nothing
                    below tier 3 is reported.
Health-worker unions and the policy's other never-flag entries are never matched.
Fuzzy similarity is not a rule: propose_aliases() only suggests spellings for a person to add.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from pledgewatch.finance.policy import Organization, Policy, company_basename
from pledgewatch.finance.records import Contribution, ContributorType


class Rule:
    COMMITTEE_ID = "committee_id"
    CONNECTED_ORG = "connected_org"
    ORGANIZATION_NAME = "organization_name"
    EMPLOYER_EXECUTIVE = "employer_executive"
    EMPLOYER_EMPLOYEE = "employer_employee"


RULE_LABELS = {
    Rule.COMMITTEE_ID: "the donor committee's FEC id is this organization's PAC",
    Rule.CONNECTED_ORG: "the donor committee's connected organization is this organization",
    Rule.ORGANIZATION_NAME: "the donor's name is this organization's",
    Rule.EMPLOYER_EXECUTIVE: "the donor is an executive of this organization",
    Rule.EMPLOYER_EMPLOYEE: "the donor works for this organization",
}


@dataclass(frozen=True, slots=True)
class Match:
    rule: str
    organization: Organization
    matched: str  # the id or spelling that matched
    tier: int


def classify(
    c: Contribution, policy: Policy, committees: Mapping[str, Any] | None = None
) -> Match | None:
    """The first rule that matches this contribution, or None."""
    donor_id = c.contributor_fec_id.strip().upper()
    committee = (committees or {}).get(donor_id) if donor_id else None
    connected = getattr(committee, "connected_org", "") or ""
    if policy.is_never_flagged(c.contributor_name, connected, c.employer, committee_id=donor_id):
        return None

    if donor_id and donor_id in policy.by_committee:
        org = policy.by_committee[donor_id]
        return Match(Rule.COMMITTEE_ID, org, donor_id, org.tier)
    if connected and (found := policy.find_name(connected)):
        return Match(Rule.CONNECTED_ORG, found[0], found[1], found[0].tier)

    if c.contributor_type != ContributorType.INDIVIDUAL:
        if found := policy.find_name(c.contributor_name):
            return Match(Rule.ORGANIZATION_NAME, found[0], found[1], found[0].tier)
        return None

    if found := policy.find_name(c.employer):
        org, spelled = found
        if policy.is_executive(c.occupation):
            return Match(Rule.EMPLOYER_EXECUTIVE, org, spelled, org.tier)
        if org.tier < 3:
            return Match(Rule.EMPLOYER_EMPLOYEE, org, spelled, org.tier + 1)
    return None


@dataclass(frozen=True, slots=True)
class AliasProposal:
    text: str  # the employer or donor name as written
    organization: Organization
    similar_to: str  # the known spelling it resembles
    score: float


def propose_aliases(
    names: Iterable[str], policy: Policy, *, min_score: float = 90.0
) -> list[AliasProposal]:
    """Spellings that look like a listed organization's but match no rule: for a person to
    confirm as new aliases. Never used to flag anything.

    Plain ratio (not token-set, which reduces JOHNSON & JOHNSON to {JOHNSON}) and a guard that
    the strings start alike (first five letters, spaces ignored), so UNITY HEALTHCARE does not
    become UnitedHealthcare while GLAXO SMITH KLINE still resembles GLAXOSMITHKLINE.
    """
    known = list(policy.by_name)
    proposals: dict[str, AliasProposal] = {}
    for text in names:
        norm = company_basename(text)
        if not norm or norm in proposals or policy.find_name(text):
            continue
        best = process.extractOne(norm, known, scorer=fuzz.ratio, score_cutoff=min_score)
        if best is None:
            continue
        spelled, score, _ = best
        if norm.replace(" ", "")[:5] != spelled.replace(" ", "")[:5]:
            continue
        proposals[norm] = AliasProposal(text, policy.by_name[spelled], spelled, round(score, 1))
    return sorted(proposals.values(), key=lambda p: -p.score)
