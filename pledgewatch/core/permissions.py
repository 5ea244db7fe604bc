"""Who may do what inside a chapter: permissions, and the roles that grant them.

Every chapter view declares one Permission (see pledgewatch.chapters.access.chapter_view);
the permission metatest checks that no URL is left without a rule.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Chapter admin"
    COMMITTEE = "committee", "Committee"
    CANVASS_LEAD = "canvass_lead", "Canvass lead"
    MEMBER = "member", "Member"


class Permission(StrEnum):
    VIEW_DASHBOARD = "view_dashboard"
    VIEW_MEMBERS = "view_members"
    IMPORT_ROSTER = "import_roster"
    VIEW_AUDIT_LOG = "view_audit_log"
    MANAGE_CHAPTER = "manage_chapter"


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.MEMBER: frozenset({Permission.VIEW_DASHBOARD}),
    Role.CANVASS_LEAD: frozenset({Permission.VIEW_DASHBOARD}),
    Role.COMMITTEE: frozenset(
        {Permission.VIEW_DASHBOARD, Permission.VIEW_MEMBERS, Permission.IMPORT_ROSTER}
    ),
    Role.ADMIN: frozenset(Permission),
}


def role_has(role: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
