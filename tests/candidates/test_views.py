"""Candidate pages: everyone in the chapter sees the list and a candidate's page; the committee
adds candidates and their campaign committees; other chapters see nothing."""

from __future__ import annotations

from pledgewatch.candidates.models import CampaignCommittee, Candidate
from pledgewatch.core.models import AuditEvent
from tests.finance.factories import CandidateFactory, CommitteeFactory


def test_every_member_sees_the_candidates(client_as, bob, chapter):
    CandidateFactory(chapter=chapter, name="Peter DeFazio", office_sought="U.S. House, OR-4")
    CandidateFactory(name="Someone Elsewhere")  # another chapter's
    page = client_as(bob).get("/c/lakeshore/candidates/").content.decode()
    assert "Peter DeFazio" in page and "U.S. House, OR-4" in page
    assert "Someone Elsewhere" not in page
    assert "Add a candidate" not in page


def test_the_committee_adds_a_candidate(client_as, committee_member, chapter):
    client = client_as(committee_member)
    response = client.post(
        "/c/lakeshore/candidates/add/",
        {
            "name": "Peter DeFazio",
            "party": "Democratic",
            "office_sought": "U.S. House, OR-4",
            "website": "https://defazio.example.org/",
        },
    )
    candidate = Candidate.objects.get()
    assert response["Location"] == f"/c/lakeshore/candidates/{candidate.pk}/"
    assert candidate.chapter == chapter
    event = AuditEvent.objects.get(action="candidate.added")
    assert event.actor == committee_member and event.data["name"] == "Peter DeFazio"

    page = client.post("/c/lakeshore/candidates/add/", {"name": "", "website": "javascript:x"})
    assert "Enter a web address such as https://example.org/." in page.content.decode()


def test_a_plain_member_cannot_add_candidates_or_committees(client_as, bob, chapter):
    candidate = CandidateFactory(chapter=chapter)
    client = client_as(bob)
    assert client.get("/c/lakeshore/candidates/add/").status_code == 403
    url = f"/c/lakeshore/candidates/{candidate.pk}/committees/"
    assert client.post(url, {"jurisdiction": "fec", "committee_id": "C00215905"}).status_code == 403
    page = client.get(f"/c/lakeshore/candidates/{candidate.pk}/").content.decode()
    assert "Add a committee" not in page and "Upload a filing" not in page


def test_committees_are_added_with_a_checked_id_and_removed(client_as, committee_member, chapter):
    candidate = CandidateFactory(chapter=chapter)
    client = client_as(committee_member)
    url = f"/c/lakeshore/candidates/{candidate.pk}/committees/"
    page = client.post(url, {"jurisdiction": "fec", "committee_id": "215905"}).content.decode()
    assert "C followed by eight digits" in page
    response = client.post(
        url, {"jurisdiction": "fec", "committee_id": " c00215905 ", "name": "DeFazio for Congress"}
    )
    assert response.status_code == 302
    committee = CampaignCommittee.objects.get()
    assert committee.committee_id == "C00215905"
    page = client.post(url, {"jurisdiction": "fec", "committee_id": "C00215905"}).content
    assert "C00215905 is already listed for this candidate." in page.decode()
    # A city committee's id is whatever the city gives it.
    assert client.post(url, {"jurisdiction": "nyc-cfb", "committee_id": "1545"}).status_code == 302

    page = client.get(f"/c/lakeshore/candidates/{candidate.pk}/").content.decode()
    assert "C00215905" in page and "DeFazio for Congress" in page
    response = client.post(f"/c/lakeshore/candidates/committees/{committee.pk}/remove/")
    assert response["Location"] == f"/c/lakeshore/candidates/{candidate.pk}/"
    assert not CampaignCommittee.objects.filter(pk=committee.pk).exists()
    events = AuditEvent.objects.filter(action__startswith="candidate.").order_by("id")
    actions = list(events.values_list("action", flat=True))
    assert actions == [
        "candidate.committee_added",
        "candidate.committee_added",
        "candidate.committee_removed",
    ]


def test_a_candidate_with_no_findings_says_so(client_as, bob, chapter):
    candidate = CandidateFactory(chapter=chapter)
    page = client_as(bob).get(f"/c/lakeshore/candidates/{candidate.pk}/").content.decode()
    assert "No money from organizations on the chapter's conflict policy" in page


def test_candidate_text_is_escaped(client_as, bob, chapter):
    candidate = CandidateFactory(chapter=chapter, name="<script>alert(1)</script>")
    page = client_as(bob).get(f"/c/lakeshore/candidates/{candidate.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_another_chapters_user_gets_404(client_as, charlie, chapter):
    candidate = CandidateFactory(chapter=chapter)
    committee = CommitteeFactory(candidate=candidate)
    client = client_as(charlie)
    assert client.get(f"/c/lakeshore/candidates/{candidate.pk}/").status_code == 404
    assert client.get(f"/c/harbor-city/candidates/{candidate.pk}/").status_code == 404
    remove = f"/c/harbor-city/candidates/committees/{committee.pk}/remove/"
    assert client.post(remove).status_code == 404
    assert CampaignCommittee.objects.filter(pk=committee.pk).exists()
