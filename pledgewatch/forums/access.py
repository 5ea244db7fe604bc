"""The only way views reach forums, invitations and organizations: through request.chapter
(see chapters.access), so an id that belongs to another chapter is a 404."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from pledgewatch.chapters.models import Chapter
from pledgewatch.forums.models import Forum, Invitation, Organization, OrganizationContact


def _chapter(request: HttpRequest) -> Chapter:
    return request.chapter  # type: ignore[attr-defined]


def get_forum_for(request: HttpRequest, pk: int) -> Forum:
    return get_object_or_404(Forum.objects.for_chapter(_chapter(request)), pk=pk)


def get_invitation_for(request: HttpRequest, pk: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("forum", "organization", "candidate").filter(
            forum__chapter=_chapter(request)
        ),
        pk=pk,
    )


def get_organization_for(request: HttpRequest, pk: int) -> Organization:
    return get_object_or_404(Organization.objects.for_chapter(_chapter(request)), pk=pk)


def get_contact_for(request: HttpRequest, pk: int) -> OrganizationContact:
    return get_object_or_404(
        OrganizationContact.objects.select_related("organization").filter(
            organization__chapter=_chapter(request)
        ),
        pk=pk,
    )
