"""Changes to endorsements: atomic, audited, keyword-only, with by=.

move() is the only way an endorsement changes stage: it checks the stage machine, refuses to
open the vote while a gate is unmet, and records who, when and why (a Transition and an audit
event)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from pledgewatch.candidates.models import Candidate
from pledgewatch.core.audit import record
from pledgewatch.endorsements import gates, states
from pledgewatch.endorsements.models import (
    Endorsement,
    FinanceDecision,
    Gate,
    GateSetting,
    GateWaiver,
    PledgeScope,
    Stage,
    Transition,
)

# Moves that publish the chapter's statement with the outcome.
STATEMENT_STAGES = frozenset({Stage.ENDORSED, Stage.DECLINED, Stage.RESCINDED})
# Waivers are given and withdrawn only before the vote opens: once members vote on a record,
# it stays as it was (step back to the questionnaire to change it).
OPEN_STAGES = frozenset({Stage.CONSIDERING, Stage.VETTING, Stage.QUESTIONNAIRE})


class TransitionError(Exception):
    """A move the machine or the gates do not allow; the message says why, for the user."""


def _check_count(endorsement: Endorsement, to: str, votes: tuple[int, int, int]) -> None:
    """A recorded count must agree with the outcome under the chapter's threshold."""
    yes, no, abstain = votes
    if min(votes) < 0:
        raise TransitionError("Vote counts cannot be negative.")
    chapter = endorsement.candidate.chapter
    passed = chapter.threshold_met(yes=yes, no=no, abstain=abstain)
    rule = chapter.get_endorsement_threshold_display().lower()
    if to == Stage.ENDORSED and not passed:
        raise TransitionError(
            f"{yes} yes, {no} no, {abstain} abstaining does not reach the chapter's threshold "
            f"({rule}): record “not endorsed”, or check the count."
        )
    if to == Stage.DECLINED and passed:
        raise TransitionError(
            f"{yes} yes, {no} no, {abstain} abstaining reaches the chapter's threshold "
            f"({rule}): record “endorsed”, or check the count."
        )


def endorsement_for(candidate: Candidate) -> Endorsement:
    """The candidate's endorsement record (every candidate has one, from "considering")."""
    endorsement, _ = Endorsement.objects.get_or_create(candidate=candidate)
    return endorsement


@transaction.atomic
def move(
    *,
    endorsement: Endorsement,
    to: str,
    reason: str,
    by: Any,
    votes: tuple[int, int, int] | None = None,
    statement: str | None = None,
) -> Transition:
    """Move to stage `to`. `reason` is required; `votes` (yes, no, abstain) is recorded on a
    move out of the vote; `statement` becomes the public statement on endorsed, declined or
    rescinded."""
    endorsement = Endorsement.objects.select_for_update().get(pk=endorsement.pk)
    current = endorsement.stage
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError("Say why: every move is recorded with its reason.")
    if not states.can_move(current, to):
        raise TransitionError(
            f"A candidate at “{Stage(current).label}” cannot move to “{Stage(to).label}”."
        )
    if to == Stage.VOTE:
        missing = gates.unmet(endorsement)
        if missing:
            names = "; ".join(g.label for g in missing)
            raise TransitionError(
                f"The vote cannot open while a gate is unmet: {names}. Meet each, or waive it "
                "for this candidate with a reason that will be shown publicly."
            )
    if votes is not None and not (current == Stage.VOTE and to in states.VOTE_OUTCOMES):
        votes = None
    if votes is not None:
        _check_count(endorsement, to, votes)
    snapshot: list[dict[str, str]] = []
    if to == Stage.VOTE:
        snapshot = [
            {"gate": g.gate, "state": g.state, "evidence": g.evidence,
             "waiver": g.waiver.reason if g.waiver else ""}
            for g in gates.evaluate(endorsement)
        ]  # fmt: skip
    statement = (statement or "").strip() if to in STATEMENT_STAGES else ""
    yes, no, abstain = votes if votes is not None else (None, None, None)
    step = Transition.objects.create(
        endorsement=endorsement,
        from_stage=current,
        to_stage=to,
        reason=reason,
        votes_yes=yes,
        votes_no=no,
        votes_abstain=abstain,
        statement=statement,
        gates=snapshot,
        by=by if getattr(by, "is_authenticated", False) else None,
    )
    endorsement.stage = to
    endorsement.stage_changed_at = timezone.now()
    fields = ["stage", "stage_changed_at"]
    if statement:  # a blank statement never erases the one already published
        endorsement.public_statement = statement
        fields.append("public_statement")
    endorsement.save(update_fields=fields)
    record(
        "endorsement.moved",
        by=by,
        chapter=endorsement.candidate.chapter,
        obj=endorsement.candidate,
        data={
            "from": current,
            "to": to,
            "reason": reason,
            "votes": list(votes or []),
            "statement": statement,
            "gates": snapshot,
        },
    )
    return step


@transaction.atomic
def waive(*, endorsement: Endorsement, gate: str, reason: str, by: Any) -> GateWaiver:
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError("A waiver needs a written reason: it is shown publicly.")
    gate = Gate(gate).value
    endorsement = Endorsement.objects.select_for_update().get(pk=endorsement.pk)
    if endorsement.stage not in OPEN_STAGES:
        raise TransitionError(
            "Gates are waived before the vote opens; this candidate is at "
            f"“{Stage(endorsement.stage).label}”."
        )
    if endorsement.waivers.filter(gate=gate, withdrawn_at__isnull=True).exists():
        raise TransitionError(f"“{Gate(gate).label}” is already waived for this candidate.")
    status = next(g for g in gates.evaluate(endorsement) if g.gate == gate)
    if not status.enabled:
        raise TransitionError(
            f"“{Gate(gate).label}” is turned off for the chapter: no waiver needed."
        )
    if status.met:
        raise TransitionError(f"“{Gate(gate).label}” is met: no waiver needed.")
    waiver = GateWaiver.objects.create(endorsement=endorsement, gate=gate, reason=reason, by=by)
    record(
        "endorsement.gate_waived",
        by=by,
        chapter=endorsement.candidate.chapter,
        obj=endorsement.candidate,
        data={"gate": gate, "reason": reason},
    )
    return waiver


@transaction.atomic
def withdraw_waiver(*, waiver: GateWaiver, by: Any) -> None:
    if waiver.withdrawn_at is not None:
        return
    stage = Endorsement.objects.select_for_update().get(pk=waiver.endorsement_id).stage
    if stage not in OPEN_STAGES:
        raise TransitionError(
            "A waiver stays on the record once the vote has opened: it is part of what members "
            "voted on and is published with the result."
        )
    waiver.withdrawn_at = timezone.now()
    waiver.withdrawn_by = by
    waiver.save(update_fields=["withdrawn_at", "withdrawn_by"])
    record(
        "endorsement.waiver_withdrawn",
        by=by,
        chapter=waiver.endorsement.candidate.chapter,
        obj=waiver.endorsement.candidate,
        data={"gate": waiver.gate, "reason": waiver.reason},
    )


@transaction.atomic
def set_gate(*, chapter: Any, gate: str, enabled: bool, reason: str, by: Any) -> GateSetting:
    """Turn a gate on or off for every candidate of the chapter (audited; off needs a reason)."""
    gate = Gate(gate).value
    reason = (reason or "").strip()
    if not enabled and not reason:
        raise TransitionError("Say why the chapter turns this gate off.")
    setting, _ = GateSetting.objects.get_or_create(chapter=chapter, gate=gate)
    before = (setting.enabled, setting.reason)
    setting.enabled = enabled
    setting.reason = reason
    setting.changed_by = by
    setting.save()
    if before != (enabled, reason):
        record(
            "endorsement.gate_enabled" if enabled else "endorsement.gate_disabled",
            by=by,
            chapter=chapter,
            data={"gate": gate, "reason": reason},
        )
    return setting


@transaction.atomic
def record_finance_decision(*, endorsement: Endorsement, text: str, by: Any) -> FinanceDecision:
    text = (text or "").strip()
    if not text:
        raise TransitionError("Write the committee's decision and why.")
    candidate = endorsement.candidate
    pledge = getattr(candidate, "pledge", None)
    tiers = pledge.tiers if pledge else PledgeScope.tiers(PledgeScope.CONFLICT)
    covered = [list(pair) for pair in gates.in_scope_findings(candidate, tiers)]
    decision = FinanceDecision.objects.create(
        endorsement=endorsement, text=text, covered=covered, by=by
    )
    record(
        "endorsement.finance_decision",
        by=by,
        chapter=endorsement.candidate.chapter,
        obj=endorsement.candidate,
        data={"text": text, "covered": covered},
    )
    return decision
