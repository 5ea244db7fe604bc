"""Real evidence for each of the guide's gates, built with the factories (for the pipeline
tests): what a committee records on the evidence pages, one gate at a time."""

from __future__ import annotations

import datetime as dt

from pledgewatch.candidates.models import Candidate
from pledgewatch.endorsements.models import BallotStatus, Gate
from pledgewatch.forums.models import Rsvp
from tests.endorsements.factories import (
    BallotAccessFactory,
    InvitationFactory,
    PledgeFactory,
    QuestionnaireRecordFactory,
    RescissionBylawFactory,
)
from tests.finance.factories import StoredFilingFactory


def spoke_at_past_forum(candidate: Candidate) -> None:
    # The forum factory's forum took place a week ago.
    InvitationFactory(
        forum__chapter=candidate.chapter, candidate=candidate, rsvp=Rsvp.YES, spoke=True
    )


def filings_screened_clean(candidate: Candidate) -> None:
    """A screened filing and no finding at all (so no open tier-1 finding)."""
    StoredFilingFactory(finance_import__candidate=candidate)


def pledge_with_link(candidate: Candidate) -> None:
    PledgeFactory(candidate=candidate, url="https://example.org/pledge")


def on_ballot_verified(candidate: Candidate) -> None:
    BallotAccessFactory(
        candidate=candidate, status=BallotStatus.ON_BALLOT, verified_on=dt.date(2026, 12, 20)
    )


def bylaw_adopted(candidate: Candidate) -> None:
    RescissionBylawFactory(
        chapter=candidate.chapter,
        adopted_on=dt.date(2026, 9, 1),
        adopted_by_body="General meeting",
        votes_yes=40,
        votes_no=3,
        votes_abstain=1,
    )


def questionnaire_published(candidate: Candidate) -> None:
    QuestionnaireRecordFactory(
        candidate=candidate,
        sent_on=dt.date(2026, 10, 5),
        answered_on=dt.date(2026, 10, 20),
        evaluated_on=dt.date(2026, 10, 25),
        meets_minimum=True,
        evaluation="Meets all three criteria.",
        published_on=dt.date(2026, 10, 30),
        published_url="https://example.org/questionnaires/1",
    )


# In the guide's order (Gate's order).
EVIDENCE = {
    Gate.FORUM: spoke_at_past_forum,
    Gate.FINANCE: filings_screened_clean,
    Gate.PLEDGE: pledge_with_link,
    Gate.BALLOT: on_ballot_verified,
    Gate.BYLAW: bylaw_adopted,
    Gate.QUESTIONNAIRE: questionnaire_published,
}


def evidence_all(candidate: Candidate, *, except_: tuple[str, ...] = ()) -> None:
    for gate, give in EVIDENCE.items():
        if gate not in except_:
            give(candidate)
