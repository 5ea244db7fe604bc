"""What the pipeline pages show (reads only): a candidate's place along the path, its gates with
the page where each gate's evidence is recorded, and the board's cards grouped by stage.

The board view, the race page's partial (templates/endorsements/_board.html) and the candidate
page's panel (templates/endorsements/_candidate_panel.html) all build their data here, so they
agree on what "missing" means: gates.evaluate()'s unmet gates (the board's cards read them all
at once with gates.evaluate_many(), which says the same).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import prefetch_related_objects
from django.urls import NoReverseMatch, resolve, reverse

from pledgewatch.candidates.models import Candidate
from pledgewatch.endorsements import gates, states
from pledgewatch.endorsements.models import Endorsement, Gate, GateSetting, Stage

# What each stage means, for the board's sections.
STAGE_HELP: dict[str, str] = {
    Stage.CONSIDERING: "Candidates the committee is looking at.",
    Stage.VETTING: "The forum, the finance records, the pledge and ballot access.",
    Stage.QUESTIONNAIRE: "Questionnaire sent, answered, evaluated and published.",
    Stage.VOTE: "Every gate met or waived: the members vote.",
    Stage.ENDORSED: "Endorsed by the members' vote.",
    Stage.DECLINED: "Not endorsed, or the process stopped.",
    Stage.RESCINDED: "Endorsement rescinded.",
}
# Stages where "what is missing" before the vote still matters.
OPEN_STAGES = frozenset({Stage.CONSIDERING, Stage.VETTING, Stage.QUESTIONNAIRE, Stage.VOTE})
BOARD_ORDER: tuple[str, ...] = (*states.PATH, Stage.DECLINED, Stage.RESCINDED)

# Where each gate's evidence is recorded: (URL name, whether it takes the candidate's pk,
# link text). Some of these pages belong to other areas; a name not (yet) defined is skipped.
EVIDENCE_PAGES: dict[str, tuple[str, bool, str]] = {
    Gate.FORUM: ("forums:forum_list", False, "Forums"),
    Gate.FINANCE: ("finance:finding_list", True, "Findings"),
    Gate.PLEDGE: ("endorsements:pledge_detail", True, "Pledge"),
    Gate.BALLOT: ("endorsements:ballot_detail", True, "Ballot access"),
    Gate.BYLAW: ("endorsements:bylaw", False, "Rescission by-law"),
    Gate.QUESTIONNAIRE: ("endorsements:questionnaire_detail", True, "Questionnaire record"),
}
# The badge's colour for each gate state (the word is always shown too).
GATE_CSS = {
    "met": "status-succeeded",
    "waived": "status-queued",
    "unmet": "status-failed",
    "off": "status-withdrawn",
}
GATE_STATE_TEXT = {"met": "Met", "waived": "Waived", "unmet": "Not met", "off": "Off"}


@dataclass
class GateRow:
    """A gate's status with the page where its evidence is recorded (when the user may open
    it), and on the endorsement page the committee's waiver form for an unmet gate."""

    status: gates.GateStatus
    url: str = ""
    link_text: str = ""
    off_setting: GateSetting | None = None  # who turned the gate off for the chapter, and why
    waive_form: Any = None

    def __getattr__(self, name: str) -> object:
        # Templates read the status's fields (label, met, evidence, missing ...) directly.
        if name.startswith("_") or name == "status":
            raise AttributeError(name)
        return getattr(self.status, name)

    @property
    def css(self) -> str:
        return GATE_CSS[self.status.state]

    @property
    def state_text(self) -> str:
        return GATE_STATE_TEXT[self.status.state]


@dataclass
class Progress:
    """Where the endorsement stands along considering -> ... -> endorsed."""

    stage: str
    label: str
    step: int | None  # 1-based along states.PATH; None off the path (declined, rescinded)
    total: int
    left_at: str = ""  # for declined: the stage it left the path from
    steps: list[dict] = field(default_factory=list)


def progress(endorsement: Endorsement) -> Progress:
    stage = endorsement.stage
    path = list(states.PATH)
    step = path.index(stage) + 1 if stage in path else None
    left_at = ""
    if stage == Stage.RESCINDED:
        reached = len(path)
        left_at = Stage.ENDORSED.label
    elif stage == Stage.DECLINED:
        last = endorsement.transitions.filter(to_stage=Stage.DECLINED).first()
        came_from = last.from_stage if last else Stage.CONSIDERING
        reached = path.index(came_from) + 1 if came_from in path else 1
        left_at = Stage(came_from).label
    else:
        reached = step or 1
    steps = [
        {
            "stage": s,
            "label": Stage(s).label,
            "done": i + 1 < reached or (step is None and i + 1 == reached),
            "current": step == i + 1,
        }
        for i, s in enumerate(path)
    ]
    return Progress(
        stage=stage,
        label=Stage(stage).label,
        step=step,
        total=len(path),
        left_at=left_at,
        steps=steps,
    )


def gate_rows(endorsement: Endorsement, role=None) -> list[GateRow]:
    """Every gate of this endorsement, each with the link to its evidence page when `role`
    (a ChapterRole) may open that page."""
    rows = []
    candidate = endorsement.candidate
    off = {
        s.gate: s
        for s in GateSetting.objects.filter(
            chapter_id=candidate.chapter_id, enabled=False
        ).select_related("changed_by")
    }
    for status in gates.evaluate(endorsement):
        name, takes_pk, text = EVIDENCE_PAGES[status.gate]
        url = _evidence_url(name, candidate, takes_pk, role) if role is not None else ""
        rows.append(
            GateRow(
                status=status,
                url=url,
                link_text=text if url else "",
                off_setting=off.get(status.gate) if not status.enabled else None,
            )
        )
    return rows


def _evidence_url(name: str, candidate: Candidate, takes_pk: bool, role) -> str:
    args = [role.chapter.slug, candidate.pk] if takes_pk else [role.chapter.slug]
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    permission = getattr(resolve(url).func, "chapter_permission", None)
    if permission is not None and not role.has(permission):
        return ""
    return url


@dataclass
class Card:
    """One candidate on the board."""

    candidate: Candidate
    endorsement: Endorsement
    gates: list[gates.GateStatus]

    @property
    def stage(self) -> str:
        return self.endorsement.stage

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def unmet(self) -> list[gates.GateStatus]:
        return [g for g in self.gates if not g.satisfied]

    @property
    def waived(self) -> list[gates.GateStatus]:
        return [g for g in self.gates if g.enabled and not g.met and g.waiver is not None]

    @property
    def enabled_count(self) -> int:
        return sum(1 for g in self.gates if g.enabled)

    @property
    def satisfied_count(self) -> int:
        return sum(1 for g in self.gates if g.enabled and g.satisfied)


@dataclass
class Column:
    stage: str
    label: str
    help: str
    cards: list[Card]

    @property
    def anchor(self) -> str:
        return f"stage-{self.stage}"


def _with_relations(candidates: Iterable[Candidate]) -> list[Candidate]:
    """The candidates with what the cards and the gates read, in few queries (a list, e.g. a
    race page's, gets what it lacks prefetched)."""
    if hasattr(candidates, "select_related"):
        candidates = candidates.select_related(  # type: ignore[union-attr]
            "race__office",
            "endorsement",
            "pledge",
            "ballot_access",
            "questionnaire_record",
        )
    candidates = list(candidates)
    prefetch_related_objects(
        candidates, "race__office", "endorsement", "pledge", "ballot_access", "questionnaire_record"
    )
    return candidates


def _endorsements(candidates: list[Candidate]) -> list[Endorsement]:
    """Each candidate's endorsement record; those without one get one now, at "considering",
    all in one go (as endorsement_for would, one by one)."""
    missing = [c for c in candidates if getattr(c, "endorsement", None) is None]
    if missing:
        Endorsement.objects.bulk_create(
            [Endorsement(candidate=c) for c in missing], ignore_conflicts=True
        )
        created = {e.candidate_id: e for e in Endorsement.objects.filter(candidate__in=missing)}
        for candidate in missing:
            candidate.endorsement = created[candidate.pk]
    result = []
    for candidate in candidates:
        endorsement = candidate.endorsement
        endorsement.candidate = candidate
        result.append(endorsement)
    return result


def cards(candidates: Iterable[Candidate]) -> list[Card]:
    """A card for each candidate (a candidate without an endorsement record gets one now, at
    "considering"), with its gates while the endorsement is open, in a number of queries that
    does not grow with the number of candidates."""
    candidates = _with_relations(candidates)
    endorsements = _endorsements(candidates)
    evaluated = gates.evaluate_many(e for e in endorsements if e.stage in OPEN_STAGES)
    return [
        Card(candidate=e.candidate, endorsement=e, gates=evaluated.get(e.pk, []))
        for e in endorsements
    ]


def columns(candidates: Iterable[Candidate]) -> list[Column]:
    """The board: a column for every stage (along the path, then declined and rescinded)."""
    by_stage: dict[str, list[Card]] = {s: [] for s in BOARD_ORDER}
    for card in cards(candidates):
        by_stage.setdefault(card.stage, []).append(card)
    return [
        Column(
            stage=s,
            label=Stage(s).label,
            help=STAGE_HELP[s],
            cards=sorted(by_stage[s], key=_sort),
        )
        for s in BOARD_ORDER
    ]


def _sort(card: Card) -> tuple:
    """By race (the soonest election first; candidates without a race last), then by name."""
    race = card.candidate.race
    return (
        race is None,
        race.election_date.toordinal() if race else 0,
        race.pk if race else 0,
        card.candidate.name.lower(),
        card.candidate.pk,
    )
