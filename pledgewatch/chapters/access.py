"""The only way views reach chapter data: start from the user's own role in the chapter.

chapter_view(permission) resolves /c/<slug>/... to request.chapter and request.chapter_role,
answering 404 when the user holds no role in that chapter (so other chapters' existence is not
revealed) and 403 when the role lacks the permission. get_*_for() then look objects up *through*
request.chapter, so an id from another chapter is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import SimpleTemplateResponse
from django.utils import timezone

from pledgewatch.chapters.models import Chapter, ChapterRole, Member, RosterImport
from pledgewatch.core.permissions import Permission


def get_chapter_role(request: HttpRequest, slug: str) -> ChapterRole:
    if not request.user.is_authenticated:
        raise PermissionDenied
    role = (
        ChapterRole.objects.select_related("chapter")
        .filter(user=request.user, chapter__slug=slug)
        .first()
    )
    if role is None:
        raise Http404("No such chapter.")
    return role


def chapter_view(permission: Permission) -> Callable:
    """Declare the permission a chapter view needs; the metatest reads it back."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            role = get_chapter_role(request, slug)
            if not role.has(permission):
                raise PermissionDenied
            request.chapter = role.chapter  # type: ignore[attr-defined]
            request.chapter_role = role  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapper.chapter_permission = permission  # type: ignore[attr-defined]
        return wrapper

    return decorator


def in_chapter_timezone(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run the view, and render its template, in the chapter's time zone: form input such as
    "19:00" means 19:00 there, and every time on the page is shown there. (Goes inside
    chapter_view, which sets request.chapter.)"""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with timezone.override(ZoneInfo(request.chapter.timezone)):  # type: ignore[attr-defined]
            response = view(request, *args, **kwargs)
            if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                response.render()
        return response

    return wrapper


def get_import_for(request: HttpRequest, pk: int) -> RosterImport:
    chapter: Chapter = request.chapter  # type: ignore[attr-defined]
    return get_object_or_404(chapter.roster_imports.select_related("uploaded_by"), pk=pk)


def get_member_for(request: HttpRequest, pk: int) -> Member:
    chapter: Chapter = request.chapter  # type: ignore[attr-defined]
    return get_object_or_404(chapter.members, pk=pk)
