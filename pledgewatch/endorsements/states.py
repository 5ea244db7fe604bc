"""The endorsement stage machine (pure data).

considering -> vetting -> questionnaire -> vote -> endorsed | declined; endorsed -> rescinded.
A step back (vetting -> considering ...) is allowed with a reason, so a mistake can be undone
without losing its record; any open stage may end in "declined" (the candidate withdrew, or the
chapter chose not to). Opening the vote requires every gate (gates.py) met or waived.
"""

from __future__ import annotations

from pledgewatch.endorsements.models import Stage

ALLOWED: dict[str, tuple[str, ...]] = {
    Stage.CONSIDERING: (Stage.VETTING, Stage.DECLINED),
    Stage.VETTING: (Stage.QUESTIONNAIRE, Stage.CONSIDERING, Stage.DECLINED),
    Stage.QUESTIONNAIRE: (Stage.VOTE, Stage.VETTING, Stage.DECLINED),
    Stage.VOTE: (Stage.ENDORSED, Stage.DECLINED, Stage.QUESTIONNAIRE),
    Stage.ENDORSED: (Stage.RESCINDED,),
    Stage.DECLINED: (Stage.CONSIDERING,),
    Stage.RESCINDED: (),
}
# The forward path, for boards and progress displays.
PATH: tuple[str, ...] = (
    Stage.CONSIDERING,
    Stage.VETTING,
    Stage.QUESTIONNAIRE,
    Stage.VOTE,
    Stage.ENDORSED,
)
# Stages whose outcome is public (with the chapter's statement).
PUBLIC_STAGES = frozenset({Stage.ENDORSED, Stage.RESCINDED})
# Moves out of the vote record the count.
VOTE_OUTCOMES = frozenset({Stage.ENDORSED, Stage.DECLINED})

ACTION_LABELS: dict[tuple[str, str], str] = {
    (Stage.CONSIDERING, Stage.VETTING): "Start vetting",
    (Stage.VETTING, Stage.QUESTIONNAIRE): "Move to the questionnaire",
    (Stage.QUESTIONNAIRE, Stage.VOTE): "Open the member vote",
    (Stage.VOTE, Stage.ENDORSED): "Record: endorsed",
    (Stage.VOTE, Stage.DECLINED): "Record: not endorsed",
    (Stage.ENDORSED, Stage.RESCINDED): "Rescind the endorsement",
    (Stage.DECLINED, Stage.CONSIDERING): "Reconsider",
}


def can_move(from_stage: str, to_stage: str) -> bool:
    return to_stage in ALLOWED.get(from_stage, ())


def action_label(from_stage: str, to_stage: str) -> str:
    if (from_stage, to_stage) in ACTION_LABELS:
        return ACTION_LABELS[(from_stage, to_stage)]
    if to_stage == Stage.DECLINED:
        return "Stop: decline"
    return f"Back to {Stage(to_stage).label.lower()}"
