"""FEC bulk files (itcont, itoth, itpas2, cm, cn, ccl) read through DuckDB; no Django.

`scan` filters in SQL with a `Prefilter`, so Python only sees rows a policy could flag, and
yields them as normalized `Contribution`s. Who gave and who received depends on the file and
the transaction type (research/finance.md 1.2, checked on the real rows):

* itcont, and itoth receipts (15J, 18K, 18G ...): CMTE_ID is the committee that received the
  money (or refunded it, 22Y/22Z) and NAME/OTHER_ID the contributor. On an individual's row
  OTHER_ID is the conduit (ActBlue on 15E), not the donor.
* itcont 24T/24I: a conduit (CMTE_ID) passes an individual's earmarked gift on to OTHER_ID.
* itpas2, and itoth 24x (24K, 24G, 24Z, 24E ...): CMTE_ID is the committee that GAVE;
  OTHER_ID/NAME are the recipient (for 24E/24A, OTHER_ID is the candidate an independent
  expenditure was for or against and NAME the payee).

The committee-id half of the prefilter is tested against the giver: OTHER_ID for itcont and
itoth receipts, CMTE_ID for itpas2 and itoth 24x. The pattern is tested against an
individual's EMPLOYER and a committee's or organization's NAME (prefilter_sql).

Bulk amounts are whole dollars. A refund (22Y to an individual, 22Z to a committee, 22R) is
filed as a positive disbursement and imported negative, as the .fec importer does with refund
lines (a voided refund, filed negative, becomes positive); other negative amounts are voided
receipts and are kept as they are.
Bulk rows carry no line number (DuckDB's CSV reader cannot number rows cheaply); SUB_ID, the
FEC's permanent row id, is in `extra["sub_id"]` instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pledgewatch.finance import warehouse
from pledgewatch.finance.records import (
    Contribution,
    ContributorType,
    Filing,
    Prefilter,
    SourceError,
)

SOURCES = {"itcont": "bulk-itcont", "itoth": "bulk-itoth", "itpas2": "bulk-itpas2"}

# Transaction types of money given back: imported with the sign turned (see the docstring).
REFUND_TYPES = frozenset({"22Y", "22Z", "22R"})

ENTITY_TYPES = {
    "IND": ContributorType.INDIVIDUAL,
    "CAN": ContributorType.INDIVIDUAL,
    "COM": ContributorType.COMMITTEE,
    "PAC": ContributorType.COMMITTEE,
    "PTY": ContributorType.COMMITTEE,
    "CCM": ContributorType.COMMITTEE,
    "ORG": ContributorType.ORGANIZATION,
}

# The committee that gave, per file: a SQL expression over the bulk columns (no user values).
_GIVER_SQL = {
    "itcont": "OTHER_ID",
    "itoth": "CASE WHEN starts_with(TRANSACTION_TP, '24') THEN CMTE_ID ELSE OTHER_ID END",
    "itpas2": "CMTE_ID",
}
# The columns a Contribution needs, in the order `_builder` unpacks them. They come back as ONE
# string per row, joined with "|" (concat() turns NULL into ""), and are split in Python:
# DuckDB converts a row of 18 strings into Python about seven times slower than one string, and
# "|" cannot occur inside a field because it is the files' delimiter and quoting is off.
_FIELDS = (
    "CMTE_ID",
    "TRANSACTION_TP",
    "ENTITY_TP",
    "NAME",
    "CITY",
    "STATE",
    "EMPLOYER",
    "OCCUPATION",
    "TRANSACTION_DT",
    "TRANSACTION_AMT",
    "OTHER_ID",
    "TRAN_ID",
    "FILE_NUM",
    "MEMO_CD",
    "MEMO_TEXT",
    "SUB_ID",
    "IMAGE_NUM",
)


def _select(kind: str) -> str:
    fields = (*_FIELDS, "CAND_ID" if kind == "itpas2" else "''")
    return "concat(" + ", '|', ".join(fields) + ")"


Progress = Callable[[float, int], None]


@dataclass(frozen=True, slots=True)
class CommitteeInfo:
    """One row of the committee master (cm.txt), blanks as ""."""

    id: str
    name: str
    connected_org: str = ""
    cmte_tp: str = ""  # H, S, P, Q, N, O ... (committee type)
    cmte_dsgn: str = ""  # P principal, A authorized, D leadership, J joint fundraiser, U, B
    org_tp: str = ""  # C corporation, T trade association, M membership, L labor ...
    cand_id: str = ""


@dataclass(frozen=True, slots=True)
class CandidateInfo:
    """One row of the candidate master (cn.txt), blanks as ""."""

    id: str
    name: str
    party: str = ""
    election_year: str = ""
    office_state: str = ""
    office: str = ""  # H, S, P
    district: str = ""
    incumbent_challenger: str = ""  # I, C, O
    status: str = ""
    principal_committee: str = ""


# --- Itemized rows ------------------------------------------------------------------------------


def scan(
    path: str | Path,
    prefilter: Prefilter,
    *,
    progress: Progress | None = None,
    committees: Mapping[str, CommitteeInfo] | None = None,
) -> Iterator[Contribution]:
    """Yield the rows of an itcont/itoth/itpas2 file (plain or zipped) that pass `prefilter`.

    `progress(fraction_read, rows_yielded)` is called after each batch. `committees` (from
    `read_committees`) supplies the giving committee's name on itpas2/itoth-24x rows, whose
    NAME is the recipient's; without it the giver's id stands in for its name.
    Raises SourceError for a missing, damaged or malformed file; ValueError for a pattern RE2
    rejects.
    """
    with (
        warehouse.open_bulk(path, kinds=warehouse.ITEMIZED_KINDS) as source,
        closing(warehouse.read_connection()) as con,
    ):
        where, where_params = prefilter_sql(source.kind, prefilter, con)
        if not where:
            return  # an empty prefilter lets nothing through
        params = [*source.read_csv_params, *where_params]
        sql = f"SELECT {_select(source.kind)} FROM {source.read_csv} WHERE {where}"
        found = 0

        def report(fraction: float) -> None:
            if progress is not None:
                progress(fraction, found)

        build = _builder(source, committees or {})
        for batch in warehouse.fetch_batches(
            con, sql, params, source=source, progress=report if progress else None
        ):
            for (row,) in batch:
                yield build(row.split("|"))
            found += len(batch)


# The entity types whose rows are matched on EMPLOYER (an individual's NAME names a person) and
# those matched on NAME (a committee's or organization's own name); rows of any other type
# (blank in old files) are tested on both.
_PERSON_TYPES = "('IND', 'CAN')"
_ORG_TYPES = "('COM', 'PAC', 'PTY', 'CCM', 'ORG')"
# An individual's refund (the FEC's refund types, or a negative amount) usually names no
# employer: it passes so that the screen can tie it to its donor by name (screening.py). In
# itpas2 and itoth's 24x rows the contributor is the giving committee, never a person.
_REFUND_SQL = (
    f"ENTITY_TP IN {_PERSON_TYPES} AND (TRANSACTION_TP IN "
    f"({', '.join(repr(tp) for tp in sorted(REFUND_TYPES))}) OR starts_with(TRANSACTION_AMT, '-'))"
)
_PERSON_REFUND_SQL = {
    "itcont": _REFUND_SQL,
    "itoth": f"NOT starts_with(TRANSACTION_TP, '24') AND {_REFUND_SQL}",
}


def prefilter_regex(prefilter: Prefilter) -> str:
    """One case-insensitive regular expression for the prefilter's words and its pattern."""
    parts = []
    if prefilter.words:
        words = sorted(prefilter.words, key=lambda w: (-len(w), w))
        parts.append(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")
    if prefilter.pattern:
        parts.append(prefilter.pattern)
    if len(parts) == 1:
        return parts[0]
    return "|".join(f"(?:{part})" for part in parts)


def prefilter_sql(kind: str, prefilter: Prefilter, con: Any) -> tuple[str, list[Any]]:
    """The WHERE condition (and its parameters) that lets through the rows of a `kind` file
    the prefilter could flag: the giving committee's id in its list; the regex on EMPLOYER for
    an individual, on NAME for a committee or organization (one regex call a row, the bulk of
    the cost); and, when there is a regex, an individual's refunds. ("", []) for an empty
    prefilter, which lets nothing through.
    Raises ValueError for a pattern RE2 rejects."""
    if prefilter.all_rows:
        return "true", []
    where: list[str] = []
    params: list[Any] = []
    if prefilter.committee_ids:
        where.append(f"{_GIVER_SQL[kind]} IN (SELECT unnest(?::VARCHAR[]))")
        params.append(sorted(prefilter.committee_ids))
    regex = prefilter_regex(prefilter)
    if regex:
        warehouse.check_pattern(con, regex)
        where.append(
            f"CASE WHEN ENTITY_TP IN {_PERSON_TYPES} THEN regexp_matches(EMPLOYER, ?, 'i') "
            f"WHEN ENTITY_TP IN {_ORG_TYPES} THEN regexp_matches(NAME, ?, 'i') "
            "ELSE regexp_matches(NAME, ?, 'i') OR regexp_matches(EMPLOYER, ?, 'i') END"
        )
        params += [regex] * 4
        if kind in _PERSON_REFUND_SQL:
            where.append(_PERSON_REFUND_SQL[kind])
    return " OR ".join(f"({w})" for w in where), params


def read_filing(
    path: str | Path,
    prefilter: Prefilter,
    *,
    progress: Progress | None = None,
    committees: Mapping[str, CommitteeInfo] | None = None,
) -> Filing:
    """One bulk file's prefiltered rows as a `Filing` (filing_id = the file's name)."""
    path = Path(path)
    rows = list(scan(path, prefilter, progress=progress, committees=committees))
    source = rows[0].source if rows else f"bulk-{warehouse.kind_from_name(path.name) or ''}"
    return Filing(
        source=source,
        filing_id=path.name,
        committee_id="",
        path=str(path),
        contributions=rows,
    )


def count_rows(path: str | Path) -> int:
    """The bare row count of a bulk file (plain or zipped), read exactly as `scan` reads it."""
    with (
        warehouse.open_bulk(path) as source,
        closing(warehouse.read_connection()) as con,
    ):
        sql = f"SELECT count(*) FROM {source.read_csv}"
        return warehouse.fetch_all(con, sql, source.read_csv_params, source=source)[0][0]


def _builder(
    source: warehouse.BulkFile, committees: Mapping[str, CommitteeInfo]
) -> Callable[[list[str]], Contribution]:
    """A function turning one row's fields (`_FIELDS`, then CAND_ID or "") into a
    Contribution. Dates and amounts repeat a lot, so each distinct value is converted once."""
    kind = source.kind
    label = SOURCES[kind]
    individual = ContributorType.INDIVIDUAL
    committee = ContributorType.COMMITTEE
    entity_types = ENTITY_TYPES
    dates: dict[str, date | None] = {}
    amounts: dict[str, Decimal] = {}

    def build(fields: list[str]) -> Contribution:
        (
            cmte_id,
            tp,
            entity,
            name,
            city,
            state,
            employer,
            occupation,
            dt,
            amt,
            other_id,
            tran_id,
            file_num,
            memo_cd,
            memo_text,
            sub_id,
            image_num,
            cand_id,
        ) = fields
        extra: dict[str, Any] = {"sub_id": sub_id, "image_num": image_num}
        if kind == "itpas2" or (kind == "itoth" and tp.startswith("24")):
            # CMTE_ID gave; NAME/OTHER_ID received.
            recipient = other_id
            contributor_name = committees[cmte_id].name if cmte_id in committees else cmte_id
            contributor_type = committee
            contributor_fec_id = cmte_id
            extra["recipient_name"] = name
            if kind == "itpas2":
                extra["cand_id"] = cand_id
            city = state = employer = occupation = ""
        else:
            contributor_name = name
            contributor_type = entity_types.get(entity) or (committee if other_id else individual)
            if kind == "itcont" and tp.startswith("24"):
                # 24T/24I: the conduit CMTE_ID passed the individual's gift on to OTHER_ID.
                recipient = other_id
                contributor_fec_id = ""
                extra["conduit_committee_id"] = cmte_id
            else:
                recipient = cmte_id
                if entity == "IND" and other_id:
                    contributor_fec_id = ""
                    extra["conduit_committee_id"] = other_id  # 15E: the conduit
                else:
                    contributor_fec_id = other_id
        try:
            when = dates[dt]
        except KeyError:
            when = dates[dt] = _date(dt)
        try:
            amount = amounts[amt]
        except KeyError:
            amount = amounts[amt] = _amount(amt, sub_id, source)
        if tp in REFUND_TYPES:
            amount = -amount  # money going back, as the .fec importer signs it
        return Contribution(
            source=label,
            filing_id=file_num,
            transaction_id=tran_id or sub_id,
            form_type=tp,
            recipient_committee_id=recipient,
            contributor_name=contributor_name,
            contributor_type=contributor_type,
            contributor_fec_id=contributor_fec_id,
            employer=employer,
            occupation=occupation,
            date=when,
            amount=amount,
            memo=memo_cd == "X",
            memo_text=memo_text,
            city=city,
            state=state,
            extra=extra,
        )

    return build


def _date(value: str) -> date | None:
    """MMDDYYYY -> date; None when blank or not a real date."""
    if len(value) != 8 or not value.isdigit():
        return None
    try:
        return date(int(value[4:]), int(value[:2]), int(value[2:4]))
    except ValueError:
        return None


def _amount(value: str, sub_id: str, source: warehouse.BulkFile) -> Decimal:
    if not value:
        return Decimal(0)
    try:
        amount = Decimal(value)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise SourceError(
            f"the row with SUB_ID {sub_id} has TRANSACTION_AMT {value!r}, which is not a "
            "number. Check that this is an FEC bulk file",
            path=str(source.path),
        )
    return amount


# --- Reference files ----------------------------------------------------------------------------


def read_committees(path: str | Path) -> dict[str, CommitteeInfo]:
    """The committee master (cm.txt or cmYY.zip), keyed by committee id."""
    sql_columns = "CMTE_ID, CMTE_NM, CONNECTED_ORG_NM, CMTE_TP, CMTE_DSGN, ORG_TP, CAND_ID"
    rows = _read_all(path, "cm", sql_columns)
    return {
        row[0]: CommitteeInfo(row[0], *(value or "" for value in row[1:])) for row in rows if row[0]
    }


def read_candidates(path: str | Path) -> dict[str, CandidateInfo]:
    """The candidate master (cn.txt or cnYY.zip), keyed by candidate id."""
    sql_columns = (
        "CAND_ID, CAND_NAME, CAND_PTY_AFFILIATION, CAND_ELECTION_YR, CAND_OFFICE_ST, "
        "CAND_OFFICE, CAND_OFFICE_DISTRICT, CAND_ICI, CAND_STATUS, CAND_PCC"
    )
    rows = _read_all(path, "cn", sql_columns)
    return {
        row[0]: CandidateInfo(row[0], *(value or "" for value in row[1:])) for row in rows if row[0]
    }


def candidate_committees(ccl_path: str | Path, cand_id: str) -> list[str]:
    """All committees linked to a candidate in ccl.txt: principal first, then by id."""
    with (
        warehouse.open_bulk(ccl_path, kinds=("ccl",)) as source,
        closing(warehouse.read_connection()) as con,
    ):
        sql = (
            f"SELECT CMTE_ID FROM {source.read_csv} WHERE CAND_ID = ? AND CMTE_ID IS NOT NULL "
            "GROUP BY CMTE_ID ORDER BY bool_and(coalesce(CMTE_DSGN, '') <> 'P'), CMTE_ID"
        )
        rows = warehouse.fetch_all(con, sql, [*source.read_csv_params, cand_id], source=source)
        return [row[0] for row in rows]


def _read_all(path: str | Path, kind: str, sql_columns: str) -> list[tuple[Any, ...]]:
    with (
        warehouse.open_bulk(path, kinds=(kind,)) as source,
        closing(warehouse.read_connection()) as con,
    ):
        sql = f"SELECT {sql_columns} FROM {source.read_csv}"
        return warehouse.fetch_all(con, sql, source.read_csv_params, source=source)
