"""Objects of a chapter for the pipeline URLs that take a pk (read by the permission metatest)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model

from pledgewatch.endorsements.models import Gate, GateWaiver
from tests.endorsements.factories import EndorsementFactory
from tests.finance.factories import CandidateFactory


def _waiver(chapter) -> GateWaiver:
    endorsement = EndorsementFactory(candidate__chapter=chapter)
    return GateWaiver.objects.create(
        endorsement=endorsement, gate=Gate.BALLOT, reason="Appointed, not elected."
    )


def objects(chapter) -> dict[str, Callable[[], Model]]:
    candidate = lambda: CandidateFactory(chapter=chapter)  # noqa: E731
    return {
        "endorsements:endorsement_detail": candidate,
        "endorsements:endorsement_move": candidate,
        "endorsements:gate_waive": candidate,
        "endorsements:finance_decision": candidate,
        "endorsements:waiver_withdraw": lambda: _waiver(chapter),
    }
