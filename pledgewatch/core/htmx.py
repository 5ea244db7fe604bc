"""One view serves the full page and its htmx fragment (Django template partials)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.response import TemplateResponse


def render_page_or_partial(
    request: HttpRequest, template: str, partial: str, context: dict[str, Any]
) -> TemplateResponse:
    """Render `template`, or only its `{% partialdef partial %}` when htmx asks for it.

    A history restore (Back to a URL htmx pushed, with no snapshot in its cache) replaces the
    whole body, so it gets the whole page."""
    htmx = getattr(request, "htmx", False)
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        return TemplateResponse(request, f"{template}#{partial}", context)
    return TemplateResponse(request, template, context)
