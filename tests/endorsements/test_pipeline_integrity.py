"""What the record must keep once members vote: waivers stay, counts agree with the outcome,
each decision keeps its statement, a finance decision covers only the findings it saw, and the
vote's opening records the gates it stood on."""

from __future__ import annotations

import pytest

from pledgewatch.chapters.models import Threshold
from pledgewatch.core.models import AuditEvent
from pledgewatch.endorsements import gates, services
from pledgewatch.endorsements.models import Gate, Stage
from pledgewatch.endorsements.services import TransitionError
from pledgewatch.finance.models import FindingStatus
from tests.endorsements.factories import EndorsementFactory, InvitationFactory
from tests.endorsements.pipeline_evidence import evidence_all, filings_screened_clean
from tests.finance.factories import FindingFactory


def at_questionnaire(candidate, by, *, except_=()):
    evidence_all(candidate, except_=except_)
    endorsement = services.endorsement_for(candidate)
    for to in (Stage.VETTING, Stage.QUESTIONNAIRE):
        services.move(endorsement=endorsement, to=to, reason="next step", by=by)
    return endorsement


@pytest.fixture
def endorsement(chapter, alice):
    return EndorsementFactory(candidate__chapter=chapter)


def test_a_waiver_cannot_be_withdrawn_once_the_vote_is_open_or_decided(endorsement, alice):
    e = at_questionnaire(endorsement.candidate, alice, except_=(Gate.PLEDGE,))
    waiver = services.waive(
        endorsement=e, gate=Gate.PLEDGE, reason="Pledged at the forum", by=alice
    )
    services.move(endorsement=e, to=Stage.VOTE, reason="all gates", by=alice)
    with pytest.raises(TransitionError, match="stays on the record"):
        services.withdraw_waiver(waiver=waiver, by=alice)
    services.move(endorsement=e, to=Stage.ENDORSED, reason="members voted", by=alice)
    with pytest.raises(TransitionError, match="stays on the record"):
        services.withdraw_waiver(waiver=waiver, by=alice)
    waiver.refresh_from_db()
    assert waiver.withdrawn_at is None
    # Back at the questionnaire it can go, and the vote is blocked again.
    e2 = at_questionnaire(EndorsementFactory(candidate__chapter=e.candidate.chapter).candidate,
                          alice, except_=(Gate.PLEDGE,))  # fmt: skip
    w2 = services.waive(endorsement=e2, gate=Gate.PLEDGE, reason="r", by=alice)
    services.withdraw_waiver(waiver=w2, by=alice)
    with pytest.raises(TransitionError, match="gate is unmet"):
        services.move(endorsement=e2, to=Stage.VOTE, reason="try", by=alice)


def test_a_gate_that_is_met_or_turned_off_is_not_waived(endorsement, alice):
    e = at_questionnaire(endorsement.candidate, alice, except_=(Gate.PLEDGE,))
    with pytest.raises(TransitionError, match="is met"):
        services.waive(endorsement=e, gate=Gate.BALLOT, reason="r", by=alice)
    services.set_gate(chapter=e.candidate.chapter, gate=Gate.FORUM, enabled=False,
                      reason="No forum this cycle", by=alice)  # fmt: skip
    with pytest.raises(TransitionError, match="turned off"):
        services.waive(endorsement=e, gate=Gate.FORUM, reason="r", by=alice)
    assert not e.waivers.exists()


def test_the_count_must_agree_with_the_outcome_under_the_chapters_threshold(endorsement, alice):
    chapter = endorsement.candidate.chapter
    chapter.endorsement_threshold = Threshold.TWO_THIRDS
    chapter.save()
    e = at_questionnaire(endorsement.candidate, alice)
    services.move(endorsement=e, to=Stage.VOTE, reason="all gates", by=alice)
    with pytest.raises(TransitionError, match="does not reach the chapter's threshold"):
        services.move(endorsement=e, to=Stage.ENDORSED, reason="r", votes=(1, 10, 0), by=alice)
    with pytest.raises(TransitionError, match="reaches the chapter's threshold"):
        services.move(endorsement=e, to=Stage.DECLINED, reason="r", votes=(20, 10, 0), by=alice)
    # exactly two thirds passes
    services.move(endorsement=e, to=Stage.ENDORSED, reason="r", votes=(20, 10, 3), by=alice)
    assert e.transitions.first().votes_yes == 20


def test_each_decision_keeps_its_statement_and_a_blank_one_erases_nothing(endorsement, alice):
    e = at_questionnaire(endorsement.candidate, alice)
    services.move(endorsement=e, to=Stage.VOTE, reason="all gates", by=alice)
    services.move(endorsement=e, to=Stage.ENDORSED, reason="voted", by=alice,
                  statement="We endorse her.")  # fmt: skip
    services.move(endorsement=e, to=Stage.RESCINDED, reason="insurer money", by=alice,
                  statement="")  # fmt: skip
    e.refresh_from_db()
    assert e.public_statement == "We endorse her."
    endorsed = e.transitions.get(to_stage=Stage.ENDORSED)
    assert endorsed.statement == "We endorse her."
    event = AuditEvent.objects.filter(action="endorsement.moved").order_by("-id")[1]
    assert event.data["statement"] == "We endorse her."


def test_opening_the_vote_records_the_gates_it_stood_on(endorsement, alice):
    e = at_questionnaire(endorsement.candidate, alice, except_=(Gate.BALLOT,))
    services.waive(endorsement=e, gate=Gate.BALLOT, reason="Certified late", by=alice)
    services.move(endorsement=e, to=Stage.VOTE, reason="all gates", by=alice)
    snapshot = {g["gate"]: g for g in e.transitions.first().gates}
    assert snapshot["ballot"]["state"] == "waived"
    assert snapshot["ballot"]["waiver"] == "Certified late"
    assert snapshot["pledge"]["state"] == "met"
    assert set(snapshot) == {g.value for g in Gate}


def test_a_finance_decision_covers_only_the_findings_it_saw(endorsement, alice):
    candidate = endorsement.candidate
    filings_screened_clean(candidate)
    seen = FindingFactory(candidate=candidate, tier=1)
    later_raised = FindingFactory(candidate=candidate, tier=2)  # out of the pledge's scope
    e = services.endorsement_for(candidate)
    finance = lambda: next(g for g in gates.evaluate(e) if g.gate == Gate.FINANCE)  # noqa: E731
    assert not finance().met
    services.record_finance_decision(endorsement=e, text="Known; returned.", by=alice)
    assert finance().met
    # A re-screen moves the tier-2 finding into tier 1: the decision did not see it as such.
    type(later_raised).objects.filter(pk=later_raised.pk).update(tier=1)
    assert not finance().met
    services.record_finance_decision(endorsement=e, text="Both known.", by=alice)
    assert finance().met
    # Dismissing is fine; a reopened or a new finding needs a new decision.
    type(seen).objects.filter(pk=seen.pk).update(status=FindingStatus.DISMISSED)
    assert finance().met
    FindingFactory(candidate=candidate, tier=1)
    assert not finance().met


def test_speaking_at_a_private_forum_does_not_meet_the_public_forum_gate(endorsement):
    candidate = endorsement.candidate
    InvitationFactory(forum__chapter=candidate.chapter, forum__is_public=False,
                      candidate=candidate, spoke=True)  # fmt: skip
    forum = next(g for g in gates.evaluate(endorsement) if g.gate == Gate.FORUM)
    assert not forum.met


def test_changing_why_a_gate_is_off_is_audited(chapter, alice):
    services.set_gate(chapter=chapter, gate=Gate.FORUM, enabled=False, reason="first", by=alice)
    services.set_gate(chapter=chapter, gate=Gate.FORUM, enabled=False, reason="second", by=alice)
    reasons = [
        e.data["reason"] for e in AuditEvent.objects.filter(action="endorsement.gate_disabled")
    ]
    assert sorted(reasons) == ["first", "second"]


def test_a_huge_count_is_a_form_error_not_a_crash(client_as, alice, endorsement):
    e = at_questionnaire(endorsement.candidate, alice)
    services.move(endorsement=e, to=Stage.VOTE, reason="all gates", by=alice)
    url = f"/c/{e.candidate.chapter.slug}/pipeline/candidates/{e.candidate.pk}/move/"
    response = client_as(alice).post(url, {"to": "endorsed", "reason": "voted",
        "votes_yes": "99999999999999999999", "votes_no": "0", "votes_abstain": "0"})  # fmt: skip
    assert response.status_code == 200
    assert "more votes than any chapter has members" in response.content.decode()
    e.refresh_from_db()
    assert e.stage == Stage.VOTE


def test_finance_decisions_are_shown_only_to_those_who_may_see_donors(
    client_as, alice, bob, endorsement
):
    candidate = endorsement.candidate
    filings_screened_clean(candidate)
    FindingFactory(candidate=candidate, tier=1)
    services.record_finance_decision(
        endorsement=endorsement, text="Returned Jane Roe's $500 from Aetna.", by=alice
    )
    url = f"/c/{candidate.chapter.slug}/pipeline/candidates/{candidate.pk}/"
    assert "Jane Roe" in client_as(alice).get(url).content.decode()
    assert "Jane Roe" not in client_as(bob).get(url).content.decode()
