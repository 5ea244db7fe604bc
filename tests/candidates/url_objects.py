"""Objects of `chapter` for the candidates URLs that take a pk (read by the permission
metatest; candidate_detail, committee_add and committee_remove are listed in the metatest)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model

from tests.endorsements.factories import OfficeFactory, RaceFactory
from tests.finance.factories import CandidateFactory


def objects(chapter) -> dict[str, Callable[[], Model]]:
    return {
        "candidates:candidate_edit": lambda: CandidateFactory(chapter=chapter),
        "candidates:contact_add": lambda: CandidateFactory(chapter=chapter),
        "candidates:office_edit": lambda: OfficeFactory(chapter=chapter),
        "candidates:race_detail": lambda: RaceFactory(chapter=chapter),
        "candidates:race_edit": lambda: RaceFactory(chapter=chapter),
    }
