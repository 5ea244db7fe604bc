"""A candidate's talking points packet: DSA's five principles word for word with their source,
the chapter's resources and name; printable; sent by email (plain text and HTML) with the send
recorded in the contact log and the audit log."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from pledgewatch.candidates.models import ContactKind, ContactLogEntry
from pledgewatch.core.models import AuditEvent
from pledgewatch.endorsements import texts
from tests.endorsements.factories import ResourceFactory
from tests.finance.factories import CandidateFactory

# Copied by hand from ../shared/research/voting.md section 3.1 (DSA's Medicare for All blog,
# https://medicareforall.dsausa.org/blog/medicare-for-all-and-nothing-less).
RESEARCH_PRINCIPLES = [
    (
        "A single health program",
        "Everyone will be covered by one health insurance program, administered by the federal "
        "government, and have equal access to all medical services and treatments.",
    ),
    (
        "Comprehensive coverage",
        "All services requiring a medical professional will be fully covered. You go to the "
        "doctor of your choice. Dental, vision, mental health, and pharmaceuticals are all "
        "included.",
    ),
    (
        "Free at the point of service",
        "All healthcare costs will be financed through tax contributions based on ability to "
        "pay: no copays, no fees, no deductibles and no premiums. Ever.",
    ),
    ("Universal coverage", "Coverage for all United States residents — non-citizens included."),
    (
        "Jobs",
        "A jobs initiative and severance for those affected by the transition to government-run "
        "healthcare.",
    ),
]
SOURCE = "https://medicareforall.dsausa.org/blog/medicare-for-all-and-nothing-less"
RESEARCH_NOTES = Path(__file__).resolve().parents[3] / "shared" / "research" / "voting.md"


def packet_url(candidate):
    return f"/c/lakeshore/pipeline/candidates/{candidate.pk}/talking-points/"


@pytest.fixture
def candidate(chapter):
    return CandidateFactory(
        chapter=chapter,
        name="Rosa Vega",
        email="team@vega.example.org",
        contact_name="Sam Ortiz",
    )


def test_the_principles_are_dsas_wording(candidate):
    assert [(p.name, p.text) for p in texts.PRINCIPLES] == RESEARCH_PRINCIPLES
    assert [p.number for p in texts.PRINCIPLES] == [1, 2, 3, 4, 5]
    assert texts.PRINCIPLES_SOURCE_URL == SOURCE


@pytest.mark.skipif(not RESEARCH_NOTES.exists(), reason="the research notes are not checked out")
def test_the_principles_match_the_research_notes():
    notes = RESEARCH_NOTES.read_text()
    section = notes.split("### 3.1", 1)[1].split("### 3.2", 1)[0]
    found = re.findall(r"^\d\. \*\*(.+?)\*\*: (.+?)\"?$", section, flags=re.M)
    assert found == [(p.name, p.text) for p in texts.PRINCIPLES]
    assert texts.PRINCIPLES_INTRO in section and SOURCE in section


def test_every_member_reads_the_packet_with_the_principles_verbatim(
    client_as, bob, chapter, candidate
):
    ResourceFactory(chapter=chapter, title="Our canvass report", url="https://example.org/r",
                    description="What the doors told us.", position=1)  # fmt: skip
    ResourceFactory(chapter=chapter, title="A first read", url="https://example.org/a", position=0)
    ResourceFactory(title="Another chapter's resource")
    page = client_as(bob).get(packet_url(candidate)).content.decode()
    for name, text in RESEARCH_PRINCIPLES:
        assert f"<strong>{name}</strong>: {text}" in page
    assert texts.PRINCIPLES_INTRO in page and SOURCE in page
    assert "Lakeshore DSA" in page and "Rosa Vega" in page
    assert page.index("A first read") < page.index("Our canvass report")
    assert "What the doors told us." in page
    assert "Another chapter's resource" not in page
    # Printable: a print stylesheet, and what is not the packet is marked so.
    assert 'href="/static/css/talking-points-print.css" media="print"' in page
    # Bob may not send it, nor see the campaign's address or who it was sent to.
    assert "Send the packet" not in page and "team@vega.example.org" not in page


def test_the_committee_sees_the_send_form_addressed_to_the_campaign(
    client_as, committee_member, candidate
):
    response = client_as(committee_member).get(packet_url(candidate))
    assert response.context["form"].initial["to"] == "team@vega.example.org"
    page = response.content.decode()
    assert 'value="team@vega.example.org"' in page
    assert '<section class="no-print" aria-labelledby="send-h">' in page


def test_sending_emails_the_packet_and_records_it_in_the_contact_log(
    client_as, committee_member, chapter, candidate
):
    committee_member.name = "Cam Lee"
    committee_member.save()
    ResourceFactory(chapter=chapter, title="Our canvass report", url="https://example.org/r")
    client = client_as(committee_member)
    response = client.post(
        f"{packet_url(candidate)}send/",
        {"to": "team@vega.example.org", "message": "Thanks for meeting us.\nSee you Tuesday."},
    )
    assert response["Location"] == packet_url(candidate)

    [email] = mail.outbox
    assert email.to == ["team@vega.example.org"]
    assert email.reply_to == ["cam@example.org"]
    assert email.subject == "Medicare for All talking points from Lakeshore DSA"
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    for part in (email.body, html):
        for name, text in RESEARCH_PRINCIPLES:
            assert name in part and text in part
        assert SOURCE in part and "https://example.org/r" in part
        assert "Our canvass report" in part and "Thanks for meeting us." in part
        assert "Cam Lee, for Lakeshore DSA" in part and "Dear Rosa Vega (and Sam Ortiz)" in part
    assert "1. A single health program: Everyone will be covered" in email.body

    entry = ContactLogEntry.objects.get(candidate=candidate)
    assert entry.kind == ContactKind.TALKING_POINTS
    assert entry.logged_by == committee_member
    assert entry.people == "Sent by Cam Lee <cam@example.org> to team@vega.example.org"
    assert "Thanks for meeting us." in entry.summary and "1 chapter resource." in entry.summary
    event = AuditEvent.objects.get(action="talking_points.sent")
    assert event.actor == committee_member and event.data["to"] == "team@vega.example.org"
    assert event.object_id == str(candidate.pk)

    page = client.get(packet_url(candidate)).content.decode()
    assert "Sent before" in page and "to team@vega.example.org" in page


def test_the_packet_goes_to_another_address_when_asked(client_as, committee_member, candidate):
    client_as(committee_member).post(
        f"{packet_url(candidate)}send/", {"to": " policy@vega.example.org ", "message": ""}
    )
    assert mail.outbox[0].to == ["policy@vega.example.org"]
    assert ContactLogEntry.objects.get().people.endswith("to policy@vega.example.org")


@pytest.mark.parametrize(
    ("to", "message"),
    [
        ("team@vega.example.org\nBcc: everyone@example.org", "cannot contain a line break"),
        ("team@vega.example.org\r\nSubject: hi", "cannot contain a line break"),
        ("not-an-address", "is not an email address"),
        ("team@vega", "is not an email address"),
        ("a@example.org, b@example.org", "Give one address"),
        ("", "Give the address to send the packet to."),
        ("   ", "Give the address to send the packet to."),
    ],
)
def test_a_bad_address_is_a_clear_form_error_and_nothing_is_sent(
    to, message, client_as, committee_member, candidate
):
    response = client_as(committee_member).post(
        f"{packet_url(candidate)}send/", {"to": to, "message": "Hi"}
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["to"])
    assert 'aria-describedby="id_to_helptext id_to_error"' in response.content.decode()
    assert not mail.outbox
    assert not ContactLogEntry.objects.exists()
    assert not AuditEvent.objects.filter(action="talking_points.sent").exists()


def test_a_failed_send_is_reported_and_not_recorded(
    client_as, committee_member, candidate, monkeypatch
):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    response = client_as(committee_member).post(
        f"{packet_url(candidate)}send/", {"to": "team@vega.example.org"}
    )
    assert response.status_code == 200
    assert "The email could not be sent" in response.content.decode()
    assert not ContactLogEntry.objects.exists()
    assert not AuditEvent.objects.filter(action="talking_points.sent").exists()


def test_chapter_and_candidate_text_is_escaped_in_the_page_and_the_html_email(
    client_as, committee_member, chapter
):
    chapter.name = "Lakeshore <script>alert(1)</script> DSA"
    chapter.save()
    candidate = CandidateFactory(
        chapter=chapter, name="<b>Rosa</b> & Co", email="team@vega.example.org"
    )
    ResourceFactory(chapter=chapter, title="<img src=x onerror=alert(2)>", url="https://e.org/")
    client = client_as(committee_member)
    page = client.get(packet_url(candidate)).content.decode()
    html_email_parts = []
    client.post(f"{packet_url(candidate)}send/", {"to": "team@vega.example.org",
                                                  "message": "<i>hello</i>"})  # fmt: skip
    [email] = mail.outbox
    html_email_parts.append(email.alternatives[0][0])
    for html in (page, *html_email_parts):
        assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<b>Rosa</b>" not in html and "&lt;b&gt;Rosa&lt;/b&gt; &amp; Co" in html
        assert "<img src=x" not in html
    assert "<i>hello</i>" not in email.alternatives[0][0]
    # The plain text part is not HTML: it carries the text as written.
    assert "Dear <b>Rosa</b> & Co" in email.body and "<i>hello</i>" in email.body
    assert "&lt;" not in email.body and "&amp;" not in email.body
    # The subject is one header line whatever the chapter is called.
    assert "\n" not in email.subject


def test_a_plain_member_cannot_send(client_as, bob, candidate):
    response = client_as(bob).post(f"{packet_url(candidate)}send/", {"to": "team@vega.example.org"})
    assert response.status_code == 403
    assert not mail.outbox and not ContactLogEntry.objects.exists()


def test_another_chapters_candidate_is_not_found(client_as, alice, other_chapter):
    theirs = CandidateFactory(chapter=other_chapter, email="them@example.org")
    client = client_as(alice)
    assert client.get(packet_url(theirs)).status_code == 404
    assert client.post(f"{packet_url(theirs)}send/", {"to": "x@example.org"}).status_code == 404
    assert not mail.outbox


def test_a_get_of_the_send_url_leads_to_the_packet(client_as, committee_member, candidate):
    response = client_as(committee_member).get(f"{packet_url(candidate)}send/")
    assert response["Location"] == packet_url(candidate)
