"""Reading a roster file: formats, header detection, and row-by-row validation.

Pure functions over a binary stream; no database. services.py runs them twice over the file:
once to check every row (nothing is written unless every row is good), once to save.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from pledgewatch.chapters.models import Member, MemberStatus, RosterFormat

# Our field -> the header(s) that carry it, lowercased; the first non-empty value wins.
DSA_COLUMNS: dict[str, tuple[str, ...]] = {
    "external_id": ("actionkit_id",),
    "first_name": ("first_name",),
    "middle_name": ("middle_name",),
    "last_name": ("last_name",),
    "email": ("email",),
    "phone": ("best_phone", "mobile_phone", "home_phone", "work_phone"),
    "address1": ("address1",),
    "address2": ("address2",),
    "city": ("city",),
    "state": ("state",),
    "zip_code": ("zip",),
    "join_date": ("join_date",),
    "expiry_date": ("xdate",),
    "membership_type": ("membership_type",),
    "dues_status": ("monthly_dues_status", "yearly_dues_status"),
    "status": ("membership_status",),
    "do_not_call": ("do_not_call",),
}
# Older exports (before 2022-04-25): AK_ID and capitalised headers (research/voting.md 2.4).
DSA_LEGACY_COLUMNS: dict[str, tuple[str, ...]] = {
    **DSA_COLUMNS,
    "external_id": ("ak_id",),
    "phone": ("mobile_phone", "home_phone", "work_phone", "best_phone"),
    "address1": ("address_line_1", "mailing_address1", "billing_address_line_1", "address1"),
    "address2": ("address_line_2", "mailing_address2", "billing_address_line_2", "address2"),
    "city": ("city", "mailing_city", "billing_city"),
    "state": ("state", "mailing_state", "billing_state"),
    "zip_code": ("zip", "mailing_zip", "billing_zip"),
    "dues_status": ("monthly_status", "monthly_dues_status", "annual_status"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    RosterFormat.DSA: ("external_id", "first_name", "last_name", "email", "status"),
    RosterFormat.DSA_LEGACY: ("external_id", "first_name", "last_name", "email", "status"),
    RosterFormat.GENERIC: ("first_name", "last_name", "email"),
}
# The fields a generic CSV can be mapped to, with the names people give such columns.
GENERIC_GUESSES: dict[str, tuple[str, ...]] = {
    "external_id": ("actionkit_id", "ak_id", "id", "member id", "member_id", "membership id"),
    "first_name": ("first_name", "first name", "firstname", "given name"),
    "middle_name": ("middle_name", "middle name"),
    "last_name": ("last_name", "last name", "lastname", "surname", "family name"),
    "email": ("email", "email address", "e-mail", "mail"),
    "phone": ("phone", "phone number", "mobile", "cell", "best_phone", "mobile_phone"),
    "address1": ("address", "address1", "street", "address line 1"),
    "address2": ("address2", "address line 2", "apt"),
    "city": ("city", "town"),
    "state": ("state",),
    "zip_code": ("zip", "zip code", "zipcode", "postal code"),
    "join_date": ("join_date", "join date", "joined"),
    "expiry_date": ("xdate", "expiry", "expires", "expiration date", "dues expire"),
    "membership_type": ("membership_type", "membership type"),
    "dues_status": ("dues_status", "dues status", "monthly_dues_status"),
    "status": ("membership_status", "status", "membership status", "standing"),
    "do_not_call": ("do_not_call", "do not call", "dnc"),
}
FIELD_LABELS = {
    name: Member._meta.get_field(name).verbose_name.capitalize() for name in Member.IMPORTED_FIELDS
}

STATUS_WORDS = {
    "member in good standing": MemberStatus.GOOD_STANDING,
    "good standing": MemberStatus.GOOD_STANDING,
    "migs": MemberStatus.GOOD_STANDING,
    "member": MemberStatus.MEMBER,
    "lapsed": MemberStatus.LAPSED,
    "expired": MemberStatus.LAPSED,  # older exports
}
TRUE_WORDS = {"true", "t", "yes", "y", "1", "x"}
FALSE_WORDS = {"false", "f", "no", "n", "0", ""}
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y")
MAX_STORED_ERRORS = 100


class RosterFileError(Exception):
    """The file cannot be read: the message says why and what to do, and where when known."""

    def __init__(self, message: str, *, row: int = 0, column: str = "") -> None:
        super().__init__(message)
        self.row = row
        self.column = column

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": str(self)}


@dataclass
class RowError:
    row: int  # spreadsheet row: the header is row 1
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Layout:
    """Where each of our fields is in the file: field -> column indexes (first non-empty wins)."""

    format: str
    headers: list[str]
    columns: dict[str, list[int]] = field(default_factory=dict)
    default_status: str = ""

    def header_of(self, name: str) -> str:
        indexes = self.columns.get(name)
        return self.headers[indexes[0]] if indexes else FIELD_LABELS.get(name, name)


def _codec(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    return "utf-8-sig" if name == "utf-8" else name  # Excel's "CSV UTF-8" starts with a BOM


def _decode_error(exc: UnicodeDecodeError, row: int, encoding: str) -> RosterFileError:
    return RosterFileError(
        f"Row {row} is not readable as {codecs.lookup(encoding).name.upper()} text "
        f"(byte 0x{exc.object[exc.start]:02x}). If the file came from Excel on Windows, "
        f"choose the encoding “Windows-1252”, or save it as “CSV UTF-8” and upload it again.",
        row=row,
    )


def _lines(stream: IO[bytes], encoding: str) -> Iterator[str]:
    """Decoded lines, each with its line ending; a decoding error names the line it is on."""
    decoder = codecs.getincrementaldecoder(_codec(encoding))(errors="strict")
    line, buffer = 1, ""
    for raw in stream:  # split at b"\n"; the incremental decoder copes with UTF-16's halves
        try:
            buffer += decoder.decode(raw)
        except UnicodeDecodeError as exc:
            raise _decode_error(exc, line, encoding) from None
        *complete, buffer = buffer.split("\n")
        for text in complete:
            yield text + "\n"
            line += 1
    try:
        buffer += decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise _decode_error(exc, line, encoding) from None
    if buffer:
        yield buffer


def read_headers(stream: IO[bytes], encoding: str) -> list[str]:
    """The header row, or RosterFileError for an empty/unreadable/not-a-CSV file."""
    try:
        headers = next(csv.reader(_lines(stream, encoding)), None)
    except csv.Error as exc:
        raise RosterFileError(f"Row 1 is not valid CSV: {exc}.", row=1) from None
    finally:
        stream.seek(0)
    if headers is None or not any(h.strip() for h in headers):
        raise RosterFileError("The file is empty: there is no header row and no members.")
    if len(headers) < 2:
        raise RosterFileError(
            "The first row has a single column. Upload a comma-separated (.csv) file whose "
            "first row names the columns (an Excel .xlsx file must be saved as CSV first)."
        )
    return [h.strip() for h in headers]


def detect_format(headers: list[str]) -> str:
    lowered = {h.lower() for h in headers}
    if "actionkit_id" in lowered:
        return RosterFormat.DSA
    if "ak_id" in lowered:
        return RosterFormat.DSA_LEGACY
    return RosterFormat.GENERIC


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Suggested column for each field of a generic CSV, from common header names."""
    by_lower = {h.lower().strip(): h for h in headers}
    guesses: dict[str, str] = {}
    for name, candidates in GENERIC_GUESSES.items():
        for candidate in candidates:
            if candidate in by_lower and by_lower[candidate] not in guesses.values():
                guesses[name] = by_lower[candidate]
                break
    return guesses


def build_layout(
    fmt: str, headers: list[str], mapping: dict[str, str] | None = None, default_status: str = ""
) -> Layout:
    """Where each field lives; RosterFileError naming the missing columns if any is required."""
    layout = Layout(format=fmt, headers=headers, default_status=default_status)
    if fmt == RosterFormat.GENERIC:
        index = {h: i for i, h in enumerate(headers)}
        for name, header in (mapping or {}).items():
            if name in FIELD_LABELS and header:
                if header not in index:
                    raise RosterFileError(f"The file has no column “{header}”.")
                layout.columns[name] = [index[header]]
    else:
        lowered = [h.lower() for h in headers]
        table = DSA_COLUMNS if fmt == RosterFormat.DSA else DSA_LEGACY_COLUMNS
        for name, candidates in table.items():
            found = [lowered.index(c) for c in candidates if c in lowered]
            if found:
                layout.columns[name] = found
    missing = [n for n in REQUIRED[fmt] if n not in layout.columns]
    if "status" not in layout.columns and not default_status and fmt == RosterFormat.GENERIC:
        missing.append("status")
    if missing:
        if fmt == RosterFormat.GENERIC:
            names = ", ".join(FIELD_LABELS[n] for n in missing)
            raise RosterFileError(f"Choose a column for: {names}.")
        expected = ", ".join(
            (DSA_COLUMNS if fmt == RosterFormat.DSA else DSA_LEGACY_COLUMNS)[n][0] for n in missing
        )
        raise RosterFileError(
            f"This looks like a DSA national export but it has no column named {expected}. "
            f"Upload the export as it came from DSA, or choose “Other CSV” to pick the columns."
        )
    return layout


def _parse_date(value: str) -> date | None:
    value = value.strip()[:10]  # older exports carry a time after the date
    if not value:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007 (a date, not a time)
        except ValueError:
            continue
    raise ValueError(f"“{value}” is not a date (use YYYY-MM-DD or MM/DD/YYYY)")


MAX_LENGTHS = {
    name: Member._meta.get_field(name).max_length
    for name in Member.IMPORTED_FIELDS
    if getattr(Member._meta.get_field(name), "max_length", None)
}


def clean_row(layout: Layout, values: list[str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """One row's values as Member fields, and its problems as (field, message) pairs."""
    record: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for name in Member.IMPORTED_FIELDS:
        raw = ""
        for i in layout.columns.get(name, ()):
            if values[i].strip():
                raw = values[i].strip()
                break
        try:
            if name == "email":
                raw = raw.lower()
                if not raw:
                    raise ValueError("is empty; every member needs an email address")
                try:
                    validate_email(raw)
                except ValidationError:
                    raise ValueError(f"“{raw}” is not an email address") from None
                record[name] = raw
            elif name == "status":
                if not raw and name not in layout.columns:
                    record[name] = layout.default_status
                elif raw.lower() in STATUS_WORDS:
                    record[name] = STATUS_WORDS[raw.lower()]
                else:
                    raise ValueError(
                        f"“{raw}” is not a membership status "
                        f"(expected Member in Good Standing, Member or Lapsed)"
                    )
            elif name in ("join_date", "expiry_date"):
                record[name] = _parse_date(raw)
            elif name == "do_not_call":
                if raw.lower() in TRUE_WORDS:
                    record[name] = True
                elif raw.lower() in FALSE_WORDS:
                    record[name] = False
                else:
                    raise ValueError(f"“{raw}” is not yes or no")
            else:
                if name == "external_id" and not raw and name in REQUIRED[layout.format]:
                    raise ValueError("is empty; every row of a DSA export has an id")
                if len(raw) > MAX_LENGTHS[name]:
                    raise ValueError(f"is longer than {MAX_LENGTHS[name]} characters")
                record[name] = raw
        except ValueError as exc:
            problems.append((name, str(exc)))
    if not (record.get("first_name") or record.get("last_name")) and not problems:
        problems.append(("first_name", "is empty, and so is the last name"))
    return record, problems


def iter_rows(
    stream: IO[bytes], layout: Layout, encoding: str
) -> Iterator[tuple[int, dict[str, Any] | None, list[RowError]]]:
    """(row number, record or None, errors) for every data row; RosterFileError if unreadable."""
    reader = csv.reader(_lines(stream, encoding), strict=True)
    width = len(layout.headers)
    row_number = 1
    try:
        next(reader)  # header
        for values in reader:
            row_number += 1
            if not values or (len(values) == 1 and not values[0].strip()):
                continue  # a blank line
            if len(values) != width:
                yield (
                    row_number,
                    None,
                    [
                        RowError(
                            row_number,
                            "",
                            f"has {len(values)} fields where the header has {width}. "
                            'Check for an unclosed quote (") or a stray comma on this row.',
                        )
                    ],
                )
                continue
            record, problems = clean_row(layout, values)
            errors = [
                RowError(row_number, layout.header_of(name), f"{layout.header_of(name)} {msg}")
                for name, msg in problems
            ]
            yield row_number, (None if errors else record), errors
    except csv.Error as exc:
        raise RosterFileError(
            f'Row {row_number + 1} is not valid CSV ({exc}). Check for an unclosed quote (").',
            row=row_number + 1,
        ) from None
