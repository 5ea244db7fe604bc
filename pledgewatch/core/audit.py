"""record(): the one way code writes to the audit log."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address
from django.db import models

from pledgewatch.core.models import AuditEvent


def record(
    action: str,
    *,
    by: Any = None,
    chapter: Any = None,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
    request: Any = None,
) -> AuditEvent:
    actor = by if getattr(by, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        chapter=chapter,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        data=data or {},
        ip_address=get_client_ip_address(request) if request is not None else None,
    )
