"""The ballot-access evidence page: requirements, progress, status and its validation; the
gate; the audit; who may see and change it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from pledgewatch.core.models import AuditEvent
from pledgewatch.endorsements import gates
from pledgewatch.endorsements.models import BallotAccess, BallotStatus, Gate
from pledgewatch.endorsements.services import endorsement_for
from tests.endorsements.factories import BallotAccessFactory, RaceFactory
from tests.finance.factories import CandidateFactory

NOW = dt.datetime(2026, 11, 20, 18, 0, tzinfo=dt.UTC)  # 20 November, noon in Chicago


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def race(chapter):
    return RaceFactory(
        chapter=chapter,
        election_date=dt.date(2027, 3, 16),
        filing_deadline=dt.date(2026, 12, 14),
    )


@pytest.fixture
def candidate(chapter, race):
    return CandidateFactory(chapter=chapter, race=race, name="Dee Alvarez")


def url(name, chapter, candidate) -> str:
    return reverse(f"endorsements:{name}", kwargs={"slug": chapter.slug, "pk": candidate.pk})


def post(client, chapter, candidate, **fields):
    data = {
        "signatures_required": "473",
        "signatures_gathered": "120",
        "fee": "",
        "filing_deadline": "2026-12-10",
        "source_url": "https://ballotpedia.org/Ballot_access_requirements_in_Illinois",
        "status": BallotStatus.PENDING,
        "verified_on": "",
        "notes": "",
        **fields,
    }
    return client.post(url("ballot_edit", chapter, candidate), data)


def errors(response) -> dict:
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors


def ballot_gate(candidate):
    return next(g for g in gates.evaluate(endorsement_for(candidate)) if g.gate == Gate.BALLOT)


def test_committee_records_the_requirements_and_progress(
    client_as, chapter, committee_member, candidate
):
    response = post(client_as(committee_member), chapter, candidate, fee="750", fee_paid="on")

    assert response.status_code == 302
    assert response["Location"] == url("ballot_detail", chapter, candidate)
    access = BallotAccess.objects.get(candidate=candidate)
    assert (access.signatures_required, access.signatures_gathered) == (473, 120)
    assert access.fee == Decimal("750") and access.fee_paid
    assert access.filing_deadline == dt.date(2026, 12, 10)
    assert access.updated_by == committee_member
    status = ballot_gate(candidate)
    assert not status.met
    assert status.evidence == "120 of 473 signatures"


def test_the_filing_deadline_defaults_to_the_races(client_as, chapter, alice, candidate):
    client = client_as(alice)
    form = client.get(url("ballot_edit", chapter, candidate)).context["form"]
    assert form["filing_deadline"].value() == dt.date(2026, 12, 14)
    assert (
        "The race's filing deadline is 14 December 2026" in form.fields["filing_deadline"].help_text
    )

    post(client, chapter, candidate, filing_deadline="")
    assert BallotAccess.objects.get(candidate=candidate).filing_deadline == dt.date(2026, 12, 14)


def test_a_candidate_without_a_race_has_no_default_deadline(client_as, chapter, alice):
    candidate = CandidateFactory(chapter=chapter)
    client = client_as(alice)
    assert (
        client.get(url("ballot_edit", chapter, candidate))
        .context["form"]["filing_deadline"]
        .value()
        is None
    )
    post(client, chapter, candidate, filing_deadline="")
    assert BallotAccess.objects.get(candidate=candidate).filing_deadline is None


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"signatures_gathered": "-5"}, "signatures_gathered", "cannot be negative"),
        ({"signatures_gathered": ""}, "signatures_gathered", "(0 if none yet)"),
        ({"signatures_gathered": "lots"}, "signatures_gathered", "Enter a whole number"),
        ({"signatures_required": "-1"}, "signatures_required", "0 means none are needed"),
        ({"fee": "-20"}, "fee", "The fee cannot be negative."),
        ({"fee": "12.345"}, "fee", "dollars and cents"),
        ({"filing_deadline": "2027-04-01"}, "filing_deadline", "on or before the election"),
        ({"source_url": "javascript:alert(1)"}, "source_url", "https://"),
        ({"status": "elected"}, "status", "Select a valid choice"),
    ],
)
def test_invalid_input_is_refused_with_a_clear_message(
    client_as, chapter, alice, candidate, fields, field, message
):
    response = post(client_as(alice), chapter, candidate, **fields)
    assert message in " ".join(errors(response)[field])
    assert not BallotAccess.objects.exists()


def test_on_the_ballot_needs_the_date_it_was_verified(client_as, chapter, alice, candidate):
    response = post(client_as(alice), chapter, candidate, status=BallotStatus.ON_BALLOT)
    assert (
        "Give the date someone checked the official candidate list"
        in (errors(response)["verified_on"][0])
    )


def test_the_verified_date_cannot_be_in_the_future(client_as, chapter, alice, candidate):
    response = post(
        client_as(alice),
        chapter,
        candidate,
        status=BallotStatus.ON_BALLOT,
        verified_on="2026-11-21",
    )
    assert errors(response)["verified_on"] == [
        "This date cannot be in the future (today is 20 November 2026)."
    ]


def test_the_gate_is_met_once_on_the_ballot_and_verified(client_as, chapter, alice, candidate):
    client = client_as(alice)
    post(client, chapter, candidate)
    assert not ballot_gate(candidate).met

    response = post(
        client,
        chapter,
        candidate,
        signatures_gathered="610",
        status=BallotStatus.ON_BALLOT,
        verified_on="2026-11-20",
    )
    assert response.status_code == 302
    status = ballot_gate(candidate)
    assert status.met
    assert status.evidence == "On the ballot, verified 20 Nov 2026"


def test_every_save_is_audited_with_what_changed(client_as, chapter, alice, candidate):
    client = client_as(alice)
    post(client, chapter, candidate)
    post(client, chapter, candidate, signatures_gathered="300", fee="50")
    post(client, chapter, candidate, signatures_gathered="300", fee="50.00")

    events = AuditEvent.objects.filter(action__startswith="endorsement.ballot").order_by("id")
    assert [e.action for e in events] == [
        "endorsement.ballot_recorded",
        "endorsement.ballot_changed",
    ]
    assert events[0].actor == alice
    assert events[0].data["changes"]["signatures_required"] == [None, 473]
    assert events[1].data["changes"] == {"signatures_gathered": [120, 300], "fee": [None, "50"]}


def test_the_page_shows_progress_with_text_and_the_reminders(client_as, chapter, bob, candidate):
    BallotAccessFactory(candidate=candidate, signatures_required=473, signatures_gathered=120)
    page = client_as(bob).get(url("ballot_detail", chapter, candidate)).content.decode()

    assert '<label for="signature-progress">120 of 473 signatures gathered (25%): 353 to go' in page
    assert 'max="473" value="120">25%</progress>' in page
    assert "14 December 2026" in page and "(in 24 days)" in page
    assert "14 days, 7 days and 1 day before the filing deadline" in page


def test_more_signatures_than_required_fill_the_bar(client_as, chapter, bob, candidate):
    BallotAccessFactory(candidate=candidate, signatures_required=473, signatures_gathered=700)
    page = client_as(bob).get(url("ballot_detail", chapter, candidate)).content.decode()
    assert "700 of 473 signatures gathered (100%): 227 more than required" in page
    assert 'max="473" value="473">' in page


def test_notes_are_escaped(client_as, chapter, bob, candidate):
    BallotAccessFactory(candidate=candidate, notes="<img src=x onerror=alert(1)>")
    page = client_as(bob).get(url("ballot_detail", chapter, candidate)).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x" in page


def test_members_read_ballot_access_but_cannot_edit_it(client_as, chapter, bob, candidate):
    BallotAccessFactory(candidate=candidate)
    client = client_as(bob)
    page = client.get(url("ballot_detail", chapter, candidate))
    assert page.status_code == 200
    assert url("ballot_edit", chapter, candidate) not in page.content.decode()
    assert client.get(url("ballot_edit", chapter, candidate)).status_code == 403
    assert post(client, chapter, candidate, signatures_gathered="9999").status_code == 403
    assert BallotAccess.objects.get(candidate=candidate).signatures_gathered == 120


def test_another_chapters_user_reaches_no_ballot_access(
    client_as, chapter, other_chapter, charlie, candidate
):
    BallotAccessFactory(candidate=candidate)
    client = client_as(charlie)
    for name in ("ballot_detail", "ballot_edit"):
        assert client.get(url(name, other_chapter, candidate)).status_code == 404, name
        assert client.get(url(name, chapter, candidate)).status_code == 404, name
    assert post(client, other_chapter, candidate, signatures_gathered="1").status_code == 404
    assert BallotAccess.objects.get(candidate=candidate).signatures_gathered == 120
