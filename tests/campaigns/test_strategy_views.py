"""The strategy review pages: everyone in the chapter reads the campaigns, the guide's six
questions with the committee's answers, the decision and its history; the committee edits it,
each save a new numbered revision; another chapter sees nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from pledgewatch.campaigns.models import (
    GUIDE_SOURCE,
    STRATEGY_QUESTIONS,
    Campaign,
    Decision,
    StrategyReview,
    StrategyRevision,
)
from pledgewatch.core.models import AuditEvent
from tests.campaigns.factories import CampaignFactory

KEYS = [key for key, _q in STRATEGY_QUESTIONS]


def form(base: int = 0, **changes) -> dict:
    data = {f"answer_{key}": "" for key in KEYS}
    data |= {"decision": Decision.UNDECIDED, "reason": "", "decided_on": "", "base": str(base)}
    return data | changes


@pytest.fixture
def campaign(chapter):
    return CampaignFactory(chapter=chapter)


@pytest.fixture
def committee(client_as, committee_member):
    return client_as(committee_member)


def edit_url(campaign) -> str:
    return f"/c/lakeshore/campaigns/{campaign.pk}/strategy/"


def test_the_first_visit_gives_the_chapter_its_medicare_for_all_campaign(
    client_as, bob, chapter, other_chapter
):
    CampaignFactory(chapter=other_chapter, name="Housing for all")
    client = client_as(bob)
    page = client.get("/c/lakeshore/campaigns/").content.decode()
    campaign = Campaign.objects.get(chapter=chapter)
    assert campaign.name == "Medicare for All"
    assert "Medicare for All" in page and "Not decided yet" in page and "0 of 6" in page
    assert "Housing for all" not in page
    event = AuditEvent.objects.get(action="campaigns.campaign_created")
    assert event.chapter == chapter and event.actor == bob
    client.get("/c/lakeshore/campaigns/")
    assert Campaign.objects.filter(chapter=chapter).count() == 1
    assert not Campaign.objects.filter(chapter=other_chapter, name="Medicare for All").exists()


def test_every_member_reads_the_questions_answers_and_decision(client_as, bob, campaign):
    StrategyReview.objects.create(
        campaign=campaign,
        answers={"goals": "Win single payer in our state."},
        decision=Decision.PURSUE,
        reason="The canvass is strong enough.",
        decided_on=dt.date(2026, 9, 12),
    )
    page = client_as(bob).get(f"/c/lakeshore/campaigns/{campaign.pk}/").content.decode()
    for _key, question in STRATEGY_QUESTIONS:
        assert question in page
    assert GUIDE_SOURCE in page
    assert "Win single payer in our state." in page and "5 of 6" not in page
    assert "Pursue electoral work" in page and "12 September 2026" in page
    assert "The canvass is strong enough." in page
    assert "Edit the review" not in page


def test_a_plain_member_cannot_edit(client_as, bob, campaign):
    client = client_as(bob)
    assert client.get(edit_url(campaign)).status_code == 403
    response = client.post(edit_url(campaign), form(answer_goals="Mine"))
    assert response.status_code == 403
    assert not StrategyRevision.objects.exists() and not StrategyReview.objects.exists()


def test_the_committee_saves_numbered_revisions_with_an_audit_event(
    committee, committee_member, campaign
):
    page = committee.get(edit_url(campaign)).content.decode()
    assert STRATEGY_QUESTIONS[0][1] in page and 'name="base" value="0"' in page
    response = committee.post(edit_url(campaign), form(answer_goals="  Win single payer.  "))
    assert response["Location"] == f"/c/lakeshore/campaigns/{campaign.pk}/"
    first = StrategyRevision.objects.get()
    assert (first.number, first.by, first.answers) == (
        1,
        committee_member,
        {"goals": "Win single payer."},
    )

    response = committee.post(
        edit_url(campaign),
        form(
            base=1,
            answer_goals="Win single payer.",
            answer_conversations="Medicare for All, every time.",
            decision=Decision.NOT_NOW,
            reason="Our base is still small.",
            decided_on="2026-09-12",
        ),
    )
    assert response.status_code == 302
    review = StrategyReview.objects.get(campaign=campaign)
    assert review.decision == Decision.NOT_NOW and review.decided_on == dt.date(2026, 9, 12)
    assert review.updated_by == committee_member
    assert list(review.revisions.values_list("number", flat=True)) == [2, 1]
    # The first revision is untouched.
    first.refresh_from_db()
    assert first.answers == {"goals": "Win single payer."} and first.decision == Decision.UNDECIDED
    events = AuditEvent.objects.filter(action="campaigns.strategy_revised").order_by("id")
    assert [e.data["revision"] for e in events] == [1, 2]
    assert events[1].data["answers_changed"] == ["conversations"]
    assert events[1].data["decision"] == "not_now" and events[1].actor == committee_member

    page = committee.get(f"/c/lakeshore/campaigns/{campaign.pk}/").content.decode()
    assert "Revision 2" in page and "Revision 1" in page
    assert "Do not pursue electoral work now" in page and "Our base is still small." in page


@pytest.mark.parametrize("decision", [Decision.PURSUE, Decision.NOT_NOW])
def test_a_decision_needs_a_reason_and_a_date(committee, campaign, decision):
    page = committee.post(edit_url(campaign), form(decision=decision, answer_goals="Kept"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "A decision needs its reason" in html
    assert "A decision needs the date the committee made it." in html
    assert 'aria-describedby="id_reason_helptext id_reason_error"' in html
    assert ">\nKept</textarea>" in html  # the answers typed are kept
    assert not StrategyRevision.objects.exists()


@time_machine.travel(dt.datetime(2026, 9, 13, 3, 0, tzinfo=dt.UTC))  # 12 Sep, 22:00 in Chicago
def test_the_date_cannot_be_in_the_future_in_the_chapters_time_zone(committee, campaign):
    data = form(decision=Decision.PURSUE, reason="Strong canvass.", decided_on="2026-09-13")
    html = committee.post(edit_url(campaign), data).content.decode()
    assert "The date cannot be in the future (today is 12 September 2026)." in html
    assert not StrategyRevision.objects.exists()
    data["decided_on"] = "2026-09-12"
    assert committee.post(edit_url(campaign), data).status_code == 302
    assert StrategyReview.objects.get().decided_on == dt.date(2026, 9, 12)


def test_undecided_keeps_no_date(committee, campaign):
    data = form(decision=Decision.UNDECIDED, reason="Still talking.", decided_on="2026-01-01")
    assert committee.post(edit_url(campaign), data).status_code == 302
    revision = StrategyRevision.objects.get()
    assert revision.decided_on is None and revision.reason == "Still talking."


def test_saving_without_a_change_adds_no_revision(committee, campaign):
    committee.post(edit_url(campaign), form(answer_goals="Win."))
    response = committee.post(edit_url(campaign), form(base=1, answer_goals="Win.  "), follow=True)
    assert "Nothing changed" in response.content.decode()
    assert StrategyRevision.objects.count() == 1
    # An empty first save is nothing to record either.
    other = CampaignFactory(chapter=campaign.chapter, name="Housing")
    committee.post(edit_url(other), form())
    assert StrategyRevision.objects.count() == 1


def test_a_save_made_meanwhile_is_not_overwritten_silently(committee, campaign):
    committee.post(edit_url(campaign), form(answer_goals="Theirs."))  # revision 1
    stale = form(base=0, answer_goals="Mine.")
    html = committee.post(edit_url(campaign), stale).content.decode()
    assert "Someone saved revision 1 while you were editing" in html
    assert ">\nMine.</textarea>" in html and 'name="base" value="1"' in html
    assert StrategyReview.objects.get().answers == {"goals": "Theirs."}
    # Saving again from that form replaces it knowingly, keeping both in the history.
    assert committee.post(edit_url(campaign), form(base=1, answer_goals="Mine.")).status_code == 302
    assert StrategyReview.objects.get().answers == {"goals": "Mine."}
    assert StrategyRevision.objects.count() == 2


def test_the_revision_page_shows_what_changed_per_question(client_as, bob, committee, campaign):
    committee.post(
        edit_url(campaign),
        form(answer_goals="Win single payer in Illinois.", answer_base_cares="Yes."),
    )
    committee.post(
        edit_url(campaign),
        form(
            base=1,
            answer_goals="Win single payer in every state.",
            answer_conversations="Medicare for All.",
            decision=Decision.PURSUE,
            reason="Strong canvass.",
            decided_on="2026-09-12",
        ),
    )
    second = StrategyRevision.objects.get(number=2)
    html = client_as(bob).get(f"/c/lakeshore/campaigns/revisions/{second.pk}/").content.decode()
    assert "Revision 2 of the Medicare for All strategy review" in html
    assert "[removed: </span>Illinois.<" in html and "[added: </span>every state.<" in html
    assert "Removed: </span>Yes.</del>" in html  # question 3's answer was emptied
    assert "Added: </span>Medicare for All.</ins>" in html
    assert "2 answers changed" not in html and "3 answers changed" in html
    assert "Changed from “Not decided yet”" in html
    assert "This is the current version." in html

    first = StrategyRevision.objects.get(number=1)
    html = client_as(bob).get(f"/c/lakeshore/campaigns/revisions/{first.pk}/").content.decode()
    assert "The first revision" in html and "Next: revision 2" in html
    assert "This is the current version." not in html


def test_candidate_text_is_escaped(committee, campaign):
    evil = '<script>alert("x")</script>'
    committee.post(edit_url(campaign), form(answer_goals=evil))
    committee.post(edit_url(campaign), form(base=1, answer_goals=evil + " more"))
    for url in (
        f"/c/lakeshore/campaigns/{campaign.pk}/",
        f"/c/lakeshore/campaigns/revisions/{StrategyRevision.objects.get(number=2).pk}/",
    ):
        html = committee.get(url).content.decode()
        assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_another_chapters_campaign_or_revision_is_not_found(
    client_as, charlie, committee, campaign
):
    committee.post(edit_url(campaign), form(answer_goals="Ours."))
    revision = StrategyRevision.objects.get()
    client = client_as(charlie)
    for url in (
        f"/c/harbor-city/campaigns/{campaign.pk}/",
        f"/c/harbor-city/campaigns/{campaign.pk}/strategy/",
        f"/c/harbor-city/campaigns/revisions/{revision.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        f"/c/harbor-city/campaigns/{campaign.pk}/strategy/", form(answer_goals="X")
    )
    assert response.status_code == 404
    assert StrategyReview.objects.get().answers == {"goals": "Ours."}


def test_an_anonymous_visitor_is_sent_to_log_in(client, campaign):
    for url in ("/c/lakeshore/campaigns/", f"/c/lakeshore/campaigns/{campaign.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
