"""The organization directory: everyone in the chapter reads it; the committee adds and edits
organizations and their contact people, who are private (VIEW_CONTACTS)."""

from __future__ import annotations

from pledgewatch.core.models import AuditEvent
from pledgewatch.forums.models import Organization, OrganizationContact, OrganizationKind
from tests.endorsements.factories import InvitationFactory, OrganizationFactory

BASE = "/c/lakeshore/forums/organizations"


def _contact(organization, **kw):
    return OrganizationContact.objects.create(
        organization=organization,
        **{
            "name": "Rosa Martínez",
            "role": "President",
            "email": "rosa@local73.example.org",
            "phone": "(312) 555-0142",
            **kw,
        },
    )


def test_the_directory_is_searched_by_name_and_filtered_by_kind(
    client_as, bob, chapter, other_chapter
):
    OrganizationFactory(chapter=chapter, name="SEIU Local 73")
    OrganizationFactory(chapter=chapter, name="National Nurses United Chicago")
    OrganizationFactory(chapter=chapter, name="Pilsen Alliance", kind=OrganizationKind.COMMUNITY)
    OrganizationFactory(chapter=other_chapter, name="SEIU Local 1")
    client = client_as(bob)
    page = client.get(f"{BASE}/").content.decode()
    assert "3 organizations" in page and "SEIU Local 1<" not in page
    assert "Add an organization" not in page
    page = client.get(f"{BASE}/", {"q": "seiu"}).content.decode()
    assert "SEIU Local 73" in page and "Pilsen" not in page and "Nurses" not in page
    page = client.get(f"{BASE}/", {"kind": "community"}).content.decode()
    assert "Pilsen Alliance" in page and "SEIU" not in page.split('id="results"')[1]
    partial = client.get(f"{BASE}/", {"q": "nurses"}, headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert html.lstrip().startswith('<div id="results"') and "<html" not in html
    assert "National Nurses United Chicago" in html and "1 organization<" in html


def test_the_committee_adds_and_edits_an_organization(client_as, committee_member, chapter):
    client = client_as(committee_member)
    response = client.post(
        f"{BASE}/add/",
        {"name": "  SEIU   Local 73 ", "kind": "union_local", "website": "https://seiu73.org/"},
    )
    organization = Organization.objects.get()
    assert response["Location"] == f"{BASE}/{organization.pk}/"
    assert organization.name == "SEIU Local 73" and organization.chapter == chapter
    assert AuditEvent.objects.get(action="forums.organization_added").actor == committee_member

    duplicate = client.post(f"{BASE}/add/", {"name": "seiu local 73", "kind": "union_local"})
    assert "seiu local 73 is already in the directory." in duplicate.content.decode()
    assert Organization.objects.count() == 1

    client.post(
        f"{BASE}/{organization.pk}/edit/",
        {"name": "SEIU Local 73", "kind": "union_local", "notes": "Endorsed M4A."},
    )
    organization.refresh_from_db()
    assert organization.notes == "Endorsed M4A."
    event = AuditEvent.objects.get(action="forums.organization_changed")
    assert event.data == {
        "changes": {"notes": ["", "Endorsed M4A."], "website": ["https://seiu73.org/", ""]}
    }

    bad = client.post(f"{BASE}/add/", {"name": "", "kind": "nope", "website": "javascript:x"})
    text = bad.content.decode()
    assert "This field is required." in text and "Enter a valid URL." in text
    assert "Select a valid choice." in text


def test_the_same_name_may_be_used_by_another_chapter(
    client_as, committee_member, chapter, other_chapter
):
    OrganizationFactory(chapter=other_chapter, name="SEIU Local 73")
    response = client_as(committee_member).post(
        f"{BASE}/add/", {"name": "SEIU Local 73", "kind": "union_local"}
    )
    assert response.status_code == 302
    assert Organization.objects.filter(chapter=chapter).count() == 1


def test_contact_people_are_hidden_from_members(client_as, bob, canvass_lead, chapter):
    organization = OrganizationFactory(chapter=chapter, name="SEIU Local 73")
    _contact(organization)
    for user in (bob, canvass_lead):
        response = client_as(user).get(f"{BASE}/{organization.pk}/")
        page = response.content.decode()
        assert response.status_code == 200 and "SEIU Local 73" in page
        assert "Rosa" not in page and "local73.example.org" not in page and "555" not in page
        assert "contacts" not in response.context
        assert "committee only" in client_as(user).get(f"{BASE}/").content.decode()


def test_the_committee_sees_and_manages_contact_people(client_as, committee_member, chapter):
    organization = OrganizationFactory(chapter=chapter)
    client = client_as(committee_member)
    response = client.post(
        f"{BASE}/{organization.pk}/contacts/add/",
        {
            "name": "Rosa Martínez",
            "role": "President",
            "email": "rosa@local73.example.org",
            "phone": "(312) 555-0142",
        },
    )
    assert response["Location"] == f"{BASE}/{organization.pk}/#contacts-h"
    contact = organization.contacts.get()
    page = client.get(f"{BASE}/{organization.pk}/").content.decode()
    assert "Rosa Martínez" in page and 'href="mailto:rosa@local73.example.org"' in page
    assert 'href="tel:(312)555-0142"' in page

    client.post(
        f"/c/lakeshore/forums/contacts/{contact.pk}/edit/",
        {
            "name": "Rosa Martínez",
            "role": "Secretary-Treasurer",
            "email": "rosa@local73.example.org",
            "phone": "",
        },
    )
    contact.refresh_from_db()
    assert contact.role == "Secretary-Treasurer" and contact.phone == ""

    bad = client.post(
        f"{BASE}/{organization.pk}/contacts/add/",
        {"name": "", "email": "not-an-email", "phone": "call me"},
    )
    text = bad.content.decode()
    assert "This field is required." in text and "Enter a valid email address." in text
    assert "Enter a phone number" in text

    client.post(f"/c/lakeshore/forums/contacts/{contact.pk}/remove/")
    assert not OrganizationContact.objects.exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="forums.contact_")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["forums.contact_added", "forums.contact_changed", "forums.contact_removed"]


def test_members_cannot_manage_contacts(client_as, bob, chapter):
    organization = OrganizationFactory(chapter=chapter)
    contact = _contact(organization)
    client = client_as(bob)
    assert client.get(f"/c/lakeshore/forums/contacts/{contact.pk}/edit/").status_code == 403
    assert client.post(f"/c/lakeshore/forums/contacts/{contact.pk}/remove/").status_code == 403
    assert (
        client.post(f"{BASE}/{organization.pk}/contacts/add/", {"name": "Mallory"}).status_code
        == 403
    )
    assert (
        client.post(
            f"{BASE}/{organization.pk}/edit/", {"name": "Renamed", "kind": "other"}
        ).status_code
        == 403
    )
    assert OrganizationContact.objects.get() == contact
    organization.refresh_from_db()
    assert organization.name != "Renamed"


def test_another_chapter_cannot_touch_the_directory(client_as, charlie, chapter):
    organization = OrganizationFactory(chapter=chapter)
    contact = _contact(organization)
    client = client_as(charlie)
    assert client.get(f"/c/harbor-city/forums/organizations/{organization.pk}/").status_code == 404
    response = client.post(f"/c/harbor-city/forums/contacts/{contact.pk}/remove/")
    assert response.status_code == 404
    assert OrganizationContact.objects.filter(pk=contact.pk).exists()


def test_the_organization_page_lists_its_forums_and_escapes_names(client_as, bob, chapter):
    organization = OrganizationFactory(
        chapter=chapter, name="<script>x</script> Union", notes="<b>bold</b>"
    )
    invitation = InvitationFactory(
        forum__chapter=chapter,
        candidate=None,
        organization=organization,
        spoke=True,
        speaker="Dana",
    )
    page = client_as(bob).get(f"{BASE}/{organization.pk}/").content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt; Union" in page
    assert "<b>bold</b>" not in page
    assert f"#invitation-{invitation.pk}" in page and "spoke on record (Dana)" in page
