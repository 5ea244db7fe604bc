"""The pledge's evidence page: recording the statement, its link or stored copy, and its scope;
the copy's checks (PDF/PNG/JPEG by content, size) and how it is served; the gate; the audit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pledgewatch.core.models import AuditEvent
from pledgewatch.endorsements import gates
from pledgewatch.endorsements.models import Gate, Pledge, PledgeScope
from pledgewatch.endorsements.services import endorsement_for
from tests.endorsements.factories import PledgeFactory
from tests.finance.factories import CandidateFactory, use_small_policy

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
TEXT = "I will refuse all money from health insurers, drug companies and their trade groups."


@pytest.fixture(autouse=True)
def _uploads_and_policy(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    use_small_policy(monkeypatch)


@pytest.fixture
def candidate(chapter):
    return CandidateFactory(chapter=chapter, name="Rosa Park-Lee")


def url(name, chapter, candidate) -> str:
    return reverse(f"endorsements:{name}", kwargs={"slug": chapter.slug, "pk": candidate.pk})


def post(client, chapter, candidate, upload=None, **fields):
    data = {
        "text": TEXT,
        "made_on": "2026-10-01",
        "url": "https://rosa.example.org/pledge",
        "scope": PledgeScope.CONFLICT,
        **fields,
    }
    if upload is not None:
        data["upload"] = upload
    return client.post(url("pledge_edit", chapter, candidate), data)


def pledge_gate(candidate):
    return next(g for g in gates.evaluate(endorsement_for(candidate)) if g.gate == Gate.PLEDGE)


def stored_files(settings) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_committee_records_a_pledge_with_a_link_and_the_gate_is_met(
    client_as, chapter, committee_member, candidate
):
    assert not pledge_gate(candidate).met
    response = post(client_as(committee_member), chapter, candidate)

    assert response.status_code == 302
    assert response["Location"] == url("pledge_detail", chapter, candidate)
    pledge = Pledge.objects.get(candidate=candidate)
    assert pledge.text == TEXT
    assert pledge.made_on == dt.date(2026, 10, 1)
    assert pledge.recorded_by == committee_member
    status = pledge_gate(candidate)
    assert status.met
    assert "1 Oct 2026" in status.evidence


def test_a_pledge_without_link_or_copy_is_kept_but_the_gate_says_what_is_missing(
    client_as, chapter, alice, candidate
):
    response = post(client_as(alice), chapter, candidate, url="")

    assert response.status_code == 302
    status = pledge_gate(candidate)
    assert not status.met
    assert "link" in status.missing
    page = client_as(alice).get(url("pledge_detail", chapter, candidate)).content.decode()
    assert "Add a link to the public statement or upload a copy." in page


def test_a_pdf_copy_is_stored_under_a_random_name_and_served_to_members(
    client_as, chapter, alice, bob, candidate, settings
):
    upload = SimpleUploadedFile("My pledge <final>.pdf", PDF, content_type="text/html")
    response = post(client_as(alice), chapter, candidate, upload=upload, url="")

    assert response.status_code == 302
    pledge = Pledge.objects.get(candidate=candidate)
    assert pledge.document.name.startswith(f"pledges/{chapter.pk}/{candidate.pk}/pledge-")
    assert pledge.document.name.endswith(".pdf")
    assert "final" not in pledge.document.name
    [stored] = stored_files(settings)
    assert stored.read_bytes() == PDF
    assert pledge_gate(candidate).met  # a copy stands in for the link

    served = client_as(bob).get(url("pledge_document", chapter, candidate))
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"  # from the content, not the upload
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"] == 'inline; filename="pledge-rosa-park-lee.pdf"'
    assert served.content == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("pledge.pdf", b"<html><script>alert(1)</script></html>", "content is not a PDF"),
        ("pledge.png", b"GIF89a" + b"\x00" * 20, "content is not a PDF"),
        ("pledge.pdf", PNG, "its content is a PNG image"),
        ("pledge.jpg", PDF, "its content is a PDF"),
        ("pledge.html", PDF, "Upload a PDF, PNG or JPEG file"),
        ("pledge.svg", b"<svg onload='alert(1)'/>", "Upload a PDF, PNG or JPEG file"),
        ("pledge", PDF, "Upload a PDF, PNG or JPEG file"),
    ],
)
def test_uploads_that_are_not_a_pdf_or_an_image_are_refused(
    client_as, chapter, alice, candidate, settings, name, content, message
):
    response = post(client_as(alice), chapter, candidate, upload=SimpleUploadedFile(name, content))

    assert response.status_code == 200
    errors = response.context["form"].errors["upload"]
    assert message in errors[0]
    assert not Pledge.objects.filter(candidate=candidate).exists()
    assert stored_files(settings) == []


def test_an_upload_over_the_size_limit_is_refused(
    client_as, chapter, alice, candidate, settings, monkeypatch
):
    monkeypatch.setattr("pledgewatch.endorsements.forms_evidence.MAX_DOCUMENT_MB", 1)
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * (1024 * 1024))
    response = post(client_as(alice), chapter, candidate, upload=big)

    assert response.status_code == 200
    assert "the limit is 1 MB" in response.context["form"].errors["upload"][0]
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("photo.PNG", PNG, "image/png"), ("photo.jpeg", JPEG, "image/jpeg")],
)
def test_an_image_copy_is_served_as_an_image_in_a_sandbox(
    client_as, chapter, alice, candidate, name, content, content_type
):
    post(client_as(alice), chapter, candidate, upload=SimpleUploadedFile(name, content))

    served = client_as(alice).get(url("pledge_document", chapter, candidate))
    assert served["Content-Type"] == content_type
    assert "sandbox" in served["Content-Security-Policy"]


def test_a_new_copy_replaces_the_old_file_and_removing_it_deletes_it(
    client_as, chapter, alice, candidate, settings, django_capture_on_commit_callbacks
):
    client = client_as(alice)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, chapter, candidate, upload=SimpleUploadedFile("a.pdf", PDF))
    [first] = stored_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, chapter, candidate, upload=SimpleUploadedFile("b.png", PNG))
    [second] = stored_files(settings)
    assert second != first and second.suffix == ".png"

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, chapter, candidate, remove_document="on")
    assert response.status_code == 302
    assert stored_files(settings) == []
    assert not Pledge.objects.get(candidate=candidate).document
    assert client.get(url("pledge_document", chapter, candidate)).status_code == 404


def test_the_form_requires_text_and_date_and_checks_the_link(client_as, chapter, alice, candidate):
    response = post(client_as(alice), chapter, candidate, text=" ", made_on="", url="ftp://x.org/")

    errors = response.context["form"].errors
    assert errors["text"] == ["Copy the statement's text here."]
    # The page's gate reads what is saved, not the refused input.
    assert response.context["gate"]["status"].missing.startswith("Record the candidate's public")
    assert errors["made_on"] == ["Give the date of the statement."]
    assert "https://" in errors["url"][0]
    assert not Pledge.objects.exists()


# 03:00 UTC on 2 October is still 1 October in Chicago (the chapter's timezone).
@time_machine.travel(dt.datetime(2026, 10, 2, 3, 0, tzinfo=dt.UTC), tick=False)
def test_the_date_cannot_be_after_today_in_the_chapters_timezone(
    client_as, chapter, alice, candidate
):
    response = post(client_as(alice), chapter, candidate, made_on="2026-10-02")
    assert response.context["form"].errors["made_on"] == [
        "This date cannot be in the future (today is 1 October 2026)."
    ]
    assert post(client_as(alice), chapter, candidate, made_on="2026-10-01").status_code == 302


def test_every_save_is_audited_with_what_changed(client_as, chapter, alice, candidate):
    client = client_as(alice)
    post(client, chapter, candidate)
    post(client, chapter, candidate, url="https://news.example.org/rosa", scope="conflict_review")
    post(client, chapter, candidate, url="https://news.example.org/rosa", scope="conflict_review")

    events = AuditEvent.objects.filter(
        action__startswith="endorsement.", object_id=str(candidate.pk)
    ).order_by("id")
    assert [e.action for e in events] == [
        "endorsement.pledge_recorded",
        "endorsement.pledge_changed",
    ]  # the third save changed nothing
    assert events[0].actor == alice and events[0].chapter == chapter
    assert events[0].data["changes"]["made_on"] == [None, "2026-10-01"]
    assert events[1].data["changes"] == {
        "url": ["https://rosa.example.org/pledge", "https://news.example.org/rosa"],
        "scope": ["conflict", "conflict_review"],
    }


def test_the_scope_shows_the_organizations_the_policy_enforces(
    client_as, chapter, alice, candidate
):
    PledgeFactory(candidate=candidate, scope=PledgeScope.CONFLICT_AND_REVIEW)
    page = client_as(alice).get(url("pledge_detail", chapter, candidate)).content.decode()

    # The small test policy: tier 1 has two pharma companies and an insurer, tier 2 a hospital
    # system; tier 3 is never in a pledge's scope.
    assert "pharma: 2; insurer: 1" in page
    assert "hospital_system: 1" in page
    assert "3 organizations in all" in page
    assert "4 organizations in all" in page
    assert "medical_society" not in page
    assert "This pledge" in page


def test_candidate_text_is_escaped(client_as, chapter, bob, candidate):
    PledgeFactory(candidate=candidate, text="<script>alert('x')</script>")
    page = client_as(bob).get(url("pledge_detail", chapter, candidate)).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_members_read_the_pledge_but_cannot_edit_it(client_as, chapter, bob, candidate):
    PledgeFactory(candidate=candidate)
    client = client_as(bob)

    page = client.get(url("pledge_detail", chapter, candidate))
    assert page.status_code == 200
    assert url("pledge_edit", chapter, candidate) not in page.content.decode()
    assert client.get(url("pledge_edit", chapter, candidate)).status_code == 403
    assert post(client, chapter, candidate, text="changed").status_code == 403
    assert Pledge.objects.get(candidate=candidate).text != "changed"


def test_another_chapters_user_reaches_no_pledge(
    client_as, chapter, other_chapter, charlie, candidate
):
    PledgeFactory(candidate=candidate)
    client = client_as(charlie)
    for name in ("pledge_detail", "pledge_edit", "pledge_document"):
        # The candidate's id under Charlie's own chapter, where he is an admin.
        assert client.get(url(name, other_chapter, candidate)).status_code == 404, name
    assert post(client, other_chapter, candidate, text="hijacked").status_code == 404
    assert Pledge.objects.get(candidate=candidate).text != "hijacked"


def test_the_copy_needs_a_login(client, chapter, alice, candidate):
    post_response = post(
        client, chapter, candidate, upload=SimpleUploadedFile("a.pdf", PDF)
    )  # anonymous: refused before anything is stored
    assert post_response.status_code == 302
    response = client.get(url("pledge_document", chapter, candidate))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_pledge_without_a_copy_has_no_document_to_serve(client_as, chapter, bob, candidate):
    PledgeFactory(candidate=candidate)
    assert client_as(bob).get(url("pledge_document", chapter, candidate)).status_code == 404
