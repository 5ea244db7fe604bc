"""Template tags that let other pages show the pipeline without their views knowing about it.

{% load pipeline %}
{% pipeline_for candidate as pipeline %}   the candidate page's panel (_candidate_panel.html)
{% board_columns candidates as columns %}  a race page's cards by stage (_board.html)
"""

from __future__ import annotations

from typing import Any

from django import template

from pledgewatch.candidates.models import Candidate
from pledgewatch.endorsements import board
from pledgewatch.endorsements.services import endorsement_for

register = template.Library()


@register.simple_tag(takes_context=True)
def pipeline_for(context: Any, candidate: Candidate) -> dict[str, Any]:
    """The candidate's stage, progress along the path and gates (with the evidence pages the
    page's user may open)."""
    endorsement = endorsement_for(candidate)
    endorsement.candidate = candidate
    rows = board.gate_rows(endorsement, context.get("chapter_role"))
    return {
        "endorsement": endorsement,
        "progress": board.progress(endorsement),
        "gates": rows,
        "unmet": [r for r in rows if not r.satisfied],
        "is_open": endorsement.stage in board.OPEN_STAGES,
    }


@register.simple_tag
def board_columns(candidates: Any) -> list[board.Column]:
    """The given candidates' cards grouped by stage, in the board's order."""
    return board.columns(candidates)
