"""Objects of `chapter` for the forums URLs that take a pk (read by the permission metatest)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model

from pledgewatch.forums.models import OrganizationContact
from tests.endorsements.factories import ForumFactory, InvitationFactory, OrganizationFactory


def _contact(chapter) -> OrganizationContact:
    return OrganizationContact.objects.create(
        organization=OrganizationFactory(chapter=chapter), name="Rosa Parks", role="President"
    )


def objects(chapter) -> dict[str, Callable[[], Model]]:
    return {
        "forums:forum_detail": lambda: ForumFactory(chapter=chapter),
        "forums:forum_edit": lambda: ForumFactory(chapter=chapter),
        "forums:forum_report": lambda: ForumFactory(chapter=chapter),
        "forums:forum_ics": lambda: ForumFactory(chapter=chapter),
        "forums:invite_organization": lambda: ForumFactory(chapter=chapter),
        "forums:invite_candidate": lambda: ForumFactory(chapter=chapter),
        "forums:invitation_rsvp": lambda: InvitationFactory(forum__chapter=chapter),
        "forums:invitation_speech": lambda: InvitationFactory(forum__chapter=chapter),
        "forums:invitation_remove": lambda: InvitationFactory(forum__chapter=chapter),
        "forums:evaluation_edit": lambda: InvitationFactory(forum__chapter=chapter, spoke=True),
        "forums:organization_detail": lambda: OrganizationFactory(chapter=chapter),
        "forums:organization_edit": lambda: OrganizationFactory(chapter=chapter),
        "forums:contact_add": lambda: OrganizationFactory(chapter=chapter),
        "forums:contact_edit": lambda: _contact(chapter),
        "forums:contact_remove": lambda: _contact(chapter),
    }
