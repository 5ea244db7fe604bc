"""Offices: everyone in the chapter reads the list; the committee adds and edits offices, each
name and district once per chapter; other chapters see nothing."""

from __future__ import annotations

from pledgewatch.candidates.models import Office, OfficeLevel
from pledgewatch.core.models import AuditEvent
from tests.endorsements.factories import OfficeFactory, RaceFactory

URL = "/c/lakeshore/candidates/offices/"


def office_data(**overrides) -> dict[str, str]:
    return {
        "name": "City Council",
        "level": OfficeLevel.MUNICIPAL,
        "district": "District 3",
        "state": "il",
        **overrides,
    }


def test_every_member_sees_the_offices_but_cannot_change_them(client_as, bob, chapter):
    office = OfficeFactory(chapter=chapter, name="County Board", district="District 9")
    RaceFactory(chapter=chapter, office=office)
    OfficeFactory(name="Elsewhere Council")  # another chapter's
    client = client_as(bob)
    page = client.get(URL).content.decode()
    assert "County Board" in page and "District 9" in page
    assert "Elsewhere Council" not in page
    assert "Add an office" not in page and "/edit/" not in page
    assert client.get(f"{URL}add/").status_code == 403
    assert client.post(f"{URL}add/", office_data()).status_code == 403
    assert client.post(f"{URL}{office.pk}/edit/", office_data()).status_code == 403
    assert not Office.objects.filter(name="City Council").exists()


def test_the_committee_adds_an_office_and_goes_on_to_its_race(client_as, committee_member, chapter):
    response = client_as(committee_member).post(f"{URL}add/", office_data())
    office = Office.objects.get()
    assert response["Location"] == f"/c/lakeshore/candidates/races/add/?office={office.pk}"
    assert (office.chapter, office.name, office.district, office.state) == (
        chapter,
        "City Council",
        "District 3",
        "IL",
    )
    event = AuditEvent.objects.get(action="office.added")
    assert event.actor == committee_member and event.data["district"] == "District 3"


def test_an_office_is_unique_in_the_chapter_ignoring_case_and_spaces(
    client_as, committee_member, chapter, other_chapter
):
    OfficeFactory(chapter=chapter, name="City Council", district="District 3")
    OfficeFactory(chapter=other_chapter, name="Mayor", district="")
    client = client_as(committee_member)
    response = client.post(f"{URL}add/", office_data(name=" city  council ", district="district 3"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "is already one of the chapter&#x27;s offices" in page
    assert Office.objects.filter(chapter=chapter).count() == 1
    # Another district, or the same name in another chapter, is a different office.
    assert client.post(f"{URL}add/", office_data(district="District 4")).status_code == 302
    assert client.post(f"{URL}add/", office_data(name="Mayor", district="")).status_code == 302


def test_office_fields_are_checked(client_as, committee_member, chapter):
    page = (
        client_as(committee_member)
        .post(f"{URL}add/", office_data(name="", level="galactic", state="ZZ"))
        .content.decode()
    )
    assert "Enter the office&#x27;s name, such as City Council." in page
    assert "Choose one of the levels listed." in page
    assert "Enter a two-letter postal code, such as PA or DC." in page
    # Each error is linked to its field.
    assert 'aria-describedby="id_state_helptext id_state_error"' in page
    assert 'id="id_state_error"' in page
    assert not Office.objects.exists()


def test_the_committee_edits_an_office_but_not_into_a_duplicate(
    client_as, committee_member, chapter
):
    office = OfficeFactory(chapter=chapter, name="City Council", district="District 3")
    OfficeFactory(chapter=chapter, name="City Council", district="District 4")
    client = client_as(committee_member)
    url = f"{URL}{office.pk}/edit/"
    assert 'value="District 3"' in client.get(url).content.decode()
    page = client.post(url, office_data(district="District 4")).content.decode()
    assert "is already one of the chapter&#x27;s offices" in page
    # Keeping its own name and district is not a duplicate of itself.
    response = client.post(url, office_data(level=OfficeLevel.COUNTY))
    assert response["Location"] == URL
    office.refresh_from_db()
    assert office.level == OfficeLevel.COUNTY and office.district == "District 3"
    event = AuditEvent.objects.get(action="office.changed")
    assert event.data["changes"] == {"level": ["municipal", "county"]}


def test_another_chapters_user_reaches_no_office(client_as, charlie, chapter):
    office = OfficeFactory(chapter=chapter, name="City Council")
    client = client_as(charlie)
    assert client.get(URL).status_code == 404
    own = f"/c/harbor-city/candidates/offices/{office.pk}/edit/"
    assert client.post(own, office_data(name="Taken over")).status_code == 404
    office.refresh_from_db()
    assert office.name == "City Council"


def test_office_text_is_escaped(client_as, bob, chapter):
    OfficeFactory(chapter=chapter, name="<b>Council</b>", district="<i>3</i>")
    page = client_as(bob).get(URL).content.decode()
    assert "<b>Council</b>" not in page and "&lt;b&gt;Council&lt;/b&gt;" in page
    assert "<i>3</i>" not in page
