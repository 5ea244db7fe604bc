"""OpenFEC API client: a committee's itemized receipts and its newest electronic filings.

No Django, standard library only (urllib). The API is api.open.fec.gov/v1, behind api.data.gov:
a free key allows 1,000 calls an hour and 100 rows a call (DEMO_KEY: 30 an hour), so a whole
cycle's screen should come from the FEC bulk files; this client serves the per-candidate
monitor (research/finance.md section 2).

Facts the code relies on (from the API's own documentation in fecgov/openFEC `docs.py`, and
its issues #3369, #4343/#4344, #4405):

* `/schedules/schedule_a/` is keyset-paginated, not paginated by page number. Each answer is
  `{"api_version": "1.0", "pagination": {"count", "is_count_exact", "pages", "per_page",
  "last_indexes": {"last_index": "...", "last_contribution_receipt_date": "..."}},
  "results": [...]}`. The next page is asked for by sending back `last_index` AND the last
  value of the sort key; `last_index` alone is answered with HTTP 422. Once the sort key is
  NULL the API sends `{"last_index": "...", "sort_null_only": true}` instead, to be sent back
  as `sort_null_only=true`. Counts are estimates: page until a page has no results.
* With the ascending `contribution_receipt_date` sort, rows without a date come last, so the
  `sort_null_only` pages are the tail of the listing, never the head.
* The key goes in the `X-Api-Key` header (api.data.gov accepts it there as well as in the
  `api_key` parameter), which keeps it out of every URL; messages are redacted anyway.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from typing import Any

from pledgewatch.finance.records import Contribution, ContributorType, SourceError

DEFAULT_BASE_URL = "https://api.open.fec.gov/v1"
KEY_HELP = "set OPENFEC_API_KEY (free at https://api.data.gov/signup/)"
PER_PAGE = 100  # the API's maximum
MAX_WAIT = 600.0  # never sleep longer than this between two attempts, whatever Retry-After says
MAX_FILING_PAGES = 50  # /efile/filings/ pages of 100: far more than a committee files in 4 months
USER_AGENT = "pledgewatch-finance/1 (campaign-finance screen)"
COMMITTEE_ID = re.compile(r"^C\d{8}$")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}  # plain http only to this machine (tests)

# Schedule A `entity_type` codes (the .fec and bulk-file codes) -> our contributor types.
ENTITY_TYPES = {
    "IND": ContributorType.INDIVIDUAL,
    "CAN": ContributorType.INDIVIDUAL,
    "COM": ContributorType.COMMITTEE,
    "PAC": ContributorType.COMMITTEE,
    "PTY": ContributorType.COMMITTEE,
    "CCM": ContributorType.COMMITTEE,
    "ORG": ContributorType.ORGANIZATION,
}


class OpenFEC:
    """A small, polite OpenFEC client: retries 429/5xx/timeouts, explains every failure."""

    def __init__(
        self,
        api_key: str | None,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 30,
        max_retries: int = 5,
        sleep: Callable[[float], Any] = time.sleep,
    ) -> None:
        key = (api_key or "").strip()
        if not key:
            raise SourceError(f"OpenFEC needs an API key: {KEY_HELP}.")
        self._key = key
        self.base_url = base_url.rstrip("/")
        parts = urllib.parse.urlsplit(self.base_url)
        self.host = parts.netloc or self.base_url
        if parts.scheme != "https" and parts.hostname not in LOOPBACK:
            raise SourceError(
                f"The OpenFEC base URL {self.base_url} is not https: the API key would travel "
                "unencrypted. Use https://api.open.fec.gov/v1."
            )
        self.timeout = timeout
        self.max_retries = max(0, max_retries)
        self.sleep = sleep
        self.calls = 0  # HTTP requests made, against the hourly budget

    def __repr__(self) -> str:
        return f"OpenFEC(base_url={self.base_url!r})"  # never the key

    # -- public API ---------------------------------------------------------------------

    def schedule_a(
        self,
        committee_id: str,
        *,
        cycle: int | None = None,
        min_date: date | str | None = None,
        progress: Callable[[int, int | None], Any] | None = None,
    ) -> Iterator[Contribution]:
        """Every itemized receipt of a committee, oldest first, one API page at a time.

        `cycle` is the two-year period (2022 covers 2021-2022; an odd year means the cycle it
        starts); None asks for all periods. `min_date` keeps receipts on or after that date.
        `progress(rows_so_far, estimated_total)` is called after each page.
        """
        committee_id = _committee_id(committee_id)
        params: dict[str, Any] = {
            "committee_id": committee_id,
            "per_page": PER_PAGE,
            "sort": "contribution_receipt_date",
        }
        if cycle is not None:
            params["two_year_transaction_period"] = int(cycle) + int(cycle) % 2
        if min_date is not None:
            params["min_date"] = min_date.isoformat() if isinstance(min_date, date) else min_date
        cursor: dict[str, str] = {}
        fetched = 0
        while True:
            page = self._get("/schedules/schedule_a/", {**params, **cursor})
            results = page["results"]
            if not results:
                return
            for row in results:
                yield _contribution(row, committee_id)
            fetched += len(results)
            pagination = page.get("pagination") or {}
            if progress is not None:
                total = pagination.get("count")
                progress(fetched, total if isinstance(total, int) else None)
            following = _next_cursor(pagination.get("last_indexes"))
            if not following:
                return
            if following == cursor:
                raise self._error(
                    f"OpenFEC at {self.host} sent the same page position twice "
                    f"(last_index {following.get('last_index')}) for committee {committee_id}; "
                    "stopping rather than looping. Try again later."
                )
            cursor = following

    def new_filings(self, committee_id: str, *, since: date | None = None) -> list[dict[str, Any]]:
        """The committee's electronic filings as received by the FEC, newest first.

        Reads `/efile/filings/` rather than `/committee/{id}/filings/`: the e-filing list has
        a report seconds after the FEC receives it (the processed list lags hours to days, and
        was seen still calling a superseded report `most_recent` a day after its amendment,
        openFEC#3800), and it says which report an amendment replaces (`amends_file`). Its
        limit: it holds only about the last four months; older history is in the processed
        `/filings/` list and the bulk files.

        Each dict: file_number, committee_id, committee_name, form_type, report_type,
        receipt_date, coverage_start_date, coverage_end_date (dates or None), is_amendment,
        amends (the file number it replaces, or ""), amendment_number, amended_by, fec_url
        (the .fec file to download and screen) and pdf_url.
        """
        committee_id = _committee_id(committee_id)
        params: dict[str, Any] = {
            "committee_id": committee_id,
            "sort": "-receipt_date",
            "per_page": PER_PAGE,
        }
        if since is not None:
            params["min_receipt_date"] = since.isoformat()
        rows: list[dict[str, Any]] = []
        for number in range(1, MAX_FILING_PAGES + 1):
            page = self._get("/efile/filings/", {**params, "page": number})
            rows.extend(page["results"])
            pages = (page.get("pagination") or {}).get("pages") or 0
            if not page["results"] or number >= pages:
                break
        filings: dict[str, dict[str, Any]] = {}
        for row in rows:
            filing = _filing(row)
            if filing["file_number"]:
                filings[filing["file_number"]] = filing
        return sorted(
            filings.values(),
            key=lambda f: (f["receipt_date"] or date.min, int(f["file_number"] or 0)),
            reverse=True,
        )

    def committees(self, committee_ids: list[str]) -> list[dict[str, str]]:
        """What the FEC's committee list says about these committees, 100 ids a call.

        Each dict has the committee master's fields under the directory's names:
        committee_id, name, connected_org (the API's `affiliated_committee_name`, "affiliated
        committee or connected organization"), committee_type, designation, org_type
        (`organization_type`) and candidate_id (the first of `candidate_ids`). Ids the FEC does
        not know are left out.
        """
        ids = sorted({_committee_id(i) for i in committee_ids})
        found: list[dict[str, str]] = []
        for start in range(0, len(ids), PER_PAGE):
            chunk = ids[start : start + PER_PAGE]
            page = self._get("/committees/", {"committee_id": chunk, "per_page": PER_PAGE})
            for row in page["results"]:
                if isinstance(row, dict) and _text(row.get("committee_id")):
                    found.append(_committee(row))
        return found

    # -- HTTP -------------------------------------------------------------------------------

    def _get(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        query = urllib.parse.urlencode(
            {k: v for k, v in params.items() if v is not None}, doseq=True
        )
        url = f"{self.base_url}{path}?{query}"
        headers = {"X-Api-Key": self._key, "Accept": "application/json", "User-Agent": USER_AGENT}
        attempt = 0
        waited = 0.0
        while True:
            attempt += 1
            self.calls += 1
            retry_after: str | None = None
            try:
                request = urllib.request.Request(url, headers=headers)
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    body = response.read()
                    content_type = response.headers.get("Content-Type", "")
                return self._json(body, content_type, path)
            except urllib.error.HTTPError as exc:
                try:
                    status, body = exc.code, _read_quietly(exc)
                    retry_after = exc.headers.get("Retry-After") if exc.headers else None
                finally:
                    exc.close()
                if status != 429 and status < 500:
                    raise self._http_error(status, body, path) from None
                if attempt > self.max_retries:
                    raise self._gave_up(status, body, path, attempt, waited) from None
            except urllib.error.URLError as exc:
                reason = exc.reason
                if not _transient(reason):
                    raise self._unreachable(reason) from None
                if attempt > self.max_retries:
                    raise self._flaky(path, attempt, reason) from None
            except (TimeoutError, ConnectionResetError, http.client.HTTPException) as exc:
                if not _transient(exc):
                    raise self._unreachable(exc) from None
                if attempt > self.max_retries:
                    raise self._flaky(path, attempt, exc) from None
            except OSError as exc:
                raise self._unreachable(exc) from None
            wait = min(max(_seconds(retry_after), float(2 ** (attempt - 1))), MAX_WAIT)
            waited += wait
            self.sleep(wait)

    def _json(self, body: bytes, content_type: str, path: str) -> dict[str, Any]:
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            # Redacted before it is cut short, so no fragment of the key survives the cut.
            snippet = " ".join(self._redact(body[:400].decode("utf-8", "replace")).split())[:80]
            raise self._error(
                f"OpenFEC at {self.host} answered {path} with something that is not JSON "
                f"({content_type or 'no content type'}, starting “{snippet}”). The service "
                "may be down for maintenance, or the base URL may be wrong: try again later."
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise self._error(
                f"OpenFEC at {self.host} answered {path} without a list of results; "
                "the API may have changed."
            )
        return data

    def _http_error(self, status: int, body: bytes, path: str) -> SourceError:
        code, message = _api_message(body)
        if status in (401, 403):
            detail = f"{code}: {message}" if code and message else (code or message or "refused")
            return self._error(
                f"OpenFEC at {self.host} refused the API key (HTTP {status}, {detail}). "
                f"Check OPENFEC_API_KEY, or {KEY_HELP}."
            )
        if status == 404:
            return self._error(
                f"OpenFEC at {self.host} has no {path} (HTTP 404): check the base URL "
                f"{self.base_url}."
            )
        detail = f": {message}" if message else ""
        return self._error(f"OpenFEC at {self.host} rejected {path} (HTTP {status}){detail}.")

    def _gave_up(
        self, status: int, body: bytes, path: str, attempts: int, waited: float
    ) -> SourceError:
        if status == 429:
            return self._error(
                f"OpenFEC at {self.host} kept answering HTTP 429 (rate limit exceeded) for "
                f"{path}: {attempts} attempts over {waited:.0f} s. A free api.data.gov key "
                "allows 1,000 calls an hour (DEMO_KEY 30): wait an hour and try again, or ask "
                "APIinfo@fec.gov for a key with a higher limit."
            )
        _, message = _api_message(body)
        detail = f" ({message})" if message else ""
        return self._error(
            f"OpenFEC at {self.host} failed with HTTP {status}{detail} for {path}, "
            f"{attempts} times in a row. The FEC's service is having trouble: try again later."
        )

    def _flaky(self, path: str, attempts: int, reason: object) -> SourceError:
        if isinstance(reason, TimeoutError):
            return self._error(
                f"OpenFEC at {self.host} did not answer {path} within {self.timeout:g} s "
                f"({attempts} attempts). The service may be slow or down: try again later."
            )
        why = str(reason) or type(reason).__name__
        return self._error(
            f"OpenFEC at {self.host} dropped the connection for {path} ({attempts} attempts; "
            f"last: {why}). The service may be overloaded: try again later."
        )

    def _unreachable(self, reason: object) -> SourceError:
        if isinstance(reason, ConnectionRefusedError):
            why = "the connection was refused"
        elif isinstance(reason, socket.gaierror):
            why = "that host name does not resolve (is this computer offline?)"
        else:
            why = str(reason) or type(reason).__name__
        return self._error(
            f"Cannot reach OpenFEC at {self.host}: {why}. Check the network connection and "
            f"the base URL ({self.base_url})."
        )

    def _error(self, message: str) -> SourceError:
        return SourceError(self._redact(message))

    def _redact(self, text: str) -> str:
        text = text.replace(self._key, "[api key]")
        return re.sub(r"(?i)(api_key=)(?!\[api key\])[^&\s\"'<>]+", r"\1[api key]", text)


# -- helpers ----------------------------------------------------------------------------------


def _committee_id(value: str) -> str:
    cleaned = (value or "").strip().upper()
    if not COMMITTEE_ID.match(cleaned):
        raise SourceError(
            f"“{value}” is not an FEC committee ID: it is a C followed by 8 digits, "
            "like C00431353 (find it on fec.gov under the candidate's committees)."
        )
    return cleaned


def _transient(reason: object) -> bool:
    """A timeout or a dropped connection is worth retrying; a refusal or a bad name is not."""
    if isinstance(reason, ConnectionRefusedError | socket.gaierror):
        return False
    return isinstance(
        reason, TimeoutError | socket.timeout | ConnectionResetError | http.client.HTTPException
    )


def _read_quietly(exc: urllib.error.HTTPError) -> bytes:
    try:
        return exc.read() or b""
    except (OSError, http.client.HTTPException):
        return b""


def _api_message(body: bytes) -> tuple[str, str]:
    """(code, message) from an api.data.gov or OpenFEC error body, or ("", "")."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    error = data.get("error")
    if isinstance(error, dict):  # api.data.gov: {"error": {"code": ..., "message": ...}}
        return str(error.get("code") or ""), str(error.get("message") or "")
    message = data.get("message")  # OpenFEC: {"status": 422, "message": ...}
    if isinstance(message, list | dict):
        message = json.dumps(message)
    return "", str(message or "")


def _seconds(retry_after: str | None) -> float:
    """Retry-After as seconds: a number, or an HTTP date; 0 when absent or unreadable."""
    if not retry_after:
        return 0.0
    try:
        return max(0.0, float(retry_after))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(retry_after)
    except (TypeError, ValueError):
        return 0.0
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(tz=UTC)).total_seconds())


def _next_cursor(last_indexes: object) -> dict[str, str]:
    """The parameters that ask for the page after this one, or {} when there is none."""
    if not isinstance(last_indexes, dict) or last_indexes.get("last_index") in (None, ""):
        return {}
    cursor = {"last_index": str(last_indexes["last_index"])}
    null_only = bool(last_indexes.get("sort_null_only"))
    for key, value in last_indexes.items():
        if key.startswith("last_") and key != "last_index":
            if value is None:
                null_only = True
            else:
                cursor[key] = str(value)
    if null_only:
        cursor = {"last_index": cursor["last_index"], "sort_null_only": "true"}
    return cursor


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _date(value: object) -> date | None:
    text = _text(value)
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _amount(value: object) -> Decimal:
    if value is None or value == "":
        return Decimal(0)
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)


def _contributor_type(row: dict[str, Any]) -> str:
    entity = _text(row.get("entity_type")).upper()
    if entity in ENTITY_TYPES:
        return ENTITY_TYPES[entity]
    if row.get("is_individual") is True:
        return ContributorType.INDIVIDUAL
    if _text(row.get("contributor_id")):
        return ContributorType.COMMITTEE
    return ContributorType.ORGANIZATION


def _contribution(row: dict[str, Any], committee_id: str) -> Contribution:
    name = _text(row.get("contributor_name"))
    if not name:
        last, first = (
            _text(row.get("contributor_last_name")),
            _text(row.get("contributor_first_name")),
        )
        name = ", ".join(part for part in (last, first) if part)
    line_number = _text(row.get("line_number"))
    extra = {
        "sub_id": _text(row.get("sub_id")),
        "image_number": _text(row.get("image_number")),
        "pdf_url": _text(row.get("pdf_url")),
    }
    if _text(row.get("receipt_type")):
        extra["receipt_type"] = _text(row.get("receipt_type"))
    return Contribution(
        source="openfec",
        filing_id=_text(row.get("file_number")),
        transaction_id=_text(row.get("transaction_id")),
        # "SA" + line ("SA11AI", "SA11C"), the vocabulary of the .fec importer; without a line,
        # the FEC transaction type ("15", "15E").
        form_type=f"SA{line_number}" if line_number else _text(row.get("receipt_type")),
        recipient_committee_id=_text(row.get("committee_id")) or committee_id,
        contributor_name=name,
        contributor_type=_contributor_type(row),
        contributor_fec_id=_text(row.get("contributor_id")),
        employer=_text(row.get("contributor_employer")),
        occupation=_text(row.get("contributor_occupation")),
        date=_date(row.get("contribution_receipt_date")),
        amount=_amount(row.get("contribution_receipt_amount")),
        memo=_text(row.get("memo_code")).upper() == "X",
        memo_text=_text(row.get("memo_text")),
        back_reference=_text(row.get("back_reference_transaction_id")),
        city=_text(row.get("contributor_city")),
        state=_text(row.get("contributor_state")),
        extra=extra,
    )


def _committee(row: dict[str, Any]) -> dict[str, str]:
    candidates = row.get("candidate_ids")
    first = candidates[0] if isinstance(candidates, list) and candidates else ""
    return {
        "committee_id": _text(row.get("committee_id")).upper(),
        "name": _text(row.get("name")),
        "connected_org": _text(row.get("affiliated_committee_name")),
        "committee_type": _text(row.get("committee_type")),
        "designation": _text(row.get("designation")),
        "org_type": _text(row.get("organization_type")),
        "candidate_id": _text(first),
    }


def _filing(row: dict[str, Any]) -> dict[str, Any]:
    number = _text(row.get("file_number"))
    form_type = _text(row.get("form_type")).upper()
    amends = _text(row.get("amends_file"))
    amendment_number = row.get("amendment_number")
    return {
        "file_number": number,
        "committee_id": _text(row.get("committee_id")),
        "committee_name": _text(row.get("committee_name")),
        "form_type": form_type,
        "report_type": _text(row.get("report_type")),
        "receipt_date": _date(row.get("receipt_date")),
        "coverage_start_date": _date(row.get("coverage_start_date")),
        "coverage_end_date": _date(row.get("coverage_end_date")),
        "is_amendment": bool(amends) or (len(form_type) > 2 and form_type.endswith("A")),
        "amends": amends,
        "amendment_number": amendment_number if isinstance(amendment_number, int) else None,
        "amended_by": _text(row.get("amended_by") or row.get("superceded")),
        "fec_url": _text(row.get("fec_url"))
        or (f"https://docquery.fec.gov/dcdev/posted/{number}.fec" if number else ""),
        "pdf_url": _text(row.get("pdf_url")),
    }
