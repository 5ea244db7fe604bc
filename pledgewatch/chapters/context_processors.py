from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from pledgewatch.core.permissions import Permission


def current_chapter(request: HttpRequest) -> dict[str, Any]:
    """The chapter a page belongs to, and what the user may do there (for navigation only:
    every view checks its own permission)."""
    role = getattr(request, "chapter_role", None)
    if role is None:
        return {}
    return {
        "chapter": role.chapter,
        "chapter_role": role,
        "can": {p.value: role.has(p) for p in Permission},
    }
