"""Races: everyone in the chapter reads the list (upcoming first, then past) and a race's page
with its candidates and their pipeline board; the committee adds and edits races for the
chapter's own offices, with the filing deadline on or before the election."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from pledgewatch.candidates.models import ElectionKind, Race
from pledgewatch.core.models import AuditEvent
from pledgewatch.endorsements.models import Stage
from tests.endorsements.factories import EndorsementFactory, OfficeFactory, RaceFactory
from tests.finance.factories import CandidateFactory

# 3 a.m. on 2 June in UTC is still 1 June in Chicago, the chapter's time zone.
NOW = dt.datetime(2026, 6, 2, 3, 0, tzinfo=dt.UTC)
URL = "/c/lakeshore/candidates/races/"


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def office(chapter):
    return OfficeFactory(chapter=chapter, name="City Council", district="District 3")


def race_data(office, **overrides) -> dict[str, str]:
    return {
        "office": str(office.pk),
        "kind": ElectionKind.PRIMARY,
        "party": "Democratic",
        "election_date": "2027-03-16",
        "filing_deadline": "2026-12-14",
        "notes": "",
        **overrides,
    }


def text(response) -> str:
    return " ".join(response.content.decode().split())


def test_races_are_listed_upcoming_first_then_past_with_their_candidate_counts(
    client_as, bob, chapter, other_chapter
):
    later = RaceFactory(chapter=chapter, office__name="Mayor", election_date=dt.date(2027, 4, 6))
    sooner = RaceFactory(
        chapter=chapter, office__name="County Board", election_date=dt.date(2026, 11, 3)
    )
    today = RaceFactory(
        chapter=chapter, office__name="Alderperson", election_date=dt.date(2026, 6, 1)
    )
    RaceFactory(chapter=chapter, office__name="State Senate", election_date=dt.date(2024, 3, 19))
    RaceFactory(chapter=chapter, office__name="Water Board", election_date=dt.date(2026, 3, 17))
    CandidateFactory.create_batch(2, chapter=chapter, race=sooner)
    RaceFactory(chapter=other_chapter, office__name="Harbor Mayor")
    page = text(client_as(bob).get(URL))
    upcoming, past = page.split('id="past-h"')
    order = [r.office.name for r in (today, sooner, later)]
    assert [upcoming.index(n) for n in order] == sorted(upcoming.index(n) for n in order)
    assert "State Senate" not in upcoming and "Water Board" not in upcoming
    assert past.index("Water Board") < past.index("State Senate")  # latest first
    assert "2 candidates" in upcoming and "0 candidates" in upcoming
    assert "Harbor Mayor" not in page
    assert "Add a race" not in page


def test_the_committee_adds_a_race_for_one_of_the_chapters_offices(
    client_as, committee_member, chapter, office
):
    client = client_as(committee_member)
    form = client.get(f"{URL}add/?office={office.pk}").content.decode()
    assert f'<option value="{office.pk}" selected>City Council, District 3</option>' in form
    response = client.post(f"{URL}add/", race_data(office, notes="Open seat."))
    race = Race.objects.get()
    assert response["Location"] == f"{URL}{race.pk}/"
    assert (race.chapter, race.office, race.election_date, race.filing_deadline) == (
        chapter,
        office,
        dt.date(2027, 3, 16),
        dt.date(2026, 12, 14),
    )
    event = AuditEvent.objects.get(action="race.added")
    assert event.actor == committee_member
    assert event.data["office"] == "City Council, District 3"
    assert event.data["election_date"] == "2027-03-16"


def test_another_chapters_office_is_not_offered_and_is_refused(
    client_as, committee_member, chapter, other_chapter, office
):
    foreign = OfficeFactory(chapter=other_chapter, name="Harbor Council")
    client = client_as(committee_member)
    form = client.get(f"{URL}add/").content.decode()
    assert "City Council" in form and "Harbor Council" not in form
    response = client.post(f"{URL}add/", race_data(foreign))
    assert response.status_code == 200
    assert "Choose one of your chapter&#x27;s offices." in response.content.decode()
    assert not Race.objects.exists()
    # Nor can an edit move a race to another chapter's office.
    race = RaceFactory(chapter=chapter, office=office)
    response = client.post(f"{URL}{race.pk}/edit/", race_data(foreign))
    assert "Choose one of your chapter&#x27;s offices." in response.content.decode()
    race.refresh_from_db()
    assert race.office == office


def test_a_filing_deadline_after_the_election_is_refused(client_as, committee_member, office):
    client = client_as(committee_member)
    response = client.post(f"{URL}add/", race_data(office, filing_deadline="2027-03-17"))
    page = response.content.decode()
    assert "The filing deadline must be on or before the election." in page
    assert 'aria-describedby="id_filing_deadline_helptext id_filing_deadline_error"' in page
    assert not Race.objects.exists()
    # On the day of the election is allowed, and a deadline is optional.
    assert (
        client.post(f"{URL}add/", race_data(office, filing_deadline="2027-03-16")).status_code
        == 302
    )
    assert client.post(f"{URL}add/", race_data(office, filing_deadline="")).status_code == 302


def test_a_race_needs_an_office_and_an_election_day(client_as, committee_member, office):
    page = (
        client_as(committee_member)
        .post(f"{URL}add/", {**race_data(office), "office": "", "election_date": "", "kind": ""})
        .content.decode()
    )
    assert "Choose the office this race is for." in page
    assert "Choose the kind of election." in page
    assert "Enter the day of the election." in page
    assert not Race.objects.exists()


def test_without_offices_the_race_form_asks_for_one_first(client_as, committee_member):
    page = client_as(committee_member).get(f"{URL}add/").content.decode()
    assert "The chapter has no offices yet" in page
    assert 'href="/c/lakeshore/candidates/offices/add/"' in page


def test_the_committee_edits_a_race(client_as, committee_member, chapter, office):
    race = RaceFactory(chapter=chapter, office=office, party="Democratic")
    client = client_as(committee_member)
    assert 'value="2027-03-16"' in client.get(f"{URL}{race.pk}/edit/").content.decode()
    response = client.post(
        f"{URL}{race.pk}/edit/",
        race_data(office, kind=ElectionKind.GENERAL, party="", election_date="2027-04-06"),
    )
    assert response["Location"] == f"{URL}{race.pk}/"
    race.refresh_from_db()
    assert (race.kind, race.party, race.election_date) == ("general", "", dt.date(2027, 4, 6))
    changes = AuditEvent.objects.get(action="race.changed").data["changes"]
    assert changes["election_date"] == ["2027-03-16", "2027-04-06"]
    assert changes["party"] == ["Democratic", ""]


def test_a_member_reads_races_but_cannot_change_them(client_as, bob, chapter, office):
    race = RaceFactory(chapter=chapter, office=office)
    client = client_as(bob)
    page = client.get(f"{URL}{race.pk}/").content.decode()
    assert "City Council, District 3" in page
    assert "Edit the race" not in page and "Add a candidate to this race" not in page
    assert client.get(f"{URL}add/").status_code == 403
    assert client.post(f"{URL}add/", race_data(office)).status_code == 403
    assert client.post(f"{URL}{race.pk}/edit/", race_data(office, party="X")).status_code == 403
    race.refresh_from_db()
    assert race.party == "Democratic"


def test_another_chapters_user_reaches_no_race(client_as, charlie, chapter, office):
    race = RaceFactory(chapter=chapter, office=office)
    client = client_as(charlie)
    assert client.get(f"{URL}{race.pk}/").status_code == 404
    assert client.get(f"/c/harbor-city/candidates/races/{race.pk}/").status_code == 404
    assert client.post(f"/c/harbor-city/candidates/races/{race.pk}/edit/", {}).status_code == 404


def test_the_race_page_lists_its_candidates_with_their_pipeline_board(
    client_as, bob, chapter, office
):
    race = RaceFactory(chapter=chapter, office=office)
    EndorsementFactory(
        candidate=CandidateFactory(chapter=chapter, name="Vera Vetting", race=race),
        stage=Stage.VETTING,
    )
    CandidateFactory(chapter=chapter, name="Cal Considering", race=race)
    CandidateFactory(chapter=chapter, name="In Another Race", race=RaceFactory(chapter=chapter))
    response = client_as(bob).get(f"{URL}{race.pk}/")
    page = text(response)
    assert "Vera Vetting" in page and "Cal Considering" in page
    assert "In Another Race" not in page
    assert "Stage: Vetting" in page and "Stage: Considering" in page
    # The board partial, with only this race's candidates, by stage.
    assert 'class="pipeline-board"' in page
    board = page.split('class="pipeline-board"')[1]
    assert board.index("Cal Considering") < board.index("Vera Vetting")
    assert f'href="/c/lakeshore/pipeline/?race={race.pk}"' in page


def test_a_race_with_no_candidates_says_so(client_as, committee_member, chapter, office):
    race = RaceFactory(chapter=chapter, office=office)
    page = client_as(committee_member).get(f"{URL}{race.pk}/").content.decode()
    assert "No candidates in this race yet." in page
    assert f'href="/c/lakeshore/candidates/add/?race={race.pk}"' in page
    assert 'class="pipeline-board"' not in page


def test_race_and_candidate_text_is_escaped(client_as, bob, chapter):
    race = RaceFactory(
        chapter=chapter,
        office__name="<script>office()</script>",
        party="<b>Party</b>",
        notes="<img src=x onerror=alert(1)>",
    )
    CandidateFactory(chapter=chapter, race=race, name="<script>alert(1)</script>")
    for url in (URL, f"{URL}{race.pk}/"):
        page = client_as(bob).get(url).content.decode()
        assert "<script>office()</script>" not in page and "<b>Party</b>" not in page
        assert "&lt;script&gt;office()&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_lists_are_in_name_order_whatever_order_they_were_added(client_as, bob, chapter, office):
    """The race page, the candidate list and the office list count related rows, and a query
    with aggregates drops the models' ordering: each orders itself."""
    race = RaceFactory(chapter=chapter, office=office)
    for name in ("Tom Becker", "Rosa Delgado", "Ana Ortiz"):
        CandidateFactory(chapter=chapter, race=race, name=name)
    OfficeFactory(chapter=chapter, name="Alderperson", district="Ward 2", level=office.level)
    client = client_as(bob)

    def order(page: str, names: list[str]) -> list[str]:
        return sorted(names, key=page.index)

    names = ["Tom Becker", "Rosa Delgado", "Ana Ortiz"]
    expected = ["Ana Ortiz", "Rosa Delgado", "Tom Becker"]
    assert order(text(client.get(f"{URL}{race.pk}/")), names) == expected
    assert order(text(client.get("/c/lakeshore/candidates/")), names) == expected
    offices = text(client.get("/c/lakeshore/candidates/offices/"))
    assert order(offices, ["City Council", "Alderperson"]) == ["Alderperson", "City Council"]
