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
    # Candidates and campaign finance.
    VIEW_CANDIDATES = "view_candidates"
    # Totals by tier and by listed organization, never a donor's name.
    VIEW_FINANCE_SUMMARY = "view_finance_summary"
    # Donor names, employers and the findings table. Contributor names may be used only as the
    # law allows (52 U.S.C. 30111(a)(4)), so they are shown to the committee, not to every member.
    VIEW_DONORS = "view_donors"
    MANAGE_CANDIDATES = "manage_candidates"
    # Imports (uploads and the FEC API), re-screening and reviewing findings.
    MANAGE_FINANCE = "manage_finance"
    EDIT_POLICY = "edit_policy"
    # The endorsement pipeline: stages, gates, waivers, pledge, ballot access, questionnaire
    # record, by-law, talking points; offices and races.
    MANAGE_ENDORSEMENTS = "manage_endorsements"
    # The guide's strategy review (everyone reads it; the committee writes it).
    MANAGE_STRATEGY = "manage_strategy"
    # Campaign contacts, the contact log and organizations' contact people (private details).
    VIEW_CONTACTS = "view_contacts"
    # Forums, invitations, RSVPs, speech evaluations and the organization directory.
    MANAGE_FORUMS = "manage_forums"
    # Turning a gate off for the whole chapter changes its process: chapter admins only.
    MANAGE_GATES = "manage_gates"


_EVERYONE = frozenset(
    {Permission.VIEW_DASHBOARD, Permission.VIEW_CANDIDATES, Permission.VIEW_FINANCE_SUMMARY}
)

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.MEMBER: _EVERYONE,
    Role.CANVASS_LEAD: _EVERYONE,
    Role.COMMITTEE: _EVERYONE
    | {
        Permission.VIEW_MEMBERS,
        Permission.IMPORT_ROSTER,
        Permission.VIEW_DONORS,
        Permission.MANAGE_CANDIDATES,
        Permission.MANAGE_FINANCE,
        Permission.EDIT_POLICY,
        Permission.MANAGE_ENDORSEMENTS,
        Permission.MANAGE_STRATEGY,
        Permission.VIEW_CONTACTS,
        Permission.MANAGE_FORUMS,
    },
    Role.ADMIN: frozenset(Permission),
}


def role_has(role: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
