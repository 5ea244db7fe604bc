"""Emails are three templates: emails/<name>-subject.txt, -body.txt and -body.html."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def make_message(name: str, to: str | list[str], ctx: dict[str, Any]) -> EmailMultiAlternatives:
    ctx = {"site_url": settings.SITE_URL, **ctx}
    subject = render_to_string(f"emails/{name}-subject.txt", ctx)
    subject = " ".join(subject.split())  # headers must be one line
    text = render_to_string(f"emails/{name}-body.txt", ctx)
    html = render_to_string(f"emails/{name}-body.html", ctx)
    msg = EmailMultiAlternatives(subject, text, to=[to] if isinstance(to, str) else to)
    msg.attach_alternative(html, "text/html")
    return msg


def send(name: str, to: str | list[str], ctx: dict[str, Any]) -> None:
    make_message(name, to, ctx).send()
