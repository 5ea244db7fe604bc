"""Campaign finance in the browser: the committee adds a candidate and their FEC committee,
uploads a real filing through the file input, reviews a finding, and a plain member sees the
totals but never a donor's name (52 U.S.C. 30111(a)(4)).

The filing is the Merck PAC's amended year-end report for 2001 (file 27789, committee
C00097485), read from ../shared/data: with the shipped default policy, the screen finds Merck &
Co. executives among its donors. It stands in for a candidate's report here.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pledgewatch.candidates.models import Candidate
from pledgewatch.finance.models import FinanceImport, Finding, FindingReview, ImportStatus
from tests.finance.conftest import EFILINGS

MERCK = EFILINGS / "fecfile__27789.fec"
MERCK_PAC = "C00097485"
IMPORT_DETAIL = re.compile(r"/c/lakeshore/finance/imports/\d+/$")
FINDING_DETAIL = re.compile(r"/c/lakeshore/finance/findings/\d+/$")
# Reading, storing and screening 2,627 receipts, and copying the default policy on first use,
# happen inside the upload request (tasks run in-process here).
IMPORT_TIMEOUT_MS = 60_000


@pytest.fixture(autouse=True)
def _real_filing():
    if not MERCK.is_file():
        pytest.fail(f"{MERCK} is missing: set PLEDGEWATCH_SHARED_DATA to the real FEC files")


def add_candidate_with_committee(page) -> None:
    page.get_by_role("navigation", name="Chapter").get_by_role("link", name="Candidates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Candidates")
    page.get_by_role("link", name="Add a candidate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a candidate")
    page.get_by_label(re.compile(r"^Name:?$")).fill("Dana Whitfield")
    page.get_by_label(re.compile(r"^Office sought")).fill("U.S. House, NJ-7")
    page.get_by_role("button", name="Add", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Dana Whitfield")
    expect(page.locator(".messages")).to_contain_text("Dana Whitfield added.")
    page.get_by_label(re.compile(r"^Jurisdiction")).select_option("fec")
    page.get_by_label(re.compile(r"^Committee id")).fill(MERCK_PAC)
    page.get_by_label(re.compile(r"^Committee name")).fill("Merck PAC")
    page.get_by_role("button", name="Add committee").click()
    expect(page.locator(".messages")).to_contain_text(f"Committee {MERCK_PAC} added.")
    committees = page.get_by_role("region", name="Campaign committees")
    expect(committees.get_by_role("listitem")).to_contain_text([f"{MERCK_PAC}: Merck PAC"])


def upload_filing(page) -> None:
    page.get_by_role("link", name="Upload a filing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a filing for Dana Whitfield")
    page.get_by_label(re.compile(r"^Filing or spreadsheet")).set_input_files(MERCK)
    expect(page.get_by_label(re.compile(r"^Kind of file"))).to_have_value("auto")
    with page.expect_navigation(url=IMPORT_DETAIL, timeout=IMPORT_TIMEOUT_MS):
        page.get_by_role("button", name="Upload and check").click()


def test_the_committee_imports_a_filing_and_dismisses_a_finding_and_members_see_only_totals(
    page, desktop_page, log_in, committee_member, bob, chapter
):
    log_in(page, committee_member)
    add_candidate_with_committee(page)
    candidate = Candidate.objects.get(chapter=chapter, name="Dana Whitfield")
    assert list(candidate.committees.values_list("committee_id", flat=True)) == [MERCK_PAC]

    # The upload: the import has run by the time its page shows, and the page says so.
    upload_filing(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of fecfile__27789.fec")
    progress = page.locator("#progress")
    expect(progress.locator(".status")).to_have_text("Finished")
    expect(progress).to_contain_text("2627 receipts in 1 filing imported.")
    job = FinanceImport.objects.get(candidate=candidate)
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    open_findings = Finding.objects.filter(candidate=candidate, status="open")
    # About 490 with the default policy (the exact number moves with the policy and the rules).
    found = job.findings_open
    assert open_findings.count() == found and 450 < found < 550
    expect(progress).to_contain_text(f"{found} open findings for Dana Whitfield.")
    filings = page.get_by_role("region", name="Filings in this import")
    expect(filings.locator("tbody tr")).to_have_count(1)
    expect(filings.locator("tbody tr")).to_contain_text("27789")

    # The findings table: the Merck & Co. findings, 50 to a page, executives first.
    progress.get_by_role("link", name="the findings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Findings for Dana Whitfield")
    results = page.locator("#results")
    expect(results.locator("p").first).to_have_text(f"{found} findings")
    rows = results.locator("tbody tr")
    expect(rows).to_have_count(50)
    first = rows.first
    expect(first).to_contain_text("Merck & Co.")
    expect(first).to_contain_text("Executive · tier 1")
    expect(first.locator(".status")).to_have_text("Open")
    donor = first.get_by_role("link").inner_text()
    finding = open_findings.filter(contribution__contributor_name=donor).order_by("id").first()
    assert finding is not None and finding.rule == "employer_executive"

    # A finding explains itself and points at its line in the filing.
    first.get_by_role("link", name=donor).click()
    expect(page).to_have_url(FINDING_DETAIL)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{donor}: Merck & Co.")
    expect(page.locator("main")).to_contain_text(
        "Rule: the donor is an executive of this organization"
    )
    expect(page.locator("main")).to_contain_text("Merck & Co. is listed as pharma, tier 1")
    reviewed = Finding.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert reviewed.contribution.contributor_name == donor
    facts = page.locator("dl.facts").last
    expect(facts).to_contain_text("27789")
    expect(facts).to_contain_text(str(reviewed.contribution.line))

    # Dismissing it: a decision needs a reason; htmx swaps the review section in place.
    review = page.locator("#review")
    expect(review.locator(".status")).to_have_text("Open")
    expect(review).to_contain_text("Not reviewed yet.")
    page.evaluate("window.__noReload = true")
    review.get_by_label("Dismiss: not a conflict").check()
    review.get_by_role("button", name="Save decision").click()
    expect(page.locator("#review .errorlist")).to_contain_text("Give the reason")
    assert not FindingReview.objects.exists()
    reason = "Checked with the committee: the donor's own gift to the company PAC."
    page.locator("#review").get_by_label("Dismiss: not a conflict").check()
    page.locator("#review").get_by_label(re.compile(r"^Reason")).fill(reason)
    page.locator("#review").get_by_role("button", name="Save decision").click()
    review = page.locator("#review")
    expect(review.locator(".status")).to_have_text("Dismissed")
    # The history reads as a sentence: status, who, when, what it means, and the reason.
    today = timezone.localdate()
    expect(review.get_by_role("listitem")).to_have_text(
        [
            f"Dismissed by {committee_member.name} on {today.day} {today:%b %Y}: "
            f"not a conflict — {reason}"
        ]
    )
    # Focus is on the new status, not lost on the page's body, and the live region says so.
    expect(review.locator(".status")).to_be_focused()
    expect(page.locator("#announcer")).to_have_text(
        "Decision saved: this finding is now dismissed."
    )
    assert page.evaluate("window.__noReload") is True, "saving the decision reloaded the page"
    reviewed.refresh_from_db()
    assert reviewed.status == "dismissed"
    decision = FindingReview.objects.get()
    assert (decision.finding, decision.status, decision.by) == (
        reviewed,
        "dismissed",
        committee_member,
    )

    # Back on the table the finding shows its new status.
    page.get_by_role("link", name="Findings for Dana Whitfield").click()
    row = page.locator(f"#finding-{reviewed.pk}")
    expect(row.locator(".status")).to_have_text("Dismissed")

    # Confirming one from the table: htmx swaps that row, and focus moves to its new status
    # (the button that had it is gone) while the live region says what happened.
    page.evaluate("window.__noReload = true")
    target = results.locator("tbody tr").filter(has=page.locator(".status-open")).first
    row_id = target.get_attribute("id")
    confirmed = Finding.objects.get(pk=int(row_id.removeprefix("finding-")))
    donor = confirmed.contribution.contributor_name
    target.locator("summary").click()
    target.get_by_label("Confirm: this is a conflicting donation").check()
    target.get_by_label("Reason (required)").fill("An executive's own gift.")
    target.get_by_role("button", name="Save decision").click()
    row = page.locator(f"#{row_id}")
    expect(row.locator(".status")).to_have_text("Confirmed")
    expect(row.locator(".status")).to_be_focused()
    expect(page.locator("#announcer")).to_have_text(f"Decision saved: {donor} is now confirmed.")
    expect(page.locator("#finding-counts")).to_contain_text(
        f"{found - 2} open, 1 confirmed, 1 dismissed"
    )
    assert page.evaluate("window.__noReload") is True, "saving the decision reloaded the page"
    confirmed.refresh_from_db()
    assert confirmed.status == "confirmed"

    # The filters apply when the Filter button is pressed, not on every change, and the URL
    # keeps them.
    findings_url = page.url
    page.get_by_label(re.compile(r"^Tier")).select_option("1")
    page.get_by_label(re.compile(r"^Status")).select_option("confirmed")
    page.wait_for_timeout(500)
    assert page.url == findings_url
    expect(results.locator("p").first).to_have_text(f"{found} findings")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"\?(?=.*tier=1)(?=.*status=confirmed)"))
    expect(results.locator("p").first).to_have_text("1 finding")
    expect(page.get_by_role("button", name="Filter")).to_be_focused()
    expect(page.locator("#announcer")).to_have_text("1 finding matches the filters.")
    assert page.evaluate("window.__noReload") is True, "filtering reloaded the page"

    # The committee sees donors on the candidate's page; a plain member sees totals only.
    page.get_by_role("link", name="Dana Whitfield").first.click()
    open_table = page.get_by_role("region", name="Open findings")
    expect(open_table.locator("tbody tr")).to_have_count(10)

    summary = candidate.findings.summary()
    assert summary["counts"]["dismissed"] == 1 and summary["counts"]["confirmed"] == 1
    assert [t["tier"] for t in summary["by_tier"]] == [1, 2]
    total = f"${summary['total']:,.2f}"
    merck = next(e for e in summary["by_entity"] if e["entity_name"] == "Merck & Co.")
    merck_total = f"${merck['total']:,.2f}"

    member = desktop_page
    log_in(member, bob)
    member.goto(f"/c/{chapter.slug}/candidates/")
    member.get_by_role("link", name="Dana Whitfield").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Dana Whitfield")
    money = member.get_by_role("region", name="Money from organizations on the conflict policy")
    # The Merck PAC's report has tier 1 and tier 2 money only, so the headline is all of it.
    expect(money).to_contain_text(
        f"Conflict and review money (tiers 1 and 2), net of refunds: {total}."
    )
    expect(money).not_to_contain_text("Informational (tier 3)")
    expect(money).to_contain_text(f"{found - 2} open, 1 confirmed, 1 dismissed.")
    by_tier = member.get_by_role("region", name="Totals by tier")
    expect(by_tier.locator("tbody tr")).to_have_count(2)
    by_org = member.get_by_role("region", name="Totals by organization")
    expect(by_org.locator("tbody tr")).to_have_count(1)
    expect(by_org.locator("tbody tr")).to_contain_text("Merck & Co.")
    expect(by_org.locator("tbody tr")).to_contain_text(merck_total)
    expect(by_org.get_by_role("link")).to_have_count(0)  # no way into the findings
    expect(money).to_contain_text("Donors' names are shown only to the committee")
    expect(member.get_by_role("region", name="Open findings")).to_have_count(0)
    expect(member.get_by_role("link", name="All findings")).to_have_count(0)
    expect(member.get_by_role("link", name="Upload a filing")).to_have_count(0)

    text = member.locator("body").inner_text()
    names = set(
        candidate.findings.values_list("contribution__contributor_name", flat=True).distinct()
    )
    assert len(names) > 50  # 84 donors with the default policy of 2026-11-28
    shown = sorted(name for name in names if name in text)
    assert shown == [], f"a plain member sees donors' names: {shown[:5]}"
    assert "Merck Vaccine" not in text and "Vp/Gm" not in text  # nor employers, occupations

    response = member.goto(f"/c/{chapter.slug}/candidates/{candidate.pk}/findings/")
    assert response.status == 403
    response = member.goto(f"/c/{chapter.slug}/finance/findings/{reviewed.pk}/")
    assert response.status == 403


def test_import_progress_updates_inside_a_stable_live_region_and_stops_polling(
    page, log_in, committee_member, chapter
):
    """While an import runs, htmx re-fetches its progress every 2 s and swaps the section
    inside a polite live region that stays in place; once it has finished, polling stops."""
    candidate = Candidate.objects.create(chapter=chapter, name="Dana Whitfield")
    job = FinanceImport.objects.create(
        candidate=candidate,
        kind="upload",
        original_name="report.fec",
        status=ImportStatus.RUNNING,
        rows_total=200,
        rows_processed=50,
    )
    url = f"/c/{chapter.slug}/finance/imports/{job.pk}/"
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if r.url.endswith(url) else None)
    log_in(page, committee_member)
    page.goto(url)
    region = page.locator("#progress-region")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(region.locator("#progress")).to_contain_text("Read 50 of about 200 receipts")
    region.evaluate("element => { element.dataset.original = 'yes' }")

    FinanceImport.objects.filter(pk=job.pk).update(rows_processed=150)
    expect(region.locator("#progress")).to_contain_text("Read 150 of about 200 receipts")
    FinanceImport.objects.filter(pk=job.pk).update(
        status=ImportStatus.SUCCEEDED, contributions_added=200, filings_added=1
    )
    expect(region.locator(".status")).to_have_text("Finished", timeout=6_000)
    expect(region).to_contain_text("200 receipts in 1 filing imported")
    # The same live region, not a new one: the polls swapped what is inside it.
    expect(page.locator("#progress-region[data-original='yes']")).to_have_count(1)
    expect(page.locator("[aria-live]")).to_have_count(1)
    assert page.locator("#progress").get_attribute("hx-trigger") is None

    finished_at = len(polls)
    page.wait_for_timeout(4_500)  # two polling intervals
    assert len(polls) == finished_at, "the page kept polling a finished import"
