"""The board and the race page read every candidate's gates in a bounded number of queries
(gates.evaluate_many), and evaluate_many says exactly what evaluate says, gate by gate, in
every state: the equivalence test is what keeps the two in step when a gate's rule changes."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pledgewatch.endorsements import board, gates
from pledgewatch.endorsements.models import (
    BallotStatus,
    Endorsement,
    FinanceDecision,
    Gate,
    GateSetting,
    GateWaiver,
    PledgeScope,
    Stage,
)
from pledgewatch.finance.models import FindingStatus
from pledgewatch.forums.models import Rsvp
from tests.endorsements.factories import (
    BallotAccessFactory,
    EndorsementFactory,
    ForumFactory,
    InvitationFactory,
    PledgeFactory,
    QuestionnaireRecordFactory,
    RaceFactory,
    RescissionBylawFactory,
)
from tests.factories import ChapterFactory
from tests.finance.factories import CandidateFactory, FindingFactory, StoredFilingFactory

DAY = dt.timedelta(days=1)
_forum_days = itertools.count(2)


def _past_forum(chapter, *, public=True):
    # Each forum on its own day: evaluate() picks the latest one, and a tie has no order.
    return ForumFactory(
        chapter=chapter,
        is_public=public,
        starts_at=timezone.now() - next(_forum_days) * DAY,
    )


# --- each gate's evidence, in every state --------------------------------------------------
# Each variant takes the endorsement and records one kind of evidence (or none).


def forum_none(e):
    pass


def forum_invited_to_coming_forum(e):
    InvitationFactory(
        forum__chapter=e.candidate.chapter,
        forum__starts_at=timezone.now() + 3 * DAY,
        candidate=e.candidate,
        rsvp=Rsvp.YES,
    )


def forum_spoke_in_public(e):
    InvitationFactory(
        forum=_past_forum(e.candidate.chapter), candidate=e.candidate, rsvp=Rsvp.YES, spoke=True
    )


def forum_spoke_in_private_only(e):
    InvitationFactory(
        forum=_past_forum(e.candidate.chapter, public=False), candidate=e.candidate, spoke=True
    )


def forum_spoke_then_invited_again(e):
    """Spoke at an older public forum; invited to a later one (private, not spoken)."""
    chapter = e.candidate.chapter
    InvitationFactory(forum=_past_forum(chapter), candidate=e.candidate, spoke=True)
    InvitationFactory(forum=_past_forum(chapter, public=False), candidate=e.candidate)


def finance_nothing_imported(e):
    pass


def finance_clean(e):
    StoredFilingFactory(finance_import__candidate=e.candidate)


def finance_amended_filing(e):
    """Three filings, one superseded by another: two current filings."""
    new = StoredFilingFactory(finance_import__candidate=e.candidate)
    StoredFilingFactory(finance_import__candidate=e.candidate, superseded_by=new)
    StoredFilingFactory(finance_import__candidate=e.candidate)


def finance_open_tier1(e):
    FindingFactory(candidate=e.candidate, tier=1)


def finance_confirmed_tier1(e):
    FindingFactory(candidate=e.candidate, tier=1, status=FindingStatus.CONFIRMED)


def finance_dismissed_only(e):
    FindingFactory(candidate=e.candidate, tier=1, status=FindingStatus.DISMISSED)


def finance_tier2_outside_the_pledge(e):
    FindingFactory(candidate=e.candidate, tier=2)


def finance_tier2_inside_the_pledge(e):
    PledgeFactory(candidate=e.candidate, scope=PledgeScope.CONFLICT_AND_REVIEW)
    FindingFactory(candidate=e.candidate, tier=2)
    FindingFactory(candidate=e.candidate, tier=1, status=FindingStatus.CONFIRMED)


def finance_decision_covers(e):
    f = FindingFactory(candidate=e.candidate, tier=1, status=FindingStatus.CONFIRMED)
    FinanceDecision.objects.create(endorsement=e, text="Older", covered=[])
    FinanceDecision.objects.create(endorsement=e, text="Goes ahead", covered=[[f.pk, 1]])


def finance_decision_outdated(e):
    """The latest decision did not know of a newer finding (the older one did not either)."""
    f = FindingFactory(candidate=e.candidate, tier=1)
    FinanceDecision.objects.create(endorsement=e, text="Goes ahead", covered=[[f.pk, 1]])
    FindingFactory(candidate=e.candidate, tier=1)


def finance_decision_superseded(e):
    """An older decision covered everything; the latest one did not."""
    f = FindingFactory(candidate=e.candidate, tier=1)
    FinanceDecision.objects.create(endorsement=e, text="Covers", covered=[[f.pk, 1]])
    FinanceDecision.objects.create(endorsement=e, text="Newer", covered=[])


def pledge_none(e):
    pass


def pledge_without_link(e):
    if not hasattr(e.candidate, "pledge"):
        PledgeFactory(candidate=e.candidate, url="")


def pledge_with_link(e):
    if not hasattr(e.candidate, "pledge"):
        PledgeFactory(candidate=e.candidate)


def ballot_none(e):
    pass


def ballot_verified(e):
    BallotAccessFactory(
        candidate=e.candidate, status=BallotStatus.ON_BALLOT, verified_on=dt.date(2026, 12, 20)
    )


def ballot_not_verified(e):
    BallotAccessFactory(candidate=e.candidate, status=BallotStatus.ON_BALLOT)


def ballot_failed(e):
    BallotAccessFactory(candidate=e.candidate, status=BallotStatus.FAILED)


def ballot_gathering(e):
    BallotAccessFactory(candidate=e.candidate, signatures_required=1200, signatures_gathered=40)


def ballot_pending(e):
    BallotAccessFactory(candidate=e.candidate, signatures_required=None)


def questionnaire_none(e):
    pass


def questionnaire_sent(e):
    QuestionnaireRecordFactory(candidate=e.candidate)


def questionnaire_answered(e):
    QuestionnaireRecordFactory(candidate=e.candidate, answered_on=dt.date(2026, 10, 20))


def questionnaire_below_minimum(e):
    QuestionnaireRecordFactory(
        candidate=e.candidate,
        answered_on=dt.date(2026, 10, 20),
        evaluated_on=dt.date(2026, 10, 25),
        meets_minimum=False,
    )


def questionnaire_not_published(e):
    QuestionnaireRecordFactory(
        candidate=e.candidate,
        answered_on=dt.date(2026, 10, 20),
        evaluated_on=dt.date(2026, 10, 25),
        meets_minimum=True,
    )


def questionnaire_published(e):
    QuestionnaireRecordFactory(
        candidate=e.candidate,
        answered_on=dt.date(2026, 10, 20),
        evaluated_on=dt.date(2026, 10, 25),
        meets_minimum=True,
        published_on=dt.date(2026, 10, 30),
        published_url="https://example.org/q/1",
    )


VARIANTS = {
    Gate.FORUM: [
        forum_none,
        forum_invited_to_coming_forum,
        forum_spoke_in_public,
        forum_spoke_in_private_only,
        forum_spoke_then_invited_again,
    ],
    Gate.FINANCE: [
        finance_nothing_imported,
        finance_clean,
        finance_amended_filing,
        finance_open_tier1,
        finance_confirmed_tier1,
        finance_dismissed_only,
        finance_tier2_outside_the_pledge,
        finance_tier2_inside_the_pledge,
        finance_decision_covers,
        finance_decision_outdated,
        finance_decision_superseded,
    ],
    Gate.PLEDGE: [pledge_none, pledge_without_link, pledge_with_link],
    Gate.BALLOT: [
        ballot_none,
        ballot_verified,
        ballot_not_verified,
        ballot_failed,
        ballot_gathering,
        ballot_pending,
    ],
    Gate.QUESTIONNAIRE: [
        questionnaire_none,
        questionnaire_sent,
        questionnaire_answered,
        questionnaire_below_minimum,
        questionnaire_not_published,
        questionnaire_published,
    ],
}
# The by-law is the chapter's: the three chapters have none, a draft, and an adopted one.
ROUNDS = 2 * max(len(v) for v in VARIANTS.values())  # every variant at least twice


def _rich(chapters):
    """Candidates across the chapters with every gate in every state, waivers given and
    withdrawn, gates off in a chapter and a gate setting left on in another."""
    first, second, third = chapters
    RescissionBylawFactory(chapter=second)  # a draft
    RescissionBylawFactory(chapter=third, adopted_on=dt.date(2026, 9, 1))
    GateSetting.objects.create(chapter=first, gate=Gate.FINANCE, enabled=False, reason="Local")
    GateSetting.objects.create(chapter=first, gate=Gate.BYLAW, enabled=False, reason="Later")
    GateSetting.objects.create(chapter=second, gate=Gate.PLEDGE, enabled=True)
    endorsements = []
    for i in range(ROUNDS):
        chapter = chapters[i % 3]
        e = EndorsementFactory(candidate__chapter=chapter, candidate__name=f"C{i:02d}")
        # Pledge first: a finance variant may record a pledge of its own.
        for gate in (Gate.FINANCE, Gate.PLEDGE, Gate.FORUM, Gate.BALLOT, Gate.QUESTIONNAIRE):
            variants = VARIANTS[gate]
            # Shifted each round, so that the gates' states combine in many ways.
            variants[(i + i // len(variants)) % len(variants)](e)
        if i % 4 == 1:
            for gate in (Gate.FORUM, Gate.BALLOT, Gate.BYLAW):
                GateWaiver.objects.create(endorsement=e, gate=gate, reason="Committee vote")
        if i % 5 == 2:
            GateWaiver.objects.create(
                endorsement=e,
                gate=Gate.QUESTIONNAIRE,
                reason="Withdrawn",
                withdrawn_at=timezone.now(),
            )
            GateWaiver.objects.create(endorsement=e, gate=Gate.QUESTIONNAIRE, reason="Given again")
        if i % 5 == 3:
            GateWaiver.objects.create(
                endorsement=e, gate=Gate.FINANCE, reason="Withdrawn", withdrawn_at=timezone.now()
            )
        endorsements.append(e)
    return [Endorsement.objects.select_related("candidate").get(pk=e.pk) for e in endorsements]


@pytest.fixture
def rich(chapter, other_chapter):
    return _rich([chapter, other_chapter, ChapterFactory(slug="third")])


def test_evaluate_many_says_what_evaluate_says(rich):
    expected = {e.pk: gates.evaluate(e) for e in rich}
    fresh = list(Endorsement.objects.filter(pk__in=[e.pk for e in rich]))
    assert gates.evaluate_many(fresh) == expected


def test_the_fixture_has_every_gate_in_every_state(rich):
    seen = {(g.gate, g.state) for e in rich for g in gates.evaluate(e)}
    for gate in Gate:
        assert {(gate.value, "met"), (gate.value, "unmet")} <= seen, gate
    assert {(Gate.FORUM.value, "waived"), (Gate.BALLOT.value, "waived")} <= seen
    assert {(Gate.FINANCE.value, "off"), (Gate.BYLAW.value, "off")} <= seen
    evidence = {(g.gate, g.evidence, g.missing) for e in rich for g in gates.evaluate(e)}
    per_gate = {gate: {x for x in evidence if x[0] == gate.value} for gate in Gate}
    # Every variant gives a different text, except the pledge recorded by a finance variant.
    assert {(g, ev.split(" ")[0], bool(m)) for g, ev, m in per_gate[Gate.FORUM]} == {
        ("forum", "", True),
        ("forum", "Invited", True),
        ("forum", "Spoke", False),
    }
    finance = " | ".join(f"{ev} / {m}" for _, ev, m in per_gate[Gate.FINANCE])
    for text in (
        "Import the candidate's campaign-finance filings",
        "2 filings screened; no open or confirmed tier 1 finding",
        "1 filing screened; no open or confirmed tier 1 finding",
        "1 open, 0 confirmed tier 1 finding(s) / Review the open findings",
        "0 open, 1 confirmed tier 1 finding(s) / The candidate took money",
        "1 open, 1 confirmed tier 1 or 2 finding(s)",
        "0 open, 1 confirmed tier 1 finding(s); decision recorded",
        "2 open, 0 confirmed tier 1 finding(s) / Review",
    ):
        assert text in finance, text
    assert len(per_gate[Gate.BALLOT]) == len(VARIANTS[Gate.BALLOT])
    assert len(per_gate[Gate.QUESTIONNAIRE]) == len(VARIANTS[Gate.QUESTIONNAIRE])
    assert len(per_gate[Gate.BYLAW]) == 3


def test_evaluate_many_of_nothing():
    assert gates.evaluate_many([]) == {}


def test_evaluate_many_reads_in_a_bounded_number_of_queries(chapter):
    endorsements = _rich([chapter, ChapterFactory(slug="b"), ChapterFactory(slug="c")])
    mine = [e for e in endorsements if e.candidate.chapter_id == chapter.pk]

    def count(subset):
        fresh = list(Endorsement.objects.filter(pk__in=[e.pk for e in subset]))
        with CaptureQueriesContext(connection) as ctx:
            gates.evaluate_many(fresh)
        return len(ctx)

    assert count(mine[:2]) == count(mine)
    assert count(mine) <= 12


# --- the pages -----------------------------------------------------------------------------


def _candidates(chapter, race, n, *, with_endorsement=True):
    """n candidates in the race with some evidence for each gate and a waiver."""
    start = Endorsement.objects.count()
    for i in range(n):
        name = f"Candidate {start + i:03d}"
        if with_endorsement:
            e = EndorsementFactory(
                candidate__chapter=chapter, candidate__race=race, candidate__name=name,
                stage=Stage.VETTING,
            )  # fmt: skip
            GateWaiver.objects.create(endorsement=e, gate=Gate.BALLOT, reason="Committee vote")
            candidate = e.candidate
            FinanceDecision.objects.create(endorsement=e, text="Fine", covered=[])
        else:
            candidate = CandidateFactory(chapter=chapter, race=race, name=name)
        InvitationFactory(forum=_past_forum(chapter), candidate=candidate, spoke=True)
        FindingFactory(candidate=candidate, tier=1)
        PledgeFactory(candidate=candidate)
        BallotAccessFactory(candidate=candidate)
        QuestionnaireRecordFactory(candidate=candidate)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response


@pytest.mark.parametrize("page", ["board", "race"])
def test_the_page_reads_the_same_number_of_queries_for_5_or_25_candidates(
    page, chapter, alice, client_as
):
    RescissionBylawFactory(chapter=chapter)
    race = RaceFactory(chapter=chapter)
    client = client_as(alice)
    url = (
        reverse("endorsements:board", args=[chapter.slug])
        if page == "board"
        else reverse("candidates:race_detail", args=[chapter.slug, race.pk])
    )
    _candidates(chapter, race, 5)
    few, response = _count(client, url)
    assert response.content.decode().count('class="card" id="card-') == 5
    _candidates(chapter, race, 20)
    many, response = _count(client, url)
    assert response.content.decode().count('class="card" id="card-') == 25
    print(f"{page}: {few} queries for 5 candidates, {many} for 25")
    assert many == few


@pytest.mark.parametrize("page", ["board", "race"])
def test_candidates_without_an_endorsement_get_one_in_a_bounded_number_of_queries(
    page, chapter, alice, client_as
):
    race = RaceFactory(chapter=chapter)
    client = client_as(alice)
    url = (
        reverse("endorsements:board", args=[chapter.slug])
        if page == "board"
        else reverse("candidates:race_detail", args=[chapter.slug, race.pk])
    )
    _candidates(chapter, race, 5, with_endorsement=False)
    few, _ = _count(client, url)
    assert Endorsement.objects.filter(stage=Stage.CONSIDERING).count() == 5
    _candidates(chapter, race, 20, with_endorsement=False)
    many, response = _count(client, url)
    assert Endorsement.objects.filter(stage=Stage.CONSIDERING).count() == 25
    assert response.content.decode().count('class="card" id="card-') == 25
    print(f"{page}, creating endorsements: {few} queries for 5 candidates, {many} for 20 new")
    assert many == few


def test_cards_create_the_missing_endorsements_and_keep_the_others(chapter):
    kept = EndorsementFactory(candidate__chapter=chapter, stage=Stage.VETTING)
    new = CandidateFactory(chapter=chapter)
    result = board.cards(
        type(new).objects.filter(pk__in=[kept.candidate_id, new.pk]).order_by("pk")
    )
    assert [c.endorsement.pk for c in result] == [
        kept.pk,
        Endorsement.objects.get(candidate=new).pk,
    ]
    assert [c.stage for c in result] == [Stage.VETTING, Stage.CONSIDERING]
    assert all(c.endorsement.pk and c.gates for c in result)
    assert result[0].gates == gates.evaluate(kept)


def test_cards_accept_a_list_and_closed_stages_have_no_gates(chapter):
    endorsed = EndorsementFactory(candidate__chapter=chapter, stage=Stage.ENDORSED)
    open_ = EndorsementFactory(candidate__chapter=chapter, stage=Stage.QUESTIONNAIRE)
    result = {c.candidate.pk: c for c in board.cards([endorsed.candidate, open_.candidate])}
    assert result[endorsed.candidate_id].gates == []
    assert result[open_.candidate_id].gates == gates.evaluate(open_)
