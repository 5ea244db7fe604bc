"""The chapter's resources for candidates' talking points packets: the committee lists, adds,
edits and removes them (audited); members and other chapters cannot."""

from __future__ import annotations

from pledgewatch.core.models import AuditEvent
from pledgewatch.endorsements.models import Resource
from tests.endorsements.factories import ResourceFactory

URL = "/c/lakeshore/pipeline/resources/"


def test_the_committee_adds_a_resource(client_as, committee_member, chapter):
    client = client_as(committee_member)
    page = client.post(f"{URL}add/", {"title": "", "url": "javascript:alert(1)", "position": 0})
    text = page.content.decode()
    assert "Give the resource a title." in text
    assert "Give a full web address, such as https://example.org/report." in text
    assert not Resource.objects.exists()

    response = client.post(
        f"{URL}add/",
        {
            "title": "Our canvass report",
            "url": "https://example.org/report",
            "description": "What 2,000 doors told us.",
            "position": 2,
        },
    )
    assert response["Location"] == URL
    resource = Resource.objects.get()
    assert resource.chapter == chapter and resource.position == 2
    event = AuditEvent.objects.get(action="resource.added")
    assert event.actor == committee_member and event.data["url"] == "https://example.org/report"
    # The next one is proposed after it.
    assert client.get(f"{URL}add/").context["form"].initial["position"] == 3


def test_the_list_shows_the_chapters_resources_in_packet_order(
    client_as, committee_member, chapter, other_chapter
):
    ResourceFactory(chapter=chapter, title="Second", position=5)
    ResourceFactory(chapter=chapter, title="First", position=1)
    ResourceFactory(chapter=other_chapter, title="Harbor City's own")
    page = client_as(committee_member).get(URL).content.decode()
    assert page.index("First") < page.index("Second")
    assert "Harbor City's own" not in page


def test_the_committee_edits_a_resource_and_the_change_is_audited(
    client_as, committee_member, chapter
):
    resource = ResourceFactory(chapter=chapter, title="Old title", position=1)
    client = client_as(committee_member)
    form = client.get(f"{URL}{resource.pk}/edit/").context["form"]
    assert form.initial["title"] == "Old title"
    response = client.post(
        f"{URL}{resource.pk}/edit/",
        {"title": "New title", "url": resource.url, "description": "", "position": 1},
    )
    assert response["Location"] == URL
    resource.refresh_from_db()
    assert resource.title == "New title"
    event = AuditEvent.objects.get(action="resource.changed")
    assert event.data == {"before": {"title": "Old title"}, "after": {"title": "New title"}}


def test_the_committee_removes_a_resource_with_a_post(client_as, committee_member, chapter):
    resource = ResourceFactory(chapter=chapter, title="Gone soon")
    client = client_as(committee_member)
    assert client.get(f"{URL}{resource.pk}/delete/").status_code == 405
    assert client.post(f"{URL}{resource.pk}/delete/")["Location"] == URL
    assert not Resource.objects.exists()
    assert AuditEvent.objects.get(action="resource.deleted").data["title"] == "Gone soon"


def test_a_plain_member_cannot_touch_the_resources(client_as, bob, chapter):
    resource = ResourceFactory(chapter=chapter)
    client = client_as(bob)
    assert client.get(URL).status_code == 403
    assert client.post(f"{URL}add/", {"title": "x", "url": "https://x.org"}).status_code == 403
    assert client.post(f"{URL}{resource.pk}/edit/", {"title": "x"}).status_code == 403
    assert client.post(f"{URL}{resource.pk}/delete/").status_code == 403
    assert Resource.objects.count() == 1


def test_another_chapters_resource_is_not_found(client_as, alice, chapter, other_chapter):
    theirs = ResourceFactory(chapter=other_chapter, title="Theirs")
    client = client_as(alice)
    assert client.get(f"{URL}{theirs.pk}/edit/").status_code == 404
    assert client.post(f"{URL}{theirs.pk}/delete/").status_code == 404
    assert Resource.objects.get().title == "Theirs"


def test_resource_text_is_escaped(client_as, committee_member, chapter):
    ResourceFactory(chapter=chapter, title="<img src=x onerror=alert(1)>", description="<b>hi</b>")
    page = client_as(committee_member).get(URL).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>hi</b>" not in page
