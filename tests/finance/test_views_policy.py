"""The policy editor: the chapter's copy of the policy, organizations and their names, the
never-flag list (health-worker unions), thresholds; every change audited."""

from __future__ import annotations

from html import unescape

import pytest

from pledgewatch.core.models import AuditEvent
from pledgewatch.finance.models import ChapterPolicy, ConflictOrganization, NeverFlagEntry
from tests.finance.factories import finance_test_settings

NURSES_PAC = "C00280388"  # National Nurses United, on the small policy's never-flag list


@pytest.fixture(autouse=True)
def _finance(settings, tmp_path, monkeypatch):
    finance_test_settings(settings, tmp_path, monkeypatch)


@pytest.fixture
def committee(committee_member, client_as, django_capture_on_commit_callbacks):
    client = client_as(committee_member)
    client.capture = django_capture_on_commit_callbacks
    return client


def org_form(org: ConflictOrganization, **changes) -> dict:
    data = {
        "name": org.name,
        "parent": org.parent,
        "industry": org.industry,
        "tier": str(org.tier),
        "aliases": "\n".join(org.aliases),
        "brands": "\n".join(org.brands),
        "subsidiaries": "\n".join(org.subsidiaries),
        "former_names": "\n".join(org.former_names),
        "fec_committee_ids": "\n".join(org.fec_committee_ids),
        "sources": "",
        "notes": "",
    }
    return {**data, **changes}


def test_the_first_visit_copies_the_default_policy(committee, chapter):
    page = committee.get("/c/lakeshore/policy/").content.decode()
    policy = ChapterPolicy.objects.get(chapter=chapter)
    assert policy.name == "test policy"
    assert policy.organizations.count() == 5 and policy.never_flag.count() == 1
    assert "5 organizations" in page and "UnitedHealth Group" in page
    assert AuditEvent.objects.filter(action="finance.policy_created").count() == 1
    committee.get("/c/lakeshore/policy/")
    assert ChapterPolicy.objects.count() == 1


def test_organizations_can_be_filtered_and_searched(committee, chapter):
    url = "/c/lakeshore/policy/"
    assert "2 organizations" in committee.get(url, {"industry": "pharma"}).content.decode()
    assert "1 organization" in committee.get(url, {"tier": 3}).content.decode()
    page = committee.get(url, {"q": "optum"}).content.decode()  # a brand of UnitedHealth
    assert "1 organization" in page and "UnitedHealth Group" in page
    page = committee.get(url, {"q": "C00016683"}).content.decode()  # Pfizer's PAC
    assert "1 organization" in page and "Pfizer" in page
    partial = committee.get(url, {"q": "pfizer"}, headers={"HX-Request": "true"}).content
    assert partial.decode().lstrip().startswith('<div id="results"')


def test_editing_an_organization_is_audited_with_before_and_after(committee, chapter):
    committee.get("/c/lakeshore/policy/")
    org = ConflictOrganization.objects.get(name="HCA Healthcare")
    form = org_form(
        org,
        tier="1",
        aliases="HCA HEALTHCARE\nHCA\n\nHCA",
        sources="Owns hospitals | https://investor.hcahealthcare.com/",
    )
    with committee.capture(execute=True):
        response = committee.post(f"/c/lakeshore/policy/organizations/{org.pk}/", form)
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.tier == 1
    assert org.aliases == ["HCA HEALTHCARE", "HCA"]
    assert org.sources == [
        {"claim": "Owns hospitals", "url": "https://investor.hcahealthcare.com/"}
    ]
    event = AuditEvent.objects.get(action="finance.organization_changed")
    assert event.data["before"]["tier"] == 2 and event.data["after"]["tier"] == 1
    assert event.data["after"]["aliases"] == ["HCA HEALTHCARE", "HCA"]
    assert "name" not in event.data["after"]  # only what changed
    assert event.actor.email == "cam@example.org"


def test_committee_ids_are_checked(committee, chapter):
    committee.get("/c/lakeshore/policy/")
    org = ConflictOrganization.objects.get(name="Pfizer")
    page = committee.post(
        f"/c/lakeshore/policy/organizations/{org.pk}/",
        org_form(org, fec_committee_ids="C00016683\nc123"),
    ).content.decode()
    assert "Not an FEC committee id: C123" in page
    page = committee.post(
        f"/c/lakeshore/policy/organizations/{org.pk}/",
        org_form(org, sources="https://x.example.org | not a link"),
    ).content
    assert "is not a web address" in page.decode()
    org.refresh_from_db()
    assert org.fec_committee_ids == ["C00016683"]


def test_a_health_worker_unions_pac_cannot_be_given_to_an_organization(committee, chapter):
    committee.get("/c/lakeshore/policy/")
    org = ConflictOrganization.objects.get(name="HCA Healthcare")
    page = committee.post(
        f"/c/lakeshore/policy/organizations/{org.pk}/",
        org_form(org, fec_committee_ids=f"C00067231\n{NURSES_PAC.lower()}"),
    ).content.decode()
    assert f"{NURSES_PAC} belongs to National Nurses United" in page
    org.refresh_from_db()
    assert org.fec_committee_ids == ["C00067231"]
    page = committee.post(
        "/c/lakeshore/policy/organizations/add/",
        {"name": "Nurses Inc", "tier": "1", "fec_committee_ids": NURSES_PAC},
    ).content.decode()
    assert "which this policy never flags" in page
    assert not ConflictOrganization.objects.filter(name="Nurses Inc").exists()
    assert not AuditEvent.objects.filter(action__startswith="finance.organization").exists()


def test_the_never_flag_list(committee, chapter):
    page = committee.get("/c/lakeshore/policy/never-flag/").content.decode()
    assert "National Nurses United" in page
    # An organization's PAC cannot be declared never-flagged.
    page = committee.post(
        "/c/lakeshore/policy/never-flag/",
        {"name": "Pfizer workers", "fec_committee_ids": "C00016683"},
    ).content
    assert "is listed as a PAC of Pfizer" in page.decode()
    with committee.capture(execute=True):
        response = committee.post(
            "/c/lakeshore/policy/never-flag/",
            {
                "name": "SEIU",
                "aliases": "SEIU\nSERVICE EMPLOYEES INTERNATIONAL UNION",
                "fec_committee_ids": "C00004036",
                "reason": "health-worker union",
            },
        )
    assert response.status_code == 302
    entry = NeverFlagEntry.objects.get(name="SEIU")
    assert entry.fec_committee_ids == ["C00004036"]
    event = AuditEvent.objects.get(action="finance.never_flag_added")
    assert event.data["after"]["aliases"] == ["SEIU", "SERVICE EMPLOYEES INTERNATIONAL UNION"]

    with committee.capture(execute=True):
        committee.post(
            f"/c/lakeshore/policy/never-flag/{entry.pk}/",
            {
                "name": "SEIU",
                "reason": "health-worker union",
                "fec_committee_ids": "C00004036\nC00000935",
            },
        )
    event = AuditEvent.objects.get(action="finance.never_flag_changed")
    assert event.data["after"]["fec_committee_ids"] == ["C00004036", "C00000935"]
    assert event.data["before"]["aliases"] == ["SEIU", "SERVICE EMPLOYEES INTERNATIONAL UNION"]


def test_thresholds_and_the_executive_pattern(committee, chapter):
    committee.get("/c/lakeshore/policy/")
    policy = ChapterPolicy.objects.get()
    form = {
        "name": policy.name,
        "version": "2",
        "committee_min": "0",
        "individual_over": "500",
        "employee_review_over": "1000",
        "executive_occupation_pattern": r"\b(CEO",
    }
    page = committee.post("/c/lakeshore/policy/settings/", form).content.decode()
    assert "not a valid regular expression" in page
    form["executive_occupation_pattern"] = r"\b(CEO|PRESIDENT)\b"
    with committee.capture(execute=True):
        assert committee.post("/c/lakeshore/policy/settings/", form).status_code == 302
    policy.refresh_from_db()
    assert str(policy.individual_over) == "500.00"
    assert policy.to_engine().thresholds.individual_over == 500
    event = AuditEvent.objects.get(action="finance.policy_changed")
    assert event.data["before"]["individual_over"] == "200.00"
    assert event.data["after"]["individual_over"] == "500.00"


def test_members_cannot_open_the_policy(client_as, bob, chapter):
    for url in (
        "/c/lakeshore/policy/",
        "/c/lakeshore/policy/never-flag/",
        "/c/lakeshore/policy/organizations/add/",
    ):
        assert client_as(bob).get(url).status_code == 403
    assert not ChapterPolicy.objects.exists()


def test_the_policy_nav_link_is_shown_to_the_committee_only(client_as, bob, committee):
    assert "Conflict policy" in committee.get("/c/lakeshore/").content.decode()
    assert "Candidates" in client_as(bob).get("/c/lakeshore/").content.decode()
    assert "Conflict policy" not in client_as(bob).get("/c/lakeshore/").content.decode()


def _text(response) -> str:
    return " ".join(unescape(response.content.decode()).split())


def test_the_policy_pages_state_the_engines_tier_rule(committee, chapter):
    """matching.classify: executives (and PACs and the organization itself) count at the
    organization's tier, ordinary employees one tier lower, and a tier-3 organization's
    employees are not reported; so an employee's money is not always "for review"."""
    page = _text(committee.get("/c/lakeshore/policy/"))
    assert "per cycle, at the organization's tier" in page  # executives
    assert (
        "per cycle, one tier lower than the organization's: tier 2 (review) at a tier-1 "
        "organization, tier 3 (informational) at a tier-2 one. Employees of tier-3 "
        "organizations are not reported." in page
    )
    assert "flagged for review above" not in page

    page = _text(committee.get("/c/lakeshore/policy/settings/"))
    assert "Flag an ordinary employee's net total per cycle above ($)" in page
    assert "for review above" not in page
    assert "tier 3 (informational) at a tier-2 one" in page
    assert "An executive's money counts at the organization's tier" in page

    page = _text(committee.get("/c/lakeshore/policy/organizations/add/"))
    assert "from its executives counts at its tier" in page
    assert "employees of a tier-3 organization are not reported" in page


def test_an_employees_finding_names_its_organizations_tier_apart(committee, chapter):
    from tests.finance.factories import CandidateFactory, FindingFactory

    candidate = CandidateFactory(chapter=chapter)
    employee = FindingFactory(candidate=candidate, tier=2, rule="employer_employee")
    page = _text(committee.get(f"/c/lakeshore/finance/findings/{employee.pk}/"))
    assert (
        "<dt>Tier</dt><dd>Tier 2: review: an ordinary employee's money counts one tier lower "
        "than the organization's, which is tier 1</dd>" in page
    )
    executive = FindingFactory(candidate=candidate, tier=2, rule="employer_executive")
    page = _text(committee.get(f"/c/lakeshore/finance/findings/{executive.pk}/"))
    assert "<dt>Tier</dt><dd>Tier 2: review, the organization's tier</dd>" in page
