"""Contributions from spreadsheets: state and city exports, and a candidate's own sheet.

No Django: `read_table` turns a .csv/.tsv/.txt or .xlsx file into `Filing`s of `Contribution`s,
using a preset for a known export or a mapping (our field -> the file's column header) that
the user chose in the web app's column-mapping step (`headers`, `detect_preset`,
`guess_mapping`) or wrote as a JSON file for `--mapping FILE`. An import either completes or
raises `SourceError` naming the file, the row as a spreadsheet numbers it (the header is row 1)
and the column; nothing is returned half-read.

The presets (research/finance.md section 7; column names exactly as the exports spell them):

* `nyc-cfb`, NYC Campaign Finance Board contributions (the Data Library's
  `20xx_Contributions.csv`): NAME, C_CODE, EMPNAME, OCCUPATION, AMNT, DATE, RECIPID, FILING,
  REFNO, CITY, STATE, ZIP, REFUNDDATE. Disclosure statement numbers (FILING) restart for each
  candidate and election, so a filing is RECIPID-ELECTION-FILING. REFUNDDATE is kept in
  `extra["refund_date"]`; whether the refund also appears as a row of its own is not
  verified, so the screen should look at both.
* `cal-access`, California's CAL-ACCESS raw export, RCPT_CD.TSV (tab-delimited, no quoting:
  stray `"` are part of the text): FILING_ID, AMEND_ID, TRAN_ID, ENTITY_CD, CTRIB_NAML (last
  name, or an organization's whole name), CTRIB_NAMF, CTRIB_EMP, CTRIB_OCC, RCPT_DATE, AMOUNT,
  MEMO_CODE, BAKREF_TID, TRAN_TYPE. TRAN_TYPE R (returned) makes the amount negative. Each
  (FILING_ID, AMEND_ID) is one version of a report and the highest AMEND_ID wins: rows of
  older versions are dropped. CMTE_ID there is the *contributor's* state committee ID (kept
  in `extra["contributor_committee_id"]`); the filer is not in RCPT_CD at all (it is in
  FILER_FILINGS_CD), so pass `committee_id=` to say whose receipts these are. Schedule I
  (miscellaneous increases to cash) and E530 rows are not contributions and are skipped.
* `nys-boe`, New York State Board of Elections disclosure CSV: FILER_ID, CAND_COMM_NAME,
  FLNG_ENT_NAME (organizations) or FLNG_ENT_FIRST_NAME/FLNG_ENT_LAST_NAME (people), ORG_AMT,
  SCHED_DATE, TRANS_NUMBER, FILING_SCHED_ABBREV, CNTRBR_TYPE_DESC, R_AMEND. Only the
  contribution schedules are kept: A (individuals and partnerships), B (corporations), C (all
  other, including committees), D (in-kind) and M (contributions refunded, made negative).
  **This layout has no employer column**: a donor who works for an insurer cannot be found
  by employer in NYS data, only organizations giving in their own name (schedules B and C).
  A row with R_AMEND=Y replaces a row of the same filing with the same TRANS_NUMBER.
* `candidate`, our own template for a candidate's spreadsheet: committee_id, transaction_id,
  date, amount, contributor_type, contributor_name, employer, occupation, city, state, memo,
  back_reference (optional: first_name, last_name, zip, memo_text, contributor_fec_id,
  filing_id).

Rows are grouped into one `Filing` per (receiving committee, filing id) when the file has a
filing id column, else one per file (its filing id is the file's name).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pledgewatch.finance.records import Contribution, ContributorType, Filing, SourceError

# Our fields, with the label the web app shows next to its column choice.
FIELDS: dict[str, str] = {
    "amount": "Amount",
    "contributor_name": "Contributor name (or organization)",
    "first_name": "Contributor first name",
    "last_name": "Contributor last name",
    "date": "Date received",
    "employer": "Employer",
    "occupation": "Occupation",
    "contributor_type": "Contributor type (individual, organization, committee)",
    "contributor_fec_id": "Contributor's FEC committee ID",
    "contributor_committee_id": "Contributor's state committee ID",
    "committee_id": "Receiving committee ID",
    "committee_name": "Receiving committee name",
    "filing_id": "Filing or report ID",
    "amendment": "Amendment number or flag",
    "transaction_id": "Transaction ID",
    "form_type": "Schedule or form",
    "transaction_type": "Transaction type",
    "memo": "Memo flag",
    "memo_text": "Memo text",
    "back_reference": "Back reference (the transaction a refund or memo points at)",
    "city": "City",
    "state": "State",
    "zip": "ZIP code",
    "refund_date": "Refund date",
    "itemized": "Itemized flag",
}

CANDIDATE_TEMPLATE = [
    "committee_id",
    "transaction_id",
    "date",
    "amount",
    "contributor_type",
    "contributor_name",
    "employer",
    "occupation",
    "city",
    "state",
    "memo",
    "back_reference",
]

# A preset: "columns" maps our fields to the export's headers (a tuple is joined with "-");
# "detect" holds the headers that identify the export. Optional: "delimiter", "quoting",
# "keep" (field, the values whose rows are kept), "negate" (field, the values whose positive
# amounts are made negative) and "amendments" ("highest" version number, or a "flag").
PRESETS: dict[str, dict[str, Any]] = {
    "nyc-cfb": {
        "label": "NYC Campaign Finance Board contributions (CSV)",
        "detect": {"RECIPID", "FILING", "REFNO", "NAME", "C_CODE", "EMPNAME", "AMNT"},
        "columns": {
            "committee_id": "RECIPID",
            "committee_name": "RECIPNAME",
            "filing_id": ("RECIPID", "ELECTION", "FILING"),
            "transaction_id": "REFNO",
            "form_type": "SCHEDULE",
            "date": "DATE",
            "refund_date": "REFUNDDATE",
            "contributor_name": "NAME",
            "contributor_type": "C_CODE",
            "employer": "EMPNAME",
            "occupation": "OCCUPATION",
            "city": "CITY",
            "state": "STATE",
            "zip": "ZIP",
            "amount": "AMNT",
        },
    },
    "cal-access": {
        "label": "California CAL-ACCESS receipts (RCPT_CD.TSV)",
        "detect": {"FILING_ID", "AMEND_ID", "TRAN_ID", "ENTITY_CD", "CTRIB_NAML", "AMOUNT"},
        "columns": {
            "filing_id": "FILING_ID",
            "amendment": "AMEND_ID",
            "transaction_id": "TRAN_ID",
            "form_type": "FORM_TYPE",
            "contributor_type": "ENTITY_CD",
            "last_name": "CTRIB_NAML",
            "first_name": "CTRIB_NAMF",
            "city": "CTRIB_CITY",
            "state": "CTRIB_ST",
            "zip": "CTRIB_ZIP4",
            "employer": "CTRIB_EMP",
            "occupation": "CTRIB_OCC",
            "transaction_type": "TRAN_TYPE",
            "date": "RCPT_DATE",
            "amount": "AMOUNT",
            "contributor_committee_id": "CMTE_ID",
            "memo": "MEMO_CODE",
            "back_reference": "BAKREF_TID",
        },
        "delimiter": "\t",
        "quoting": csv.QUOTE_NONE,
        "keep": ("form_type", {"A", "A-1", "C", "F401A", "F496P3", "F900"}),
        "negate": ("transaction_type", {"R"}),
        "amendments": "highest",
    },
    "nys-boe": {
        "label": "New York State Board of Elections disclosure (CSV)",
        "detect": {"FILER_ID", "FILING_SCHED_ABBREV", "TRANS_NUMBER", "SCHED_DATE", "ORG_AMT"},
        "columns": {
            "committee_id": "FILER_ID",
            "committee_name": "CAND_COMM_NAME",
            "filing_id": ("FILER_ID", "ELECTION_YEAR", "FILING_ABBREV"),
            "amendment": "R_AMEND",
            "form_type": "FILING_SCHED_ABBREV",
            "transaction_id": "TRANS_NUMBER",
            "date": "SCHED_DATE",
            "contributor_type": "CNTRBR_TYPE_DESC",
            "contributor_name": "FLNG_ENT_NAME",
            "first_name": "FLNG_ENT_FIRST_NAME",
            "last_name": "FLNG_ENT_LAST_NAME",
            "city": "FLNG_ENT_CITY",
            "state": "FLNG_ENT_STATE",
            "zip": "FLNG_ENT_ZIP",
            "amount": "ORG_AMT",
            "memo_text": "TRANS_EXPLNTN",
            "itemized": "R_ITEMIZED",
        },
        "keep": ("form_type", {"A", "B", "C", "D", "M"}),
        "negate": ("form_type", {"M"}),
        "amendments": "flag",
    },
    "candidate": {
        "label": "Candidate's spreadsheet (Pledgewatch template)",
        "detect": {"amount", "contributor_name", "contributor_type", "employer", "date"},
        "columns": {
            **{name: name for name in CANDIDATE_TEMPLATE},
            "first_name": "first_name",
            "last_name": "last_name",
            "zip": "zip",
            "memo_text": "memo_text",
            "contributor_fec_id": "contributor_fec_id",
            "filing_id": "filing_id",
        },
    },
}

# Headers people give each field (lowercased), for `guess_mapping`; first match wins.
GUESSES: dict[str, tuple[str, ...]] = {
    "amount": (
        "amount",
        "amnt",
        "contribution amount",
        "contribution_amount",
        "contribution_receipt_amount",
        "transaction_amt",
        "org_amt",
        "amount received",
        "amt",
    ),
    "date": (
        "date",
        "contribution date",
        "contribution_date",
        "contribution_receipt_date",
        "date received",
        "receipt date",
        "rcpt_date",
        "sched_date",
        "transaction_dt",
    ),
    "contributor_name": (
        "contributor_name",
        "contributor name",
        "contributor",
        "name",
        "donor",
        "donor name",
        "flng_ent_name",
    ),
    "first_name": ("first_name", "first name", "firstname", "ctrib_namf", "flng_ent_first_name"),
    "last_name": ("last_name", "last name", "lastname", "ctrib_naml", "flng_ent_last_name"),
    "employer": ("employer", "empname", "employer name", "contributor_employer", "ctrib_emp"),
    "occupation": ("occupation", "contributor_occupation", "ctrib_occ", "job title"),
    "contributor_type": (
        "contributor_type",
        "contributor type",
        "type",
        "entity_type",
        "entity_tp",
        "entity_cd",
        "c_code",
        "cntrbr_type_desc",
    ),
    "contributor_fec_id": ("contributor_fec_id", "contributor_id", "other_id", "fec id"),
    "committee_id": ("committee_id", "committee id", "recipid", "filer_id", "cmte_id"),
    "committee_name": ("committee_name", "committee name", "recipname", "cand_comm_name"),
    "filing_id": ("filing_id", "report_id", "filing", "file_num", "file_number"),
    "amendment": ("amendment", "amend_id", "r_amend"),
    "transaction_id": ("transaction_id", "transaction id", "tran_id", "refno", "trans_number"),
    "form_type": ("form_type", "schedule", "line_number", "filing_sched_abbrev"),
    "transaction_type": ("transaction_type", "tran_type", "transaction_tp"),
    "memo": ("memo", "memo_code", "memo_cd"),
    "memo_text": ("memo_text", "memo text", "trans_explntn"),
    "back_reference": ("back_reference", "back reference", "bakref_tid"),
    "city": ("city", "contributor_city", "ctrib_city", "flng_ent_city"),
    "state": ("state", "st", "contributor_state", "ctrib_st", "flng_ent_state"),
    "zip": ("zip", "zip code", "zipcode", "zip_code", "ctrib_zip4", "flng_ent_zip"),
    "refund_date": ("refund_date", "refunddate", "refund date"),
    "itemized": ("itemized", "r_itemized"),
}

TRUE_WORDS = {"X", "Y", "YES", "TRUE", "T", "1"}
INDIVIDUAL_CODES = {"IND", "INDIVIDUAL", "INDV", "PERSON", "CAN", "CANDIDATE", "FAM", "SPO"}
COMMITTEE_CODES = {"COM", "COMMITTEE", "PAC", "PTY", "PARTY", "CCM", "RCP", "SCC"}
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%Y/%m/%d", "%d-%b-%Y", "%d-%b-%y")
DELIMITERS = (",", "\t", ";", "|")
DELIMITER_NAMES = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's date serials
EXCEL_SERIALS = (18264, 73050)  # 1950-01-01 .. 2099-12-31 as serials
MAX_LISTED_ERRORS = 10


class TableError(SourceError):
    """A file that cannot be imported; also says which column, when one is at fault."""

    def __init__(self, message: str, *, path: str = "", line: int = 0, column: str = "") -> None:
        super().__init__(message, path=path, line=line)
        self.message = message
        self.column = column


@dataclass
class Table:
    """A file's header row and data rows, as read (row numbers as a spreadsheet shows them)."""

    path: str
    headers: list[str]
    rows: list[tuple[int, list[Any]]]
    format: str  # "csv" or "xlsx"
    encoding: str = ""  # "utf-8", "cp1252" or "utf-16"; "" for .xlsx
    delimiter: str = ""
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)


# -- public API ---------------------------------------------------------------------------------


def headers(path: str | Path, sheet: str | None = None) -> list[str]:
    """The column names in row 1, for the web app's column-mapping step."""
    return _load(Path(path), sheet=sheet, header_only=True).headers


def describe(path: str | Path, sheet: str | None = None) -> dict[str, Any]:
    """How the file reads: format, encoding (utf-8 or cp1252 ...), delimiter, sheets, headers."""
    table = _load(Path(path), sheet=sheet, header_only=True)
    return {
        "format": table.format,
        "encoding": table.encoding,
        "delimiter": table.delimiter,
        "sheet": table.sheet,
        "sheets": table.sheets,
        "headers": table.headers,
        "preset": detect_preset(table.headers),
    }


def detect_preset(headers: list[str]) -> str | None:
    """The preset whose identifying columns are all in these headers, or None."""
    present = {_norm(h) for h in headers}
    for name, preset in PRESETS.items():
        if {_norm(c) for c in preset["detect"]} <= present:
            return name
    return None


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Suggested column for each of our fields, from the names such columns usually have."""
    by_lower = {_norm(h): h for h in headers}
    guesses: dict[str, str] = {}
    for name, candidates in GUESSES.items():
        for candidate in candidates:
            if candidate in by_lower and by_lower[candidate] not in guesses.values():
                guesses[name] = by_lower[candidate]
                break
    return guesses


def required_columns(preset: str) -> list[str]:
    """The columns a preset cannot do without: the amount and the contributor's name."""
    columns = PRESETS[preset]["columns"]
    name = columns.get("contributor_name") or columns["last_name"]
    return [columns["amount"], name]


def mapping_warnings(
    headers: list[str], mapping: str | Path | dict[str, Any], *, encoding: str = ""
) -> list[str]:
    """What a mapping leaves out that the screen would miss; errors raise SourceError as in
    `read_table` (a missing amount or name column, a column the file does not have).
    `encoding` is `describe(path)["encoding"]`, to say when a file was not UTF-8."""
    _, preset = _resolve_mapping(mapping)
    layout = _layout(Table(path="", headers=list(headers), rows=[], format=""), preset)
    notes = []
    if encoding == "cp1252":
        notes.append(
            "The file is not UTF-8: it was read as Windows-1252 (what Excel on Windows saves). "
            "Check that names with accents look right."
        )
    if "date" not in layout.columns:
        notes.append(
            "No date column: the screen cannot tell when money arrived, so it cannot apply an "
            "endorsement's cut-off date or show a timeline."
        )
    if "employer" not in layout.columns:
        notes.append(
            "No employer column: donors who work for an insurer or a drug company cannot be "
            "found; only organizations giving in their own name can."
        )
    if "contributor_type" not in layout.columns:
        notes.append(
            "No contributor type column: every contributor will be taken for an individual, "
            "so PAC and corporate money is found by name only."
        )
    return notes


def read_table(
    path: str | Path,
    *,
    mapping: str | Path | dict[str, Any],
    sheet: str | None = None,
    committee_id: str = "",
) -> list[Filing]:
    """Every contribution in the file, grouped into filings; SourceError if any row is bad.

    `mapping` is a preset name (see PRESETS), a dict {our field: column header}, or the path of
    a JSON file holding such a dict (it may name a "preset" whose columns it overrides).
    `committee_id` is the receiving committee for files that do not say (CAL-ACCESS, a
    candidate's sheet without a committee_id column).
    """
    path = Path(path)
    source, preset = _resolve_mapping(mapping)
    options = {k: v for k, v in preset.items() if k != "columns"}
    table = _load(
        path,
        sheet=sheet,
        delimiter=options.get("delimiter"),
        quoting=options.get("quoting", csv.QUOTE_MINIMAL),
    )
    layout = _layout(table, preset)
    return _build(table, layout, source, options, committee_id.strip().upper())


# -- mapping ------------------------------------------------------------------------------------


def _norm(header: object) -> str:
    return str(header or "").replace("\ufeff", "").strip().casefold()


def _resolve_mapping(mapping: str | Path | dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(source name, preset-shaped dict) for a preset name, a mapping dict or a JSON file."""
    if isinstance(mapping, Path):
        mapping = str(mapping)
    if isinstance(mapping, str):
        if mapping in PRESETS:
            return mapping, PRESETS[mapping] | {"preset": mapping}
        mapping_path = Path(mapping)
        if not mapping_path.is_file():
            raise SourceError(
                f"“{mapping}” is neither a preset ({', '.join(PRESETS)}) nor a mapping file."
            )
        try:
            loaded = json.loads(mapping_path.read_text(encoding="utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SourceError(
                f"is not a JSON mapping ({exc}); write it as "
                '{"amount": "Amount", "contributor_name": "Name", ...}.',
                path=str(mapping_path),
            ) from None
        if not isinstance(loaded, dict):
            raise SourceError(
                'is not a JSON object; write it as {"amount": "Amount", ...}.',
                path=str(mapping_path),
            )
        mapping = loaded
    mapping = dict(mapping)
    base_name = mapping.pop("preset", None)
    if base_name is not None and base_name not in PRESETS:
        raise SourceError(f"“{base_name}” is not a preset; the presets are {', '.join(PRESETS)}.")
    unknown = [name for name in mapping if name not in FIELDS]
    if unknown:
        raise SourceError(
            f"the mapping names “{unknown[0]}”, which is not one of our fields: "
            f"{', '.join(FIELDS)}."
        )
    if base_name:
        columns = {**PRESETS[base_name]["columns"], **mapping}
        chosen = set(mapping)
        return base_name, PRESETS[base_name] | {
            "preset": base_name,
            "columns": columns,
            "chosen": chosen,
        }
    return "spreadsheet", {"columns": mapping, "chosen": set(mapping)}


@dataclass
class Layout:
    """Where each of our fields is: field -> column indexes (several are joined with "-")."""

    headers: list[str]
    columns: dict[str, list[int]]

    def header(self, name: str) -> str:
        return "+".join(self.headers[i] for i in self.columns.get(name, ()))


def _layout(table: Table, preset: dict[str, Any]) -> Layout:
    """Find each mapped column; TableError (row 1) when a needed or chosen column is absent."""
    index: dict[str, int] = {}
    for i, header in enumerate(table.headers):
        index.setdefault(_norm(header), i)
    chosen = preset.get("chosen", set())
    columns: dict[str, list[int]] = {}
    absent: dict[str, str] = {}  # field -> a chosen column the file does not have
    for name, spec in preset["columns"].items():
        if spec in (None, "", [], ()):
            continue
        wanted = list(spec) if isinstance(spec, tuple | list) else [spec]
        found = [index[_norm(c)] for c in wanted if _norm(c) in index]
        missing = [str(c) for c in wanted if _norm(c) not in index]
        if missing and name in chosen:
            absent[name] = missing[0]
        if found:
            columns[name] = found
    if "amount" not in columns:
        raise _no_column(
            table,
            preset,
            absent,
            "amount",
            "no column for amount: choose which column holds the amount",
        )
    if "contributor_name" not in columns and "last_name" not in columns:
        raise _no_column(
            table,
            preset,
            absent,
            "contributor_name" if "contributor_name" in preset["columns"] else "last_name",
            "no column for the contributor's name: choose the column with the name (or the "
            "first- and last-name columns)",
        )
    if absent:
        name, column = next(iter(absent.items()))
        raise TableError(
            f"the mapping puts {name} in column “{column}”, but the file has no such "
            f"column; its columns are: {', '.join(table.headers)}.",
            path=table.path,
            line=1,
            column=column,
        )
    return Layout(headers=table.headers, columns=columns)


def _no_column(
    table: Table, preset: dict[str, Any], absent: dict[str, str], name: str, message: str
) -> TableError:
    spec = preset["columns"].get(name)
    column = str(spec or "")
    if name in absent:
        column = absent[name]
        message += f" (the mapping names “{column}”, but the file has no such column)"
    elif spec and "preset" in preset:
        message += f" (the preset expects {column})"
    return TableError(message, path=table.path, line=1, column=column)


# -- reading files ------------------------------------------------------------------------------


def _load(
    path: Path,
    *,
    sheet: str | None = None,
    delimiter: str | None = None,
    quoting: int = csv.QUOTE_MINIMAL,
    header_only: bool = False,
) -> Table:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("there is no such file.", path=str(path)) from None
    except OSError as exc:
        raise SourceError(f"cannot be read ({exc.strerror}).", path=str(path)) from None
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise TableError(
            "the file is empty: there is no header row and no contributions. Export it again, "
            "or choose another file.",
            path=str(path),
        )
    if path.suffix.lower() in XLSX_SUFFIXES or data.startswith(b"PK\x03\x04"):
        return _load_xlsx(path, data, sheet, header_only)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise TableError(
            "is an old-style Excel workbook (.xls) or a password-protected one: open it in "
            "Excel or LibreOffice and save it as .xlsx or as CSV UTF-8.",
            path=str(path),
        )
    if path.suffix.lower() == ".xls":
        raise TableError(
            "has an .xls name but is not an Excel workbook: if it is text, rename it .csv.",
            path=str(path),
        )
    return _load_text(path, data, delimiter, quoting, header_only)


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with: UTF-8 (with or without BOM), else cp1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode Text"
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise TableError(
            "is not a text file (it contains NUL bytes): if it came from Excel, save it as "
            "“CSV UTF-8” (or .xlsx) and import that.",
            path=str(path),
            line=line,
        )
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise TableError(
            f"is neither UTF-8 nor Windows-1252 text (byte 0x{data[exc.start]:02x} cannot be "
            "read in either): save it from Excel as “CSV UTF-8” and import it again.",
            path=str(path),
            line=line,
        ) from None


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _load_text(
    path: Path, data: bytes, delimiter: str | None, quoting: int, header_only: bool = False
) -> Table:
    text, encoding = _decode(path, data)
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = delimiter or _sniff_delimiter(first_line)
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting, strict=True
    )
    rows: list[tuple[int, list[Any]]] = []
    start = 1
    try:
        for values in reader:
            rows.append((start, values))
            start = reader.line_num + 1
            if header_only and any(v.strip() for v in values):
                break
    except csv.Error as exc:
        raise TableError(
            f'broken quotes: a field here opens a quote (") that is not closed where the field '
            f"ends ({exc}). Fix the quotes on this row, or export the file again.",
            path=str(path),
            line=start,
        ) from None
    while rows and not any(str(v).strip() for v in rows[0][1]):
        rows.pop(0)
    if not rows:
        raise TableError("the file is empty: there is no header row.", path=str(path))
    header_line, header = rows.pop(0)
    if header_line != 1:
        raise TableError(
            "row 1 is empty: put the column names in the first row.", path=str(path), line=1
        )
    return Table(
        path=str(path),
        headers=[str(h).replace("\ufeff", "").strip() for h in header],
        rows=rows,
        format="csv",
        encoding=encoding,
        delimiter=delimiter,
    )


def _load_xlsx(path: Path, data: bytes, sheet: str | None, header_only: bool = False) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    if not zipfile.is_zipfile(io.BytesIO(data)):
        hint = (
            "it is an old-style .xls workbook: save it as .xlsx"
            if data.startswith(b"\xd0\xcf\x11\xe0")
            else "if it is a CSV file, rename it .csv; otherwise open it in Excel and save it "
            "as .xlsx"
        )
        raise TableError(
            f"is not an Excel .xlsx workbook (an .xlsx file is a zip archive and this one is "
            f"not): {hint}.",
            path=str(path),
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's notes on styles and data validation
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise TableError(
            f"is a zip archive but not an Excel workbook that can be read ({exc}): open it in "
            "Excel and save it as .xlsx again.",
            path=str(path),
        ) from None
    try:
        names = list(workbook.sheetnames)
        if sheet is not None and sheet not in names:
            raise TableError(
                f"has no sheet “{sheet}”; its sheets are: {', '.join(names)}.", path=str(path)
            )
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw = [
                list(values)
                for values in worksheet.iter_rows(
                    max_row=1 if header_only else None, values_only=True
                )
            ]
        title = worksheet.title
    finally:
        workbook.close()
    rows = [(number, values) for number, values in enumerate(raw, start=1)]
    while rows and not any(_cell_text(v) for v in rows[-1][1]):
        rows.pop()
    if not rows:
        raise TableError(
            f"the file is empty: sheet “{title}” has no header row and no contributions.",
            path=str(path),
        )
    _, header = rows.pop(0)
    if not any(_cell_text(v) for v in header):
        raise TableError(
            f"row 1 of sheet “{title}” is empty: put the column names in the first row.",
            path=str(path),
            line=1,
        )
    while header and not _cell_text(header[-1]):
        header.pop()
    return Table(
        path=str(path),
        headers=[_cell_text(h) for h in header],
        rows=rows,
        format="xlsx",
        sheet=title,
        sheets=names,
    )


# -- values -------------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an ID or ZIP that Excel stored as a number
    return str(value).strip()


def _parse_amount(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    else:
        text = str(value).strip().replace("$", "").replace(",", "").replace(" ", "")
        negative = False
        if text.startswith("(") and text.endswith(")"):  # accounting style
            negative, text = True, text[1:-1]
        if text.endswith("-"):
            negative, text = not negative, text[:-1]
        amount = Decimal(text)
        if negative:
            amount = -amount
    if not amount.is_finite():
        raise ValueError
    return amount


def _parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if EXCEL_SERIALS[0] <= value <= EXCEL_SERIALS[1]:  # a date cell not formatted as one
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError
    text = str(value).strip()
    if not text:
        return None
    text = re.split(r"[T ]", text, maxsplit=1)[0]  # "1/31/2019 12:00:00 AM", "2010-08-11T00:00"
    if text.isdigit() and len(text) == 8:  # 20210813 or the FEC's 08132021
        formats = ("%Y%m%d", "%m%d%Y") if 1900 <= int(text[:4]) <= 2100 else ("%m%d%Y",)
    else:
        formats = DATE_FORMATS
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, not a time)
        except ValueError:
            continue
    raise ValueError


def _is_true(value: str) -> bool:
    return value.strip().upper() in TRUE_WORDS


def _contributor_type(code: str) -> str | None:
    """Our type for a source's code or description; None when the cell is empty."""
    key = code.strip().upper()
    if not key:
        return None
    if key in INDIVIDUAL_CODES or any(
        word in key for word in ("INDIVIDUAL", "CANDIDATE", "FAMILY", "SPOUSE")
    ):
        return ContributorType.INDIVIDUAL
    if key in COMMITTEE_CODES or key.startswith("PCOM"):
        return ContributorType.COMMITTEE
    if "COMMITTEE" in key or "PARTY" in key.split() or "PAC" in re.split(r"\W+", key):
        return ContributorType.COMMITTEE
    return ContributorType.ORGANIZATION  # CORP, LLC, OTH, EMPO, "Corporation", "Labor Union"...


# -- building filings ---------------------------------------------------------------------------


@dataclass
class _Row:
    line: int
    values: dict[str, str]
    raw_amount: Any
    raw_date: Any
    raw_refund_date: Any


def _build(
    table: Table, layout: Layout, source: str, options: dict[str, Any], committee_id: str
) -> list[Filing]:
    width = len(table.headers)
    errors: list[TableError] = []
    rows: list[_Row] = []
    seen = 0
    keep = options.get("keep")
    if keep and keep[0] not in layout.columns:
        keep = None  # the export lacks the column that tells contributions apart: keep all
    for line, values in table.rows:
        if not any(_cell_text(v) for v in values):
            continue  # a blank line
        if table.format == "csv" and len(values) != width:
            what = DELIMITER_NAMES.get(table.delimiter, repr(table.delimiter))
            errors.append(
                TableError(
                    f"has {len(values)} fields where the header has {width}: check this row "
                    f'for a stray {what} or an unclosed quote (").',
                    path=table.path,
                    line=line,
                )
            )
            continue
        values = values + [None] * (width - len(values))
        seen += 1

        def cell(name: str, values: list[Any] = values) -> Any:
            indexes = layout.columns.get(name, ())
            if len(indexes) == 1:
                return values[indexes[0]]
            return "-".join(_cell_text(values[i]) for i in indexes if _cell_text(values[i]))

        texts = {name: _cell_text(cell(name)) for name in layout.columns}
        if keep and texts.get(keep[0], "").upper() not in keep[1]:
            continue
        rows.append(_Row(line, texts, cell("amount"), cell("date"), cell("refund_date")))
    if not seen and not errors:
        raise TableError("has a header row but no contributions under it.", path=table.path, line=1)
    if not rows and not errors:
        field_name, kept = keep  # only a "keep" filter can empty a file that had rows
        raise TableError(
            f"none of its {seen} rows is a contribution ({layout.header(field_name)} is not one "
            f"of {', '.join(sorted(kept))}): is this the file of receipts?",
            path=table.path,
        )
    contributions: list[tuple[_Row, Contribution]] = []
    for row in rows:
        try:
            contributions.append((row, _contribution(row, layout, table, source, options)))
        except TableError as exc:
            errors.append(exc)
    if errors:
        raise _summary(errors)
    contributions = _apply_amendments(contributions, layout, table, options)
    return _group(contributions, table, source, committee_id)


def _contribution(
    row: _Row, layout: Layout, table: Table, source: str, options: dict[str, Any]
) -> Contribution:
    get = row.values.get

    def fail(name: str, message: str) -> TableError:
        header = layout.header(name)
        return TableError(
            f"column {header}: {message}", path=table.path, line=row.line, column=header
        )

    if not get("amount"):
        raise fail("amount", "is empty: every contribution needs an amount")
    try:
        amount = _parse_amount(row.raw_amount)
    except (ValueError, InvalidOperation):
        raise fail(
            "amount", f"“{get('amount')}” is not an amount (write it like 250 or 1,250.00)"
        ) from None
    try:
        received = _parse_date(row.raw_date) if "date" in layout.columns else None
    except ValueError:
        raise fail(
            "date", f"“{get('date')}” is not a date (write it as YYYY-MM-DD or MM/DD/YYYY)"
        ) from None
    try:
        refunded = _parse_date(row.raw_refund_date) if "refund_date" in layout.columns else None
    except ValueError:
        raise fail(
            "refund_date",
            f"“{get('refund_date')}” is not a date (write it as YYYY-MM-DD or MM/DD/YYYY)",
        ) from None
    negate = options.get("negate")
    if negate and get(negate[0], "").upper() in negate[1] and amount > 0:
        amount = -amount

    last, first = get("last_name", ""), get("first_name", "")
    person = ", ".join(part for part in (last, first) if part)
    code = get("contributor_type", "")
    kind = _contributor_type(code)
    name = get("contributor_name", "")
    if person and (not name or kind == ContributorType.INDIVIDUAL):
        name = person
    if kind is None:  # no type given: most itemized donors are people
        kind = ContributorType.INDIVIDUAL
    if not name:
        if "itemized" in layout.columns and get("itemized") and not _is_true(get("itemized", "")):
            name = "(unitemized)"
        else:
            column = layout.header("contributor_name") or layout.header("last_name")
            raise TableError(
                f"column {column}: is empty: every contribution needs the contributor's name",
                path=table.path,
                line=row.line,
                column=column,
            )

    extra: dict[str, Any] = {}
    for key in ("zip", "contributor_committee_id", "amendment", "transaction_type"):
        if get(key):
            extra[key] = get(key)
    if code:
        extra["contributor_type_code"] = code
    if refunded:
        extra["refund_date"] = refunded.isoformat()
    if "itemized" in layout.columns and get("itemized") and not _is_true(get("itemized", "")):
        extra["itemized"] = False
    return Contribution(
        source=source,
        filing_id="",  # set when the rows are grouped into filings
        transaction_id=get("transaction_id", ""),
        form_type=get("form_type", "").upper(),
        recipient_committee_id=get("committee_id", "").upper(),
        contributor_name=name,
        contributor_type=kind,
        contributor_fec_id=get("contributor_fec_id", "").upper(),
        employer=get("employer", ""),
        occupation=get("occupation", ""),
        date=received,
        amount=amount,
        memo=_is_true(get("memo", "")),
        memo_text=get("memo_text", ""),
        back_reference=get("back_reference", ""),
        city=get("city", ""),
        state=get("state", ""),
        line=row.line,
        extra=extra,
    )


def _summary(errors: list[TableError]) -> TableError:
    errors = sorted(errors, key=lambda e: e.line)
    first = errors[0]
    message = first.message
    if len(errors) > 1:
        lines = sorted({e.line for e in errors[1:] if e.line})
        shown = ", ".join(str(n) for n in lines[:MAX_LISTED_ERRORS])
        more = ", ..." if len(lines) > MAX_LISTED_ERRORS else ""
        message += f" (and {len(errors) - 1} more problems, on lines {shown}{more})"
    return TableError(message, path=first.path, line=first.line, column=first.column)


def _filing_key(row: _Row) -> tuple[str, str]:
    return row.values.get("committee_id", "").upper(), row.values.get("filing_id", "")


def _apply_amendments(
    contributions: list[tuple[_Row, Contribution]],
    layout: Layout,
    table: Table,
    options: dict[str, Any],
) -> list[tuple[_Row, Contribution]]:
    """Drop the rows an amendment replaces (see the module docstring for each source's rule)."""
    if "amendment" not in layout.columns:
        return contributions
    values = [row.values.get("amendment", "") for row, _ in contributions]
    rule = options.get("amendments")
    if rule is None:  # a mapping chosen by hand: numbers are versions, anything else a flag
        rule = "highest" if all(v.isdigit() for v in values if v) else "flag"
    if rule == "highest":
        versions: dict[tuple[str, str], int] = {}
        for row, _ in contributions:
            text = row.values.get("amendment", "") or "0"
            if not text.isdigit():
                header = layout.header("amendment")
                raise TableError(
                    f"column {header}: “{text}” is not an amendment number (0 for the original)",
                    path=table.path,
                    line=row.line,
                    column=header,
                )
            key = _filing_key(row)
            versions[key] = max(versions.get(key, 0), int(text))
        return [
            (row, c)
            for row, c in contributions
            if int(row.values.get("amendment", "") or 0) == versions[_filing_key(row)]
        ]
    groups: dict[tuple[str, str, str], list[int]] = {}
    for position, (row, _) in enumerate(contributions):
        if row.values.get("transaction_id"):
            key = (*_filing_key(row), row.values["transaction_id"])
            groups.setdefault(key, []).append(position)
    dropped: set[int] = set()
    for positions in groups.values():
        flagged = [
            p for p in positions if _is_true(contributions[p][0].values.get("amendment", ""))
        ]
        if flagged:  # the last amended version replaces every other row of this transaction
            dropped.update(p for p in positions if p != flagged[-1])
    return [pair for position, pair in enumerate(contributions) if position not in dropped]


def _group(
    contributions: list[tuple[_Row, Contribution]], table: Table, source: str, committee_id: str
) -> list[Filing]:
    stem = Path(table.path).name
    filings: dict[tuple[str, str], Filing] = {}
    for row, contribution in contributions:
        committee = contribution.recipient_committee_id or committee_id
        filing_id = row.values.get("filing_id", "") or stem
        key = (committee, filing_id)
        filing = filings.get(key)
        if filing is None:
            filing = filings[key] = Filing(
                source=source,
                filing_id=filing_id,
                committee_id=committee,
                committee_name=row.values.get("committee_name", ""),
                path=table.path,
            )
        amendment = row.values.get("amendment", "")
        if (amendment.isdigit() and int(amendment) > 0) or _is_true(amendment):
            filing.is_amendment = True
        contribution.filing_id = filing_id
        contribution.recipient_committee_id = committee
        filing.contributions.append(contribution)
    return list(filings.values())
