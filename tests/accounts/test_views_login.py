from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from pledgewatch.core.models import AuditEvent
from tests.factories import PASSWORD

LOGIN = "/accounts/login/"


def log_in(client, email, password=PASSWORD):
    return client.post(LOGIN, {"username": email, "password": password})


def test_login_with_email_and_password_lands_on_the_chapter_dashboard(client, alice, chapter):
    response = log_in(client, "alice@example.org")
    assert response.status_code == 302
    assert client.get(response["Location"]).url == f"/c/{chapter.slug}/"
    assert AuditEvent.objects.filter(action="user.login", actor=alice).exists()


def test_email_is_matched_case_insensitively_as_typed_on_a_phone(client, alice):
    assert log_in(client, " Alice@Example.org").status_code == 302


def test_failures_count_against_the_account_however_it_is_capitalised(client, alice, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "alice@example.org" if i % 2 else "ALICE@example.org", "guess")
    assert log_in(client, "alice@example.org").status_code == 429


def test_wrong_password_is_refused_with_a_clear_message(client, alice):
    response = log_in(client, "alice@example.org", "wrong")
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="user.login_failed")
    assert event.data == {"email": "alice@example.org"}


def test_repeated_failures_lock_the_account_until_the_cool_off_ends(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "alice@example.org", "guess")

    locked = log_in(client, "alice@example.org")  # even the right password
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert log_in(client, "alice@example.org").status_code == 302


def test_lockout_of_one_account_does_not_lock_another(client, alice, bob, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "alice@example.org", "guess")
    assert log_in(client, "bob@example.org").status_code == 302


def test_logout_is_a_post_and_ends_the_session(client_as, alice):
    client = client_as(alice)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def reset_link(message) -> str:
    return re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)


def test_password_reset_by_email_sets_a_new_password_once(client, alice):
    response = client.post("/accounts/password/reset/", {"email": "alice@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    link = reset_link(message)
    assert link in message.alternatives[0].content  # the HTML part carries the same link

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-much-better-pass-2026", "new_password2": "a-much-better-pass-2026"},
    )
    assert done.status_code == 302
    assert log_in(client, "alice@example.org", "a-much-better-pass-2026").status_code == 302
    assert AuditEvent.objects.filter(action="user.password_reset", actor=alice).exists()

    client.post("/accounts/logout/")
    assert "This link has expired" in client.get(link, follow=True).content.decode()


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, db):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


@pytest.mark.parametrize("path", ["/", "/c/lakeshore/", "/accounts/password/change/"])
def test_pages_require_login(client, chapter, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")


def test_behind_a_proxy_lockout_is_per_client_address_not_the_proxys(client, alice, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.9, 10.0.0.2", "REMOTE_ADDR": "10.0.0.2"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "alice@example.org", "password": "guess"}, **attacker)
    assert AuditEvent.objects.filter(action="user.login_failed").first().ip_address == (
        "203.0.113.9"
    )
    alice_herself = {"HTTP_X_FORWARDED_FOR": "198.51.100.7, 10.0.0.2", "REMOTE_ADDR": "10.0.0.2"}
    response = client.post(
        LOGIN, {"username": "alice@example.org", "password": PASSWORD}, **alice_herself
    )
    assert response.status_code == 302
