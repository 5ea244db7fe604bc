"""From a real filing to reviewed findings: the committee adds an organization to the policy,
the screen finds its PAC's money in DeFazio's filing, the committee reviews it, and members see
totals but never donors' names (52 U.S.C. 30111(a)(4))."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from pledgewatch.core.models import AuditEvent
from pledgewatch.finance.models import Finding, FindingReview, FindingStatus
from tests.finance.conftest import EFILINGS
from tests.finance.factories import CandidateFactory, CommitteeFactory, finance_test_settings

DEFAZIO = EFILINGS / "fecfile__1229017.fec"
KIRBY_PAC = "C00250027"  # KIRBY CORPORATION POLITICAL ACTION COMMITTEE: $2,500 on line 179
KIRBY_DONOR = "KIRBY CORPORATION POLITICAL ACTION COMMITTEE"


@pytest.fixture(autouse=True)
def _finance(settings, tmp_path, monkeypatch, shared_data):
    finance_test_settings(settings, tmp_path, monkeypatch)


@pytest.fixture
def committee(committee_member, client_as, django_capture_on_commit_callbacks):
    client = client_as(committee_member)
    client.capture = django_capture_on_commit_callbacks
    return client


@pytest.fixture
def candidate(chapter, committee):
    """DeFazio, with his real 2018 pre-primary report imported through the upload page."""
    candidate = CandidateFactory(chapter=chapter, name="Peter DeFazio", office_sought="OR-4")
    CommitteeFactory(candidate=candidate, committee_id="C00215905")
    url = f"/c/{chapter.slug}/candidates/{candidate.pk}/imports/"
    with committee.capture(execute=True):
        committee.post(
            url, {"file": SimpleUploadedFile(DEFAZIO.name, DEFAZIO.read_bytes()), "mapping": "fec"}
        )
    assert candidate.filings.count() == 1
    return candidate


def add_organization(client, chapter, **fields):
    data = {
        "name": "Kirby Corporation",
        "industry": "maritime",
        "tier": "1",
        "fec_committee_ids": KIRBY_PAC,
        **fields,
    }
    with client.capture(execute=True):
        return client.post(f"/c/{chapter.slug}/policy/organizations/add/", data)


@pytest.fixture
def kirby(committee, chapter, candidate):
    """An organization whose PAC gave to DeFazio, added through the policy editor."""
    response = add_organization(committee, chapter)
    assert response.status_code == 302, response.content.decode()
    return Finding.objects.get(candidate=candidate, entity_name="Kirby Corporation")


def test_the_small_policy_finds_nothing_until_the_organization_is_added(candidate, kirby):
    assert (kirby.rule, kirby.tier, str(kirby.amount)) == ("committee_id", 1, "2500.00")
    assert kirby.contribution.line == 179
    assert kirby.contribution.transaction_id == "C11233021"
    assert "C00250027" in kirby.explanation and "line 179" in kirby.explanation
    assert Finding.objects.count() == 1
    event = AuditEvent.objects.get(action="finance.organization_added")
    assert event.data["before"] is None
    assert event.data["after"]["fec_committee_ids"] == [KIRBY_PAC]
    assert AuditEvent.objects.filter(action="finance.rescreened").count() >= 2


def test_members_see_totals_but_never_donor_names(client_as, bob, committee, candidate, kirby):
    url = f"/c/{candidate.chapter.slug}/candidates/{candidate.pk}/"
    member_page = client_as(bob).get(url).content.decode()
    assert "Kirby Corporation" in member_page  # the listed organization, with its total
    assert "$2,500.00" in member_page
    assert KIRBY_DONOR not in member_page
    assert "Donors' names are shown only to the committee" in member_page

    committee_page = committee.get(url).content.decode()
    assert KIRBY_DONOR in committee_page
    assert client_as(bob).get(f"{url}findings/").status_code == 403
    assert client_as(bob).get(f"/c/lakeshore/finance/findings/{kirby.pk}/").status_code == 403


def test_findings_table_filters_and_links_to_the_source_row(committee, candidate, kirby):
    url = f"/c/{candidate.chapter.slug}/candidates/{candidate.pk}/findings/"
    page = committee.get(url).content.decode()
    assert "1 finding" in page and KIRBY_DONOR in page
    assert "1 finding" in committee.get(url, {"tier": 1, "rule": "committee_id"}).content.decode()
    assert "0 findings" in committee.get(url, {"tier": 2}).content.decode()
    assert "0 findings" in committee.get(url, {"status": "confirmed"}).content.decode()
    filing = candidate.filings.get()
    page = committee.get(url, {"entity": "Kirby Corporation", "filing": filing.pk}).content
    assert "1 finding" in page.decode()
    partial = committee.get(url, {"tier": 1}, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="results"') and "<html" not in partial

    detail = committee.get(f"/c/{candidate.chapter.slug}/finance/findings/{kirby.pk}/").content
    detail = detail.decode()
    for fact in ("1229017", "C11233021", "SA11C", "179", "HOUSTON", "Not reviewed yet"):
        assert fact in detail


def review_url(finding):
    return f"/c/{finding.candidate.chapter.slug}/finance/findings/{finding.pk}/review/"


@pytest.mark.parametrize("decision", ["confirmed", "dismissed"])
def test_a_decision_needs_a_reason(committee, kirby, decision):
    page = committee.post(review_url(kirby), {"status": decision, "reason": "  "})
    assert page.status_code == 200
    assert "Give the reason for this decision." in page.content.decode()
    kirby.refresh_from_db()
    assert kirby.status == FindingStatus.OPEN
    assert not FindingReview.objects.exists()

    response = committee.post(review_url(kirby), {"status": decision, "reason": "Kirby's PAC."})
    assert response.status_code == 302
    assert response["Location"] == f"/c/lakeshore/finance/findings/{kirby.pk}/"
    kirby.refresh_from_db()
    assert kirby.status == decision
    review = FindingReview.objects.get()
    assert (review.status, review.reason, review.by.email) == (
        decision,
        "Kirby's PAC.",
        "cam@example.org",
    )
    event = AuditEvent.objects.get(action="finance.finding_reviewed")
    assert event.data == {
        "before": {"status": "open"},
        "after": {"status": decision},
        "reason": "Kirby's PAC.",
    }
    assert event.actor.email == "cam@example.org"


def test_a_dismissed_finding_leaves_the_totals(client_as, bob, committee, candidate, kirby):
    committee.post(review_url(kirby), {"status": "dismissed", "reason": "Not health care."})
    page = client_as(bob).get(f"/c/lakeshore/candidates/{candidate.pk}/").content.decode()
    assert "$2,500.00" not in page
    assert "1 finding dismissed on review" in page


def test_reviewing_from_the_table_swaps_that_row(committee, candidate, kirby):
    htmx = {"HX-Request": "true"}
    data = {"status": "confirmed", "reason": "", "from": "list", "next": "/x"}
    row = committee.post(review_url(kirby), data, headers=htmx).content.decode()
    assert row.lstrip().startswith(f'<tr id="finding-{kirby.pk}"')
    assert "Give the reason for this decision." in row

    data["reason"] = "Kirby Corporation's own PAC."
    row = committee.post(review_url(kirby), data, headers=htmx).content.decode()
    assert row.lstrip().startswith(f'<tr id="finding-{kirby.pk}"')
    assert "status-confirmed" in row
    kirby.refresh_from_db()
    assert kirby.status == FindingStatus.CONFIRMED

    # Without JavaScript: post, then back to the table the form was on, at the finding's row.
    data = {
        "status": "open",
        "reason": "A second look.",
        "from": "list",
        "next": f"/c/lakeshore/candidates/{candidate.pk}/findings/?tier=1",
    }
    response = committee.post(review_url(kirby), data)
    assert response["Location"] == f"{data['next']}#finding-{kirby.pk}"
    page = committee.get(response["Location"]).content.decode()
    assert "Finding marked Open." in page
    data["next"] = "https://evil.example.org/"
    assert committee.post(review_url(kirby), data)["Location"].startswith("/c/lakeshore/")


def _tag(html: str, marker: str) -> str:
    """The opening tag that contains `marker`."""
    at = html.index(marker)
    return html[html.rindex("<", 0, at) : html.index(">", at) + 1]


def test_a_row_swapped_in_by_htmx_takes_focus_and_tells_the_live_region(
    committee, candidate, kirby
):
    htmx = {"HX-Request": "true"}
    badge = f'id="finding-{kirby.pk}-status"'
    # The table as first loaded: a live region, and no element that would take focus.
    page = committee.get(f"/c/lakeshore/candidates/{candidate.pk}/findings/").content.decode()
    assert '<p id="announcer" class="visually-hidden" role="status"></p>' in page
    assert "autofocus" not in page
    assert 'tabindex="-1"' in _tag(page, badge)

    # A decision without a reason: the row comes back open at the reason, with the choice kept.
    data = {"status": "dismissed", "reason": " ", "from": "list", "next": "/x"}
    row = committee.post(review_url(kirby), data, headers=htmx).content.decode()
    assert "autofocus" in _tag(row, f'id="reason-{kirby.pk}"')
    assert "autofocus" not in _tag(row, badge)
    assert "checked" in _tag(row, f'id="status-{kirby.pk}-dismissed"')
    assert "checked" not in _tag(row, f'id="status-{kirby.pk}-confirmed"')
    assert "hx-swap-oob" not in row  # the error list is an alert already
    # No decision chosen: focus goes to the first choice.
    row = committee.post(
        review_url(kirby), {**data, "status": "", "reason": "x"}, headers=htmx
    ).content.decode()
    assert "autofocus" in _tag(row, f'id="status-{kirby.pk}-confirmed"')

    # Saved: focus moves to the row's new status, and the page's polite live region and its
    # counts are updated out of band.
    data["reason"] = "Not health care."
    row = committee.post(review_url(kirby), data, headers=htmx).content.decode()
    assert row.lstrip().startswith(f'<tr id="finding-{kirby.pk}"')
    assert "autofocus" in _tag(row, badge)
    assert f'{badge} tabindex="-1" autofocus>Dismissed</span>' in row
    assert (
        '<p id="announcer" hx-swap-oob="innerHTML">Decision saved: '
        f"{KIRBY_DONOR} is now dismissed.</p>" in row
    )
    assert '<p id="finding-counts" hx-swap-oob="innerHTML">0 open, 0 confirmed, 1 dismissed' in row
    assert "<template>" in row  # OOB content after a <tr> must be wrapped to parse


def test_the_filters_apply_on_the_button_and_stay_in_the_url(committee, candidate, kirby):
    url = f"/c/lakeshore/candidates/{candidate.pk}/findings/"
    page = committee.get(url).content.decode()
    form = page[page.index('<form method="get"') : page.index("</form>", page.index("Filter"))]
    assert 'hx-push-url="true"' in form and 'role="search"' in form
    assert "hx-trigger" not in form  # not on every change: on submit, htmx's default
    assert '<button type="submit">Filter</button>' in page
    # The result is a plain GET, so a filtered table has its own URL; with htmx, the table
    # alone comes back, with a sentence for the live region.
    partial = committee.get(url, {"tier": 1}, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="results">')
    assert '<p id="announcer" hx-swap-oob="innerHTML">1 finding matches the filters.</p>' in partial
    partial = committee.get(url, {"tier": 2}, headers={"HX-Request": "true"}).content.decode()
    assert "0 findings match the filters." in partial
    assert "hx-swap-oob" not in committee.get(url, {"tier": 1}).content.decode()


def entries(html: str) -> list[str]:
    """The review history's entries as a reader hears them (tags dropped, spaces joined)."""
    history = html[html.index('<ul class="history"') :]
    history = history[: history.index("</ul>")]
    return [
        " ".join(unescape(re.sub(r"<[^>]+>", "", item)).split())
        for item in history.split("<li>")[1:]
    ]


def test_the_review_history_reads_as_sentences_newest_first(committee_member, committee, kirby):
    committee_member.name = "Alex Organizer"
    committee_member.save()
    with time_machine.travel(datetime(2026, 11, 27, 15, 0, tzinfo=UTC), tick=False):
        committee.post(review_url(kirby), {"status": "dismissed", "reason": "Not health care."})
    with time_machine.travel(datetime(2026, 11, 28, 9, 30, tzinfo=UTC), tick=False):
        committee.post(review_url(kirby), {"status": "open", "reason": "A second look."})
        committee.post(review_url(kirby), {"status": "confirmed", "reason": "Its own PAC."})

    page = committee.get(f"/c/lakeshore/finance/findings/{kirby.pk}/").content.decode()
    assert entries(page) == [
        "Confirmed by Alex Organizer on 28 Nov 2026: this is a conflicting donation — Its own PAC.",
        "Reopened by Alex Organizer on 28 Nov 2026: needs another look — A second look.",
        "Dismissed by Alex Organizer on 27 Nov 2026: not a conflict — Not health care.",
    ]
    assert '<time datetime="2026-11-27T15:00:00+00:00">27 Nov 2026</time>' in page
    assert FindingReview.objects.filter(finding=kirby).count() == 3  # nothing replaced

    # The same history in the section htmx swaps in, which takes focus on its new status.
    part = committee.post(
        review_url(kirby),
        {"status": "dismissed", "reason": "On reflection, no."},
        headers={"HX-Request": "true"},
    ).content.decode()
    newest = entries(part)[0]
    assert newest.startswith("Dismissed by Alex Organizer on ")
    assert newest.endswith(": not a conflict — On reflection, no.")
    assert len(entries(part)) == 4
    assert 'id="review-status" tabindex="-1" autofocus>Dismissed</span>' in part
    assert "Decision saved: this finding is now dismissed." in part


def test_reviewing_on_the_findings_page_swaps_its_review_section(committee, kirby):
    htmx = {"HX-Request": "true"}
    part = committee.post(
        review_url(kirby), {"status": "confirmed", "reason": "Its PAC."}, headers=htmx
    ).content.decode()
    assert part.lstrip().startswith('<section id="review"')
    assert "Its PAC." in part and "Confirmed" in part


def test_a_plain_member_cannot_review(client_as, bob, kirby):
    assert (
        client_as(bob).post(review_url(kirby), {"status": "confirmed", "reason": "x"}).status_code
        == 403
    )


def test_adding_a_proposed_alias_finds_more_and_keeps_the_reviews(committee, candidate, kirby):
    committee.post(review_url(kirby), {"status": "confirmed", "reason": "Kirby's own PAC."})
    # A listed company whose name is spelled a little differently in the filing.
    add_organization(
        committee,
        candidate.chapter,
        name="TPG Marine Enterprise",
        industry="maritime",
        fec_committee_ids="",
    )
    assert not Finding.objects.filter(entity_name="TPG Marine Enterprise").exists()

    page = committee.get(f"/c/lakeshore/candidates/{candidate.pk}/alias-proposals/")
    page = page.content.decode()
    assert "TPG Marine Enterprises, LLC" in page  # the employer as Donald Miller wrote it
    org = candidate.chapter.conflict_policy.organizations.get(name="TPG Marine Enterprise")
    with committee.capture(execute=True):
        response = committee.post(
            f"/c/lakeshore/policy/organizations/{org.pk}/aliases/",
            {"alias": "TPG Marine Enterprises, LLC", "candidate": candidate.pk},
        )
    assert response["Location"] == f"/c/lakeshore/candidates/{candidate.pk}/alias-proposals/"
    org.refresh_from_db()
    assert org.aliases == ["TPG Marine Enterprises, LLC"]

    miller = Finding.objects.get(entity_name="TPG Marine Enterprise")
    assert miller.rule == "employer_executive"  # a president: an executive
    assert miller.contribution.contributor_name.startswith("Miller, Donald")
    kirby.refresh_from_db()
    assert kirby.status == FindingStatus.CONFIRMED  # the review survived the new screen
    assert kirby.reviews.count() == 1
    event = AuditEvent.objects.filter(action="finance.organization_changed").latest("id")
    assert event.data == {
        "before": {"aliases": []},
        "after": {"aliases": ["TPG Marine Enterprises, LLC"]},
    }


def test_a_finding_the_policy_no_longer_matches_is_withdrawn_not_deleted(committee, kirby):
    committee.post(review_url(kirby), {"status": "confirmed", "reason": "Kirby's own PAC."})
    org = kirby.candidate.chapter.conflict_policy.organizations.get(name="Kirby Corporation")
    form = {"name": org.name, "industry": org.industry, "tier": "1", "fec_committee_ids": ""}
    with committee.capture(execute=True):
        committee.post(f"/c/lakeshore/policy/organizations/{org.pk}/", form)
    kirby.refresh_from_db()
    assert kirby.status == FindingStatus.WITHDRAWN
    assert kirby.reviews.count() == 1
    page = committee.get(f"/c/lakeshore/finance/findings/{kirby.pk}/").content.decode()
    assert "no longer matches this receipt" in page
    assert committee.post(review_url(kirby), {"status": "open", "reason": "x"}).status_code == 200

    # Put the PAC id back: the finding returns with its last review's status.
    form["fec_committee_ids"] = KIRBY_PAC
    with committee.capture(execute=True):
        committee.post(f"/c/lakeshore/policy/organizations/{org.pk}/", form)
    kirby.refresh_from_db()
    assert kirby.status == FindingStatus.CONFIRMED


def test_screen_again_button(committee, candidate, kirby):
    with committee.capture(execute=True):
        response = committee.post(f"/c/lakeshore/candidates/{candidate.pk}/rescreen/")
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="finance.rescreened").latest("id")
    assert event.actor.email == "cam@example.org"
    assert event.data["findings"] == 1 and event.data["new"] == 0


def test_another_chapters_admin_gets_404(client_as, charlie, candidate, kirby):
    client = client_as(charlie)
    for url in (
        f"/c/lakeshore/candidates/{candidate.pk}/",
        f"/c/harbor-city/candidates/{candidate.pk}/",
        f"/c/harbor-city/candidates/{candidate.pk}/findings/",
        f"/c/harbor-city/finance/findings/{kirby.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        f"/c/harbor-city/finance/findings/{kirby.pk}/review/",
        {"status": "dismissed", "reason": "x"},
    )
    assert response.status_code == 404
    assert not FindingReview.objects.exists()
