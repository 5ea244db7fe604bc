"""What a strategy revision changed from the one before it, question by question.

Read-only: compare() takes a revision and its predecessor (None for the first) and returns the
pieces the revision page shows. Text differences are word by word, as (kind, text) segments
where kind is "same", "added" or "removed"; templates escape the text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from pledgewatch.campaigns.models import STRATEGY_QUESTIONS, Decision, StrategyRevision

_TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Segments that turn `old` into `new`, word by word (whitespace kept)."""
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    segments: list[tuple[str, str]] = []

    def add(kind: str, text: str) -> None:
        if not text:
            return
        if segments and segments[-1][0] == kind:
            segments[-1] = (kind, segments[-1][1] + text)
        else:
            segments.append((kind, text))

    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            add("same", "".join(a[i1:i2]))
        else:
            add("removed", "".join(a[i1:i2]))
            add("added", "".join(b[j1:j2]))
    return segments


@dataclass
class TextChange:
    old: str
    new: str
    status: str  # "unchanged", "added" (was empty), "removed" (now empty) or "changed"
    segments: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.status != "unchanged"


def text_change(old: str, new: str) -> TextChange:
    old, new = (old or "").strip(), (new or "").strip()
    if old == new:
        status = "unchanged"
    elif not old:
        status = "added"
    elif not new:
        status = "removed"
    else:
        status = "changed"
    segments = word_diff(old, new) if status == "changed" else []
    return TextChange(old=old, new=new, status=status, segments=segments)


@dataclass
class QuestionChange:
    number: int
    key: str
    question: str
    change: TextChange


@dataclass
class Comparison:
    revision: StrategyRevision
    previous: StrategyRevision | None
    questions: list[QuestionChange]
    decision_changed: bool
    previous_decision: str  # its label
    reason: TextChange
    date_changed: bool

    @property
    def changed_questions(self) -> int:
        return sum(1 for q in self.questions if q.change.changed)


def compare(revision: StrategyRevision, previous: StrategyRevision | None) -> Comparison:
    old_answers = previous.answers if previous else {}
    questions = [
        QuestionChange(
            number=i,
            key=key,
            question=question,
            change=text_change(old_answers.get(key, ""), revision.answers.get(key, "")),
        )
        for i, (key, question) in enumerate(STRATEGY_QUESTIONS, start=1)
    ]
    old_decision = previous.decision if previous else Decision.UNDECIDED
    return Comparison(
        revision=revision,
        previous=previous,
        questions=questions,
        decision_changed=old_decision != revision.decision,
        previous_decision=Decision(old_decision).label,
        reason=text_change(previous.reason if previous else "", revision.reason),
        date_changed=(previous.decided_on if previous else None) != revision.decided_on,
    )
