"""axe-core on every main page, at a phone's width and a desktop's, and no sideways scrolling
on a phone: the chapter's pages, the candidate and campaign-finance pages with a real filing
imported and screened, and the endorsement pipeline's pages (board, endorsement records, the
gates' evidence, by-law, forums, strategy review and the public page).

Serious and critical violations fail the test; the report lists each one with the elements
it was found on and axe's advice.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from pledgewatch.campaigns import services as strategy_services
from pledgewatch.campaigns.models import STRATEGY_QUESTIONS, Decision
from pledgewatch.chapters import fake_roster, services
from pledgewatch.chapters.models import ImportStatus, RosterImport
from pledgewatch.endorsements import services as pipeline_services
from pledgewatch.endorsements import services_bylaw, texts
from pledgewatch.endorsements.models import Gate, Stage
from pledgewatch.finance import services as finance_services
from pledgewatch.finance.models import ConflictOrganization, FinanceImport, FindingStatus
from pledgewatch.finance.models import ImportStatus as FinanceImportStatus
from pledgewatch.forums.models import OrganizationContact, Rsvp
from tests.campaigns.factories import CampaignFactory
from tests.endorsements.factories import (
    BallotAccessFactory,
    ContactLogEntryFactory,
    ForumFactory,
    InvitationFactory,
    OfficeFactory,
    OrganizationFactory,
    PledgeFactory,
    QuestionnaireRecordFactory,
    RaceFactory,
    ResourceFactory,
)
from tests.endorsements.pipeline_evidence import evidence_all
from tests.finance.conftest import EFILINGS
from tests.finance.factories import CandidateFactory, CommitteeFactory

MERCK = EFILINGS / "fecfile__27789.fec"  # the Merck PAC's report: 491 findings by default
INVALID = EFILINGS / "fastfec__filing_invalid_version.fec"  # version 180.5: fails

FAILING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def _import(chapter, by, data: str, name: str) -> RosterImport:
    job = services.start_import(
        chapter=chapter,
        upload=ContentFile(data.encode(), name=name),
        encoding="utf-8",
        fmt="",
        full_snapshot=True,
        by=by,
    )
    job.refresh_from_db()  # the import ran when start_import's transaction committed
    return job


def _finance_import(candidate, by, name: str, data: bytes) -> FinanceImport:
    job = finance_services.start_upload_import(
        candidate=candidate, upload=SimpleUploadedFile(name, data), mapping="auto", by=by
    )
    job.refresh_from_db()  # the import ran when start_upload_import's transaction committed
    return job


def _finance_pages(chapter, by) -> dict[str, str]:
    """A candidate with the Merck PAC's real report imported and screened with the default
    policy, findings in every reviewable status, a failed import and a spreadsheet waiting for
    its columns; the candidate and finance pages, by name."""
    if not MERCK.is_file():
        pytest.fail(f"{MERCK} is missing: set PLEDGEWATCH_SHARED_DATA to the real FEC files")
    candidate = CandidateFactory(
        chapter=chapter,
        name="Dana Whitfield",
        office_sought="U.S. House, a district whose name is long enough to wrap on a phone",
        website="https://dana-whitfield-for-congress.example.org/a/long/path/to/the/platform",
    )
    CommitteeFactory(candidate=candidate, committee_id="C00097485", name="Merck PAC")
    ok = _finance_import(candidate, by, MERCK.name, MERCK.read_bytes())
    assert ok.status == FinanceImportStatus.SUCCEEDED, ok.errors
    failed = _finance_import(candidate, by, INVALID.name, INVALID.read_bytes())
    assert failed.status == FinanceImportStatus.FAILED
    mapping = _finance_import(
        candidate, by, "receipts.csv", b"Donor,Given,When\r\nDOE JANE,250,2024-02-05\r\n"
    )
    assert mapping.status == FinanceImportStatus.NEEDS_MAPPING
    findings = list(candidate.findings.order_by("tier", "-net_amount", "id")[:3])
    for finding, decision in zip(findings, ["confirmed", "dismissed"], strict=False):
        finance_services.review_finding(
            finding=finding, status=decision, reason="Checked against the filing.", by=by
        )
    assert candidate.findings.filter(status=FindingStatus.OPEN).exists()
    merck = ConflictOrganization.objects.get(policy__chapter=chapter, name="Merck & Co.")
    base = f"/c/{chapter.slug}"
    return {
        "candidates": f"{base}/candidates/",
        "add a candidate": f"{base}/candidates/add/",
        "candidate": f"{base}/candidates/{candidate.pk}/",
        "add a committee": f"{base}/candidates/{candidate.pk}/committees/",
        "filing imports": f"{base}/candidates/{candidate.pk}/imports/",
        "fetch from the FEC API, without a key": f"{base}/candidates/{candidate.pk}/imports/fetch/",
        "filing import that succeeded": f"{base}/finance/imports/{ok.pk}/",
        "filing import that failed": f"{base}/finance/imports/{failed.pk}/",
        "spreadsheet waiting for columns": f"{base}/finance/imports/{mapping.pk}/",
        "findings": f"{base}/candidates/{candidate.pk}/findings/",
        "findings, filtered": f"{base}/candidates/{candidate.pk}/findings/?tier=2&status=open",
        "finding, reviewed": f"{base}/finance/findings/{findings[1].pk}/",
        "finding, open": f"{base}/finance/findings/{findings[2].pk}/",
        "alias proposals": f"{base}/candidates/{candidate.pk}/alias-proposals/",
        "conflict policy": f"{base}/policy/",
        "conflict policy, searched": f"{base}/policy/?q=blue+cross&tier=1",
        "policy settings": f"{base}/policy/settings/",
        "organization": f"{base}/policy/organizations/{merck.pk}/",
        "add an organization": f"{base}/policy/organizations/add/",
        "never flagged": f"{base}/policy/never-flag/",
    }


def _pipeline_pages(chapter, by) -> dict[str, str]:
    """The endorsement pipeline's pages: a candidate at "questionnaire" with some evidence, a
    waiver and the vote blocked; an endorsed one (with a waived gate) for the public page; an
    adopted and amended by-law; forums, the organization directory and a strategy review with
    two revisions."""
    office = OfficeFactory(
        chapter=chapter, name="City Council", district="Ward 35, the long name of a ward"
    )
    race = RaceFactory(
        chapter=chapter,
        office=office,
        notes="Open seat: the incumbent retires. Early voting starts three weeks before.",
    )
    long_site = "https://rosa-delgado-for-the-35th-ward.example.org/a/long/path/to/the/platform"
    rosa = CandidateFactory(
        chapter=chapter,
        name="Rosa Delgado",
        race=race,
        website=long_site,
        contact_name="Sam Ortiz, campaign manager",
        email="sam.ortiz.campaign.manager@rosa-delgado-for-the-35th-ward.example.org",
        phone="(773) 555-0142",
    )
    endorsement = pipeline_services.endorsement_for(rosa)
    for stage in (Stage.VETTING, Stage.QUESTIONNAIRE):
        pipeline_services.move(endorsement=endorsement, to=stage, reason="On track.", by=by)
    PledgeFactory(candidate=rosa)
    BallotAccessFactory(candidate=rosa, signatures_gathered=240)
    QuestionnaireRecordFactory(candidate=rosa, answered_on=dt.date(2026, 10, 20))
    ContactLogEntryFactory(candidate=rosa)
    pipeline_services.waive(
        endorsement=endorsement,
        gate=Gate.FORUM,
        reason="The forum was cancelled by the venue; she spoke at the union's town hall.",
        by=by,
    )
    pipeline_services.record_finance_decision(
        endorsement=endorsement, text="No filings yet: the campaign started in October.", by=by
    )

    amara = CandidateFactory(chapter=chapter, name="Amara Osei", race=race)
    evidence_all(amara, except_=(Gate.BALLOT,))  # adopts the by-law too
    endorsed = pipeline_services.endorsement_for(amara)
    pipeline_services.waive(
        endorsement=endorsed,
        gate=Gate.BALLOT,
        reason="The certified ballot is published after our vote; she filed twice the signatures.",
        by=by,
    )
    for stage in (Stage.VETTING, Stage.QUESTIONNAIRE, Stage.VOTE):
        pipeline_services.move(endorsement=endorsed, to=stage, reason="On track.", by=by)
    pipeline_services.move(
        endorsement=endorsed,
        to=Stage.ENDORSED,
        reason="The general meeting voted.",
        votes=(41, 3, 2),
        statement="Lakeshore DSA endorses Amara Osei for City Council.",
        by=by,
    )
    bylaw = services_bylaw.bylaw_of(chapter)
    services_bylaw.amend(
        chapter=chapter,
        text=texts.model_bylaw_text(chapter),
        adoption=services_bylaw.Adoption(
            adopted_on=bylaw.adopted_on + dt.timedelta(days=30),
            adopted_by_body="General meeting",
            votes_yes=52,
            votes_no=4,
            votes_abstain=1,
            minutes_url="https://lakeshoredsa.example.org/minutes/2026-10",
        ),
        by=by,
    )
    resource = ResourceFactory(chapter=chapter, description="The national campaign's case.")

    organization = OrganizationFactory(chapter=chapter, name="SEIU Healthcare Illinois")
    OrganizationContact.objects.create(
        organization=organization,
        name="Jo Rivera",
        role="Political director",
        email="jo.rivera@example.org",
        phone="(312) 555-0199",
    )
    forum = ForumFactory(
        chapter=chapter,
        accessibility="Step-free entrance; ASL interpretation; childcare.",
        description="Candidates for the 35th ward on Medicare for All.",
        notes="About 80 people came.",
        recording_url="https://video.example.org/forums/ward-35",
    )
    spoke = InvitationFactory(forum=forum, candidate=rosa, rsvp=Rsvp.YES, spoke=True)
    InvitationFactory(forum=forum, candidate=None, organization=organization)
    ForumFactory(  # upcoming and public: on the public page
        chapter=chapter,
        title="Medicare for All: a town hall with the nurses' union",
        starts_at=timezone.now() + dt.timedelta(days=12),
    )

    campaign = CampaignFactory(chapter=chapter)
    answers = {key: "" for key, _question in STRATEGY_QUESTIONS}
    first = strategy_services.save_strategy(
        campaign=campaign,
        answers=answers | {"goals": "Win Medicare for All; build a base of members."},
        decision=Decision.UNDECIDED,
        reason="",
        decided_on=None,
        by=by,
    )
    second = strategy_services.save_strategy(
        campaign=campaign,
        answers=answers
        | {
            "goals": "Win Medicare for All in Illinois; build a base of working members.",
            "conversations": "Easier about health care: everyone has a story.",
        },
        decision=Decision.PURSUE,
        reason="A candidate who pledges builds the campaign.",
        decided_on=dt.date(2026, 10, 1),
        by=by,
    )
    assert (first.number, second.number) == (1, 2)

    base = f"/c/{chapter.slug}"
    pipeline = f"{base}/pipeline"
    c = f"{pipeline}/candidates/{rosa.pk}"
    return {
        "pipeline board": f"{pipeline}/",
        "pipeline board, one race": f"{pipeline}/?race={race.pk}",
        "endorsement, vote blocked": f"{c}/",
        "endorsement, endorsed": f"{pipeline}/candidates/{amara.pk}/",
        "gate settings": f"{pipeline}/gates/",
        "pledge": f"{c}/pledge/",
        "pledge, edit": f"{c}/pledge/edit/",
        "ballot access": f"{c}/ballot/",
        "ballot access, edit": f"{c}/ballot/edit/",
        "questionnaire record": f"{c}/questionnaire/",
        "questionnaire record, edit": f"{c}/questionnaire/edit/",
        "talking points": f"{c}/talking-points/",
        "by-law": f"{pipeline}/bylaw/",
        "by-law, record an amendment": f"{pipeline}/bylaw/amend/",
        "resources": f"{pipeline}/resources/",
        "resource, edit": f"{pipeline}/resources/{resource.pk}/edit/",
        "offices": f"{base}/candidates/offices/",
        "add an office": f"{base}/candidates/offices/add/",
        "races": f"{base}/candidates/races/",
        "add a race": f"{base}/candidates/races/add/",
        "race": f"{base}/candidates/races/{race.pk}/",
        "candidate in a race": f"{base}/candidates/{rosa.pk}/",
        "candidate, edit": f"{base}/candidates/{rosa.pk}/edit/",
        "contact log, add": f"{base}/candidates/{rosa.pk}/contacts/add/",
        "forums": f"{base}/forums/",
        "forum": f"{base}/forums/{forum.pk}/",
        "add a forum": f"{base}/forums/add/",
        "forum, who spoke": f"{base}/forums/invitations/{spoke.pk}/speech/",
        "forum, evaluate a speech": f"{base}/forums/invitations/{spoke.pk}/evaluation/",
        "organizations": f"{base}/forums/organizations/",
        "organization": f"{base}/forums/organizations/{organization.pk}/",
        "strategy": f"{base}/campaigns/",
        "strategy review": f"{base}/campaigns/{campaign.pk}/",
        "strategy review, edit": f"{base}/campaigns/{campaign.pk}/strategy/",
        "campaign, add": f"{base}/campaigns/new/",
        "campaign, edit": f"{base}/campaigns/{campaign.pk}/edit/",
        "strategy revision": f"{base}/campaigns/revisions/{second.pk}/",
        "public page": f"/p/{chapter.slug}/",
    }


@pytest.fixture
def pages(live_server, alice, bob, chapter) -> dict[str, str]:
    """A chapter with members, one import of each outcome and some audit history; the pages to
    check, by name. (live_server makes the database transactional, so imports run on commit.)"""
    rows = fake_roster.member_rows(60, seed=5)  # more than a page of members
    rows[0]["email"] = "a.very.long.address.that.could.push.the.page.sideways@example.org"
    out = io.StringIO()
    fake_roster.write_current(out, rows)
    ok = _import(
        chapter, alice, out.getvalue(), "Lakeshore_DSA_membership_list_2026_11_01_full.csv"
    )
    assert ok.status == ImportStatus.SUCCEEDED, ok.errors
    rows[3]["email"] = "not an email"
    rows[4]["join_date"] = "someday"
    out = io.StringIO()
    fake_roster.write_current(out, rows)
    failed = _import(chapter, alice, out.getvalue(), "broken.csv")
    assert failed.status == ImportStatus.FAILED
    mapping = _import(
        chapter, alice, "First Name,Last Name,Email Address\r\nAna,Lee,ana@example.org\r\n", "x.csv"
    )
    assert mapping.status == ImportStatus.NEEDS_MAPPING
    member = chapter.members.order_by("pk").first()
    base = f"/c/{chapter.slug}"
    return {
        "dashboard": f"{base}/",
        "members": f"{base}/members/",
        "members, searched": f"{base}/members/?q=garcia&status=good_standing",
        "member": f"{base}/members/{member.pk}/",
        "roster imports": f"{base}/members/imports/",
        "import that succeeded": f"{base}/members/imports/{ok.pk}/",
        "import that failed": f"{base}/members/imports/{failed.pk}/",
        "import waiting for columns": f"{base}/members/imports/{mapping.pk}/",
        "settings": f"{base}/settings/",
        "people": f"{base}/people/",
        "audit log": f"{base}/audit/",
        **_finance_pages(chapter, alice),
        **_pipeline_pages(chapter, alice),
    }


def _serious_violations(axe: Axe, page) -> list[dict]:
    results = axe.run(page)
    return [v for v in results.response["violations"] if v["impact"] in FAILING_IMPACTS]


def _describe(name: str, url: str, violations: list[dict]) -> str:
    lines = [f"{name} ({url}):"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}  ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"      at {' '.join(map(str, node['target']))}")
            lines.append(f"         {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n         ")
            if summary:
                lines.append(f"         {summary}")
        if len(v["nodes"]) > 5:
            lines.append(f"      … and {len(v['nodes']) - 5} more elements")
    return "\n".join(lines)


def _horizontal_overflow(page) -> str | None:
    sizes = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if sizes[0] <= sizes[1]:
        return None
    culprits = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const tooWide = el => el.getBoundingClientRect().right > width + 1;
            // Text wider than its own box (a long word) does not widen the box itself.
            const overflows = el => el.scrollWidth > el.clientWidth + 1
              && getComputedStyle(el).overflowX === 'visible';
            // Inside a scrolling box (the chapter menu, a table) being wide is fine.
            const inScroller = el => {
              for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                if (getComputedStyle(p).overflowX !== 'visible') return true;
              }
              return false;
            };
            return [...document.querySelectorAll('body *')]
              .filter(el => (tooWide(el) || overflows(el)) && !inScroller(el))
              .filter(el => ![...el.children].some(c => tooWide(c) || overflows(c)))
              .slice(0, 5)
              .map(el => el.outerHTML.slice(0, 160));
        }"""
    )
    return f"scrollWidth {sizes[0]} > clientWidth {sizes[1]}; too wide: {culprits}"


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_pages_have_no_serious_accessibility_problems(request, viewport, axe, log_in, alice, pages):
    page = request.getfixturevalue(f"{viewport}_page")
    problems: list[str] = []

    def check(name: str, url: str) -> None:
        violations = _serious_violations(axe, page)
        if violations:
            problems.append(_describe(name, url, violations))
        if viewport == "phone" and (overflow := _horizontal_overflow(page)):
            problems.append(f"{name} ({url}) scrolls sideways at 390px: {overflow}")

    page.goto("/accounts/login/")
    check("login", "/accounts/login/")
    page.get_by_label("Email").fill(alice.email)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".errorlist")).to_be_visible()
    check("login with an error", "/accounts/login/")

    log_in(page, alice)
    for name, url in pages.items():
        response = page.goto(url)
        assert response.ok, f"{name}: {url} answered {response.status}"
        check(name, url)

    assert not problems, "\n\n" + "\n\n".join(problems)
