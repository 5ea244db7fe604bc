"""The FEC committee directory: `pledgewatch load-committees` reads the real committee master
(cm.txt, or the FEC's cmYY.zip), and the web app's screen then finds a donor committee by its
connected organization (rule 2), which it never did before. Real rows throughout: the 2020-cycle
committee master, a committee-to-committee receipt from the FEC's oth20.zip, and DeFazio's
report (file 1229017)."""

from __future__ import annotations

import csv
import io
import json
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pledgewatch import cli
from pledgewatch.finance import directory, services
from pledgewatch.finance.importers.bulk import read_committees, scan
from pledgewatch.finance.importers.fec import read_fec
from pledgewatch.finance.models import (
    ConflictOrganization,
    FecCommittee,
    FinanceImport,
    Finding,
    FindingStatus,
    ImportStatus,
)
from pledgewatch.finance.records import Prefilter, SourceError
from tests.finance.conftest import BULK, EFILINGS
from tests.finance.factories import (
    CandidateFactory,
    CommitteeFactory,
    OrganizationFactory,
    finance_test_settings,
)

CM = BULK / "cm.txt"
PFIZER_PAC = "C00016683"  # PFIZER INC. PAC; connected organization PFIZER INC.
HOUSE_FREEDOM_FUND = "C00552851"
# oth20.zip: House Freedom Fund's receipt of $5,000 from Pfizer's PAC on 2019-01-10 (18K).
PFIZER_RECEIPT = "AEC20B916FFBC4A3BA84"
DEFAZIO = EFILINGS / "fecfile__1229017.fec"  # DeFazio for Congress (C00215905), F3N 12P 2018
OLDCASTLE_PAC = "C00346353"  # OLDCASTLE MATERIALS INC. PAC; connected org CRH AMERICAS, INC.
KEY = "PW-directory-test-key-7c1e"


@pytest.fixture(autouse=True)
def _finance(settings, tmp_path, monkeypatch, shared_data):
    finance_test_settings(settings, tmp_path, monkeypatch)


@pytest.fixture
def committee(committee_member, client_as, django_capture_on_commit_callbacks):
    client = client_as(committee_member)
    client.capture = django_capture_on_commit_callbacks
    return client


def load(path, *options: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("load_committees", str(path), *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def cm20_zip(tmp_path):
    """The committee master as the FEC publishes it: cm20.zip holding cm.txt."""
    path = tmp_path / "cm20.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(CM, "cm.txt")
    return path


# --- loading -------------------------------------------------------------------------------


def test_load_committees_reads_the_real_committee_master_and_is_idempotent(db, tmp_path):
    out, err = load(cm20_zip(tmp_path))
    assert "11,603 committees loaded (11,603 new, 0 updated)" in out
    assert "cm20.zip: 11,603 of 11,603 committees saved" in err  # the progress line
    assert FecCommittee.objects.count() == 11_603
    pfizer = FecCommittee.objects.get(committee_id=PFIZER_PAC)
    assert (
        pfizer.name, pfizer.connected_org, pfizer.committee_type, pfizer.designation,
        pfizer.org_type, pfizer.candidate_id, pfizer.source,
    ) == ("PFIZER INC. PAC", "PFIZER INC.", "Q", "B", "C", "", "cm20.zip")  # fmt: skip
    first_load = pfizer.loaded_at
    # A principal campaign committee keeps its candidate (cm.txt's CAND_ID).
    defazio = FecCommittee.objects.get(committee_id="C00215905")
    assert (defazio.designation, defazio.candidate_id) == ("P", "H6OR04047")

    # Again, from the plain cm.txt: nothing is duplicated, every row is refreshed.
    out, _ = load(CM)
    assert "11,603 committees loaded (0 new, 11,603 updated)" in out
    assert FecCommittee.objects.count() == 11_603
    pfizer.refresh_from_db()
    assert pfizer.source == "cm.txt" and pfizer.loaded_at > first_load


def test_the_wrong_file_is_refused_clearly_and_nothing_is_loaded(db, tmp_path):
    with pytest.raises(CommandError, match=r"cn\.txt: this is an FEC cn file; expected cm"):
        load(BULK / "cn.txt")
    with pytest.raises(CommandError, match=r"oth20\.zip: this is an FEC itoth file"):
        load(BULK / "oth20.zip")
    # The candidate master under the committee master's name: its ids give it away.
    disguised = tmp_path / "cm.txt"
    disguised.write_bytes((BULK / "cn.txt").read_bytes())
    with pytest.raises(CommandError, match="not an FEC committee master.*Nothing was loaded"):
        load(disguised)
    with pytest.raises(CommandError, match="file not found"):
        load(tmp_path / "cm22.zip")
    assert not FecCommittee.objects.exists()


def test_the_pledgewatch_command_has_load_committees():
    assert cli.COMMANDS["load-committees"][0] == "load_committees"
    assert "load-committees" in cli.usage()


# --- the web app's screen ------------------------------------------------------------------


def pfizer_receipt():
    """The real 18K row: House Freedom Fund received $5,000 from PFIZER INC. PAC."""
    prefilter = Prefilter(committee_ids=frozenset({PFIZER_PAC}), pattern="")
    [row] = [c for c in scan(BULK / "oth20.zip", prefilter) if c.transaction_id == PFIZER_RECEIPT]
    assert (row.recipient_committee_id, row.contributor_fec_id) == (HOUSE_FREEDOM_FUND, PFIZER_PAC)
    return row


def campaign_sheet(rows) -> bytes:
    """Rows in the Pledgewatch template, the way a campaign's own spreadsheet lists them."""
    out = io.StringIO()
    columns = ["committee_id", "filing_id", "transaction_id", "date", "amount",
               "contributor_type", "contributor_name", "contributor_fec_id", "employer",
               "occupation", "city", "state"]  # fmt: skip
    writer = csv.writer(out)
    writer.writerow(columns)
    for c in rows:
        writer.writerow([
            c.recipient_committee_id, c.filing_id, c.transaction_id, c.date.isoformat(),
            str(c.amount), c.contributor_type, c.contributor_name, c.contributor_fec_id,
            c.employer, c.occupation, c.city, c.state,
        ])  # fmt: skip
    return out.getvalue().encode()


def test_the_web_rescreen_finds_an_unlisted_pac_by_its_connected_organization(committee, chapter):
    # Pfizer's PAC is not on the chapter's list yet (a PAC registered after the list was made).
    policy = services.get_or_create_policy(chapter)
    ConflictOrganization.objects.filter(policy=policy, name="Pfizer").update(fec_committee_ids=[])
    candidate = CandidateFactory(chapter=chapter, name="House Freedom Fund")
    CommitteeFactory(candidate=candidate, committee_id=HOUSE_FREEDOM_FUND)
    receipt = pfizer_receipt()
    upload = SimpleUploadedFile("receipts.csv", campaign_sheet([receipt]))
    with committee.capture(execute=True):
        committee.post(
            f"/c/lakeshore/candidates/{candidate.pk}/imports/", {"file": upload, "mapping": "auto"}
        )
    assert FinanceImport.objects.get().status == ImportStatus.SUCCEEDED
    # Without the committee master only the donor's own name can match.
    before = Finding.objects.get()
    assert (before.rule, before.entity_name) == ("organization_name", "Pfizer")

    load(CM)
    with committee.capture(execute=True):
        response = committee.post(f"/c/lakeshore/candidates/{candidate.pk}/rescreen/")
    assert response.status_code == 302
    finding = Finding.objects.exclude(status=FindingStatus.WITHDRAWN).get()
    assert (finding.rule, finding.entity_name, finding.matched, finding.tier) == (
        "connected_org",
        "Pfizer",
        "PFIZER",
        1,
    )
    assert finding.contribution.transaction_id == PFIZER_RECEIPT
    assert str(finding.net_amount) == "5000.00"
    assert "connected organization is this organization" in finding.explanation
    before.refresh_from_db()
    assert before.status == FindingStatus.WITHDRAWN


def test_a_donor_only_its_connected_organization_names_is_found_with_one_directory_query(
    committee, chapter, candidate_defazio
):
    # OLDCASTLE MATERIALS INC. PAC's name names no listed organization; its connected
    # organization, CRH AMERICAS, INC., does once the chapter lists CRH.
    OrganizationFactory(policy__chapter=chapter, name="CRH", aliases=["CRH AMERICAS"], tier=2)
    load(CM)
    with committee.capture(execute=True):
        committee.post(
            f"/c/lakeshore/candidates/{candidate_defazio.pk}/imports/",
            {"file": SimpleUploadedFile(DEFAZIO.name, DEFAZIO.read_bytes()), "mapping": "fec"},
        )
    assert FinanceImport.objects.get().status == ImportStatus.SUCCEEDED
    finding = Finding.objects.get(entity_name="CRH")
    assert (finding.rule, finding.matched) == ("connected_org", "CRH AMERICAS")
    assert finding.contribution.contributor_fec_id == OLDCASTLE_PAC
    assert finding.contribution.contributor_name == "OLDCASTLE MATERIALS INC. PAC"

    # The screen asks the directory once, not once per donor: DeFazio's report names 19
    # donor committees on 99 rows, and the committee master knows each of them.
    with CaptureQueriesContext(connection) as queries:
        services.rescreen(candidate_defazio)
    directory_queries = [q for q in queries if "finance_feccommittee" in q["sql"]]
    assert len(directory_queries) == 1
    donors = {c.contributor_fec_id for c in read_fec(DEFAZIO)[0].contributions}
    assert set(directory.for_candidate(candidate_defazio)) == donors - {""}
    assert len(donors - {""}) == 19


@pytest.fixture
def candidate_defazio(chapter):
    candidate = CandidateFactory(chapter=chapter, name="Peter DeFazio")
    CommitteeFactory(candidate=candidate, committee_id="C00215905", name="DeFazio for Congress")
    return candidate


# --- filled in from the FEC API ------------------------------------------------------------


def api_receipts() -> list[dict]:
    """The committee receipts of DeFazio's real report, as /schedules/schedule_a/ gives them."""
    rows = []
    for i, c in enumerate(read_fec(DEFAZIO)[0].contributions):
        if not c.form_type.startswith("SA") or not c.contributor_fec_id:
            continue
        rows.append({
            "committee_id": "C00215905", "file_number": 1229017,
            "transaction_id": c.transaction_id, "line_number": c.form_type[2:],
            "entity_type": "PAC", "contributor_name": c.contributor_name.upper(),
            "contributor_id": c.contributor_fec_id,
            "contribution_receipt_date": c.date.isoformat(),
            "contribution_receipt_amount": float(c.amount), "sub_id": str(5_000_000 + i),
        })  # fmt: skip
    return rows


@pytest.fixture
def fake_openfec(settings) -> Iterator[list[dict]]:
    """OpenFEC on 127.0.0.1: DeFazio's committee receipts, and /committees/ answering from the
    real committee master, in the API's shape (affiliated_committee_name is the connected
    organization)."""
    receipts = api_receipts()
    master = read_committees(CM)
    calls: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            calls.append({"path": url.path, "query": query})
            if url.path == "/v1/schedules/schedule_a/":
                page = [] if "last_index" in query else receipts
                last = {"last_index": "1", "last_contribution_receipt_date": "2018-04-25"}
                pagination = {"count": len(receipts), "last_indexes": last if page else None}
                return self._send(200, {"pagination": pagination, "results": page})
            if url.path == "/v1/committees/":
                assert len(query["committee_id"]) <= 100
                results = [
                    {
                        "committee_id": info.id, "name": info.name,
                        "affiliated_committee_name": info.connected_org or None,
                        "committee_type": info.cmte_tp, "designation": info.cmte_dsgn,
                        "organization_type": info.org_tp or None,
                        "candidate_ids": [info.cand_id] if info.cand_id else [],
                    }
                    for cid in query["committee_id"]
                    if (info := master.get(cid))
                ]  # fmt: skip
                return self._send(200, {"pagination": {"pages": 1}, "results": results})
            if url.path == "/v1/efile/filings/":
                return self._send(200, {"pagination": {"pages": 1}, "results": []})
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
        yield calls
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_fetch_from_the_api_looks_up_donor_committees_the_directory_lacks(
    committee, chapter, candidate_defazio, fake_openfec
):
    OrganizationFactory(policy__chapter=chapter, name="CRH", aliases=["CRH AMERICAS"], tier=2)
    # One donor is known already (from a committee master): the API is not asked about it.
    directory.save_committees(
        [{"committee_id": "C00374447", "name": "AECOM PAC", "connected_org": "AECOM"}],
        source="cm.txt",
    )
    with committee.capture(execute=True):
        committee.post(
            f"/c/lakeshore/candidates/{candidate_defazio.pk}/imports/fetch/",
            {"committee_id": "C00215905", "cycle": "2018"},
        )
    job = FinanceImport.objects.get()
    assert job.status == ImportStatus.SUCCEEDED, job.errors

    [lookup] = [c for c in fake_openfec if c["path"] == "/v1/committees/"]
    asked = set(lookup["query"]["committee_id"])
    assert OLDCASTLE_PAC in asked and "C00374447" not in asked
    oldcastle = FecCommittee.objects.get(committee_id=OLDCASTLE_PAC)
    assert (oldcastle.connected_org, oldcastle.org_type, oldcastle.source) == (
        "CRH AMERICAS, INC.",
        "C",
        "OpenFEC",
    )
    assert FecCommittee.objects.get(committee_id="C00374447").source == "cm.txt"
    finding = Finding.objects.get(entity_name="CRH")
    assert (finding.rule, finding.contribution.contributor_fec_id) == (
        "connected_org",
        OLDCASTLE_PAC,
    )


def test_an_api_that_cannot_describe_committees_does_not_fail_the_fetch(
    committee, candidate_defazio, fake_openfec, monkeypatch
):
    from pledgewatch.finance.importers.openfec import OpenFEC

    def refused(self, ids):
        raise SourceError("OpenFEC at 127.0.0.1 rejected /committees/ (HTTP 422).")

    monkeypatch.setattr(OpenFEC, "committees", refused)
    with committee.capture(execute=True):
        committee.post(
            f"/c/lakeshore/candidates/{candidate_defazio.pk}/imports/fetch/",
            {"committee_id": "C00215905", "cycle": "2018"},
        )
    # Logged; the receipts are imported and screened without connected organizations.
    job = FinanceImport.objects.get()
    assert (job.status, job.contributions_added) == (ImportStatus.SUCCEEDED, len(api_receipts()))
    assert not FecCommittee.objects.exists()


def test_load_committees_can_screen_every_candidate_again(committee, chapter, candidate_defazio):
    OrganizationFactory(policy__chapter=chapter, name="CRH", aliases=["CRH AMERICAS"], tier=2)
    with committee.capture(execute=True):
        committee.post(
            f"/c/lakeshore/candidates/{candidate_defazio.pk}/imports/",
            {"file": SimpleUploadedFile(DEFAZIO.name, DEFAZIO.read_bytes()), "mapping": "fec"},
        )
    assert not Finding.objects.filter(entity_name="CRH").exists()  # no directory yet
    out, _ = load(CM, "--rescreen")
    assert "1 candidate with filings screened again." in out
    assert Finding.objects.get(entity_name="CRH").rule == "connected_org"
