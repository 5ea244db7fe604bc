"""Objects of `chapter` for the by-law area's URLs that take a pk (read by the permission
metatest's make_kwargs)."""

from __future__ import annotations

from tests.endorsements.factories import ResourceFactory
from tests.finance.factories import CandidateFactory


def objects(chapter):
    return {
        "endorsements:resource_edit": lambda: ResourceFactory(chapter=chapter),
        "endorsements:resource_delete": lambda: ResourceFactory(chapter=chapter),
        "endorsements:talking_points": lambda: CandidateFactory(chapter=chapter),
        "endorsements:talking_points_send": lambda: CandidateFactory(chapter=chapter),
    }
