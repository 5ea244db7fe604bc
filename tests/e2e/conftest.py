"""Browser tests: Playwright's sync API driving Debian's chromium against pytest-django's
live_server.

We never download a browser: the tests use /usr/bin/chromium (or $CHROMIUM) and are skipped,
with the reason shown by `-ra`, when it is not installed (apt-get install chromium).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in this thread; Django would otherwise refuse
# ORM calls made from test code (factories, assertions) while that loop exists.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
# Fail fast: a page of this app on loopback answers in milliseconds.
TIMEOUT_MS = 10_000

HERE = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)  # before `-m e2e` / `-m "not e2e"` selects on the marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    chromium_present = os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)
    skip = pytest.mark.skip(
        reason=f"browser tests need chromium at {CHROMIUM} (apt-get install chromium, "
        f"or set CHROMIUM to its path)"
    )
    for item in items:
        if HERE not in Path(item.path).parents:
            continue  # this hook sees the whole session's items
        item.add_marker(pytest.mark.e2e)
        if not chromium_present:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live_server, started only once the test database exists.

    With SQLite the test database lives in memory, and the server can only share it if the
    database is already set up when the server thread starts (Django passes the in-memory
    connection to it then). Started first, the server would open a fresh connection in every
    request thread and leak it.
    """
    return live_server


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(autouse=True)
def _e2e_settings(settings, tmp_path):
    """Roster uploads go to a temporary directory, not the checkout's var/uploads; and a fast
    password hasher, since every journey logs in through the form (the real hasher takes
    about 0.3 s per login and per user created; the unit tests cover hashing)."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _new_page(browser, live_server, viewport):
    context = browser.new_context(viewport=viewport, base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # checked after the test: a page must not throw
    return context, page


@pytest.fixture
def phone_page(browser, live_server) -> Iterator:
    """A fresh browser (no cookies) at a phone's size, with base_url set to the live server."""
    context, page = _new_page(browser, live_server, PHONE)
    yield page
    context.close()
    assert not page.js_errors, f"JavaScript errors on the page: {page.js_errors}"


@pytest.fixture
def desktop_page(browser, live_server) -> Iterator:
    context, page = _new_page(browser, live_server, DESKTOP)
    yield page
    context.close()
    assert not page.js_errors, f"JavaScript errors on the page: {page.js_errors}"


@pytest.fixture
def page(phone_page):
    """Phone first: most organizers use Pledgewatch on their phone."""
    return phone_page


@pytest.fixture
def log_in() -> Callable:
    """Log in through the real login form; returns once the page after it has loaded."""
    from tests.factories import PASSWORD

    def log_in(page, user, password: str = PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        if "/accounts/login/" in page.url:
            errors = page.locator(".errorlist").all_inner_texts()
            raise AssertionError(f"logging in as {user.email} failed: {errors or page.url}")

    return log_in


@pytest.fixture
def csv_file(tmp_path) -> Callable:
    """Write CSV text to a file (as a browser would pick it) and return its path."""
    counter = iter(range(1000))

    def write(text: str, name: str = "") -> Path:
        path = tmp_path / (name or f"roster-{next(counter)}.csv")
        path.write_text(text, encoding="utf-8", newline="")
        return path

    return write


@pytest.fixture
def dsa_roster_csv(csv_file) -> Callable:
    """A DSA national export (current headers) of invented members, as a file."""
    import io

    from pledgewatch.chapters import fake_roster

    def make(rows: list[dict[str, str]], name: str = "") -> Path:
        out = io.StringIO()
        fake_roster.write_current(out, rows)
        return csv_file(out.getvalue(), name or "dsa-export.csv")

    return make
