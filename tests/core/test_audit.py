from __future__ import annotations

import pytest

from pledgewatch.core.audit import record
from pledgewatch.core.models import AppendOnlyError, AuditEvent


def test_audit_events_can_be_added_but_never_changed_or_deleted(alice, chapter):
    event = record("chapter.settings_changed", by=alice, chapter=chapter, obj=chapter)
    assert (event.object_type, event.object_id) == ("chapters.Chapter", str(chapter.pk))

    event.action = "something.else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "chapter.settings_changed"


def test_anonymous_actor_is_recorded_as_nobody(chapter):
    from django.contrib.auth.models import AnonymousUser

    assert record("user.login_failed", by=AnonymousUser()).actor is None
