"""Log-ins, log-outs and failed log-ins go to the audit log (Django's own auth signals)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from pledgewatch.core.audit import record


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record("user.login", by=user, obj=user, request=request)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record("user.logout", by=user, obj=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    # Only the address typed, never the password (Django already masks it).
    record(
        "user.login_failed",
        data={"email": str(credentials.get("username", ""))[:200]},
        request=request,
    )
