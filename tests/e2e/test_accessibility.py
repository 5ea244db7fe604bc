"""axe-core on every main page, at a phone's width and a desktop's, and no sideways scrolling
on a phone: the chapter's pages, and the candidate and campaign-finance pages with a real filing
imported and screened.

Serious and critical violations fail the test; the report lists each one with the elements
it was found on and axe's advice.
"""

from __future__ import annotations

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from pledgewatch.chapters import fake_roster, services
from pledgewatch.chapters.models import ImportStatus, RosterImport
from pledgewatch.finance import services as finance_services
from pledgewatch.finance.models import ConflictOrganization, FinanceImport, FindingStatus
from pledgewatch.finance.models import ImportStatus as FinanceImportStatus
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
