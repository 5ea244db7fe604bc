"""Email really leaves through SMTP: a password-reset message delivered to a server on loopback."""

from __future__ import annotations


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
