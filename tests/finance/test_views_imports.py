"""Uploading real FEC filings through the web pages: the import runs, the candidate is
screened, a damaged file changes nothing, and spreadsheets get a column-mapping step."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pledgewatch.core.models import AuditEvent
from pledgewatch.finance import services
from pledgewatch.finance.importers.fec import read_fec
from pledgewatch.finance.models import (
    FinanceImport,
    Finding,
    ImportStatus,
    StoredContribution,
    StoredFiling,
)
from tests.finance.conftest import EFILINGS
from tests.finance.factories import CandidateFactory, CommitteeFactory, finance_test_settings

DEFAZIO = EFILINGS / "fecfile__1229017.fec"  # DeFazio for Congress (C00215905), F3N 12P 2018
INVALID = EFILINGS / "fastfec__filing_invalid_version.fec"  # header says version 180.5


@pytest.fixture(autouse=True)
def _finance(settings, tmp_path, monkeypatch, shared_data):
    finance_test_settings(settings, tmp_path, monkeypatch)


@pytest.fixture
def candidate(chapter):
    candidate = CandidateFactory(chapter=chapter, name="Peter DeFazio", office_sought="OR-4")
    CommitteeFactory(candidate=candidate, committee_id="C00215905", name="DeFazio for Congress")
    return candidate


@pytest.fixture
def committee(committee_member, client_as, django_capture_on_commit_callbacks):
    client = client_as(committee_member)
    client.capture = django_capture_on_commit_callbacks
    return client


def upload(client, candidate, path: Path, mapping="auto", name=None):
    data = path.read_bytes()
    file = SimpleUploadedFile(name or path.name, data)
    url = f"/c/{candidate.chapter.slug}/candidates/{candidate.pk}/imports/"
    with client.capture(execute=True):
        return client.post(url, {"file": file, "mapping": mapping, "sheet": ""})


def test_committee_uploads_a_real_filing_and_sees_what_it_stored(committee, candidate, settings):
    response = upload(committee, candidate, DEFAZIO)
    job = FinanceImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/c/{candidate.chapter.slug}/finance/imports/{job.pk}/"
    assert job.status == ImportStatus.SUCCEEDED, job.errors

    filing = StoredFiling.objects.get()
    assert (filing.filing_id, filing.committee_id, filing.form_type) == (
        "1229017",
        "C00215905",
        "F3N",
    )
    assert filing.contributions.count() == len(read_fec(DEFAZIO)[0].contributions) == 187
    kirby = StoredContribution.objects.get(contributor_fec_id="C00250027")
    assert (kirby.line, kirby.transaction_id, str(kirby.amount)) == (179, "C11233021", "2500.00")

    page = committee.get(response["Location"]).content.decode()
    assert "Finished" in page
    assert "<strong>187</strong> receipts in <strong>1</strong> filing imported" in page
    assert 'hx-trigger="every 2s"' not in page  # finished: no more polling
    # The upload held donors' addresses: it is gone once imported.
    assert not job.file
    assert list((Path(settings.MEDIA_ROOT) / "finance").rglob("*.*")) == []
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"finance.import_uploaded", "finance.import_succeeded", "finance.rescreened"} <= actions


def test_the_same_filing_uploaded_twice_is_skipped(committee, candidate):
    upload(committee, candidate, DEFAZIO)
    upload(committee, candidate, DEFAZIO, name="defazio-again-1229017.fec")
    second = FinanceImport.objects.first()
    assert second.status == ImportStatus.SUCCEEDED
    assert (second.filings_added, second.filings_skipped) == (0, 1)
    assert StoredContribution.objects.count() == 187
    page = committee.get(f"/c/{candidate.chapter.slug}/finance/imports/{second.pk}/")
    assert "1 filing already imported, skipped" in page.content.decode()


def test_an_amendment_replaces_the_report_it_amends(committee, candidate, tmp_path):
    upload(committee, candidate, DEFAZIO)
    # The same report filed again as an amendment (F3A naming FEC-1229017 in its header).
    hdr, rest = DEFAZIO.read_bytes().split(b"\n", 1)
    amended = tmp_path / "fecfile__1229999.fec"
    amended.write_bytes(
        hdr.replace(b"\x1c\x1c0\x1c", b"\x1cFEC-1229017\x1c1\x1c") + b"\n" + b"F3A" + rest[3:]
    )
    upload(committee, candidate, amended)

    job = FinanceImport.objects.first()
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert job.filings_superseded == 1
    original = StoredFiling.objects.get(filing_id="1229017")
    assert original.superseded_by.filing_id == "1229999"
    assert list(candidate.filings.current().values_list("filing_id", flat=True)) == ["1229999"]
    page = committee.get(f"/c/{candidate.chapter.slug}/finance/imports/{job.pk}/").content
    assert "1 earlier report replaced by an amendment" in page.decode()


def test_a_malformed_file_fails_with_a_clear_message_and_changes_nothing(
    committee, candidate, settings
):
    upload(committee, candidate, DEFAZIO)
    before = (StoredFiling.objects.count(), StoredContribution.objects.count())

    response = upload(committee, candidate, INVALID)
    job = FinanceImport.objects.first()
    assert job.status == ImportStatus.FAILED
    [error] = job.errors
    assert error["file"] == "fastfec__filing_invalid_version.fec"
    assert error["line"] == 1
    assert error["message"].startswith("unknown .fec version 180.5")
    assert "/tmp" not in error["message"] and "pledgewatch-import" not in error["message"]
    assert (StoredFiling.objects.count(), StoredContribution.objects.count()) == before
    assert not job.file
    assert AuditEvent.objects.filter(action="finance.import_failed").exists()

    page = committee.get(response["Location"]).content.decode()
    assert "Nothing was changed." in page
    assert "unknown .fec version 180.5" in page
    assert "Failed: nothing was changed" in page


def test_upload_form_errors_keep_nothing(committee, candidate, settings):
    url = f"/c/{candidate.chapter.slug}/candidates/{candidate.pk}/imports/"
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4")
    page = committee.post(url, {"file": pdf, "mapping": "auto"}).content.decode()
    assert "“report.pdf” is not a file we can read" in page

    fec = SimpleUploadedFile("fecfile__1229017.fec", DEFAZIO.read_bytes())
    page = committee.post(url, {"file": fec, "mapping": "nyc-cfb"}).content.decode()
    assert "is an FEC filing, which needs no column mapping" in page

    settings.FINANCE_MAX_UPLOAD_MB = 0
    fec = SimpleUploadedFile("fecfile__1229017.fec", DEFAZIO.read_bytes())
    page = committee.post(url, {"file": fec, "mapping": "fec"}).content.decode()
    assert "the limit is 0 MB" in page
    assert not FinanceImport.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.*"))


def _campaign_sheet(headers: list[str], columns: list[str]) -> bytes:
    """Receipts from the real DeFazio filing, as a campaign's own spreadsheet might list them."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for c in read_fec(DEFAZIO)[0].contributions:
        values = {
            "name": c.contributor_name,
            "employer": c.employer,
            "occupation": c.occupation,
            "date": c.date.isoformat() if c.date else "",
            "amount": str(c.amount),
            "type": c.contributor_type,
            "fec_id": c.contributor_fec_id,
        }
        writer.writerow([values[k] for k in columns])
    return out.getvalue().encode()


def test_a_spreadsheet_that_matches_no_layout_waits_for_its_columns(committee, candidate):
    data = _campaign_sheet(
        ["Donor", "Works for", "Job", "Received", "Amount ($)", "Kind", "PAC id"],
        ["name", "employer", "occupation", "date", "amount", "type", "fec_id"],
    )
    url = f"/c/{candidate.chapter.slug}/candidates/{candidate.pk}/imports/"
    with committee.capture(execute=True):
        response = committee.post(
            url, {"file": SimpleUploadedFile("donors.csv", data), "mapping": "auto"}
        )
    job = FinanceImport.objects.get()
    assert job.status == ImportStatus.NEEDS_MAPPING
    page = committee.get(response["Location"]).content.decode()
    assert "Which column holds what?" in page
    assert "Works for" in page

    columns = {
        "contributor_name": "Donor",
        "employer": "Works for",
        "occupation": "Job",
        "date": "Received",
        "amount": "Amount ($)",
        "contributor_type": "Kind",
        "contributor_fec_id": "PAC id",
    }
    # The amount and a name are needed.
    page = committee.post(response["Location"], {"map_amount": "Amount ($)"}).content.decode()
    assert (
        "Choose the column that holds the contributor name (or organization), or "
        "“Contributor last name”." in page
    )
    assert not FinanceImport.objects.filter(status=ImportStatus.QUEUED).exists()
    with committee.capture(execute=True):
        committee.post(response["Location"], {f"map_{k}": v for k, v in columns.items()})
    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert job.contributions_added == 187
    assert StoredContribution.objects.filter(contributor_fec_id="C00250027").exists()


def test_a_campaign_sheet_in_our_template_is_recognised(committee, candidate):
    data = _campaign_sheet(
        [
            "contributor_name",
            "employer",
            "occupation",
            "date",
            "amount",
            "contributor_type",
            "contributor_fec_id",
        ],
        ["name", "employer", "occupation", "date", "amount", "type", "fec_id"],
    )
    upload_file = SimpleUploadedFile("campaign-donors.csv", data)
    url = f"/c/{candidate.chapter.slug}/candidates/{candidate.pk}/imports/"
    with committee.capture(execute=True):
        committee.post(url, {"file": upload_file, "mapping": "auto"})
    job = FinanceImport.objects.get()
    assert job.mapping == "candidate"
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert job.contributions_added == 187
    # The sheet has no committee column: its receipts are the candidate's only committee's.
    assert set(StoredContribution.objects.values_list("recipient_committee_id", flat=True)) == {
        "C00215905"
    }


def test_a_chosen_layout_the_file_does_not_have_is_refused_at_upload(committee, candidate):
    data = _campaign_sheet(["Donor", "Amount ($)"], ["name", "amount"])
    url = f"/c/{candidate.chapter.slug}/candidates/{candidate.pk}/imports/"
    page = committee.post(url, {"file": SimpleUploadedFile("d.csv", data), "mapping": "nyc-cfb"})
    assert "This file does not look like a NYC Campaign Finance Board" in page.content.decode()
    assert not FinanceImport.objects.exists()


def test_progress_is_polled_until_the_import_has_finished(committee, candidate, client_as):
    job = FinanceImport.objects.create(
        candidate=candidate,
        kind="upload",
        original_name="x.fec",
        status=ImportStatus.RUNNING,
        rows_total=200,
        rows_processed=50,
    )
    url = f"/c/{candidate.chapter.slug}/finance/imports/{job.pk}/"
    page = committee.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page
    partial = committee.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<section id="progress"')
    assert "Read 50 of about 200 receipts" in partial
    assert "<html" not in partial


def _opening_tag(html: str, marker: str) -> str:
    at = html.index(marker)
    return html[html.rindex("<", 0, at) : html.index(">", at) + 1]


@pytest.mark.parametrize("status", [ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.SAVING])
def test_the_progress_region_is_a_stable_live_region_that_htmx_updates_inside(
    committee, candidate, status
):
    """As on the roster import's page: the polite live region wraps the polled section and is
    never swapped itself, so a screen reader keeps hearing its changes."""
    job = FinanceImport.objects.create(
        candidate=candidate, kind="upload", original_name="x.fec", status=status, rows_total=9
    )
    url = f"/c/{candidate.chapter.slug}/finance/imports/{job.pk}/"
    page = committee.get(url).content.decode()
    region = _opening_tag(page, 'id="progress-region"')
    assert 'aria-live="polite"' in region
    section = _opening_tag(page, 'id="progress"')
    assert page.index(region) < page.index(section)  # the section is inside the region
    assert "aria-live" not in section
    assert 'hx-swap="outerHTML"' in section and 'hx-trigger="every 2s"' in section

    # What each poll swaps: the section alone, never the live region.
    partial = committee.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<section id="progress"')
    assert "progress-region" not in partial and "aria-live" not in partial


@pytest.mark.parametrize("status", [ImportStatus.SUCCEEDED, ImportStatus.FAILED])
def test_polling_stops_once_the_import_has_finished_or_failed(committee, candidate, status):
    job = FinanceImport.objects.create(
        candidate=candidate, kind="upload", original_name="x.fec", status=status
    )
    url = f"/c/{candidate.chapter.slug}/finance/imports/{job.pk}/"
    partial = committee.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<section id="progress"')
    assert "hx-get" not in partial and "hx-trigger" not in partial
    page = committee.get(url).content.decode()
    assert 'aria-live="polite"' in _opening_tag(page, 'id="progress-region"')
    assert "hx-trigger" not in page


def _waiting_for_columns(candidate, headers):
    return FinanceImport.objects.create(
        candidate=candidate,
        kind="upload",
        original_name="donors.csv",
        status=ImportStatus.NEEDS_MAPPING,
        headers=headers,
    )


def test_the_column_mapping_marks_every_required_detail(committee, candidate):
    job = _waiting_for_columns(candidate, ["Donor", "Surname", "Given", "Works for"])
    page = committee.get(f"/c/{candidate.chapter.slug}/finance/imports/{job.pk}/").content
    page = page.decode()
    amount = _opening_tag(page, 'name="map_amount"')
    assert "required" in amount.split() and 'aria-required="true"' in amount
    assert '<label for="id_map_amount">Amount (required):</label>' in page
    # The contributor's name is needed too (services.check_mapping refuses a mapping without
    # it), though a last-name column can stand in for it, so it is not a browser-required
    # field: aria-required, and the way out in its help text.
    name = _opening_tag(page, 'name="map_contributor_name"')
    assert 'aria-required="true"' in name
    assert 'aria-describedby="id_map_contributor_name_helptext"' in name
    assert (
        '<label for="id_map_contributor_name">Contributor name (or organization) (required):'
        in page
    )
    assert "Or, if the file splits it up, choose “Contributor last name” below." in page
    for optional in ("employer", "last_name", "date"):
        tag = _opening_tag(page, f'name="map_{optional}"')
        assert "required" not in tag, tag
    assert "The details marked “required” are needed" in page


def test_the_required_details_come_from_the_service(committee, candidate, monkeypatch):
    fields, required, alternatives = services.mapping_fields()
    monkeypatch.setattr(
        services, "mapping_fields", lambda: (fields, {*required, "employer"}, alternatives)
    )
    job = _waiting_for_columns(candidate, ["Donor", "Amt", "Works for"])
    page = committee.get(f"/c/{candidate.chapter.slug}/finance/imports/{job.pk}/").content
    page = page.decode()
    assert 'aria-required="true"' in _opening_tag(page, 'name="map_employer"')
    assert "Employer (required)" in page
    assert 'aria-required="true"' in _opening_tag(page, 'name="map_amount"')
    assert 'aria-required="true"' in _opening_tag(page, 'name="map_contributor_name"')


def test_a_last_name_column_stands_in_for_the_contributor_name(committee, candidate):
    job = _waiting_for_columns(candidate, ["Surname", "Given", "Amt"])
    url = f"/c/{candidate.chapter.slug}/finance/imports/{job.pk}/"
    page = committee.post(url, {"map_amount": "Amt"}).content.decode()
    assert 'id="id_map_contributor_name_error"' in page  # the error is on that field
    assert 'aria-invalid="true"' in _opening_tag(page, 'name="map_contributor_name"')
    response = committee.post(url, {"map_amount": "Amt", "map_last_name": "Surname"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.mapping == {"amount": "Amt", "last_name": "Surname"}


def test_a_queued_import_can_be_cancelled(committee, candidate):
    job = FinanceImport.objects.create(
        candidate=candidate, kind="upload", original_name="x.fec", status=ImportStatus.QUEUED
    )
    response = committee.post(f"/c/{candidate.chapter.slug}/finance/imports/{job.pk}/cancel/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.errors[0]["message"] == "Cancelled before it ran."


def test_a_plain_member_cannot_upload(client_as, bob, candidate):
    url = f"/c/{candidate.chapter.slug}/candidates/{candidate.pk}/imports/"
    assert client_as(bob).get(url).status_code == 403


def test_another_chapters_admin_cannot_see_an_import(client_as, charlie, candidate):
    job = FinanceImport.objects.create(
        candidate=candidate, kind="upload", original_name="x.fec", status=ImportStatus.QUEUED
    )
    client = client_as(charlie)
    assert client.get(f"/c/harbor-city/finance/imports/{job.pk}/").status_code == 404
    assert client.get(f"/c/lakeshore/finance/imports/{job.pk}/").status_code == 404
    assert Finding.objects.count() == 0
