"""The stage machine: every move between two stages is allowed or refused exactly as the guide's
path says, and an allowed move is recorded (who, when, why) and audited."""

from __future__ import annotations

import pytest

from pledgewatch.core.models import AuditEvent
from pledgewatch.endorsements import services, states
from pledgewatch.endorsements.models import Gate, Stage, Transition
from tests.endorsements.factories import EndorsementFactory

S = Stage
# Written out here, not read from states.py, so that a change to the machine fails a test.
EXPECTED = {
    S.CONSIDERING: {S.VETTING, S.DECLINED},
    S.VETTING: {S.QUESTIONNAIRE, S.CONSIDERING, S.DECLINED},
    S.QUESTIONNAIRE: {S.VOTE, S.VETTING, S.DECLINED},
    S.VOTE: {S.ENDORSED, S.DECLINED, S.QUESTIONNAIRE},
    S.ENDORSED: {S.RESCINDED},
    S.DECLINED: {S.CONSIDERING},
    S.RESCINDED: set(),
}
PAIRS = [(a, b) for a in Stage.values for b in Stage.values]


def test_the_machine_is_the_guides_path():
    assert {k: set(v) for k, v in states.ALLOWED.items()} == EXPECTED
    assert states.PATH == (S.CONSIDERING, S.VETTING, S.QUESTIONNAIRE, S.VOTE, S.ENDORSED)


@pytest.mark.parametrize(("src", "dst"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_can_move_says_yes_only_to_the_guides_moves(src, dst):
    assert states.can_move(src, dst) is (dst in EXPECTED[src])


@pytest.fixture
def gates_off(chapter, alice):
    """Every gate off for the chapter, so the vote's gates do not get in the way here."""
    for gate in Gate.values:
        services.set_gate(chapter=chapter, gate=gate, enabled=False, reason="test", by=alice)


@pytest.mark.parametrize(("src", "dst"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_move_does_every_allowed_move_and_refuses_every_other(src, dst, chapter, alice, gates_off):
    endorsement = EndorsementFactory(candidate__chapter=chapter, stage=src)
    before = AuditEvent.objects.filter(action="endorsement.moved").count()
    if dst in EXPECTED[src]:
        step = services.move(endorsement=endorsement, to=dst, reason="Committee meeting", by=alice)
        endorsement.refresh_from_db()
        assert endorsement.stage == dst
        assert (step.from_stage, step.to_stage, step.by, step.reason) == (
            src, dst, alice, "Committee meeting"
        )  # fmt: skip
        event = AuditEvent.objects.filter(action="endorsement.moved").latest("id")
        assert event.data["from"] == src and event.data["to"] == dst
        assert event.actor == alice and event.chapter == chapter
    else:
        with pytest.raises(services.TransitionError, match="cannot move"):
            services.move(endorsement=endorsement, to=dst, reason="Committee meeting", by=alice)
        endorsement.refresh_from_db()
        assert endorsement.stage == src
        assert not Transition.objects.filter(endorsement=endorsement).exists()
        assert AuditEvent.objects.filter(action="endorsement.moved").count() == before


def test_a_move_needs_a_reason(chapter, alice):
    endorsement = EndorsementFactory(candidate__chapter=chapter)
    with pytest.raises(services.TransitionError, match="Say why"):
        services.move(endorsement=endorsement, to=S.VETTING, reason="   ", by=alice)
    endorsement.refresh_from_db()
    assert endorsement.stage == S.CONSIDERING


def test_every_allowed_move_has_an_action_label():
    assert states.action_label(S.QUESTIONNAIRE, S.VOTE) == "Open the member vote"
    assert states.action_label(S.CONSIDERING, S.VETTING) == "Start vetting"
    assert states.action_label(S.VOTE, S.QUESTIONNAIRE) == "Back to questionnaire"
    for src, targets in EXPECTED.items():
        for dst in targets:
            assert states.action_label(src, dst)


def test_votes_are_kept_only_on_a_move_out_of_the_vote(chapter, alice, gates_off):
    endorsement = EndorsementFactory(candidate__chapter=chapter, stage=S.QUESTIONNAIRE)
    opened = services.move(
        endorsement=endorsement, to=S.VOTE, reason="Gates met", by=alice, votes=(1, 2, 3)
    )
    assert opened.votes_yes is None
    result = services.move(
        endorsement=endorsement,
        to=S.ENDORSED,
        reason="Members voted",
        by=alice,
        votes=(41, 7, 2),
        statement="Lakeshore DSA endorses her.",
    )
    endorsement.refresh_from_db()
    assert (result.votes_yes, result.votes_no, result.votes_abstain) == (41, 7, 2)
    assert endorsement.public_statement == "Lakeshore DSA endorses her."
