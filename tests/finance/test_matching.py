"""Each matching rule, with rows as they appear in the real FEC files (and hard negatives)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from pledgewatch.finance.matching import Rule, classify, propose_aliases
from pledgewatch.finance.policy import Policy, company_basename, normalize
from pledgewatch.finance.records import Contribution, ContributorType, SourceError
from tests.finance.policies import SMALL, small_policy


def individual(name, employer, occupation, amount="250"):
    return Contribution(
        source="bulk-itcont", filing_id="1315841", transaction_id="T1", form_type="15",
        recipient_committee_id="C00016683", contributor_name=name,
        contributor_type=ContributorType.INDIVIDUAL, employer=employer, occupation=occupation,
        date=date(2019, 1, 31), amount=Decimal(amount),
    )  # fmt: skip


def committee(name, fec_id="", amount="5000"):
    return Contribution(
        source="fec", filing_id="1229017", transaction_id="T2", form_type="SA11C",
        recipient_committee_id="C00215905", contributor_name=name,
        contributor_type=ContributorType.COMMITTEE, contributor_fec_id=fec_id,
        date=date(2018, 3, 1), amount=Decimal(amount),
    )  # fmt: skip


@pytest.fixture(scope="module")
def policy():
    return small_policy()


def test_rule_1_committee_id(policy):
    # itpas2: UnitedHealth Group PAC C00274431 -> KEVIN MCCARTHY FOR CONGRESS, 2019-01-18, $5,000
    m = classify(committee("UNITEDHEALTH GROUP INCORPORATED PAC", "C00274431"), policy)
    assert (m.rule, m.organization.name, m.matched, m.tier) == (
        Rule.COMMITTEE_ID, "UnitedHealth Group", "C00274431", 1,
    )  # fmt: skip


@dataclass
class Cmte:
    connected_org: str


def test_rule_2_connected_organization(policy):
    # A PAC not in the list whose committee-master record names a listed parent.
    committees = {"C00999999": Cmte(connected_org="OPTUM, INC.")}
    m = classify(committee("SOME NEW PAC", "C00999999"), policy, committees)
    assert (m.rule, m.organization.name, m.matched) == (Rule.CONNECTED_ORG, "UnitedHealth Group",
                                                        "OPTUM")  # fmt: skip


def test_rule_3_organization_name(policy):
    m = classify(committee("PFIZER INC. PAC"), policy)
    assert (m.rule, m.organization.name, m.tier) == (Rule.ORGANIZATION_NAME, "Pfizer", 1)


@pytest.mark.parametrize(
    ("employer", "occupation", "rule", "tier"),
    [
        ("PFIZER INC", "CHIEF EXECUTIVE OFFICER", Rule.EMPLOYER_EXECUTIVE, 1),  # BOURLA, ALBERT
        ("UNITED HEALTHCARE SERVICES INC", "CEO", Rule.EMPLOYER_EXECUTIVE, 1),  # WICHMANN, DAVID
        ("PFIZER, INC.", "VP, COMMERCIAL LEAD, PC", Rule.EMPLOYER_EXECUTIVE, 1),
        ("PFIZER INC", "SR DIRECTOR", Rule.EMPLOYER_EMPLOYEE, 2),
        ("UNITED HEALTHCARE OF PENNSYLVANIA AND", "NURSE", Rule.EMPLOYER_EMPLOYEE, 2),  # cut at 38
        ("HCA HEALTHCARE", "REGISTERED NURSE", Rule.EMPLOYER_EMPLOYEE, 3),
    ],
)
def test_rule_4_employer_and_occupation(policy, employer, occupation, rule, tier):
    m = classify(individual("DOE, JANE", employer, occupation), policy)
    assert (m.rule, m.tier) == (rule, tier)


@pytest.mark.parametrize(
    "employer",
    [
        "STEPTOE & JOHNSON, LLP",
        "HAUSMANN JOHNSON INSURANCE",
        "DON JOHNSON MOTORS INC",
        "RUTGERS ROBERT WOOD JOHNSON MEDICAL SC",
        "UNITY HEALTHCARE LLC",
        "UNITED HEALTH PARTNERS",
        "SELF-EMPLOYED",
        "",
    ],
)
def test_hard_negatives_are_not_matched(policy, employer):
    assert classify(individual("DOE, JANE", employer, "CEO"), policy) is None


def test_ordinary_employee_of_a_tier_3_society_is_not_reported(policy):
    row = individual("DOE, JANE", "AMERICAN ASSOCIATION OF NEUROLOGICAL SURGEONS", "ANALYST")
    assert classify(row, policy) is None


def test_health_worker_union_is_never_flagged_even_if_its_name_mentions_a_listed_word(policy):
    assert classify(committee("NATIONAL NURSES UNITED PAC", "C00280388"), policy) is None
    nurse = individual("DOE, JANE", "CALIFORNIA NURSES ASSOCIATION", "PRESIDENT")
    assert classify(nurse, policy) is None


def test_normalize_keeps_every_word_and_ampersands():
    assert normalize("Pfizer, Inc.") == "PFIZER INC"
    assert normalize("JOHNSON&JOHNSON") == "JOHNSON & JOHNSON"
    # cleanco would cut "SC" (a state) and "CORPORATION": matching must not.
    assert normalize("BCBS of SC") == "BCBS OF SC"
    assert company_basename("UNITED HEALTHCARE SERVICES INC") == "UNITED HEALTHCARE SERVICES"


def test_a_state_abbreviation_is_not_cut_from_an_alias():
    data = json.loads(json.dumps(SMALL))
    data["organizations"].append({"name": "BCBS of South Carolina", "tier": 1,
                                  "aliases": ["BCBS OF SC"]})  # fmt: skip
    policy = Policy.from_dict(data)
    assert policy.find_name("BCBS OF SC")[0].name == "BCBS of South Carolina"
    assert policy.find_name("BCBS OF NC") is None


def test_fuzzy_similarity_only_proposes_aliases(policy):
    proposals = propose_aliases(
        ["PFIZERR INC", "UNITY HEALTHCARE LLC", "STEPTOE & JOHNSON", "PFIZER INC"], policy
    )
    assert [(p.text, p.organization.name) for p in proposals] == [("PFIZERR INC", "Pfizer")]
    # and the misspelling itself is still not a match:
    assert classify(individual("DOE, JANE", "PFIZERR INC", "CEO"), policy) is None


def test_prefilter_passes_every_spelling_and_pac(policy):
    import re

    pre = policy.prefilter()
    assert "C00274431" in pre.committee_ids
    # a distinctive word of each spelling, tested as a whole word in bulk scans
    assert {"PFIZER", "UNITEDHEALTH", "JANSSEN"} <= pre.words
    assert "JOHNSON" not in pre.words or "JOHNSON & JOHNSON" in policy.by_name
    # spellings made only of common words go through the regex
    regex = re.compile(pre.pattern, re.IGNORECASE)
    assert regex.search("United Healthcare Services, Inc")
    assert not regex.search("STEPTOE & JOHNSON, LLP")


def test_prefilter_lets_through_every_row_the_rules_match(shared_data):
    """On the real 2020 itcont rows: nothing the default policy flags is lost before the rules."""
    from pledgewatch.finance.importers import bulk
    from pledgewatch.finance.records import Prefilter
    from tests.finance.conftest import BULK

    policy = Policy.default()
    scanned = list(bulk.scan(BULK / "indiv20.zip", policy.prefilter()))
    kept = {c.extra["sub_id"] for c in scanned if classify(c, policy)}
    everything = Prefilter(committee_ids=frozenset(), pattern="", all_rows=True)
    all_rows = list(bulk.scan(BULK / "indiv20.zip", everything))
    assert len(all_rows) == 70_671
    matched_anywhere = {c.extra["sub_id"] for c in all_rows if classify(c, policy)}
    assert matched_anywhere and kept == matched_anywhere
    assert len(scanned) < len(all_rows) / 5  # and the prefilter does filter


def test_malformed_policy_is_refused_with_a_reason():
    broken = {**SMALL, "organizations": [{**SMALL["organizations"][0], "tier": 7}]}
    with pytest.raises(SourceError, match="tier must be 1, 2 or 3"):
        Policy.from_dict(broken)
    with pytest.raises(SourceError, match="not a conflict policy"):
        Policy.from_dict({"name": "x"})


def test_prefilter_words_are_never_state_codes_or_short_words(policy):
    """'BLUE CROSS BLUE SHIELD OF NC' must not let every row naming NC through: such
    spellings go through the phrase regex instead, and still pass."""
    import re

    pre = Policy.default().prefilter()
    assert not {w for w in pre.words if len(w) <= 2}
    assert not pre.words & {"NC", "FL", "TN", "CA", "AL", "STA", "NET"}
    regex = re.compile(pre.pattern, re.IGNORECASE)
    assert regex.search("BLUE CROSS AND BLUE SHIELD OF NC")
    assert regex.search("Health Net of California, Inc.")
    assert not regex.search("NC STATE UNIVERSITY")


def test_bulk_prefilter_splits_words_on_ampersands_as_the_rules_do(tmp_path, shared_data):
    """A real itcont row whose employer is written JOHNSON&JOHNSON (no spaces, as filers
    write it) passes the bulk prefilter and is matched to Johnson & Johnson."""
    import zipfile

    from pledgewatch.finance.importers import bulk
    from tests.finance.conftest import BULK

    with zipfile.ZipFile(BULK / "indiv20.zip") as archive:
        line = archive.read("itcont.txt").decode("utf-8").split("\n")[0]
    fields = line.split("|")
    fields[11], fields[12] = "JOHNSON&JOHNSON", "VICE PRESIDENT"  # EMPLOYER, OCCUPATION
    (tmp_path / "itcont.txt").write_text("|".join(fields) + "\n", encoding="utf-8")
    policy = Policy.default()
    [row] = bulk.scan(tmp_path / "itcont.txt", policy.prefilter())
    match = classify(row, policy)
    assert match is not None and match.organization.name == "Johnson & Johnson"


@pytest.mark.parametrize("data", [[], "policy", 7, None])
def test_a_policy_that_is_not_an_object_is_refused_with_a_reason(data):
    with pytest.raises(SourceError, match="not a conflict policy"):
        Policy.from_dict(data, origin="p.json")
