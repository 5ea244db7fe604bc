"""Changes to offices, races, candidates, their committees and the contact log: atomic, audited,
keyword-only, with by=.

The campaign's contact details (contact name, email, phone) and what the contact log says stay
out of the audit log: it records that they were set or changed, and which entry was added, not
the private details themselves (the audit log is read by admins, the contacts by the committee).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from pledgewatch.candidates.models import (
    CampaignCommittee,
    Candidate,
    ContactLogEntry,
    Office,
    Race,
)
from pledgewatch.chapters.models import Chapter
from pledgewatch.core.audit import audit_value, record, update_audited

PRIVATE_FIELDS = frozenset({"contact_name", "email", "phone"})


def _audit_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields for an audit event: private ones by name only."""
    data: dict[str, Any] = {k: audit_value(v) for k, v in fields.items() if k not in PRIVATE_FIELDS}
    private = sorted(k for k in fields if k in PRIVATE_FIELDS and fields[k])
    if private:
        data["contact_fields_set"] = private
    return data


def _update(action: str, obj: models.Model, fields: dict[str, Any], *, by: Any) -> None:
    update_audited(action, obj, fields, by=by, chapter=obj.chapter, private=PRIVATE_FIELDS)


# --- offices and races ---------------------------------------------------------------------


@transaction.atomic
def add_office(*, chapter: Chapter, by: Any, **fields: Any) -> Office:
    """`fields`: name, level, district, state."""
    office = Office(chapter=chapter, **fields)
    office.full_clean()
    office.save()
    record("office.added", by=by, chapter=chapter, obj=office, data=_audit_fields(fields))
    return office


@transaction.atomic
def update_office(*, office: Office, by: Any, **fields: Any) -> Office:
    _update("office.changed", office, fields, by=by)
    return office


@transaction.atomic
def add_race(*, chapter: Chapter, by: Any, **fields: Any) -> Race:
    """`fields`: office (one of the chapter's), kind, party, election_date, filing_deadline,
    notes. Race.clean() refuses another chapter's office and a deadline after the election."""
    race = Race(chapter=chapter, **fields)
    race.full_clean()
    race.save()
    record("race.added", by=by, chapter=chapter, obj=race, data=_audit_fields(fields))
    return race


@transaction.atomic
def update_race(*, race: Race, by: Any, **fields: Any) -> Race:
    _update("race.changed", race, fields, by=by)
    return race


# --- candidates ----------------------------------------------------------------------------


@transaction.atomic
def add_candidate(*, chapter: Chapter, name: str, by: Any, **fields: Any) -> Candidate:
    """A new candidate, with its endorsement record at "considering". `fields`: party,
    office_sought, website, race, contact_name, email, phone."""
    from pledgewatch.endorsements.services import endorsement_for

    candidate = Candidate(chapter=chapter, name=name, **fields)
    candidate.full_clean()
    candidate.save()
    endorsement_for(candidate)
    record(
        "candidate.added",
        by=by,
        chapter=chapter,
        obj=candidate,
        data={"name": name, **_audit_fields(fields)},
    )
    return candidate


@transaction.atomic
def update_candidate(*, candidate: Candidate, by: Any, **fields: Any) -> Candidate:
    """`fields`: any of name, party, race, office_sought, website, contact_name, email, phone."""
    _update("candidate.changed", candidate, fields, by=by)
    return candidate


@transaction.atomic
def add_committee(
    *, candidate: Candidate, jurisdiction: str, committee_id: str, name: str, by: Any
) -> CampaignCommittee:
    committee = CampaignCommittee.objects.create(
        candidate=candidate, jurisdiction=jurisdiction, committee_id=committee_id, name=name
    )
    record(
        "candidate.committee_added",
        by=by,
        chapter=candidate.chapter,
        obj=candidate,
        data={"jurisdiction": jurisdiction, "committee_id": committee_id, "name": name},
    )
    return committee


@transaction.atomic
def remove_committee(*, committee: CampaignCommittee, by: Any) -> None:
    """Forget a committee id. Filings already imported for it stay, with their findings."""
    candidate = committee.candidate
    data = {
        "jurisdiction": committee.jurisdiction,
        "committee_id": committee.committee_id,
        "name": committee.name,
    }
    committee.delete()
    record("candidate.committee_removed", by=by, chapter=candidate.chapter, obj=candidate,
           data=data)  # fmt: skip


# --- the contact log -----------------------------------------------------------------------


@transaction.atomic
def log_contact(
    *,
    candidate: Candidate,
    kind: str,
    happened_at: dt.datetime,
    people: str,
    summary: str,
    by: Any,
) -> ContactLogEntry:
    """Add an entry to the candidate's contact log. The log is append-only: there is no edit or
    delete, and a correction is a new entry."""
    if happened_at > timezone.now():
        raise ValidationError({"happened_at": "A contact cannot be logged before it happens."})
    entry = ContactLogEntry(
        candidate=candidate,
        kind=kind,
        happened_at=happened_at,
        people=people,
        summary=summary,
        logged_by=by if getattr(by, "is_authenticated", False) else None,
    )
    entry.full_clean()
    entry.save()
    record(
        "candidate.contact_logged",
        by=by,
        chapter=candidate.chapter,
        obj=candidate,
        data={
            "contact_log_entry": entry.pk,
            "kind": kind,
            "happened_at": audit_value(happened_at),
        },
    )
    return entry
