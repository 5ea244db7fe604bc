from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form, labelled and typed for an email address."""

    username = forms.EmailField(
        label="Email",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password do not match an account. "
        "Check both, or reset your password below.",
    }


def axes_username(request, credentials) -> str:
    """The account a failed log-in counts against, spelled the way we store it."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(value).strip().lower()
