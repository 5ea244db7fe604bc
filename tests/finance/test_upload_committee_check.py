"""An uploaded FEC filing must be one of the candidate's committees' own: a report of an
unrelated committee is refused whole, with a message naming both committees and saying how to
add one, and nothing changes. Real filings: DeFazio for Congress (file 1229017, C00215905) and
the Merck PAC's year-end report (file 27789, C00097485)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pledgewatch.core.models import AuditEvent
from pledgewatch.finance.models import (
    FinanceImport,
    Finding,
    ImportStatus,
    StoredContribution,
    StoredFiling,
)
from tests.finance.conftest import EFILINGS
from tests.finance.factories import CandidateFactory, CommitteeFactory, finance_test_settings

DEFAZIO = EFILINGS / "fecfile__1229017.fec"
MERCK = EFILINGS / "fecfile__27789.fec"


@pytest.fixture(autouse=True)
def _finance(settings, tmp_path, monkeypatch, shared_data):
    finance_test_settings(settings, tmp_path, monkeypatch)


@pytest.fixture
def committee(committee_member, client_as, django_capture_on_commit_callbacks):
    client = client_as(committee_member)
    client.capture = django_capture_on_commit_callbacks
    return client


@pytest.fixture
def candidate(chapter):
    candidate = CandidateFactory(chapter=chapter, name="Peter DeFazio")
    CommitteeFactory(candidate=candidate, committee_id="C00215905", name="DeFazio for Congress")
    return candidate


def upload(client, candidate, name: str, data: bytes, mapping="auto") -> FinanceImport:
    with client.capture(execute=True):
        client.post(
            f"/c/lakeshore/candidates/{candidate.pk}/imports/",
            {"file": SimpleUploadedFile(name, data), "mapping": mapping},
        )
    return FinanceImport.objects.first()


def counts() -> tuple[int, int, int]:
    return StoredFiling.objects.count(), StoredContribution.objects.count(), Finding.objects.count()


def test_another_committees_filing_is_refused_naming_both_ids(committee, candidate):
    assert upload(committee, candidate, DEFAZIO.name, DEFAZIO.read_bytes()).status == "succeeded"
    before = counts()

    job = upload(committee, candidate, MERCK.name, MERCK.read_bytes())
    assert job.status == ImportStatus.FAILED
    [error] = job.errors
    assert error["file"] == "fecfile__27789.fec"
    message = error["message"]
    assert message.startswith(
        "Filing 27789 was filed by committee C00097485 (MERCK PAC, The Political Action "
        "Committee of Merck & Co., Inc.), which is not one of Peter DeFazio's committees "
        "(C00215905)."
    )
    assert "add it under “Campaign committees” on the candidate's page" in message
    assert message.endswith("Nothing was imported.")
    assert counts() == before
    assert (job.filings_added, job.contributions_added) == (0, 0)
    assert not job.file  # the upload is deleted whatever the outcome
    event = AuditEvent.objects.get(action="finance.import_failed")
    assert "C00097485" in event.data["error"]

    page = committee.get(f"/c/lakeshore/finance/imports/{job.pk}/").content.decode()
    assert "Failed: nothing was changed" in page
    assert "C00097485" in page and "C00215905" in page


def test_once_the_committee_is_added_the_same_file_imports(committee, candidate):
    assert upload(committee, candidate, MERCK.name, MERCK.read_bytes()).status == "failed"
    CommitteeFactory(candidate=candidate, committee_id="C00097485", name="Merck PAC")
    job = upload(committee, candidate, MERCK.name, MERCK.read_bytes())
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert StoredFiling.objects.get().committee_id == "C00097485"


def test_a_zip_with_one_foreign_filing_is_refused_whole(committee, candidate):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(DEFAZIO, DEFAZIO.name)
        archive.write(MERCK, MERCK.name)
    job = upload(committee, candidate, "reports.zip", buffer.getvalue())
    assert job.status == ImportStatus.FAILED
    assert "C00097485" in job.errors[0]["message"]
    # DeFazio's own report is not imported either: all or nothing.
    assert counts() == (0, 0, 0)


def test_a_candidate_without_committees_is_told_to_add_one(committee, chapter):
    candidate = CandidateFactory(chapter=chapter, name="Dana Whitfield")
    job = upload(committee, candidate, DEFAZIO.name, DEFAZIO.read_bytes(), mapping="fec")
    assert job.status == ImportStatus.FAILED
    message = job.errors[0]["message"]
    assert "filed by committee C00215905 (DeFazio for Congress)" in message
    assert "Dana Whitfield's committees (Dana Whitfield has none yet)" in message
    assert "If C00215905 raises money for Dana Whitfield, add it" in message
    assert counts() == (0, 0, 0)


def test_spreadsheets_have_no_filer_id_and_are_not_checked(committee, chapter):
    candidate = CandidateFactory(chapter=chapter)  # no committee at all
    sheet = (
        b"contributor_name,contributor_type,employer,date,amount\n"
        b"PFIZER INC PAC,committee,,2024-03-01,500\n"
    )
    job = upload(committee, candidate, "donors.csv", sheet)
    assert job.status == ImportStatus.SUCCEEDED, job.errors
