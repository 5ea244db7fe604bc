"""The normalized contribution record every importer produces and the screen consumes.

Pure data, no Django: the `pledgewatch screen` command runs on files alone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


class ContributorType:
    INDIVIDUAL = "individual"
    COMMITTEE = "committee"
    ORGANIZATION = "organization"


class SourceError(Exception):
    """A source cannot be imported; the message names the file (and line) and what to do."""

    def __init__(self, message: str, *, path: str = "", line: int = 0) -> None:
        where = f"{path}, line {line}: " if path and line else (f"{path}: " if path else "")
        super().__init__(where + message)
        self.path = path
        self.line = line


@dataclass(slots=True)
class Contribution:
    """One receipt (or refund of one) to a candidate's committee, from any source."""

    source: str  # fec, fec-paper, bulk-itcont, bulk-itoth, bulk-itpas2, openfec, nyc-cfb, ...
    filing_id: str  # FEC file number, state filing id, or the upload's name
    transaction_id: str
    form_type: str  # schedule/line (SA11AI, SA11C ...) or FEC transaction type (15, 15E, 24K)
    recipient_committee_id: str  # the committee that received (or refunded) the money
    contributor_name: str
    contributor_type: str  # ContributorType
    contributor_fec_id: str = ""  # a committee donor's FEC id
    employer: str = ""
    occupation: str = ""
    date: date | None = None
    # Signed by the importer: negative is money going back (a refund, or a void). A refund line
    # filed as a positive disbursement (SB20A, SB28A ...) is imported negative.
    amount: Decimal = Decimal(0)
    memo: bool = False  # memo items are not money received: they never count twice
    memo_text: str = ""
    back_reference: str = ""  # transaction id a refund or an earmark memo points at
    city: str = ""
    state: str = ""
    line: int = 0  # line in the source file, for the explanation
    amends: str = ""  # filing id this filing's report amends (amendments replace it)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_refund(self) -> bool:
        return self.amount < 0 or self.form_type.upper() in REFUND_FORMS

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        data["amount"] = str(self.amount)
        return data


# Refunds of contributions: FEC transaction types and .fec Schedule B lines (Form 3 files them
# on line 20, Forms 3X and 3P on line 28).
REFUND_FORMS = {"22Y", "22Z", "22R", "SB20A", "SB20B", "SB20C", "SB28A", "SB28B", "SB28C"}


@dataclass(slots=True)
class Filing:
    """One report (or one bulk file's worth of rows) as imported, with its receipts."""

    source: str
    filing_id: str
    committee_id: str
    committee_name: str = ""
    form_type: str = ""  # F3N, F3A, F3XN, F3PN ... ("" for bulk rows and spreadsheets)
    report_code: str = ""  # Q1, Q3, YE, 12G ...
    coverage_from: date | None = None
    coverage_through: date | None = None
    amends: str = ""  # the filing id this one amends ("" for an original)
    is_amendment: bool = False
    path: str = ""
    contributions: list[Contribution] = field(default_factory=list)
    # Totals the filer reported on its summary page, keyed by meaning ("indiv_itemized",
    # "committees", "refunds_total" ...: importers/fec.py maps each to its line per form).
    summary: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Prefilter:
    """A cheap first pass for bulk scans: rows a policy could possibly flag.

    `pattern` is a case-insensitive regular expression in the common subset of Python's `re`
    and RE2 (DuckDB's regexp_matches), tested on an individual's employer and on a committee's
    or organization's name (bulk.prefilter_sql). Rows that pass still go through the full
    rules in matching.py.
    """

    committee_ids: frozenset[str]
    pattern: str
    # Whole words (uppercase) any of which lets a row through, joined with `pattern` into one
    # regular expression; `pattern` then only covers the spellings made of common words alone.
    words: frozenset[str] = frozenset()
    # Every row, whatever the rest says (for reading a whole file).
    all_rows: bool = False
