"""Importing a roster through the browser: DSA's export, a file with a bad row, a generic CSV."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from pledgewatch.chapters import fake_roster
from pledgewatch.chapters.models import Member
from tests.factories import MemberFactory

IMPORT_DETAIL = re.compile(r"/c/lakeshore/members/imports/\d+/$")


def upload(page, path) -> None:
    """Choose the file on the roster imports page and submit it, keeping the other defaults."""
    page.get_by_role("navigation", name="Chapter").get_by_role(
        "link", name="Roster imports"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import your roster")
    page.get_by_label("Roster file (.csv)").set_input_files(path)
    page.get_by_role("button", name="Upload and check").click()


def test_dsa_export_imports_and_members_are_searchable_without_a_reload(
    page, log_in, alice, chapter, dsa_roster_csv
):
    rows = fake_roster.member_rows(25, seed=7)
    log_in(page, alice)
    upload(page, dsa_roster_csv(rows, "lakeshore-2026-11.csv"))

    expect(page).to_have_url(IMPORT_DETAIL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of lakeshore-2026-11.csv")
    progress = page.locator("#progress")
    expect(progress).to_contain_text("Finished")
    expect(progress).to_contain_text("25 added, 0 changed, 0 lapsed, 0 unchanged.")
    expect(page.get_by_role("heading", name="What changed")).to_be_visible()
    assert Member.objects.filter(chapter=chapter).count() == 25

    page.get_by_role("link", name="See the members").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Members")
    results = page.locator("#results")
    count = results.locator("p").first
    expect(count).to_have_text("25 members")
    expect(results.locator("tbody tr")).to_have_count(25)

    # Search: htmx swaps the results in place and records the query in the address bar.
    page.evaluate("window.__noReload = true")
    target = rows[12]
    page.get_by_label("Search name, email, id or ZIP").press_sequentially(target["email"])
    expect(page).to_have_url(
        re.compile(r"\?q=" + re.escape(target["email"]).replace("@", "(@|%40)"))
    )
    expect(count).to_have_text("1 member")
    expect(page.locator("#results")).to_have_count(1)  # swapped in place, not nested
    expect(results.locator("tbody tr")).to_have_count(1)
    expect(results.get_by_role("link")).to_have_text(
        f"{target['first_name']} {target['middle_name']} {target['last_name']}".replace("  ", " ")
    )
    assert page.evaluate("window.__noReload") is True, "the search reloaded the whole page"

    # A search that matches nobody says so.
    page.get_by_label("Search name, email, id or ZIP").fill("zzzz-nobody")
    expect(page).to_have_url(re.compile(r"\?q=zzzz-nobody"))
    expect(count).to_have_text("0 members")
    expect(results.locator("tbody tr")).to_have_count(0)
    assert page.evaluate("window.__noReload") is True


def test_a_bad_row_changes_nothing_and_the_table_names_row_and_column(
    page, log_in, alice, chapter, dsa_roster_csv
):
    MemberFactory.create_batch(3, chapter=chapter)
    rows = fake_roster.member_rows(6, seed=11)
    rows[1]["email"] = "maria at example.org"  # the second member: spreadsheet row 3
    log_in(page, alice)
    upload(page, dsa_roster_csv(rows))

    expect(page).to_have_url(IMPORT_DETAIL)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was changed.")
    expect(alert).to_contain_text("We found 1 problem.")
    error_rows = alert.locator("tbody tr")
    expect(error_rows).to_have_count(1)
    cells = error_rows.first.locator("td")
    expect(cells.nth(0)).to_have_text("3")
    expect(cells.nth(1)).to_have_text("email")
    expect(cells.nth(2)).to_contain_text("maria at example.org")
    expect(page.locator("#progress .status")).to_have_text("Failed: nothing was changed")

    assert Member.objects.filter(chapter=chapter).count() == 3
    page.get_by_role("navigation", name="Chapter").get_by_role("link", name="Members").click()
    expect(page.locator("#results p").first).to_have_text("3 members")


def test_a_generic_csv_goes_through_column_mapping_with_guesses_preselected(
    page, log_in, alice, chapter, csv_file
):
    path = csv_file(
        "First Name,Last Name,Email Address,Status\r\n"
        "Rosa,Luxemburg,rosa@example.org,Member in Good Standing\r\n"
        "Eugene,Debs,gene@example.org,Lapsed\r\n"
        "Lucy,Parsons,lucy@example.org,Member\r\n",
        "sign-in-sheet.csv",
    )
    log_in(page, alice)
    upload(page, path)

    expect(page).to_have_url(IMPORT_DETAIL)
    expect(page.get_by_role("heading", name="Which column holds what?")).to_be_visible()
    expect(page.get_by_label("First name (required)")).to_have_value("First Name")
    expect(page.get_by_label("Last name (required)")).to_have_value("Last Name")
    expect(page.get_by_label("Email (required)")).to_have_value("Email Address")
    expect(page.get_by_label(re.compile(r"^Status:?$"))).to_have_value("Status")
    expect(page.get_by_label(re.compile(r"^Phone:?$"))).to_have_value("")
    assert not Member.objects.exists()

    page.get_by_role("button", name="Import with these columns").click()

    expect(page).to_have_url(IMPORT_DETAIL)
    expect(page.locator("#progress")).to_contain_text("Finished")
    expect(page.locator("#progress")).to_contain_text("3 added, 0 changed, 0 lapsed")
    page.get_by_role("link", name="See the members").click()
    results = page.locator("#results")
    expect(results.locator("p").first).to_have_text("3 members")
    expect(results.get_by_role("link")).to_have_text(
        ["Eugene Debs", "Rosa Luxemburg", "Lucy Parsons"]
    )
    statuses = dict(Member.objects.values_list("email", "status"))
    assert statuses == {
        "rosa@example.org": "good_standing",
        "gene@example.org": "lapsed",
        "lucy@example.org": "member",
    }


def test_back_after_searching_shows_the_whole_page_even_without_htmx_history_cache(
    page, log_in, alice, chapter
):
    """htmx restores a pushed URL from its sessionStorage snapshot; when the snapshot is missing
    (storage full, cleared, or disabled) it asks the server for the URL again, and must get the
    whole page back, not the results fragment."""
    MemberFactory(chapter=chapter, first_name="Rosa", last_name="Luxemburg")
    MemberFactory(chapter=chapter, first_name="Eugene", last_name="Debs")
    log_in(page, alice)
    page.goto(f"/c/{chapter.slug}/members/")
    search = page.get_by_label("Search name, email, id or ZIP")
    count = page.locator("#results p").first
    search.fill("rosa")
    expect(page).to_have_url(re.compile(r"\?q=rosa(&|$)"))
    expect(count).to_have_text("1 member")
    search.fill("nobody")
    expect(page).to_have_url(re.compile(r"\?q=nobody(&|$)"))
    expect(count).to_have_text("0 members")

    page.evaluate("sessionStorage.removeItem('htmx-history-cache')")
    page.go_back()

    expect(page).to_have_url(re.compile(r"\?q=rosa(&|$)"))
    expect(page.locator("#results p").first).to_have_text("1 member")
    expect(page.get_by_role("heading", level=1)).to_have_text("Members")
    expect(page.get_by_role("navigation", name="Chapter")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
