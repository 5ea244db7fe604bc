"""The OpenFEC client against a real HTTP server on 127.0.0.1 that answers like the API.

The fake serves rows made from a real filing (Klobuchar for Minnesota, C00431353, F3N Q3 2021,
file 1544132, in ../shared/data/fec_efilings/), shaped as /schedules/schedule_a/ publishes
them, and checks each request the way the API does: a key, per_page <= 100, and keyset
pagination that sends back last_index with the sort value (or sort_null_only), else HTTP 422.
Nothing here reaches the network.
"""

from __future__ import annotations

import json
import math
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import fecfile
import pytest

from pledgewatch.finance.importers.openfec import OpenFEC
from pledgewatch.finance.records import ContributorType, SourceError

from .conftest import EFILINGS

KEY = "PW-test-key-7c1e9b04d2"  # never a real key; every error message is checked for it
KLOBUCHAR = "C00431353"
NEUROSURGERY_PAC = "C00413955"
FILE_NUMBER = 1544132
LINE_LABELS = {
    "11AI": "Contributions From Individuals/Persons Other Than Political Committees",
    "11C": "Contributions From Other Political Committees",
}


# -- rows from the real filing ----------------------------------------------------------------


def _fec_items(name: str) -> list[dict[str, Any]]:
    return [item.data for item in fecfile.iter_file(str(EFILINGS / name))]


@pytest.fixture(scope="session")
def klobuchar_items(shared_data) -> list[dict[str, Any]]:
    """250 Schedule A rows of file 1544132: the first 247 SA11AI lines and the 3 SA11C."""
    items = [i for i in _fec_items("fastfec__1544132.fec") if "contribution_amount" in i]
    individuals = [i for i in items if i["form_type"] == "SA11AI"][:247]
    pacs = [i for i in items if i["form_type"] == "SA11C"]
    assert len(pacs) == 3
    return individuals + pacs


def _upper(value: str) -> str | None:
    return value.upper() if value else None


def api_row(item: dict[str, Any], index: int) -> dict[str, Any]:
    """One .fec itemization as OpenFEC publishes it after processing (names uppercased).

    sub_id and image_number are assigned by the FEC when it processes a filing; the .fec file
    has neither, so these are made up (unique, and in the API's formats).
    """
    individual = item["entity_type"] == "IND"
    if individual:
        name = f"{item['contributor_last_name']}, {item['contributor_first_name']}".upper()
    else:
        name = item["contributor_organization_name"].upper()
    line = item["form_type"][2:]
    image_number = f"2021101594602{index:05d}"
    return {
        "committee_id": item["filer_committee_id_number"],
        "committee_name": "KLOBUCHAR FOR MINNESOTA",
        "committee": {
            "committee_id": KLOBUCHAR,
            "name": "KLOBUCHAR FOR MINNESOTA",
            "committee_type": "S",
            "designation": "P",
            "party": "DFL",
            "state": "MN",
            "cycle": 2022,
        },
        "report_year": 2021,
        "report_type": "Q3",
        "image_number": image_number,
        "filing_form": "F3",
        "link_id": 4102720211644400000 + index,
        "line_number": line,
        "line_number_label": LINE_LABELS[line],
        "transaction_id": item["transaction_id"],
        "file_number": FILE_NUMBER,
        "entity_type": item["entity_type"],
        "entity_type_desc": "INDIVIDUAL" if individual else "POLITICAL ACTION COMMITTEE",
        "unused_contbr_id": None,
        "contributor_prefix": item["contributor_prefix"] or None,
        "contributor_name": name,
        "recipient_committee_type": "S",
        "recipient_committee_org_type": None,
        "recipient_committee_designation": "P",
        "contributor_first_name": _upper(item["contributor_first_name"]),
        "contributor_middle_name": _upper(item["contributor_middle_name"]),
        "contributor_last_name": _upper(item["contributor_last_name"]),
        "contributor_suffix": item["contributor_suffix"] or None,
        "contributor_street_1": _upper(item["contributor_street_1"]),
        "contributor_street_2": _upper(item["contributor_street_2"]),
        "contributor_city": _upper(item["contributor_city"]),
        "contributor_state": item["contributor_state"] or None,
        "contributor_zip": item["contributor_zip_code"] or None,
        "contributor_employer": _upper(item["contributor_employer"]),
        "contributor_occupation": _upper(item["contributor_occupation"]),
        "contributor_id": item["donor_committee_fec_id"] or None,
        "is_individual": individual,
        "receipt_type": None,
        "receipt_type_desc": None,
        "receipt_type_full": None,
        "memo_code": item["memo_code"] or None,
        "memo_code_full": "X = MEMO ENTRY" if item["memo_code"] else None,
        "memo_text": item["memo_text_description"] or None,
        "contribution_receipt_date": item["contribution_date"].strftime("%Y-%m-%dT00:00:00"),
        "contribution_receipt_amount": item["contribution_amount"],
        "contributor_aggregate_ytd": item["contribution_aggregate"],
        "candidate_id": None,
        "candidate_name": None,
        "conduit_committee_id": None,
        "conduit_committee_name": None,
        "donor_committee_name": item["donor_committee_name"] or None,
        "national_committee_nonfederal_account": None,
        "election_type": item["election_code"],
        "election_type_full": "PRIMARY",
        "fec_election_type_desc": "PRIMARY",
        "fec_election_year": "2024",
        "two_year_transaction_period": 2022,
        "amendment_indicator": "N",
        "amendment_indicator_desc": "NO CHANGE",
        "schedule_type": "SA",
        "schedule_type_full": "ITEMIZED RECEIPTS",
        "increased_limit": None,
        "load_date": "2021-10-17T04:01:10.236000+00:00",
        "sub_id": str(4102720211644400000 + index),
        "original_sub_id": None,
        "back_reference_transaction_id": item["back_reference_tran_id_number"] or None,
        "back_reference_schedule_name": item["back_reference_sched_name"] or None,
        "pdf_url": f"https://docquery.fec.gov/cgi-bin/fecimg/?{image_number}",
        "line_number_label_full": None,
        "contributor": None,
    }


@pytest.fixture(scope="session")
def schedule_a_rows(klobuchar_items) -> list[dict[str, Any]]:
    return [api_row(item, i) for i, item in enumerate(klobuchar_items)]


def _filing_from(name: str, *, receipt_date: str) -> dict[str, Any]:
    """An /efile/filings/ row from the HDR and form lines of a real .fec file."""
    parsed = fecfile.from_file(str(EFILINGS / name), {"filter_itemizations": []})
    header, form = parsed["header"], parsed["filing"]
    number = int(name.split("__")[1].removesuffix(".fec"))
    previous = header.get("report_id") or ""
    amends = int(previous.removeprefix("FEC-")) if previous.startswith("FEC-") else None
    return {
        "file_number": number,
        "fec_file_id": f"FEC-{number}",
        "form_type": form["form_type"],
        "committee_id": form["filer_committee_id_number"],
        "committee_name": form["committee_name"],
        "receipt_date": receipt_date,
        "load_timestamp": f"{receipt_date}T09:14:07",
        "coverage_start_date": form["coverage_from_date"].date().isoformat(),
        "coverage_end_date": form["coverage_through_date"].date().isoformat(),
        "report_type": form["report_code"],
        "superceded": None,
        "amends_file": amends,
        "amendment_number": int(header["report_number"]) if header["report_number"] else 0,
        "amendment_chain": [amends, number] if amends else [number],
        "most_recent": True,
        "most_recent_filing": number,
        "is_amended": False,
        "amended_by": None,
        "beginning_image_number": f"2021{receipt_date[5:7]}{receipt_date[8:10]}9472{number}",
        "ending_image_number": None,
        "fec_url": f"https://docquery.fec.gov/dcdev/posted/{number}.fec",
        "csv_url": f"https://docquery.fec.gov/csv/{str(number)[-3:]}/{number}.csv",
        "pdf_url": None,
        "html_url": f"https://docquery.fec.gov/cgi-bin/forms/{form['filer_committee_id_number']}/"
        f"{number}/",
        "document_description": None,
    }


@pytest.fixture(scope="session")
def efile_rows(shared_data) -> list[dict[str, Any]]:
    amendment = _filing_from("fastfec__1550548.fec", receipt_date="2021-12-02")
    # The original mid-year report 1531171 is not among the fixtures: its row is the
    # amendment's header (which names it) turned back into an F3XN, received by the deadline.
    original = {
        **amendment,
        "file_number": 1531171,
        "fec_file_id": "FEC-1531171",
        "form_type": "F3XN",
        "receipt_date": "2021-07-30",
        "load_timestamp": "2021-07-30T16:02:51",
        "superceded": 1550548,
        "amends_file": None,
        "amendment_number": 0,
        "amendment_chain": [1531171],
        "most_recent": False,
        "most_recent_filing": 1550548,
        "is_amended": True,
        "amended_by": 1550548,
        "fec_url": "https://docquery.fec.gov/dcdev/posted/1531171.fec",
    }
    return [
        amendment,
        original,
        _filing_from("fastfec__1544132.fec", receipt_date="2021-10-15"),
        _filing_from("fastfec__1550126.fec", receipt_date="2021-11-27"),
    ]


# -- the fake API -----------------------------------------------------------------------------


class FakeOpenFEC:
    """api.open.fec.gov/v1 on 127.0.0.1: the two endpoints, the key check, the 422 rules."""

    def __init__(self, schedule_a: list[dict[str, Any]], efile: list[dict[str, Any]]) -> None:
        self.schedule_a = sorted(schedule_a, key=_keyset_order)
        self.efile = efile
        self.requests: list[dict[str, Any]] = []
        self.scripted: list[tuple[int, dict[str, str], bytes]] = []  # answered first, in order
        self.always: tuple[int, dict[str, str], bytes] | None = None
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> FakeOpenFEC:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                parts = urlsplit(self.path)
                query = parse_qs(parts.query, keep_blank_values=True)
                fake.requests.append(
                    {"path": parts.path, "query": query, "header_key": self.headers["X-Api-Key"]}
                )
                status, headers, body = fake.answer(parts.path, query, self.headers)
                self.send_response(status)
                headers = {"Content-Type": "application/json; charset=utf-8", **headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler

    def answer(self, path: str, query: dict[str, list[str]], headers: Any) -> tuple:
        if self.scripted:
            return self.scripted.pop(0)
        if self.always:
            return self.always
        key = headers["X-Api-Key"] or (query.get("api_key") or [""])[0]
        if not key:
            return _error(403, "API_KEY_MISSING", "No api_key was supplied.")
        if key != KEY:
            return _error(403, "API_KEY_INVALID", "An invalid api_key was supplied.")
        try:
            per_page = int(query.get("per_page", ["20"])[0])
        except ValueError:
            per_page = 0
        if not 1 <= per_page <= 100:
            return _unprocessable('Parameter "per_page" must be between 1 and 100')
        if path == "/v1/schedules/schedule_a/":
            return self._schedule_a(query, per_page)
        if path == "/v1/efile/filings/":
            return self._efile(query, per_page)
        return 404, {}, json.dumps({"message": "Not found", "status": 404}).encode()

    def _schedule_a(self, query: dict[str, list[str]], per_page: int) -> tuple:
        sort = query.get("sort", ["contribution_receipt_date"])[0]
        if sort != "contribution_receipt_date":
            return _unprocessable(f"Cannot sort on value {sort} in this fake")
        last_index = query.get("last_index", [""])[0]
        last_date = query.get("last_contribution_receipt_date", [""])[0]
        null_only = query.get("sort_null_only", ["false"])[0].lower() == "true"
        if last_index and not (last_date or null_only):
            return _unprocessable(
                "When paginating, pass the values of last_indexes from the previous page: "
                "last_index and last_contribution_receipt_date (or sort_null_only)."
            )
        if last_date and not last_index:
            return _unprocessable("last_contribution_receipt_date needs last_index")
        rows = [r for r in self.schedule_a if r["committee_id"] in query.get("committee_id", [])]
        if "two_year_transaction_period" in query:
            periods = {int(p) for p in query["two_year_transaction_period"]}
            rows = [r for r in rows if r["two_year_transaction_period"] in periods]
        if "min_date" in query:
            since = query["min_date"][0][:10]
            rows = [r for r in rows if (r["contribution_receipt_date"] or "")[:10] >= since]
        if last_index:
            position = (last_date[:10], int(last_index))
            rows = [
                r
                for r in rows
                if (
                    r["contribution_receipt_date"] is None and int(r["sub_id"]) > int(last_index)
                    if null_only
                    else r["contribution_receipt_date"] is None
                    or (r["contribution_receipt_date"][:10], int(r["sub_id"])) > position
                )
            ]
        page, total = rows[:per_page], len(self.schedule_a)
        last_indexes = None
        if page:
            last = page[-1]
            last_indexes = {"last_index": last["sub_id"]}
            if last["contribution_receipt_date"] is None:
                last_indexes["sort_null_only"] = True
            else:
                last_indexes["last_contribution_receipt_date"] = last["contribution_receipt_date"]
        pagination = {
            "count": total,
            "is_count_exact": True,
            "pages": math.ceil(total / per_page),
            "per_page": per_page,
            "last_indexes": last_indexes,
        }
        return _ok({"api_version": "1.0", "pagination": pagination, "results": page})

    def _efile(self, query: dict[str, list[str]], per_page: int) -> tuple:
        rows = [r for r in self.efile if r["committee_id"] in query.get("committee_id", [])]
        if "min_receipt_date" in query:
            rows = [r for r in rows if r["receipt_date"] >= query["min_receipt_date"][0]]
        if query.get("sort", ["-receipt_date"])[0] == "-receipt_date":
            rows.sort(key=lambda r: r["receipt_date"], reverse=True)
        page = int(query.get("page", ["1"])[0])
        results = rows[(page - 1) * per_page : page * per_page]
        pagination = {
            "count": len(rows),
            "page": page,
            "pages": math.ceil(len(rows) / per_page),
            "per_page": per_page,
        }
        return _ok({"api_version": "1.0", "pagination": pagination, "results": results})


def _keyset_order(row: dict[str, Any]) -> tuple:
    received = row["contribution_receipt_date"]
    return (received is None, received or "", int(row["sub_id"]))


def _ok(payload: dict[str, Any]) -> tuple:
    return 200, {}, json.dumps(payload).encode()


def _unprocessable(message: str) -> tuple:
    return 422, {}, json.dumps({"message": message, "status": 422}).encode()


def _error(status: int, code: str, message: str) -> tuple:
    """api.data.gov's own error body (it answers before the request reaches OpenFEC)."""
    text = f"{message} Get one at https://api.data.gov:443"
    return status, {}, json.dumps({"error": {"code": code, "message": text}}).encode()


@pytest.fixture
def fake(schedule_a_rows, efile_rows) -> Iterator[FakeOpenFEC]:
    with FakeOpenFEC(schedule_a_rows, efile_rows) as server:
        yield server


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def client(fake, waits) -> OpenFEC:
    return OpenFEC(KEY, base_url=fake.base_url, timeout=5, sleep=waits.append)


def _raises(call) -> str:
    with pytest.raises(SourceError) as caught:
        call()
    message = str(caught.value)
    assert KEY not in message
    return message


# -- schedule_a -------------------------------------------------------------------------------


def test_all_250_rows_come_back_once_over_three_keyset_pages(client, fake, schedule_a_rows):
    got = list(client.schedule_a(KLOBUCHAR, cycle=2022))

    assert len(got) == 250
    assert sorted(c.extra["sub_id"] for c in got) == sorted(r["sub_id"] for r in schedule_a_rows)
    assert [c.extra["sub_id"] for c in got] == [r["sub_id"] for r in fake.schedule_a]
    # Three pages of 100/100/50, then the empty page that ends the listing.
    assert len(fake.requests) == 4
    first, *following = (r["query"] for r in fake.requests)
    assert first["committee_id"] == [KLOBUCHAR]
    assert first["two_year_transaction_period"] == ["2022"]
    assert first["per_page"] == ["100"]
    assert first["sort"] == ["contribution_receipt_date"]
    assert "last_index" not in first
    for query, previous in zip(following, [99, 199, 249], strict=True):
        assert query["last_index"] == [fake.schedule_a[previous]["sub_id"]]
        expected = fake.schedule_a[previous]["contribution_receipt_date"]
        assert query["last_contribution_receipt_date"] == [expected]
        assert query["committee_id"] == [KLOBUCHAR]
    # The key travels in the X-Api-Key header, never in a URL.
    assert all(r["header_key"] == KEY and "api_key" not in r["query"] for r in fake.requests)


def test_rows_without_a_date_are_paged_with_sort_null_only(schedule_a_rows, efile_rows, waits):
    undated = [
        {**row, "contribution_receipt_date": None} if i >= 190 else row
        for i, row in enumerate(sorted(schedule_a_rows, key=_keyset_order))
    ]
    with FakeOpenFEC(undated, efile_rows) as fake:
        client = OpenFEC(KEY, base_url=fake.base_url, sleep=waits.append)
        got = list(client.schedule_a(KLOBUCHAR, cycle=2022))

    assert len(got) == 250 and len({c.extra["sub_id"] for c in got}) == 250
    assert sum(c.date is None for c in got) == 60
    second, third = fake.requests[1]["query"], fake.requests[2]["query"]
    assert "sort_null_only" not in second and second["last_contribution_receipt_date"]
    # Page 2 ended on an undated row: page 3 asks for undated rows after its index.
    assert third["sort_null_only"] == ["true"]
    assert third["last_index"] == [fake.schedule_a[199]["sub_id"]]
    assert "last_contribution_receipt_date" not in third


def test_a_row_is_mapped_exactly_as_the_fec_filing_reports_it(client, klobuchar_items):
    by_transaction = {c.transaction_id: c for c in client.schedule_a(KLOBUCHAR, cycle=2022)}
    fec = {item["transaction_id"]: item for item in klobuchar_items}

    donor = by_transaction["1672462"]
    row = fec["1672462"]  # SA11AI, an individual's earmarked contribution through ActBlue
    assert row["contributor_last_name"] == "Aboussie"
    assert donor.source == "openfec"
    assert donor.filing_id == str(FILE_NUMBER)
    assert donor.form_type == "SA11AI"
    assert donor.recipient_committee_id == row["filer_committee_id_number"] == KLOBUCHAR
    assert donor.contributor_name == "ABOUSSIE, JOYCE"
    assert donor.contributor_type == ContributorType.INDIVIDUAL
    assert donor.contributor_fec_id == ""
    assert donor.employer == row["contributor_employer"].upper() == "ABOUSSIE & ASSOCIATES"
    assert donor.occupation == row["contributor_occupation"].upper() == "CEO"
    assert donor.date == row["contribution_date"].date() == date(2021, 8, 13)
    assert donor.amount == Decimal(str(row["contribution_amount"])) == Decimal("2900")
    assert donor.memo is False
    assert donor.memo_text == row["memo_text_description"]
    assert donor.back_reference == row["back_reference_tran_id_number"] == "1672462E"
    assert donor.city == "SAINT LOUIS" and donor.state == row["contributor_state"] == "MO"
    assert donor.is_refund is False
    assert set(donor.extra) == {"sub_id", "image_number", "pdf_url"}
    assert donor.extra["pdf_url"].endswith(donor.extra["image_number"])

    conduit = by_transaction["1672462E"]  # the memo line naming the conduit
    assert conduit.memo is True
    assert conduit.contributor_name == "ACTBLUE"
    assert conduit.contributor_type == ContributorType.COMMITTEE
    assert conduit.contributor_fec_id == fec["1672462E"]["donor_committee_fec_id"] == "C00401224"

    pac = by_transaction["1676038"]  # SA11C, a PAC contribution
    assert pac.form_type == "SA11C"
    assert pac.contributor_fec_id == "C00330696"
    assert pac.contributor_type == ContributorType.COMMITTEE
    assert pac.amount == Decimal("2500")
    assert pac.employer == ""


def test_progress_is_reported_after_each_page(client):
    seen: list[tuple[int, int | None]] = []
    assert len(list(client.schedule_a(KLOBUCHAR, cycle=2022, progress=lambda *a: seen.append(a))))
    assert seen == [(100, 250), (200, 250), (250, 250)]


def test_an_odd_cycle_is_the_two_year_period_it_starts_and_min_date_is_sent(client, fake):
    got = list(client.schedule_a(KLOBUCHAR, cycle=2021, min_date=date(2021, 9, 1)))
    assert got and all(c.date >= date(2021, 9, 1) for c in got)
    assert fake.requests[0]["query"]["two_year_transaction_period"] == ["2022"]
    assert fake.requests[0]["query"]["min_date"] == ["2021-09-01"]


def test_the_fake_rejects_last_index_alone_as_the_api_does(fake, schedule_a_rows):
    sub_id = schedule_a_rows[0]["sub_id"]
    url = f"{fake.base_url}/schedules/schedule_a/?committee_id={KLOBUCHAR}&last_index={sub_id}"
    request = urllib.request.Request(url, headers={"X-Api-Key": KEY})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=5)
    with caught.value as answer:
        assert answer.code == 422


def test_an_invalid_committee_id_is_refused_before_any_call(client, fake):
    message = _raises(lambda: list(client.schedule_a("H0MN01234")))
    assert message.startswith("“H0MN01234” is not an FEC committee ID")
    assert fake.requests == []


# -- failures ---------------------------------------------------------------------------------


def _rate_limited(retry_after: str) -> tuple:
    status, headers, body = _error(429, "OVER_RATE_LIMIT", "You have exceeded your rate limit.")
    return status, {"Retry-After": retry_after}, body


def test_429_twice_then_success_backs_off(client, fake, waits):
    fake.scripted = [_rate_limited("0"), _rate_limited("0")]
    got = list(client.schedule_a(KLOBUCHAR, cycle=2022))
    assert len(got) == 250
    assert waits == [1.0, 2.0]  # exponential backoff; Retry-After: 0 asks for no longer
    assert len(fake.requests) == 6


def test_retry_after_longer_than_the_backoff_is_honoured(client, fake, waits):
    fake.scripted = [_rate_limited("7"), _rate_limited("1")]
    assert len(list(client.schedule_a(KLOBUCHAR, cycle=2022))) == 250
    assert waits == [7.0, 2.0]


def test_429_forever_gives_up_after_max_retries(fake, waits):
    fake.always = _rate_limited("0")
    client = OpenFEC(KEY, base_url=fake.base_url, max_retries=3, sleep=waits.append)
    message = _raises(lambda: list(client.schedule_a(KLOBUCHAR)))
    assert message == (
        f"OpenFEC at 127.0.0.1:{fake.port} kept answering HTTP 429 (rate limit exceeded) for "
        "/schedules/schedule_a/: 4 attempts over 7 s. A free api.data.gov key allows 1,000 "
        "calls an hour (DEMO_KEY 30): wait an hour and try again, or ask APIinfo@fec.gov for "
        "a key with a higher limit."
    )
    assert waits == [1.0, 2.0, 4.0]
    assert len(fake.requests) == 4


@pytest.mark.parametrize("key", [None, "", "   "])
def test_a_missing_key_says_where_to_get_one(key):
    message = _raises(lambda: OpenFEC(key))
    assert message == (
        "OpenFEC needs an API key: set OPENFEC_API_KEY (free at https://api.data.gov/signup/)."
    )


def test_a_refused_key_is_explained_without_showing_it(fake, waits):
    client = OpenFEC("not-the-right-key", base_url=fake.base_url, sleep=waits.append)
    message = _raises(lambda: list(client.schedule_a(KLOBUCHAR)))
    assert "not-the-right-key" not in message
    assert message == (
        f"OpenFEC at 127.0.0.1:{fake.port} refused the API key (HTTP 403, API_KEY_INVALID: "
        "An invalid api_key was supplied. Get one at https://api.data.gov:443). Check "
        "OPENFEC_API_KEY, or set OPENFEC_API_KEY (free at https://api.data.gov/signup/)."
    )
    assert waits == []


def test_a_closed_port_names_the_host_and_not_the_key(waits):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = OpenFEC(KEY, base_url=f"http://127.0.0.1:{port}/v1", sleep=waits.append)
    message = _raises(lambda: list(client.schedule_a(KLOBUCHAR)))
    assert message == (
        f"Cannot reach OpenFEC at 127.0.0.1:{port}: the connection was refused. Check the "
        f"network connection and the base URL (http://127.0.0.1:{port}/v1)."
    )
    assert waits == []  # a refusal is not retried


def test_a_server_that_never_answers_times_out(waits):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # connections complete in the kernel; nothing ever answers
        port = silent.getsockname()[1]
        client = OpenFEC(
            KEY,
            base_url=f"http://127.0.0.1:{port}/v1",
            timeout=0.2,
            max_retries=1,
            sleep=waits.append,
        )
        message = _raises(lambda: list(client.schedule_a(KLOBUCHAR)))
    assert message == (
        f"OpenFEC at 127.0.0.1:{port} did not answer /schedules/schedule_a/ within 0.2 s "
        "(2 attempts). The service may be slow or down: try again later."
    )
    assert waits == [1.0]


def test_500_is_retried_then_explained(fake, waits):
    fake.always = (500, {}, json.dumps({"message": "Internal Server Error"}).encode())
    client = OpenFEC(KEY, base_url=fake.base_url, max_retries=2, sleep=waits.append)
    message = _raises(lambda: list(client.schedule_a(KLOBUCHAR)))
    assert message == (
        f"OpenFEC at 127.0.0.1:{fake.port} failed with HTTP 500 (Internal Server Error) for "
        "/schedules/schedule_a/, 3 times in a row. The FEC's service is having trouble: try "
        "again later."
    )
    assert waits == [1.0, 2.0]


def test_a_500_then_a_good_page_recovers(client, fake, waits):
    fake.scripted = [(502, {"Content-Type": "text/html"}, b"<html>Bad Gateway</html>")]
    assert len(list(client.schedule_a(KLOBUCHAR, cycle=2022))) == 250
    assert waits == [1.0]


def test_an_answer_that_is_not_json_is_explained_and_redacted(client, fake):
    page = f"<html><body>Down for maintenance. You asked for ?api_key={KEY}&x=1</body></html>"
    fake.always = (200, {"Content-Type": "text/html; charset=utf-8"}, page.encode())
    message = _raises(lambda: list(client.schedule_a(KLOBUCHAR)))
    assert message == (
        f"OpenFEC at 127.0.0.1:{fake.port} answered /schedules/schedule_a/ with something "
        "that is not JSON (text/html; charset=utf-8, starting “<html><body>Down for "
        "maintenance. You asked for ?api_key=[api key]&x=1</body></h”). The service may "
        "be down for maintenance, or the base URL may be wrong: try again later."
    )


def test_a_422_passes_on_the_api_message(client, fake):
    fake.scripted = [_unprocessable('Parameter "per_page" must be between 1 and 100')]
    message = _raises(lambda: list(client.schedule_a(KLOBUCHAR)))
    assert message == (
        f"OpenFEC at 127.0.0.1:{fake.port} rejected /schedules/schedule_a/ (HTTP 422): "
        'Parameter "per_page" must be between 1 and 100.'
    )


def test_plain_http_is_refused_except_on_this_machine():
    message = _raises(lambda: OpenFEC(KEY, base_url="http://api.open.fec.gov/v1"))
    assert message == (
        "The OpenFEC base URL http://api.open.fec.gov/v1 is not https: the API key would "
        "travel unencrypted. Use https://api.open.fec.gov/v1."
    )


def test_the_key_is_not_in_the_clients_repr():
    assert KEY not in repr(OpenFEC(KEY))


# -- new_filings ------------------------------------------------------------------------------


def test_new_filings_lists_the_committees_efilings_newest_first(client, fake):
    filings = client.new_filings(NEUROSURGERY_PAC)

    assert [f["file_number"] for f in filings] == ["1550548", "1531171"]
    amendment, original = filings
    assert amendment == {
        "file_number": "1550548",
        "committee_id": NEUROSURGERY_PAC,
        "committee_name": "AMERICAN ASSOCIATION OF NEUROLOGICAL SURGEONS POLITICAL ACTION "
        "COMMITTEE (NEUROSURGERYPAC)",
        "form_type": "F3XA",
        "report_type": "MY",
        "receipt_date": date(2021, 12, 2),
        "coverage_start_date": date(2021, 1, 1),
        "coverage_end_date": date(2021, 6, 30),
        "is_amendment": True,
        "amends": "1531171",
        "amendment_number": 1,
        "amended_by": "",
        "fec_url": "https://docquery.fec.gov/dcdev/posted/1550548.fec",
        "pdf_url": "",
    }
    assert original["is_amendment"] is False and original["amended_by"] == "1550548"
    query = fake.requests[0]["query"]
    assert query["committee_id"] == [NEUROSURGERY_PAC]
    assert query["sort"] == ["-receipt_date"] and query["per_page"] == ["100"]
    assert query["page"] == ["1"] and "min_receipt_date" not in query


def test_new_filings_since_a_date(client, fake):
    filings = client.new_filings(NEUROSURGERY_PAC, since=date(2021, 8, 1))
    assert [f["file_number"] for f in filings] == ["1550548"]
    assert fake.requests[0]["query"]["min_receipt_date"] == ["2021-08-01"]
    assert client.new_filings(KLOBUCHAR, since=date(2022, 1, 1)) == []
