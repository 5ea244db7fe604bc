"""Email really leaves through SMTP: a password-reset message delivered to a server on loopback."""

from __future__ import annotations

import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def test_password_reset_email_is_delivered_over_smtp(client, alice, settings, smtp_server):
    controller, inbox = smtp_server
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": controller.hostname, "port": controller.port, "timeout": 5},
        }
    }
    client.post("/accounts/password/reset/", {"email": "alice@example.org"})

    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "alice@example.org"
    assert message["Subject"] == "Choose your Pledgewatch password"
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    assert "/accounts/password/reset/" in text.get_payload(decode=True).decode()
