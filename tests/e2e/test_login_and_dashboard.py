"""Logging in and out through the real form, and what the dashboard shows to whom."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from pledgewatch.chapters.models import Threshold
from tests.factories import ChapterRoleFactory


def test_wrong_password_stays_on_login_right_one_lands_on_the_dashboard(page, alice, chapter):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(alice.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_text("That email and password do not match an account")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    # The address is kept, the password is not.
    expect(page.get_by_label("Email")).to_have_value(alice.email)
    expect(page.get_by_label("Password")).to_have_value("")

    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Log in").click()

    # Alice holds a role in one chapter only: straight to its dashboard.
    expect(page).to_have_url(re.compile(rf"/c/{chapter.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Lakeshore DSA")


def test_logout_is_a_post_button_in_the_header_and_ends_the_session(page, log_in, bob, chapter):
    log_in(page, bob)
    expect(page).to_have_url(re.compile(rf"/c/{chapter.slug}/$"))

    page.get_by_role("banner").get_by_role("button", name="Log out").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    # The session is gone: the dashboard asks for a login again, and comes back after it.
    page.goto(f"/c/{chapter.slug}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/c/lakeshore/$"))


def test_login_returns_to_the_page_that_asked_for_it(page, log_in, alice, chapter):
    page.goto(f"/c/{chapter.slug}/members/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_label("Email").fill(alice.email)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(rf"/c/{chapter.slug}/members/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Members")


def test_someone_in_two_chapters_chooses_one(page, log_in, live_server, alice, other_chapter):
    ChapterRoleFactory(chapter=other_chapter, user=alice)
    log_in(page, alice)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your chapters")
    page.get_by_role("link", name="Harbor City DSA").click()
    expect(page).to_have_url(re.compile(rf"/c/{other_chapter.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbor City DSA")


def _nav_links(page):
    return page.get_by_role("navigation", name="Chapter").get_by_role("link")


def test_a_member_sees_the_by_laws_but_no_roster_or_admin_links(page, log_in, bob, chapter):
    chapter.endorsement_threshold = Threshold.SIXTY
    chapter.rescission_petition_size = 7
    chapter.save()
    log_in(page, bob)

    expect(page.get_by_role("heading", level=1)).to_have_text("Lakeshore DSA")
    expect(page.get_by_role("banner")).to_contain_text("Lakeshore DSA")
    by_laws = page.get_by_role("region", name="How this chapter decides")
    expect(by_laws).to_contain_text("At least 60%")
    expect(by_laws).to_contain_text("Not counted")
    expect(by_laws).to_contain_text("10% of members in good standing")
    expect(by_laws).to_contain_text("7 members in good standing")
    # Every role reads the endorsement pipeline's pages; nothing of the roster or the admin's.
    expect(_nav_links(page)).to_have_text(
        ["Dashboard", "Pipeline", "Candidates", "Races", "Forums", "Strategy", "By-law"]
    )
    expect(page.get_by_role("link", name="Change these settings")).to_have_count(0)
    expect(page.get_by_role("region", name="Members")).to_have_count(0)

    # The links are not just hidden: the pages refuse him.
    response = page.goto(f"/c/{chapter.slug}/members/")
    assert response.status == 403


def test_an_admin_sees_members_roster_imports_and_the_admin_pages(page, log_in, alice, chapter):
    log_in(page, alice)

    expect(_nav_links(page)).to_have_text(
        [
            "Dashboard",
            "Members",
            "Roster imports",
            "Pipeline",
            "Candidates",
            "Races",
            "Forums",
            "Strategy",
            "By-law",
            "Conflict policy",
            "People",
            "Settings",
            "Audit log",
        ]
    )
    expect(page.get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("region", name="How this chapter decides")).to_contain_text(
        "At least two thirds"
    )
    members = page.get_by_role("region", name="Members")
    expect(members).to_contain_text("0 on the roster")
    members.get_by_role("link", name="Import your roster").click()
    expect(page).to_have_url(re.compile(rf"/c/{chapter.slug}/members/imports/$"))
    expect(page.get_by_role("link", name="Roster imports")).to_have_attribute(
        "aria-current", "page"
    )
