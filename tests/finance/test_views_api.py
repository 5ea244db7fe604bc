"""Fetching a committee's receipts from the FEC's API: a clear message when the site has no key,
and a full import against a local server on 127.0.0.1 that answers in OpenFEC's JSON shape with
rows from DeFazio's real filing (nothing reaches the network)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from pledgewatch.finance.importers.fec import read_fec
from pledgewatch.finance.models import FinanceImport, Finding, ImportStatus, StoredFiling
from tests.finance.conftest import EFILINGS
from tests.finance.factories import (
    CandidateFactory,
    CommitteeFactory,
    OrganizationFactory,
    finance_test_settings,
)

KEY = "PW-view-test-key-3f9a"
DEFAZIO = "C00215905"
ENTITY = {"individual": "IND", "committee": "PAC", "organization": "ORG"}


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
    CommitteeFactory(candidate=candidate, committee_id=DEFAZIO, name="DeFazio for Congress")
    return candidate


def api_rows() -> list[dict]:
    """Schedule A receipts of file 1229017 as /schedules/schedule_a/ publishes them."""
    rows = []
    for i, c in enumerate(read_fec(EFILINGS / "fecfile__1229017.fec")[0].contributions):
        if not c.form_type.startswith("SA"):
            continue
        rows.append(
            {
                "committee_id": DEFAZIO,
                "file_number": 1229017,
                "transaction_id": c.transaction_id,
                "line_number": c.form_type[2:],
                "entity_type": ENTITY[c.contributor_type],
                "contributor_name": c.contributor_name.upper(),
                "contributor_id": c.contributor_fec_id or None,
                "contributor_employer": c.employer.upper() or None,
                "contributor_occupation": c.occupation.upper() or None,
                "contribution_receipt_date": f"{c.date.isoformat()}T00:00:00" if c.date else None,
                "contribution_receipt_amount": float(c.amount),
                "memo_code": None,
                "memo_text": c.memo_text or None,
                "contributor_city": c.city.upper(),
                "contributor_state": c.state,
                "sub_id": str(4_000_000 + i),
                "image_number": f"201805159112{i:05d}",
                "two_year_transaction_period": 2018,
            }
        )
    return rows


@pytest.fixture
def fake_openfec(settings) -> Iterator[list[str]]:
    """OpenFEC on 127.0.0.1: one page of receipts, then an empty page; the e-filing list."""
    rows = api_rows()
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            requests.append(self.path)
            if self.headers.get("X-Api-Key") != KEY:
                return self._send(403, {"error": {"code": "API_KEY_INVALID", "message": "no"}})
            if url.path == "/v1/schedules/schedule_a/":
                assert query["committee_id"] == [DEFAZIO]
                assert query["two_year_transaction_period"] == ["2018"]
                last = {"last_index": "4000999", "last_contribution_receipt_date": "2018-04-25"}
                page = [] if "last_index" in query else rows
                pagination = {
                    "count": len(rows),
                    "per_page": 100,
                    "pages": 1,
                    "last_indexes": last if page else None,
                }
                return self._send(
                    200, {"api_version": "1.0", "pagination": pagination, "results": page}
                )
            if url.path == "/v1/efile/filings/":
                filing = {
                    "file_number": 1229017,
                    "committee_id": DEFAZIO,
                    "committee_name": "DEFAZIO FOR CONGRESS",
                    "form_type": "F3N",
                    "report_type": "12P",
                    "coverage_start_date": "2018-04-01",
                    "coverage_end_date": "2018-04-25",
                    "amends_file": None,
                }
                return self._send(200, {"pagination": {"pages": 1}, "results": [filing]})
            return self._send(404, {"message": "not found"})

        def _send(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.OPENFEC_API_KEY = KEY
    settings.OPENFEC_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_without_an_api_key_the_page_says_what_to_do(committee, candidate):
    url = f"/c/lakeshore/candidates/{candidate.pk}/imports/fetch/"
    page = committee.get(url).content.decode()
    assert "The FEC API is not set up on this site." in page
    assert "OPENFEC_API_KEY" in page
    page = committee.post(url, {"committee_id": DEFAZIO, "cycle": "2018"}).content.decode()
    assert "needs an API key, and this site has none" in page
    assert not FinanceImport.objects.exists()


def test_with_no_fec_committee_the_page_asks_for_one(committee, chapter, settings):
    settings.OPENFEC_API_KEY = KEY
    candidate = CandidateFactory(chapter=chapter)
    page = committee.get(f"/c/lakeshore/candidates/{candidate.pk}/imports/fetch/").content
    assert "add the candidate's FEC committee" in page.decode()


def test_fetching_from_the_api_imports_and_screens(committee, chapter, candidate, fake_openfec):
    OrganizationFactory(
        policy__chapter=chapter, name="Kirby Corporation", fec_committee_ids=["C00250027"]
    )
    url = f"/c/lakeshore/candidates/{candidate.pk}/imports/fetch/"
    page = committee.get(url).content.decode()
    assert "not set up" not in page and "C00215905 DeFazio for Congress" in page
    with committee.capture(execute=True):
        response = committee.post(url, {"committee_id": DEFAZIO, "cycle": "2018"})
    job = FinanceImport.objects.get()
    assert response["Location"] == f"/c/lakeshore/finance/imports/{job.pk}/"
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert job.kind == "openfec" and job.original_name == "FEC API: C00215905, 2018 cycle"

    filing = StoredFiling.objects.get()
    assert (filing.source, filing.filing_id, filing.report_code) == ("openfec", "1229017", "12P")
    assert filing.contributions.count() == len(api_rows())
    finding = Finding.objects.get()
    assert finding.entity_name == "Kirby Corporation"
    assert finding.contribution.contributor_name == "KIRBY CORPORATION POLITICAL ACTION COMMITTEE"
    assert all(KEY not in r for r in fake_openfec)  # the key travels in a header only

    # The same filing again, now uploaded as a .fec file: already imported, skipped.
    from django.core.files.uploadedfile import SimpleUploadedFile

    path = EFILINGS / "fecfile__1229017.fec"
    with committee.capture(execute=True):
        committee.post(
            f"/c/lakeshore/candidates/{candidate.pk}/imports/",
            {"file": SimpleUploadedFile(path.name, path.read_bytes()), "mapping": "fec"},
        )
    upload = FinanceImport.objects.first()
    assert (upload.status, upload.filings_skipped) == (ImportStatus.SUCCEEDED, 1)
    assert Finding.objects.count() == 1


def test_a_refused_key_fails_the_import_with_the_apis_reason(
    committee, candidate, fake_openfec, settings
):
    settings.OPENFEC_API_KEY = "wrong-key"
    with committee.capture(execute=True):
        committee.post(
            f"/c/lakeshore/candidates/{candidate.pk}/imports/fetch/",
            {"committee_id": DEFAZIO, "cycle": "2018"},
        )
    job = FinanceImport.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "refused the API key (HTTP 403" in job.errors[0]["message"]
    assert "wrong-key" not in json.dumps(job.errors)
    assert not StoredFiling.objects.exists()
