"""FEC electronic and paper filings (`.fec`, or a `.zip` of them) read with `fecfile`; no Django.

`read_fec(path)` returns one `Filing` per `.fec` file, with its receipts as `Contribution`s.
`select_current(filings)` drops the reports that a later filing in the list replaces.

Layouts. `fecfile` (0.9.1) maps every record's fields by format version. Seen in the real files
under shared/data/fec_efilings: v6-8.x fields separated by ASCII 28; v3/v5 quoted CSV; v2.02
with a `/* Header ... /* End Header` block; paper filings keyed by vendors (versions P2.6-P3.4,
source "fec-paper"; they carry no transaction ids and, before P3.3, no memo code).
We read the bytes ourselves and hand fecfile one decoded line at a time:

* Lines are split on "\\n" only (a trailing "\\r" is dropped). `str.splitlines()` would also
  split on ASCII 28, the v8 field separator.
* Each line is decoded as UTF-8 or, failing that, as Windows-1252 (0x92 is a right quote there,
  a control character in ISO-8859-1, which is fecfile's own fallback); bytes Windows-1252
  leaves undefined fall back to ISO-8859-1.
* Values are taken as strings (fecfile's `as_strings`): amounts become `Decimal` without a
  detour through float, and dates (YYYYMMDD in every version) become `datetime.date`.

Line numbers. `Contribution.line` is the 1-based physical line of the record in its file (in
the zip member for a zip): the number an editor shows. fecfile does not report it, so the lines
are fed to its `iter_lines` through a generator that notes the number of each line it hands
over; fecfile pulls one line and yields at most one item for it, so when an item arrives the
last line handed over is the item's line. The v2 header block spans several lines; the count
includes them.

What is imported (all other records are parsed, so a damaged one still fails, and dropped):

* Every Schedule A itemization: receipts (SA11AI individuals, SA11B party, SA11C other
  committees and PACs, SA11D candidate, SA12 transfers, SA13 loans, SA14/SA15 offsets and other
  receipts, SA17A-D on Form 3P ...). `form_type` is the line, upper-cased, with the old v2/v3
  spelling SA11A1 given as SA11AI (the filed spelling is in `extra["form_type_filed"]`).
  Lobbyist-bundling rows (SA3L) are not receipts and are skipped.
* Refunds of contributions, which are money going back: Schedule B lines 20a/20b/20c on Form 3
  (SB20A individuals, SB20B party, SB20C other committees) and 28a/28b/28c on Forms 3X and 3P
  (SB28A, SB28B, SB28C). The amount is the negated disbursement: a refund is negative, a voided
  refund (filed negative) positive. The contributor is the payee; for SB20B/C and SB28B/C the
  payee committee's id is taken from `beneficiary_committee_fec_id`. `back_reference` is the
  original receipt's transaction id when the filer gives it.
* Nothing else from Schedule B: contributions a PAC makes to candidates (SB23) are the giver's
  side, not receipts.

Contribution fields. `filing_id` is the FEC file number: the last all-digit token of the file
(or zip member) name, e.g. fastfec__1544132.fec -> "1544132", 1613679_malformed.fec ->
"1613679"; a name without one gives its stem ("fecparse__paper2"). The header's report id is
not a fallback: it is filled in only on amendments and names the report being amended, not
this one. `contributor_name` is an organization's name, or "LAST, FIRST MIDDLE SUFFIX" for a
person (the v2/v3 "Last^First Middle^Prefix^Suffix" is turned into the same). `contributor_type`
comes from the entity type (IND/CAN individual; PAC/COM/PTY/CCM committee; ORG organization);
where it is missing (paper filings, some v3 rows) a donor committee id or a committee line
(SA11B/SA11C/SA12, SA17B/SA17C/SA18 on Form 3P, the B and C refund lines) means committee, a
person's name individual, anything else organization. `memo` is memo code "X" (on paper
filings without a memo code column: memo text "MEMO"). `extra` holds entity_type, aggregate,
election_code, purpose, conduit_name, image_number and form_type_filed where the filing gives
them (and date_filed when a date cannot be read: `date` is then None).

Filings. `amends` is the file number in the header's report id ("FEC-1542500" -> "1542500"),
read only when the form type ends with A; every amendment in the fixtures that names its
original does it there (fecfile's v3-8 header field `report_id`; v2.02 headers have none).
`summary` holds the filer's summary-page totals for the period (column A), as Decimal, under
these keys, the same on every form (blank or unreadable values are left out):

    key                 Form 3 (House, Senate)  Form 3X (PAC, party)  Form 3P (President)
    indiv_itemized      11a(i)                  11a(i)                17a(i)
    indiv_unitemized    11a(ii)                 11a(ii)               17a(ii)
    indiv_total         11a(iii)                11a(iii)              17a(iii)
    party               11b                     11b                   17b
    committees          11c                     11c                   17c
    candidate           11d                     -                     17d
    contributions_total 11e                     11d                   17e
    transfers_in        12                      12                    18
    loans               13c                     13                    19c
    offsets             14                      15                    20d
    other_receipts      15                      17                    21
    receipts_total      16                      19                    22
    refunds_indiv       20a                     28a                   28a
    refunds_party       20b                     28b                   28b
    refunds_committees  20c                     28c                   28c
    refunds_total       20d                     28d                   28d

`SCHEDULE_LINES` says which itemization lines add up to which key.

Errors. Anything that cannot be imported raises `SourceError` naming the file (a zip member as
"archive.zip:member.fec") and, where known, the line: a missing, empty, binary or non-.fec file
(the first record must be HDR or a `/* Header` block, so FastFEC's "no header mapping" case,
a first record TEST, is refused here); an unknown format version (the invalid-version fixture
says 180.5); a damaged or unclosed `/* Header` block; a record type fecfile has no layout for
(strict: fecfile cannot skip a record, and an unknown one may be a receipt); a report record
missing after the header; an amount that is not a number; a zip that is not one, is truncated,
has a damaged member or holds no .fec; a .fec cut off part-way, as far as it shows (see
"truncation" below: a cut exactly between two itemizations does not show): the message says
"the file is truncated", names the line where it now ends and asks for the filing to be
downloaded again. No fecfile exception or traceback escapes.

Quotes. fecfile reads a CSV-layout record with a quote left open without complaint, but the
fields after the quote come out shifted or swallowed into one. So each record we import (the
report record, Schedule A, the refund lines) that fails strict CSV parsing is accepted only
while its fields are in place: no field holds swallowed separators and its amounts, aggregate
and dates still read as such; otherwise `SourceError` with its line. Stray quotes that
leave the fields in place import: a `"` that ends the record (fecparse__trailing-quote.fec has
114 such H4 lines) or one inside a field. In the ASCII-28 layout quotes are plain characters,
so nothing can be left open: fecparse__quote-left-open.fec imports its one receipt with the
employer `RETIRED FROM BFS. NOW WORKING FOR ~"WO` exactly as filed.
"""

from __future__ import annotations

import csv
import re
import zipfile
import zlib
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

import fecfile
from fecfile import fecparser

from pledgewatch.finance.records import Contribution, ContributorType, Filing, SourceError

FS = "\x1c"  # ASCII 28, the field separator from v6 on

ENTITY_TYPES = {
    "IND": ContributorType.INDIVIDUAL,
    "CAN": ContributorType.INDIVIDUAL,
    "COM": ContributorType.COMMITTEE,
    "PAC": ContributorType.COMMITTEE,
    "PTY": ContributorType.COMMITTEE,
    "CCM": ContributorType.COMMITTEE,
    "ORG": ContributorType.ORGANIZATION,
}

# Refund-of-contribution lines of Schedule B, by form family.
REFUND_LINES = {
    "F3": ("SB20A", "SB20B", "SB20C"),
    "F3X": ("SB28A", "SB28B", "SB28C"),
    "F3P": ("SB28A", "SB28B", "SB28C"),
}
# Lines whose counterpart is a committee, for rows that carry no entity type.
_COMMITTEE_LINES = {
    "F3": {"SA11B", "SA11C", "SA12", "SB20B", "SB20C"},
    "F3X": {"SA11B", "SA11C", "SA12", "SB28B", "SB28C"},
    "F3P": {"SA17B", "SA17C", "SA18", "SB28B", "SB28C"},
}
_FILED_SPELLINGS = {"SA11A1": "SA11AI", "SA11A2": "SA11AII"}

# Summary key -> fecfile field (column A: this period), by form family.
_SUMMARY_FIELDS = {
    "F3": {
        "indiv_itemized": "col_a_individual_contributions_itemized",
        "indiv_unitemized": "col_a_individual_contributions_unitemized",
        "indiv_total": "col_a_total_individual_contributions",
        "party": "col_a_political_party_contributions",
        "committees": "col_a_pac_contributions",
        "candidate": "col_a_candidate_contributions",
        "contributions_total": "col_a_total_contributions",
        "transfers_in": "col_a_transfers_from_authorized",
        "loans": "col_a_total_loans",
        "offsets": "col_a_offset_to_operating_expenditures",
        "other_receipts": "col_a_other_receipts",
        "receipts_total": "col_a_total_receipts",
        "refunds_indiv": "col_a_refunds_to_individuals",
        "refunds_party": "col_a_refunds_to_party_committees",
        "refunds_committees": "col_a_refunds_to_other_committees",
        "refunds_total": "col_a_total_refunds",
    },
    "F3X": {
        "indiv_itemized": "col_a_individuals_itemized",
        "indiv_unitemized": "col_a_individuals_unitemized",
        "indiv_total": "col_a_individual_contribution_total",
        "party": "col_a_political_party_committees",
        "committees": "col_a_other_political_committees_pacs",
        "contributions_total": "col_a_total_contributions",
        "transfers_in": "col_a_transfers_from_aff_other_party_cmttees",
        "loans": "col_a_total_loans",
        "offsets": "col_a_offsets_to_expenditures",
        "other_receipts": "col_a_other_federal_receipts",
        "receipts_total": "col_a_total_receipts",
        "refunds_indiv": "col_a_refunds_to_individuals",
        "refunds_party": "col_a_refunds_to_party_committees",
        "refunds_committees": "col_a_refunds_to_other_committees",
        "refunds_total": "col_a_total_refunds",
    },
    "F3P": {
        "indiv_itemized": "col_a_individuals_itemized",
        "indiv_unitemized": "col_a_individuals_unitemized",
        "indiv_total": "col_a_individual_contribution_total",
        "party": "col_a_political_party_committees_receipts",
        "committees": "col_a_other_political_committees_pacs",
        "candidate": "col_a_the_candidate",
        "contributions_total": "col_a_total_contributions",
        "transfers_in": "col_a_transfers_from_aff_other_party_cmttees",
        "loans": "col_a_total_loans",
        "offsets": "col_a_total_offsets_to_expenditures",
        "other_receipts": "col_a_other_receipts",
        "receipts_total": "col_a_total_receipts",
        "refunds_indiv": "col_a_individuals",
        "refunds_party": "col_a_political_party_committees_refunds",
        "refunds_committees": "col_a_other_political_committees",
        "refunds_total": "col_a_total_contributions_refunds",
    },
}

# Summary key -> the itemization lines whose non-memo amounts make it up, by form family.
# A line that may also hold unitemized money (offsets, other receipts, refunds) can be larger
# than its itemizations; 11c (committees) and 12 (transfers) are always itemized.
SCHEDULE_LINES: dict[str, dict[str, tuple[str, ...]]] = {
    "F3": {
        "indiv_itemized": ("SA11AI",),
        "party": ("SA11B",),
        "committees": ("SA11C",),
        "candidate": ("SA11D",),
        "transfers_in": ("SA12",),
        "loans": ("SA13A", "SA13B"),
        "offsets": ("SA14",),
        "other_receipts": ("SA15",),
        "refunds_indiv": ("SB20A",),
        "refunds_party": ("SB20B",),
        "refunds_committees": ("SB20C",),
    },
    "F3X": {
        "indiv_itemized": ("SA11AI",),
        "party": ("SA11B",),
        "committees": ("SA11C",),
        "transfers_in": ("SA12",),
        "loans": ("SA13",),
        "offsets": ("SA15",),
        "other_receipts": ("SA17",),
        "refunds_indiv": ("SB28A",),
        "refunds_party": ("SB28B",),
        "refunds_committees": ("SB28C",),
    },
    "F3P": {
        "indiv_itemized": ("SA17A",),
        "party": ("SA17B",),
        "committees": ("SA17C",),
        "candidate": ("SA17D",),
        "transfers_in": ("SA18",),
        "loans": ("SA19A", "SA19B"),
        "offsets": ("SA20A", "SA20B", "SA20C"),
        "other_receipts": ("SA21",),
        "refunds_indiv": ("SB28A",),
        "refunds_party": ("SB28B",),
        "refunds_committees": ("SB28C",),
    },
}

try:
    _FECFILE_VERSION = metadata.version("fecfile")
except metadata.PackageNotFoundError:  # pragma: no cover - fecfile vendored without metadata
    _FECFILE_VERSION = "?"


def read_fec(path: str | Path) -> list[Filing]:
    """Read a `.fec` filing, or a `.zip` of them (one Filing per member, in name order)."""
    path = Path(path)
    name = path.name
    if path.suffix.lower() == ".zip":
        return _read_zip(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("no such file", path=str(path)) from None
    except OSError as exc:
        raise SourceError(f"cannot be read ({exc.strerror or exc})", path=name) from None
    return [_read_filing(raw, name=name, path=str(path), filing_id=file_number(name))]


def file_number(name: str) -> str:
    """The FEC file number in a file name: its last all-digit token, else the name's stem."""
    stem = PurePosixPath(name).name
    if stem.lower().endswith(".fec"):
        stem = stem[:-4]
    for token in reversed(re.split(r"[^0-9A-Za-z]+", stem)):
        if token.isdigit():
            return token
    return stem


def select_current(filings: list[Filing]) -> list[Filing]:
    """The filings still in force: amended reports and superseded versions are dropped.

    A filing is dropped when another filing in the list amends it (its `amends` is the
    filing's id), and when several filings cover the same report (committee, form family such
    as F3/F3X/F3P, report code and coverage dates) only the latest, the highest file number,
    is kept. Filings without a report code or coverage dates (F99 letters, 24-hour notices)
    are never grouped. The order of the list is kept.
    """
    amended = {f.amends for f in filings if f.amends and f.amends != f.filing_id}
    kept = [f for f in filings if f.filing_id not in amended]
    latest: dict[tuple, Filing] = {}
    for f in kept:
        key = _report_key(f)
        if key is not None and (key not in latest or _id_order(f) > _id_order(latest[key])):
            latest[key] = f
    return [f for f in kept if (key := _report_key(f)) is None or latest[key] is f]


def form_family(form_type: str) -> str:
    """F3N/F3A/F3T -> F3, F3XN/F3XA -> F3X, F3PN/F3PA -> F3P; anything else as it is."""
    form = form_type.strip().upper()
    if re.fullmatch(r"F3[XPL]?[NAT]", form):
        return form[:-1]
    return form


def _report_key(f: Filing) -> tuple | None:
    if not f.committee_id or not (f.report_code or f.coverage_from or f.coverage_through):
        return None
    return (
        f.committee_id.upper(),
        form_family(f.form_type),
        f.report_code.upper(),
        f.coverage_from,
        f.coverage_through,
    )


def _id_order(f: Filing) -> tuple[int, int, str]:
    return (1, int(f.filing_id), "") if f.filing_id.isdigit() else (0, 0, f.filing_id)


# --- zip ------------------------------------------------------------------------------------


def _read_zip(path: Path) -> list[Filing]:
    name = path.name
    if not path.exists():
        raise SourceError("no such file", path=str(path))
    filings: list[Filing] = []
    try:
        with zipfile.ZipFile(path) as archive:
            members = sorted(
                (i for i in archive.infolist() if not i.is_dir()), key=lambda i: i.filename
            )
            fec_members = [i for i in members if i.filename.lower().endswith(".fec")]
            if not fec_members:
                raise SourceError(
                    f"the archive holds no .fec files ({len(members)} other files)", path=name
                )
            for info in fec_members:
                where = f"{name}:{info.filename}"
                try:
                    raw = archive.read(info)
                except (
                    zipfile.BadZipFile,
                    zlib.error,
                    EOFError,
                    RuntimeError,  # encrypted
                    NotImplementedError,  # a compression method zipfile lacks
                ) as exc:
                    raise SourceError(
                        f"cannot be extracted ({exc}): the archive is damaged or truncated; "
                        "download it again",
                        path=where,
                    ) from None
                member_name = PurePosixPath(info.filename).name
                filings.append(
                    _read_filing(
                        raw,
                        name=where,
                        path=f"{path}:{info.filename}",
                        filing_id=file_number(member_name),
                    )
                )
    except (zipfile.BadZipFile, EOFError) as exc:
        raise SourceError(
            f"not a zip archive, or a truncated one ({exc}); download it again", path=name
        ) from None
    except OSError as exc:
        raise SourceError(f"cannot be read ({exc.strerror or exc})", path=name) from None
    return filings


# --- one .fec -------------------------------------------------------------------------------


class _Cursor:
    """The number of the last line handed to fecfile."""

    line = 0


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _split_lines(raw: bytes) -> list[str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    separator = b"\n" if b"\n" in raw or b"\r" not in raw else b"\r"
    return [_decode(chunk.rstrip(b"\r")) for chunk in raw.split(separator)]


def _numbered(lines: list[str], cursor: _Cursor, first: int) -> Iterator[str]:
    for index in range(first, len(lines)):
        cursor.line = index + 1
        yield lines[index]


def _fields(text: str) -> list[str]:
    if FS in text:
        fields = text.split(FS)
    else:
        fields = next(csv.reader([text]), [])
    return [f.strip().strip('"').strip() for f in fields]


def _preview(text: str) -> str:
    text = text.replace(FS, "|")
    return text if len(text) <= 40 else text[:40] + "..."


def _read_filing(raw: bytes, *, name: str, path: str, filing_id: str) -> Filing:
    if not raw.strip():
        raise SourceError("the file is empty: expected an FEC filing (.fec)", path=name)
    if b"\x00" in raw[:4096]:
        raise SourceError(
            "not a .fec file: it holds binary data (a .fec is text; is it zipped?)", path=name
        )
    lines = _split_lines(raw)
    while lines and not lines[-1].strip():
        lines.pop()  # fecfile's v2 header reader fails on a blank last line
    first = next((i for i, text in enumerate(lines) if text.strip()), None)
    if first is None:
        raise SourceError("the file is empty: expected an FEC filing (.fec)", path=name)
    head = lines[first].lstrip()
    # The last line has no line break after it: a file cut part-way through a line ends so.
    # (A complete filing may too: fecparse__quote-left-open.fec does.)
    ends_open = not raw.rstrip(b" \t\x1a").endswith((b"\n", b"\r"))
    if (
        ends_open
        and first == len(lines) - 1
        and any(start.startswith(head.rstrip()) for start in ("HDR", '"HDR"', "/* Header"))
    ):
        _truncated_within(head, "the start of a HDR record or '/* Header' block", name, first + 1)
    if not (head.startswith(("HDR", '"HDR"', "/*"))):
        raise SourceError(
            f"not a .fec file: it should start with a HDR record or a '/* Header' block, "
            f"found {_preview(head)!r}",
            path=name,
            line=first + 1,
        )

    cursor = _Cursor()
    header: dict[str, Any] | None = None
    form: dict[str, Any] | None = None
    form_line = 0
    schedules = 0  # Schedule records (SA, SB, SC ... SL) after the report record
    items: list[tuple[dict[str, Any], int]] = []
    try:
        for item in fecparser.iter_lines(_numbered(lines, cursor, first), {"as_strings": True}):
            if item.data_type == "header":
                header = item.data
            elif item.data_type == "summary":
                form, form_line = item.data, cursor.line
            elif item.data_type == "itemization":
                form_type = str(item.data.get("form_type", "")).strip().upper()
                schedules += form_type.startswith("S")
                if form_type.startswith(("SA", "SB")):
                    items.append((item.data, cursor.line))
    except fecfile.FecParserMissingMappingError:
        if ends_open and cursor.line == len(lines):
            _truncated_within(lines[-1], "its record type has no field layout", name, len(lines))
        fields = _fields(lines[cursor.line - 1])
        if header is None:
            if len(fields) > 2 and fields[1].upper() == "FEC":
                version = fields[2]
            else:
                version = fields[1] if len(fields) > 1 else "?"
            message = (
                f"unknown .fec version {version}; fecfile {_FECFILE_VERSION} reads electronic "
                "versions 1 to 8.5 and paper versions P2.2 to P3.x. Check the HDR record (the "
                "file may be damaged) or upgrade fecfile"
            )
        else:
            message = (
                f"record type {fields[0] if fields else '?'!r} has no field layout in .fec "
                f"version {_version(header)} (fecfile {_FECFILE_VERSION}): the record is "
                "damaged, or the format is newer than fecfile"
            )
        raise SourceError(message, path=name, line=cursor.line) from None
    except (IndexError, KeyError, ValueError, TypeError, csv.Error, RuntimeError) as exc:
        if ends_open and cursor.line == len(lines):
            _truncated_within(lines[-1], "fecfile cannot read it", name, len(lines))
        if header is None and head.startswith("/*"):
            message = (
                "the '/* Header' block is damaged: this line is neither 'Name = value' nor "
                "'/* End Header'"
            )
        else:
            message = (
                f"fecfile cannot read this record ({type(exc).__name__}: {exc}); the file is "
                "damaged or not an FEC filing"
            )
        raise SourceError(message, path=name, line=cursor.line) from None

    if header is None and ends_open:
        _truncated_within(
            lines[-1], "inside the '/* Header' block, before '/* End Header'", name, len(lines)
        )
    if header is None:
        raise SourceError(
            "the '/* Header' block is never closed ('/* End Header' is missing): the file is "
            "truncated or damaged",
            path=name,
        )
    if ends_open and form is None:
        _truncated_within(
            lines[-1], "before the report record (F3N, F3XN, F99 ...)", name, len(lines)
        )
    if ends_open:
        _check_last_line(lines, header, form_line=form_line, name=name)
    if form is None:
        raise SourceError(
            "no report record (F3N, F3XN, F99 ...) after the header: the file is truncated",
            path=name,
            line=len(lines) + 1,
        )
    _check_schedule_counts(header, lines, form_line=form_line, name=name)
    if not schedules:
        _check_itemized_receipts(form, lines, name=name)
    dates = (_text(form.get("coverage_from_date")), _text(form.get("coverage_through_date")))
    _check_quotes(lines[form_line - 1], numbers=(), dates=dates, name=name, line=form_line)
    return _filing(header, form, items, lines, name=name, path=path, filing_id=filing_id)


def _version(header: dict[str, Any]) -> str:
    return str(header.get("fec_version") or header.get("fec_ver_#") or "")


# --- truncation ---------------------------------------------------------------------------
#
# A filing cut off part-way (an interrupted download) must not pass for a complete one. fecfile
# reads a record that has lost its last fields without complaint (they come out empty), and
# cannot tell that lines are missing. Three signals, each checked against every real filing
# in shared/data/fec_efilings, whole, without its final line break and with CRLF breaks, and
# against every one of their lines taken as the last (none of which they refuse):
#
# 1. The file ends without a line break and its last line is not a whole record
#    (`_check_last_line`): fewer fields than its layout needs in this version, or than any
#    earlier record of its type has; a record type with no layout (cut inside the type); a
#    line fecfile cannot read; a paper filing's image number shorter than on the earlier
#    records of its type; the inside of the header or of an F99 [BEGINTEXT] block. A missing
#    final line break alone proves nothing: fecparse__quote-left-open.fec has none.
# 2. A v2 `/* Header` block's Schedule_Counts list more records than the file holds.
# 3. No Schedule record follows the report record (F3, F3X, F3P), yet its summary page gives
#    money on a line that only itemizations fill (11a(i), 11b, 11c, 11d, 12, 13; 17a(i) to
#    19 on Form 3P).
#
# What stays undetectable: a cut exactly at a line boundary (just before or just after a line
# break) once a Schedule record follows the report record, in every layout but v2; a cut
# inside the last field of the last record, which leaves every field in place (but a paper
# filing's image number); in the comma-separated v1-v5 layouts, a cut in the last 3 fields of
# the first record of its type, which v1-v5 software may leave off; an F99 letter cut at a
# line boundary inside its text (a letter holds no receipts). Comparing the itemizations with
# the summary page would catch more, but would also refuse real files: the excerpts in
# fec_efilings (Warren's F3PN, the DSCC and ActBlue reports) fall short of their summary pages
# just as a truncated file does, and the ActBlue one even lacks its final line break.

# Trailing fields that real filings leave off a record: the v1-v5 (comma-separated) software
# of fecparse__34411.fec and fastfec__13360.fec omits up to 3; in the ASCII-28 layouts only
# the HDR record (7 of 8 fields) and the F99 record (15 of 16; the text follows in a block)
# are ever short, and schedule and report records are always whole.
_CSV_OPTIONAL_FIELDS = 3
_WHOLE_RECORDS = ("S", "F3")  # in the ASCII-28 layouts: schedules and reports, never short

# Summary keys filled only from itemizations (so never positive without Schedule A records).
_ITEMIZED_ONLY = {
    "F3": (("indiv_itemized", "11a(i)"), ("party", "11b"), ("committees", "11c"),
           ("candidate", "11d"), ("transfers_in", "12"), ("loans", "13")),
    "F3X": (("indiv_itemized", "11a(i)"), ("party", "11b"), ("committees", "11c"),
            ("transfers_in", "12"), ("loans", "13")),
    "F3P": (("indiv_itemized", "17a(i)"), ("party", "17b"), ("committees", "17c"),
            ("candidate", "17d"), ("transfers_in", "18"), ("loans", "19")),
}  # fmt: skip

_BEGIN_TEXT = ("[BEGINTEXT]", "[BEGIN TEXT]")  # an F99 letter's text block, as fecfile reads it
_END_TEXT = ("[ENDTEXT]", "[END TEXT]")
_DOWNLOAD_AGAIN = "download the filing again and import the whole file"


def _truncated_within(text: str, why: str, name: str, line: int) -> None:
    raise SourceError(
        f"the file is truncated: it ends part-way through this line ({_preview(text)!r}: "
        f"{why}; no line break follows it); {_DOWNLOAD_AGAIN}",
        path=name,
        line=line,
    )


def _is_comma_version(version: str) -> bool:
    return not version or version[0] in fecparser.comma_versions


def _line_fields(text: str, version: str) -> list[str]:
    """The fields of a line as fecfile splits them (comma-separated up to v5, else ASCII 28)."""
    try:
        return fecparser.fields_from_line(text, use_ascii_28=not _is_comma_version(version))
    except csv.Error:  # pragma: no cover - the lenient reader takes any line
        return []


def _layout(record_type: str, version: str) -> list[str] | None:
    try:
        return fecparser.getMapping(fecparser.mappings, record_type, version)
    except fecfile.FecParserMissingMappingError:
        return None


def _needed_fields(record_type: str, layout: list[str], version: str) -> int:
    """The fewest fields a whole record with this layout has in real filings."""
    if _is_comma_version(version):
        return len(layout) - _CSV_OPTIONAL_FIELDS
    if record_type.upper().startswith(_WHOLE_RECORDS):
        return len(layout)
    return len(layout) - 1


def _check_last_line(
    lines: list[str], header: dict[str, Any], *, form_line: int, name: str
) -> None:
    """Rule 1: the last line, with no line break after it, must be a whole record.

    Whole means: at least the fields its layout needs (`_needed_fields`), and at least as many
    as the fewest among the records of the same type earlier in the file; and where those
    records all end with a number of one width (a paper filing's image number), a last field
    of that width. The software that wrote a filing writes a record type to the same length
    or longer, and the image numbers to one width: in every real filing here, no record has
    fewer fields, or a shorter image number, than an earlier record of its type. (Not of its
    layout: in fecparse__character-encoding.fec an SB20A has 31 fields, the SB17s 34.)
    """
    version = _version(header)
    last, number = lines[-1], len(lines)
    in_text = False
    records = []  # the lines between the report record and the last one, but F99 text
    for text in lines[form_line : number - 1]:
        mark = text.strip().upper()
        if mark in _BEGIN_TEXT:
            in_text = True
        elif mark in _END_TEXT:
            in_text = False
        elif not in_text:
            records.append(text)
    mark = last.strip().upper()
    if (in_text and mark not in _END_TEXT) or mark in _BEGIN_TEXT:
        _truncated_within(last, "inside the F99 text, which has no [ENDTEXT]", name, number)
    if in_text:
        return  # [ENDTEXT] closes the letter
    fields = _line_fields(last, version)
    if any('",' in f or ',"' in f for f in fields):
        # Not a cut: a quote left open swallowed the rest of the line, separators and all.
        _check_quotes(last, numbers=(), dates=(), name=name, line=number)
    if _is_comma_version(version) and _quotes_broken_before_the_end(last):
        return  # a stray quote, not a cut, shifts its fields: _check_quotes judges the record
    if len(fields) < 2:
        _truncated_within(last, "it holds no whole field", name, number)
    record_type = fields[0].strip()
    layout = _layout(record_type, version)
    if layout is None:
        _truncated_within(last, f"record type {record_type!r} has no field layout", name, number)
        return
    kind = record_type.upper()
    earlier = [  # the fields of the earlier records of the same type
        other
        for text in records
        if kind in text[: len(kind) + 2].upper()
        and (other := _line_fields(text, version))
        and other[0].strip().upper() == kind
    ]
    needed = _needed_fields(record_type, layout, version)
    if earlier:
        needed = max(needed, min(len(other) for other in earlier))
    if len(fields) < needed:
        _truncated_within(
            last,
            f"record type {record_type.upper()}, {len(fields)} of its {needed} fields",
            name,
            number,
        )
    # A cut inside the last field leaves the count whole; an image number shows it.
    ends = {other[-1].strip() for other in earlier}
    widths = {len(end) for end in ends}
    value = fields[-1].strip()
    if len(earlier) > 1 and len(widths) == 1 and all(end.isdigit() for end in ends):
        digits = widths.pop()
        if len(value) < digits and (value.isdigit() or not value):
            _truncated_within(
                last,
                f"its last field {value!r} has fewer than the {digits} digits it has on the "
                f"{len(earlier)} earlier {kind} records",
                name,
                number,
            )


def _quotes_broken_before_the_end(text: str) -> bool:
    """A comma-separated line that is not strict CSV even with its last quoted field closed.

    A line cut inside a quoted field reads as strict CSV once a `"` is added at its end; a line
    with a stray quote in its middle (the "quote left open" cases) does not.
    """
    if FS in text or '"' not in text:
        return False
    for candidate in (text, text + '"'):
        try:
            next(csv.reader([candidate], strict=True), None)
            return False
        except csv.Error:
            continue
    return True


def _check_schedule_counts(
    header: dict[str, Any], lines: list[str], *, form_line: int, name: str
) -> None:
    """Rule 2: a v2 header's Schedule_Counts must not list more records than the file holds."""
    counts = header.get("schedule_counts")
    if not isinstance(counts, dict) or not counts:
        return
    listed = sum(n for n in counts.values() if isinstance(n, int))
    held = sum(1 for text in lines[form_line:] if text.strip())
    if held < listed:
        raise SourceError(
            f"the file is truncated: its header's Schedule_Counts list {listed} records after "
            f"the report record, but the file ends here after {held}; {_DOWNLOAD_AGAIN}",
            path=name,
            line=len(lines),
        )


def _check_itemized_receipts(form: dict[str, Any], lines: list[str], *, name: str) -> None:
    """Rule 3: a report whose summary gives itemized receipts must be followed by schedules."""
    family = form_family(_text(form.get("form_type")))
    fields = _SUMMARY_FIELDS.get(family, {})
    for key, line_label in _ITEMIZED_ONLY.get(family, ()):
        amount = _decimal_or_none(form.get(fields[key]))
        if amount is not None and amount > 0:
            raise SourceError(
                f"the file is truncated: it ends here with no Schedule record after the "
                f"{_text(form.get('form_type')).upper()} report record, yet its summary page "
                f"gives {amount:,} on line {line_label}, which only itemized receipts fill; "
                f"{_DOWNLOAD_AGAIN}",
                path=name,
                line=len(lines),
            )


def _check_quotes(
    text: str, *, numbers: tuple[str, ...], dates: tuple[str, ...], name: str, line: int
) -> None:
    """Refuse a CSV-layout record whose fields a quote left open has shifted or swallowed.

    fecfile reads such a record without complaint. A record that parses as strict CSV is fine.
    One that does not is accepted only while its fields are still in place: no field has
    swallowed separators (the last field holds no comma, no field holds `",` or `,"`), and its
    amounts and dates still read as amounts and dates. A stray `"` that ends the record or sits
    inside a field passes.
    """
    if FS in text or '"' not in text:
        return
    try:
        next(csv.reader([text], strict=True), None)
        return
    except csv.Error:
        pass
    fields = next(csv.reader([text]), [])
    swallowed = bool(fields) and ("," in fields[-1] or any('",' in f or ',"' in f for f in fields))
    shifted = any(v and _decimal_or_none(v) is None for v in numbers) or any(
        v and _date(v) is None for v in dates
    )
    if swallowed or shifted:
        raise SourceError(
            "a quoted field is never closed, so the fields after it run together or shift "
            "(strict CSV fails and an amount, a date or a separator is out of place); correct "
            "the quote and import again",
            path=name,
            line=line,
        )


def _filing(
    header: dict[str, Any],
    form: dict[str, Any],
    items: list[tuple[dict[str, Any], int]],
    lines: list[str],
    *,
    name: str,
    path: str,
    filing_id: str,
) -> Filing:
    version = _version(header)
    form_type = _text(form.get("form_type")).upper()
    is_amendment = form_type.endswith("A")
    amends = ""
    if is_amendment:
        match = re.search(r"\d+", _text(header.get("report_id")))
        amends = match.group() if match and match.group() != filing_id else ""
    family = form_family(form_type)
    filing = Filing(
        source="fec-paper" if version.upper().startswith("P") else "fec",
        filing_id=filing_id,
        committee_id=_text(form.get("filer_committee_id_number")).upper(),
        committee_name=_text(form.get("committee_name")),
        form_type=form_type,
        report_code=_text(form.get("report_code")).upper(),
        coverage_from=_date(form.get("coverage_from_date")),
        coverage_through=_date(form.get("coverage_through_date")),
        amends=amends,
        is_amendment=is_amendment,
        path=path,
    )
    for key, field_name in _SUMMARY_FIELDS.get(family, {}).items():
        value = _decimal_or_none(form.get(field_name))
        if value is not None:
            filing.summary[key] = value

    delimiter = _text(header.get("name_delim") or header.get("namedelim")) or "^"
    refund_lines = REFUND_LINES.get(family, ())
    for data, line in items:
        filed = _text(data.get("form_type")).upper()
        if filed.startswith("SA"):
            if filed.startswith("SA3L"):
                continue
            kind = "receipt"
        elif filed in refund_lines:
            kind = "refund"
        else:
            continue
        filing.contributions.append(
            _contribution(
                data,
                filing,
                kind=kind,
                family=family,
                delimiter=delimiter,
                text=lines[line - 1],
                name=name,
                line=line,
            )
        )
    return filing


def _contribution(
    data: dict[str, Any],
    filing: Filing,
    *,
    kind: str,
    family: str,
    delimiter: str,
    text: str,
    name: str,
    line: int,
) -> Contribution:
    filed = _text(data.get("form_type")).upper()
    form_type = _FILED_SPELLINGS.get(filed, filed)
    receipt = kind == "receipt"
    who = "contributor" if receipt else "payee"
    org = _text(data.get(f"{who}_organization_name"))
    last = _text(data.get(f"{who}_last_name"))
    person = _person(
        last,
        _text(data.get(f"{who}_first_name")),
        _text(data.get(f"{who}_middle_name")),
        _text(data.get(f"{who}_suffix")),
    )
    legacy = _text(data.get(f"{who}_name"))  # v1-v5: one field, "Last^First Middle^Pre^Suf"
    if legacy and not (org or person):
        if delimiter in legacy:
            parts = [p.strip() for p in legacy.split(delimiter)]
            parts += [""] * (4 - len(parts))
            person = _person(parts[0], parts[1], "", parts[3])
        else:
            org = legacy
    if receipt:
        fec_id = _text(data.get("donor_committee_fec_id")).upper()
        if not (org or person):
            org = _text(data.get("donor_committee_name"))
    else:
        fec_id = ""
        if filed[-1:] in ("B", "C"):
            beneficiary = _text(data.get("beneficiary_committee_fec_id")).upper()
            fec_id = beneficiary if beneficiary != filing.committee_id else ""

    entity = _text(data.get("entity_type")).upper()
    contributor_type = ENTITY_TYPES.get(entity)
    if contributor_type is None:
        if fec_id or form_type in _COMMITTEE_LINES.get(family, ()):
            contributor_type = ContributorType.COMMITTEE
        elif person and not org:
            contributor_type = ContributorType.INDIVIDUAL
        else:
            contributor_type = ContributorType.ORGANIZATION
    if contributor_type == ContributorType.INDIVIDUAL:
        contributor_name = person or org
    else:
        contributor_name = org or person

    amount_field = "contribution_amount" if receipt else "expenditure_amount"
    raw_amount = _text(data.get(amount_field))
    raw_date = _text(data.get("contribution_date" if receipt else "expenditure_date"))
    aggregate = _text(data.get("contribution_aggregate"))
    _check_quotes(text, numbers=(raw_amount, aggregate), dates=(raw_date,), name=name, line=line)
    try:
        amount = Decimal(raw_amount.replace(",", "")) if raw_amount else Decimal(0)
    except InvalidOperation:
        raise SourceError(
            f"{form_type} amount {raw_amount!r} is not a number", path=name, line=line
        ) from None
    if not receipt:
        amount = -amount

    memo_text = _text(data.get("memo_text_description"))
    if "memo_code" in data:
        memo = _text(data.get("memo_code")).upper() == "X"
    else:  # paper layouts before P3.3 have no memo code column
        memo = memo_text.upper() == "MEMO"

    extra: dict[str, Any] = {}
    for key, value in (
        ("entity_type", entity),
        ("aggregate", aggregate),
        ("election_code", _text(data.get("election_code"))),
        (
            "purpose",
            _text(
                data.get(
                    "contribution_purpose_descrip" if receipt else "expenditure_purpose_descrip"
                )
            ),
        ),
        ("conduit_name", _text(data.get("conduit_name"))),
        ("image_number", _text(data.get("image_number"))),
        ("form_type_filed", filed if filed != form_type else ""),
    ):
        if value:
            extra[key] = value
    parsed_date = _date(raw_date)
    if raw_date and parsed_date is None:
        extra["date_filed"] = raw_date

    return Contribution(
        source=filing.source,
        filing_id=filing.filing_id,
        transaction_id=_text(data.get("transaction_id" if receipt else "transaction_id_number")),
        form_type=form_type,
        recipient_committee_id=filing.committee_id
        or _text(data.get("filer_committee_id_number")).upper(),
        contributor_name=contributor_name,
        contributor_type=contributor_type,
        contributor_fec_id=fec_id,
        employer=_text(data.get("contributor_employer")) if receipt else "",
        occupation=_text(data.get("contributor_occupation")) if receipt else "",
        date=parsed_date,
        amount=amount,
        memo=memo,
        memo_text=memo_text,
        back_reference=_text(data.get("back_reference_tran_id_number")),
        city=_text(data.get(f"{who}_city")),
        state=_text(data.get(f"{who}_state")).upper(),
        line=line,
        amends=filing.amends,
        extra=extra,
    )


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _person(last: str, first: str, middle: str, suffix: str) -> str:
    given = " ".join(p for p in (first, middle, suffix) if p)
    if last and given:
        return f"{last}, {given}"
    return last or given


def _date(value: Any) -> date | None:
    text = _text(value)
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _decimal_or_none(value: Any) -> Decimal | None:
    text = _text(value).replace(",", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
