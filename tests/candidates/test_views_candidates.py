"""Candidates with races and campaign contacts: the add and edit forms (the chapter's races
only, a checked phone and email), the list by race with each endorsement's stage, and the
candidate's page (race, office, election; the campaign contact only for VIEW_CONTACTS)."""

from __future__ import annotations

import datetime as dt

import pytest

from pledgewatch.candidates.models import Candidate
from pledgewatch.core import permissions
from pledgewatch.core.models import AuditEvent
from pledgewatch.core.permissions import Permission, Role
from pledgewatch.endorsements.models import Endorsement, Stage
from tests.endorsements.factories import EndorsementFactory, RaceFactory
from tests.finance.factories import CandidateFactory

URL = "/c/lakeshore/candidates/"


@pytest.fixture
def race(chapter):
    return RaceFactory(
        chapter=chapter,
        office__name="City Council",
        office__district="District 3",
        election_date=dt.date(2027, 3, 16),
    )


def candidate_data(**overrides) -> dict[str, str]:
    return {
        "name": "Rosa Delgado",
        "party": "Democratic",
        "race": "",
        "office_sought": "",
        "website": "https://delgado.example.org/",
        "contact_name": "Sam Ortiz, campaign manager",
        "email": "sam@delgado.example.org",
        "phone": "(312) 555-0142",
        **overrides,
    }


def text(response) -> str:
    return " ".join(response.content.decode().split())


# --- adding and editing ----------------------------------------------------------------------


def test_the_committee_adds_a_candidate_in_a_race_with_a_campaign_contact(
    client_as, committee_member, chapter, race
):
    client = client_as(committee_member)
    form = client.get(f"{URL}add/?race={race.pk}").content.decode()
    assert f'<option value="{race.pk}" selected>' in form
    response = client.post(f"{URL}add/", candidate_data(race=str(race.pk)))
    candidate = Candidate.objects.get()
    assert response["Location"] == f"{URL}{candidate.pk}/"
    assert candidate.race == race and candidate.office_label == "City Council, District 3"
    assert (candidate.contact_name, candidate.email, candidate.phone) == (
        "Sam Ortiz, campaign manager",
        "sam@delgado.example.org",
        "(312) 555-0142",
    )
    # Its endorsement record starts at "considering".
    assert Endorsement.objects.get(candidate=candidate).stage == Stage.CONSIDERING
    # The audit log says a contact was recorded, not what it is.
    event = AuditEvent.objects.get(action="candidate.added")
    assert event.data["race"] == str(race)
    assert event.data["contact_fields_set"] == ["contact_name", "email", "phone"]
    assert "sam@delgado.example.org" not in str(event.data) and "555-0142" not in str(event.data)


def test_a_race_of_another_chapter_is_not_offered_and_is_refused(
    client_as, committee_member, chapter, other_chapter, race
):
    foreign = RaceFactory(chapter=other_chapter, office__name="Harbor Council")
    client = client_as(committee_member)
    form = client.get(f"{URL}add/").content.decode()
    assert "City Council, District 3" in form and "Harbor Council" not in form
    page = client.post(f"{URL}add/", candidate_data(race=str(foreign.pk))).content.decode()
    assert "Choose one of your chapter&#x27;s races." in page
    assert not Candidate.objects.exists()


def test_phone_email_and_website_are_checked(client_as, committee_member, chapter):
    client = client_as(committee_member)
    page = client.post(
        f"{URL}add/",
        candidate_data(phone="call me", email="sam at campaign", website="javascript:alert(1)"),
    ).content.decode()
    assert "Enter a phone number with digits, spaces and + ( ) - only" in page
    assert "Enter an email address, such as name@example.org." in page
    assert "Enter a web address such as https://example.org/." in page
    assert 'aria-describedby="id_phone_error"' in page
    assert not Candidate.objects.exists()
    for phone in ("+1 312 555 0142", "312.555.0142 ext. 12", ""):
        assert client.post(f"{URL}add/", candidate_data(phone=phone)).status_code == 302, phone


def test_office_sought_is_the_fallback_when_there_is_no_race(client_as, committee_member, chapter):
    client = client_as(committee_member)
    client.post(f"{URL}add/", candidate_data(office_sought="U.S. House, OR-4"))
    candidate = Candidate.objects.get()
    assert candidate.race is None and candidate.office_label == "U.S. House, OR-4"
    page = text(client.get(f"{URL}{candidate.pk}/"))
    assert "Office sought</dt><dd>U.S. House, OR-4" in page and "(no race recorded)" in page


def test_the_committee_edits_a_candidate(client_as, committee_member, chapter, race):
    candidate = CandidateFactory(
        chapter=chapter, name="Rosa Delgado", office_sought="City Council", email="old@x.org"
    )
    client = client_as(committee_member)
    form = client.get(f"{URL}{candidate.pk}/edit/").content.decode()
    assert 'value="Rosa Delgado"' in form and 'value="old@x.org"' in form
    response = client.post(
        f"{URL}{candidate.pk}/edit/",
        candidate_data(race=str(race.pk), office_sought="City Council", email="new@x.org"),
    )
    assert response["Location"] == f"{URL}{candidate.pk}/"
    candidate.refresh_from_db()
    assert candidate.race == race and candidate.email == "new@x.org"
    changes = AuditEvent.objects.get(action="candidate.changed").data["changes"]
    assert changes["race"] == [None, str(race)]
    assert changes["private_fields"] == ["contact_name", "email", "phone"]
    assert "new@x.org" not in str(changes) and "old@x.org" not in str(changes)
    # Errors keep the page's title on the saved name, not the one typed.
    page = client.post(f"{URL}{candidate.pk}/edit/", candidate_data(name="", phone="x")).content
    assert (
        "Edit Rosa Delgado" in page.decode() and "Enter the candidate&#x27;s name." in page.decode()
    )


def test_a_member_cannot_edit_a_candidate(client_as, bob, chapter):
    candidate = CandidateFactory(chapter=chapter, name="Rosa Delgado")
    client = client_as(bob)
    assert client.get(f"{URL}{candidate.pk}/edit/").status_code == 403
    assert client.post(f"{URL}{candidate.pk}/edit/", candidate_data(name="X")).status_code == 403
    candidate.refresh_from_db()
    assert candidate.name == "Rosa Delgado"
    assert "/edit/" not in client.get(f"{URL}{candidate.pk}/").content.decode()


def test_another_chapters_user_cannot_edit_a_candidate(client_as, charlie, chapter):
    candidate = CandidateFactory(chapter=chapter, name="Rosa Delgado")
    own = f"/c/harbor-city/candidates/{candidate.pk}/edit/"
    assert client_as(charlie).post(own, candidate_data(name="X")).status_code == 404
    candidate.refresh_from_db()
    assert candidate.name == "Rosa Delgado"


def test_a_role_that_may_not_see_contacts_edits_without_them(
    client_as, committee_member, chapter, monkeypatch
):
    """The contact fields follow VIEW_CONTACTS: take it away from the committee to see it."""
    monkeypatch.setitem(
        permissions.ROLE_PERMISSIONS,
        Role.COMMITTEE,
        permissions.ROLE_PERMISSIONS[Role.COMMITTEE] - {Permission.VIEW_CONTACTS},
    )
    candidate = CandidateFactory(chapter=chapter, email="private@x.org", phone="312 555 0100")
    client = client_as(committee_member)
    form = client.get(f"{URL}{candidate.pk}/edit/").content.decode()
    assert "private@x.org" not in form and 'name="email"' not in form
    client.post(f"{URL}{candidate.pk}/edit/", candidate_data(email="", phone=""))
    candidate.refresh_from_db()
    assert candidate.name == "Rosa Delgado"
    assert (candidate.email, candidate.phone) == ("private@x.org", "312 555 0100")


# --- the list ----------------------------------------------------------------------------------


def test_the_list_groups_candidates_by_race_with_their_stage(client_as, bob, chapter, race):
    later = RaceFactory(chapter=chapter, office__name="Mayor", election_date=dt.date(2027, 4, 6))
    EndorsementFactory(
        candidate=CandidateFactory(chapter=chapter, name="Vera Vetting", race=race),
        stage=Stage.VETTING,
    )
    CandidateFactory(chapter=chapter, name="Mo Mayor", race=later)
    CandidateFactory(chapter=chapter, name="No Race Yet", race=None, office_sought="Water Board")
    RaceFactory(chapter=chapter, office__name="Empty Race")
    page = text(client_as(bob).get(URL))
    form, groups = page.split('<form method="get"')[1].split("</form>")
    assert "Empty Race" in form  # every race can be chosen in the filter ...
    assert "Empty Race" not in groups  # ... but only races with candidates are listed
    # The sooner election first, then the later one, then those without a race.
    assert groups.index("City Council") < groups.index("Mayor") < groups.index("No race recorded")
    assert groups.index("Vera Vetting") < groups.index("Mo Mayor") < groups.index("No Race Yet")
    assert "Water Board" in groups
    assert ">Vetting<" in groups and ">Considering<" in groups  # no endorsement: considering
    assert "3 candidates" in groups


def test_the_list_filters_by_race_or_no_race(client_as, bob, chapter, other_chapter, race):
    other = RaceFactory(chapter=chapter, office__name="Mayor")
    CandidateFactory(chapter=chapter, name="In The Race", race=race)
    CandidateFactory(chapter=chapter, name="In Another Race", race=other)
    CandidateFactory(chapter=chapter, name="Without A Race")
    client = client_as(bob)
    page = text(client.get(URL, {"race": race.pk}))
    assert "In The Race" in page and "1 candidate shown" in page
    assert "In Another Race" not in page and "Without A Race" not in page
    page = text(client.get(URL, {"race": "none"}))
    assert "Without A Race" in page and "In The Race" not in page
    page = text(client.get(URL, {"race": RaceFactory(chapter=other_chapter).pk}))
    assert "Choose one of the chapter&#x27;s races." in page
    # A race with no candidate yet, chosen in the filter, says so.
    empty = RaceFactory(chapter=chapter, office__name="Empty Race")
    page = text(client.get(URL, {"race": empty.pk}))
    assert "Empty Race" in page and "No candidates in this race yet." in page


def test_candidate_text_is_escaped_in_the_list(client_as, bob, chapter):
    CandidateFactory(chapter=chapter, name="<script>alert(1)</script>", office_sought="<b>x</b>")
    page = client_as(bob).get(URL).content.decode()
    assert "<script>alert(1)</script>" not in page and "<b>x</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- the candidate's page ------------------------------------------------------------------------


def test_the_page_shows_race_office_election_and_the_pipeline_panel(client_as, bob, chapter, race):
    candidate = CandidateFactory(
        chapter=chapter, race=race, party="Working Families", website="https://rosa.example.org/"
    )
    page = text(client_as(bob).get(f"{URL}{candidate.pk}/"))
    assert f'href="/c/lakeshore/candidates/races/{race.pk}/"' in page
    assert "City Council, District 3" in page and "16 March 2027" in page
    assert "Working Families" in page and 'href="https://rosa.example.org/"' in page
    assert 'id="endorsement"' in page and "Step 1 of" in page  # the pipeline panel


def test_a_member_sees_neither_the_campaign_contact_nor_the_contact_log(client_as, bob, chapter):
    candidate = CandidateFactory(
        chapter=chapter, contact_name="Sam Ortiz", email="sam@x.org", phone="312 555 0142"
    )
    response = client_as(bob).get(f"{URL}{candidate.pk}/")
    page = response.content.decode()
    assert "Sam Ortiz" not in page and "sam@x.org" not in page and "555 0142" not in page
    assert "Contact log" not in page
    assert "campaign_contact" not in response.context and "contact_log" not in response.context


def test_the_committee_sees_the_campaign_contact(client_as, committee_member, chapter):
    candidate = CandidateFactory(
        chapter=chapter, contact_name="Sam Ortiz", email="sam@x.org", phone="312 555 0142"
    )
    page = client_as(committee_member).get(f"{URL}{candidate.pk}/").content.decode()
    assert "Sam Ortiz" in page
    assert 'href="mailto:sam@x.org"' in page and 'href="tel:3125550142"' in page
