"""Adding and renaming issue campaigns: the committee does it, audited; each campaign gets its
own strategy review; a plain member, another chapter's committee and an anonymous visitor
cannot."""

from __future__ import annotations

import pytest

from pledgewatch.campaigns import services
from pledgewatch.campaigns.models import Campaign
from pledgewatch.core.models import AuditEvent
from tests.campaigns.factories import CampaignFactory

NEW = "/c/lakeshore/campaigns/new/"


@pytest.fixture
def committee(client_as, committee_member):
    return client_as(committee_member)


def edit_url(campaign) -> str:
    return f"/c/lakeshore/campaigns/{campaign.pk}/edit/"


def test_the_committee_adds_a_campaign_with_its_own_review(committee, committee_member, chapter):
    assert "Add a campaign" in committee.get("/c/lakeshore/campaigns/").content.decode()
    response = committee.post(
        NEW, {"name": "  Housing   for All ", "description": "Tenant unions first."}
    )
    campaign = Campaign.objects.get(chapter=chapter, name="Housing for All")
    assert response.status_code == 302
    assert response["Location"] == f"/c/lakeshore/campaigns/{campaign.pk}/"
    assert campaign.description == "Tenant unions first."
    event = AuditEvent.objects.get(action="campaigns.campaign_created", object_id=str(campaign.pk))
    assert event.actor == committee_member and event.chapter == chapter
    page = committee.get(f"/c/lakeshore/campaigns/{campaign.pk}/").content.decode()
    assert "Housing for All: strategy review" in page and "Tenant unions first." in page
    assert "Start the review" in page
    listing = committee.get("/c/lakeshore/campaigns/").content.decode()
    assert "Housing for All" in listing and "Medicare for All" in listing


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("medicare for all", "The chapter already has a campaign by this name."),
        ("x" * 201, "Ensure this value has at most 200 characters"),
    ],
)
def test_a_bad_name_is_refused_with_a_message(committee, chapter, name, message):
    CampaignFactory(chapter=chapter, name="Medicare for All")
    response = committee.post(NEW, {"name": name, "description": ""})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Campaign.objects.filter(chapter=chapter).count() == 1


def test_the_same_name_in_another_chapter_is_fine(committee, chapter, other_chapter):
    CampaignFactory(chapter=other_chapter, name="Housing for All")
    committee.post(NEW, {"name": "Housing for All", "description": ""})
    assert Campaign.objects.filter(chapter=chapter, name="Housing for All").exists()


def test_renaming_is_audited_and_keeps_the_review(committee, chapter):
    campaign = CampaignFactory(chapter=chapter, name="Medicare for All")
    services.save_strategy(
        campaign=campaign,
        answers={"goals": "Win single payer."},
        decision="undecided",
        reason="",
        decided_on=None,
        by=None,
    )
    response = committee.post(
        edit_url(campaign), {"name": "Medicare for All Illinois", "description": "Statewide."}
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.name == "Medicare for All Illinois"
    event = AuditEvent.objects.get(action="campaigns.campaign_changed")
    assert event.data["changes"]["name"] == ["Medicare for All", "Medicare for All Illinois"]
    assert campaign.strategy_review.answers == {"goals": "Win single payer."}
    # The renamed default campaign is not created again on the next visit.
    committee.get("/c/lakeshore/campaigns/")
    assert Campaign.objects.filter(chapter=chapter).count() == 1


def test_saving_without_a_change_says_so(committee, chapter):
    campaign = CampaignFactory(chapter=chapter, name="Medicare for All")
    response = committee.post(
        edit_url(campaign), {"name": "Medicare for All", "description": ""}, follow=True
    )
    assert "Nothing changed." in response.content.decode()
    assert not AuditEvent.objects.filter(action="campaigns.campaign_changed").exists()


def test_campaign_text_is_escaped(committee, chapter):
    committee.post(NEW, {"name": "<script>alert(1)</script>", "description": "<b>x</b>"})
    campaign = Campaign.objects.get(chapter=chapter, name="<script>alert(1)</script>")
    page = committee.get(f"/c/lakeshore/campaigns/{campaign.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<b>x</b>" not in page


def test_a_plain_member_reads_but_cannot_add_or_edit(client_as, bob, chapter):
    campaign = CampaignFactory(chapter=chapter, name="Medicare for All")
    client = client_as(bob)
    assert "Add a campaign" not in client.get("/c/lakeshore/campaigns/").content.decode()
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, {"name": "Housing", "description": ""}).status_code == 403
    assert client.post(edit_url(campaign), {"name": "X", "description": ""}).status_code == 403
    campaign.refresh_from_db()
    assert campaign.name == "Medicare for All"
    assert not Campaign.objects.filter(name="Housing").exists()


def test_another_chapters_committee_cannot_touch_it(client_as, other_chapter, chapter):
    from tests.factories import ChapterRoleFactory, UserFactory

    outsider = UserFactory()
    ChapterRoleFactory(chapter=other_chapter, user=outsider, role="committee")
    campaign = CampaignFactory(chapter=chapter, name="Medicare for All")
    client = client_as(outsider)
    # No role in lakeshore: the chapter is not found (its existence is not revealed).
    assert client.get(edit_url(campaign)).status_code == 404
    assert client.post(NEW, {"name": "Housing", "description": ""}).status_code == 404
    other = f"/c/{other_chapter.slug}/campaigns/{campaign.pk}/edit/"
    assert client.post(other, {"name": "X", "description": ""}).status_code == 404
    campaign.refresh_from_db()
    assert campaign.name == "Medicare for All"


def test_an_anonymous_visitor_is_sent_to_log_in(client, chapter):
    campaign = CampaignFactory(chapter=chapter)
    for url in (NEW, edit_url(campaign)):
        response = client.post(url, {"name": "X", "description": ""})
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_description_too_long_is_refused(committee, chapter):
    response = committee.post(NEW, {"name": "Housing for All", "description": "x" * 2_001})
    assert "Keep the description under 2,000 characters." in response.content.decode()
    assert not Campaign.objects.filter(chapter=chapter, name="Housing for All").exists()
