"""record(): the one way code writes to the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
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


def audit_value(value: Any) -> Any:
    """A value as an audit event's JSON holds it: objects by their name, times in UTC."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def apply_changes(
    obj: models.Model, fields: dict[str, Any], *, private: Iterable[str] = ()
) -> dict[str, Any]:
    """Set `fields` on `obj` (a row of the database), validate and save it; return the changes
    for the audit log as {name: [old, new]}. Fields named in `private` (contact details) are
    listed by name only, under "private_fields". The old values come from the database, not
    from `obj`, which a ModelForm may already have changed in memory. Call inside a transaction
    (the row is locked while it changes)."""
    private = frozenset(private)
    before = type(obj).objects.select_for_update().get(pk=obj.pk)
    changes: dict[str, Any] = {}
    hidden: list[str] = []
    for name, value in fields.items():
        old = getattr(before, name)
        if old != value:
            if name in private:
                hidden.append(name)
            else:
                changes[name] = [audit_value(old), audit_value(value)]
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    if hidden:
        changes["private_fields"] = sorted(hidden)
    return changes


def update_audited(
    action: str,
    obj: models.Model,
    fields: dict[str, Any],
    *,
    by: Any,
    chapter: Any,
    private: Iterable[str] = (),
) -> dict[str, Any]:
    """apply_changes(obj, fields) and, if anything changed, an audit event `action` with the
    changes; returns them ({} when nothing changed). Call inside a transaction."""
    changes = apply_changes(obj, fields, private=private)
    if changes:
        record(action, by=by, chapter=chapter, obj=obj, data={"changes": changes})
    return changes
