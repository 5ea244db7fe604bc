from __future__ import annotations

from typing import Any

from django.tasks import task


@task
def send_ballot_reminders() -> list[dict[str, Any]]:
    """Email the committee before pending ballot-access filing deadlines (each reminder once).
    Returns what was sent, as plain data (result backends store JSON)."""
    from pledgewatch.endorsements.services_evidence import send_ballot_reminders as send

    return [sent.as_dict() for sent in send()]
