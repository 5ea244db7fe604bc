"""Objects for the permission metatest: the evidence pages take a candidate's id."""

from __future__ import annotations

from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db.models import Model

from tests.endorsements.factories import BallotAccessFactory, PledgeFactory
from tests.finance.factories import CandidateFactory

# The smallest file the pledge_document view will serve: a PDF header.
PDF = b"%PDF-1.4\n%metatest\n"


def _candidate_with_stored_pledge(chapter) -> Model:
    pledge = PledgeFactory(candidate__chapter=chapter)
    pledge.document.save("pledge-metatest.pdf", ContentFile(PDF))
    return pledge.candidate  # stored under the test run's MEDIA_ROOT (tests/conftest.py)


def objects(chapter) -> dict[str, Callable[[], Model]]:
    def candidate() -> Model:
        return CandidateFactory(chapter=chapter)

    return {
        "endorsements:pledge_detail": candidate,
        "endorsements:pledge_edit": candidate,
        "endorsements:pledge_document": lambda: _candidate_with_stored_pledge(chapter),
        "endorsements:ballot_detail": lambda: (
            BallotAccessFactory(candidate__chapter=chapter).candidate
        ),
        "endorsements:ballot_edit": candidate,
        "endorsements:questionnaire_detail": candidate,
        "endorsements:questionnaire_edit": candidate,
    }
