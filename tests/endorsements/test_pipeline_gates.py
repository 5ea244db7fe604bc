"""The gates before the vote, with real evidence: the vote stays blocked until the last gate is
met; a waiver stands for a gate until it is withdrawn; a chapter can turn a gate off; the
finance gate weighs open tier-1 findings against the committee's recorded decision."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from pledgewatch.core.models import AuditEvent
from pledgewatch.endorsements import gates, services
from pledgewatch.endorsements.models import Gate, GateSetting, Stage
from pledgewatch.finance.models import FindingStatus
from tests.endorsements.factories import EndorsementFactory, InvitationFactory
from tests.endorsements.pipeline_evidence import EVIDENCE, evidence_all
from tests.finance.factories import FindingFactory

REASON = "Committee meeting of 3 November"


@pytest.fixture
def endorsement(chapter):
    return EndorsementFactory(candidate__chapter=chapter, stage=Stage.QUESTIONNAIRE)


def open_vote(endorsement, by):
    return services.move(endorsement=endorsement, to=Stage.VOTE, reason=REASON, by=by)


def states_of(endorsement):
    return {g.gate: g.state for g in gates.evaluate(endorsement)}


def test_without_evidence_every_gate_is_unmet(endorsement):
    assert set(states_of(endorsement).values()) == {"unmet"}
    assert all(g.missing for g in gates.evaluate(endorsement))


def test_vote_stays_blocked_until_the_last_gate_is_met(endorsement, alice):
    remaining = list(Gate)
    for gate in Gate:
        with pytest.raises(services.TransitionError) as refused:
            open_vote(endorsement, alice)
        message = str(refused.value)
        assert message.startswith("The vote cannot open while a gate is unmet")
        for g in Gate:  # each missing gate is named, and only those
            assert (g.label in message) is (g in remaining), (g, message)
        endorsement.refresh_from_db()
        assert endorsement.stage == Stage.QUESTIONNAIRE

        EVIDENCE[gate](endorsement.candidate)
        remaining.remove(gate)
        assert states_of(endorsement)[gate.value] == "met"

    open_vote(endorsement, alice)
    endorsement.refresh_from_db()
    assert endorsement.stage == Stage.VOTE


def test_the_evidence_is_described(endorsement):
    evidence_all(endorsement.candidate)
    text = {g.gate: g.evidence for g in gates.evaluate(endorsement)}
    assert text[Gate.FORUM].startswith("Spoke at Medicare for All town hall")
    assert text[Gate.FINANCE] == "1 filing screened; no open or confirmed tier 1 finding"
    assert text[Gate.PLEDGE].startswith("Pledge of 1 Oct 2026")
    assert text[Gate.BALLOT] == "On the ballot, verified 20 Dec 2026"
    assert text[Gate.BYLAW] == "Adopted 1 Sep 2026"
    assert text[Gate.QUESTIONNAIRE] == "Published 30 Oct 2026"


def test_a_forum_still_to_come_does_not_count(endorsement, alice):
    evidence_all(endorsement.candidate, except_=(Gate.FORUM,))
    InvitationFactory(
        forum__chapter=endorsement.candidate.chapter,
        forum__starts_at=timezone.now() + dt.timedelta(days=3),
        candidate=endorsement.candidate,
        spoke=True,
    )
    assert states_of(endorsement)[Gate.FORUM] == "unmet"
    with pytest.raises(services.TransitionError, match="public forum"):
        open_vote(endorsement, alice)


def test_a_waiver_stands_for_a_gate_until_withdrawn(endorsement, alice, chapter):
    evidence_all(endorsement.candidate, except_=(Gate.BALLOT,))
    waiver = services.waive(
        endorsement=endorsement,
        gate=Gate.BALLOT,
        reason="A write-in campaign: there is no ballot line.",
        by=alice,
    )
    assert states_of(endorsement)[Gate.BALLOT] == "waived"
    event = AuditEvent.objects.get(action="endorsement.gate_waived")
    assert event.data == {"gate": "ballot", "reason": waiver.reason}
    assert event.actor == alice and event.chapter == chapter

    services.withdraw_waiver(waiver=waiver, by=alice)
    waiver.refresh_from_db()
    assert waiver.withdrawn_at is not None and waiver.withdrawn_by == alice
    assert states_of(endorsement)[Gate.BALLOT] == "unmet"
    assert AuditEvent.objects.filter(action="endorsement.waiver_withdrawn").count() == 1
    with pytest.raises(services.TransitionError, match="Ballot access verified"):
        open_vote(endorsement, alice)

    services.waive(endorsement=endorsement, gate=Gate.BALLOT, reason="Again, with care", by=alice)
    open_vote(endorsement, alice)
    assert endorsement.waivers.count() == 2  # the withdrawn one is kept


def test_a_waiver_needs_a_reason_and_is_not_doubled(endorsement, alice):
    with pytest.raises(services.TransitionError, match="written reason"):
        services.waive(endorsement=endorsement, gate=Gate.FORUM, reason=" ", by=alice)
    services.waive(endorsement=endorsement, gate=Gate.FORUM, reason="No forum this cycle", by=alice)
    with pytest.raises(services.TransitionError, match="already waived"):
        services.waive(endorsement=endorsement, gate=Gate.FORUM, reason="twice", by=alice)


def test_a_gate_turned_off_no_longer_blocks_the_vote(endorsement, alice, chapter):
    evidence_all(endorsement.candidate, except_=(Gate.BYLAW,))
    with pytest.raises(services.TransitionError, match="rescission by-law"):
        open_vote(endorsement, alice)
    with pytest.raises(services.TransitionError, match="Say why"):
        services.set_gate(chapter=chapter, gate=Gate.BYLAW, enabled=False, reason="", by=alice)
    services.set_gate(
        chapter=chapter, gate=Gate.BYLAW, enabled=False, reason="Our by-laws cover it", by=alice
    )
    assert states_of(endorsement)[Gate.BYLAW] == "off"
    event = AuditEvent.objects.get(action="endorsement.gate_disabled")
    assert event.data == {"gate": "bylaw", "reason": "Our by-laws cover it"}
    open_vote(endorsement, alice)

    services.set_gate(chapter=chapter, gate=Gate.BYLAW, enabled=True, reason="", by=alice)
    assert GateSetting.objects.get(chapter=chapter, gate=Gate.BYLAW).enabled
    assert AuditEvent.objects.filter(action="endorsement.gate_enabled").count() == 1
    assert states_of(endorsement)[Gate.BYLAW] == "unmet"


def test_a_gate_turned_off_in_another_chapter_still_applies(endorsement, other_chapter, alice):
    services.set_gate(chapter=other_chapter, gate=Gate.FORUM, enabled=False, reason="x", by=alice)
    assert states_of(endorsement)[Gate.FORUM] == "unmet"


def test_finance_gate_open_tier_1_finding_blocks_and_a_decision_unblocks(endorsement, alice):
    candidate = endorsement.candidate
    evidence_all(candidate)
    finding = FindingFactory(candidate=candidate, tier=1, status=FindingStatus.OPEN)
    status = {g.gate: g for g in gates.evaluate(endorsement)}[Gate.FINANCE]
    assert status.state == "unmet"
    assert "1 open, 0 confirmed tier 1 finding(s)" in status.evidence
    assert "record the committee's decision" in status.missing
    with pytest.raises(services.TransitionError, match="Campaign-finance records reviewed"):
        open_vote(endorsement, alice)

    with pytest.raises(services.TransitionError, match="decision and why"):
        services.record_finance_decision(endorsement=endorsement, text="  ", by=alice)
    services.record_finance_decision(
        endorsement=endorsement,
        text="A $1,000 PAC gift from 2018, refunded; we go ahead.",
        by=alice,
    )
    assert AuditEvent.objects.filter(action="endorsement.finance_decision").count() == 1
    status = {g.gate: g for g in gates.evaluate(endorsement)}[Gate.FINANCE]
    assert status.state == "met" and "decision recorded" in status.evidence
    assert finding.status == FindingStatus.OPEN
    open_vote(endorsement, alice)


def test_finance_decision_does_not_cover_a_newer_finding(endorsement, alice):
    candidate = endorsement.candidate
    evidence_all(candidate)
    with time_machine.travel(timezone.now() - dt.timedelta(days=2)):
        FindingFactory(candidate=candidate, tier=1)
        services.record_finance_decision(endorsement=endorsement, text="Reviewed.", by=alice)
    assert states_of(endorsement)[Gate.FINANCE] == "met"
    FindingFactory(candidate=candidate, tier=1)  # a new filing, a new finding
    assert states_of(endorsement)[Gate.FINANCE] == "unmet"


def test_finance_gate_tier_2_finding_is_outside_the_default_pledge(endorsement):
    evidence_all(endorsement.candidate)
    FindingFactory(candidate=endorsement.candidate, tier=2)
    assert states_of(endorsement)[Gate.FINANCE] == "met"


def test_finance_gate_dismissed_finding_no_longer_blocks(endorsement, alice):
    from pledgewatch.finance import services as finance

    evidence_all(endorsement.candidate)
    finding = FindingFactory(candidate=endorsement.candidate, tier=1)
    assert states_of(endorsement)[Gate.FINANCE] == "unmet"
    finance.review_finding(
        finding=finding, status="dismissed", reason="Another person of that name", by=alice
    )
    assert states_of(endorsement)[Gate.FINANCE] == "met"


def test_finance_gate_needs_screened_filings(endorsement):
    evidence_all(endorsement.candidate, except_=(Gate.FINANCE,))
    status = {g.gate: g for g in gates.evaluate(endorsement)}[Gate.FINANCE]
    assert status.state == "unmet"
    assert status.missing.startswith("Import the candidate's campaign-finance filings")
