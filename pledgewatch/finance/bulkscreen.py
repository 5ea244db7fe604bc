"""Screening FEC bulk files inside DuckDB: the same findings as `screening.screen` over
`bulk.scan`, without turning every candidate row into a Python object.

A bulk file holds millions of rows, and the rows that pass the prefilter repeat the same
donors: a person who gives every month, an employer's hundred employees. So:

1. DuckDB reads each file once, keeps the rows the prefilter lets through (bulk.prefilter_sql)
   and derives the contribution's fields the way `bulk.scan` does (who gave, who received);
2. Python applies the rules (matching.classify) once per distinct donor, i.e. per (FEC id,
   type, name, employer, occupation), and computes the thresholds and name keys;
3. DuckDB applies the money rules of screening.py to the rows: memo rows shown but not
   counted, an individual's refund tied to the one matched donor of the same name at the same
   committee, net totals per donor, organization and cycle against the thresholds.

The findings stay in DuckDB until asked for (`BulkScreen.findings`, built in the order
screen() sorts them) and the summary is computed there. Bulk rows carry no back reference, so
the linking of refunds to the transaction they name (screen()'s `by_tran`) never applies.
tests/finance/test_bulkscreen.py checks on the real bulk files that both ways give the same
findings and totals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

from pledgewatch.finance import warehouse
from pledgewatch.finance.importers import bulk
from pledgewatch.finance.matching import Match, classify
from pledgewatch.finance.policy import Organization, Policy
from pledgewatch.finance.records import REFUND_FORMS, Contribution, ContributorType, SourceError
from pledgewatch.finance.screening import Finding, donor_who, person_key, threshold

# (path, fraction of it read, rows kept so far)
Progress = Callable[[Path, float, int], None]

_HITS = """CREATE TEMP TABLE hits (
    source VARCHAR, recipient VARCHAR, contributor_name VARCHAR, contributor_type VARCHAR,
    contributor_fec_id VARCHAR, employer VARCHAR, occupation VARCHAR, form_type VARCHAR,
    dt VARCHAR, amount_text VARCHAR, filing_id VARCHAR, tran_id VARCHAR, sub_id VARCHAR,
    memo BOOLEAN, name_from_cm BOOLEAN
)"""

# TRANSACTION_DT (MMDDYYYY) as a date, NULL when blank or not a real date (as bulk._date).
_DAY_SQL = (
    "CASE WHEN regexp_full_match({dt}, '[0-9]{{8}}') THEN try_strptime({dt}, '%m%d%Y')::DATE END"
)

_TYPES = {
    ContributorType.INDIVIDUAL: ("IND", "CAN"),
    ContributorType.COMMITTEE: ("COM", "PAC", "PTY", "CCM"),
    ContributorType.ORGANIZATION: ("ORG",),
}
assert {t for ts in _TYPES.values() for t in ts} == set(bulk.ENTITY_TYPES)


def _select(kind: str, label: str) -> str:
    """The hits columns from a `kind` file's row, as bulk._builder derives them (blanks are
    "", as there). Only constants go into the SQL text."""

    def c(column: str) -> str:
        return f"coalesce({column}, '')"

    if kind == "itpas2":
        giver = "true"
    elif kind == "itoth":
        giver = f"starts_with({c('TRANSACTION_TP')}, '24')"
    else:
        giver = "false"
    forwarded = f"starts_with({c('TRANSACTION_TP')}, '24')" if kind == "itcont" else "false"
    entity_type = (
        "CASE "
        + " ".join(
            f"WHEN ENTITY_TP IN ({', '.join(repr(t) for t in codes)}) THEN '{value}'"
            for value, codes in _TYPES.items()
        )
        + f" WHEN {c('OTHER_ID')} <> '' THEN '{ContributorType.COMMITTEE}'"
        + f" ELSE '{ContributorType.INDIVIDUAL}' END"
    )
    return f"""
        '{label}' AS source,
        CASE WHEN {giver} OR {forwarded} THEN {c("OTHER_ID")} ELSE {c("CMTE_ID")} END
            AS recipient,
        CASE WHEN {giver} THEN {c("CMTE_ID")} ELSE {c("NAME")} END AS contributor_name,
        CASE WHEN {giver} THEN '{ContributorType.COMMITTEE}' ELSE {entity_type} END
            AS contributor_type,
        CASE WHEN {giver} THEN {c("CMTE_ID")}
             WHEN {forwarded} THEN ''
             WHEN ENTITY_TP = 'IND' AND {c("OTHER_ID")} <> '' THEN ''
             ELSE {c("OTHER_ID")} END AS contributor_fec_id,
        CASE WHEN {giver} THEN '' ELSE {c("EMPLOYER")} END AS employer,
        CASE WHEN {giver} THEN '' ELSE {c("OCCUPATION")} END AS occupation,
        {c("TRANSACTION_TP")} AS form_type, {c("TRANSACTION_DT")} AS dt,
        {c("TRANSACTION_AMT")} AS amount_text, {c("FILE_NUM")} AS filing_id,
        {c("TRAN_ID")} AS tran_id, {c("SUB_ID")} AS sub_id, {c("MEMO_CD")} = 'X' AS memo,
        {giver} AS name_from_cm
    """


@dataclass
class BulkScreen:
    """What screen() returns (findings, screened, below_threshold, netted_out, sources,
    summary(), as_dict()), with the findings kept in DuckDB until read."""

    con: Any  # the DuckDB connection holding the `findings` table
    organizations: dict[str, Organization]
    screened: int
    below_threshold: int
    netted_out: int
    count: int  # findings
    sources: list[str] = field(default_factory=list)

    @cached_property
    def findings(self) -> list[Finding]:
        """The findings as screen() builds and sorts them."""
        rows = self.con.execute(
            f"""SELECT source, filing_id, tran_id, sub_id, form_type, recipient,
                      contributor_name, contributor_type, contributor_fec_id, employer,
                      occupation, day, amount_text, findings.memo, m_org, m_rule, m_matched, m_tier,
                      total, cycle, by_name
               FROM findings JOIN (
                   SELECT rowid AS rid, *, {_DAY_SQL.format(dt="dt")} AS day FROM hits
               ) USING (rid)
               ORDER BY m_tier, m_org, day NULLS FIRST, sub_id, tran_id"""
        ).fetchall()
        orgs = self.organizations
        matches: dict[tuple[str, str, str, int], Match] = {}
        amounts: dict[str, Decimal] = {}
        result = []
        for (
            source, filing_id, tran_id, sub_id, form_type, recipient, name, ctype, fec_id,
            employer, occupation, day, amount_text, memo, org, rule, matched, tier, total,
            cycle, by_name,
        ) in rows:  # fmt: skip
            key = (org, rule, matched, tier)
            match = matches.get(key)
            if match is None:
                match = matches[key] = Match(rule, orgs[org], matched, tier)
            amount = amounts.get(amount_text)
            if amount is None:
                amount = amounts[amount_text] = Decimal(amount_text or 0)
            if form_type in bulk.REFUND_TYPES:
                amount = -amount  # as bulk.scan signs it
            contribution = Contribution(
                source=source,
                filing_id=filing_id,
                transaction_id=tran_id or sub_id,
                form_type=form_type,
                recipient_committee_id=recipient,
                contributor_name=name,
                contributor_type=ctype,
                contributor_fec_id=fec_id,
                employer=employer,
                occupation=occupation,
                date=day,
                amount=amount,
                memo=memo,
                extra={"sub_id": sub_id},
            )
            result.append(
                Finding(
                    contribution=contribution,
                    match=match,
                    donor_total=_plain(total),
                    cycle=cycle,
                    counted=not memo,
                    by_name=by_name,
                )
            )
        return result

    def summary(self) -> dict[str, Any]:
        """screen()'s summary, totalled in DuckDB."""
        by_tier = self.con.execute(
            "SELECT m_tier, sum(net) FROM findings GROUP BY m_tier ORDER BY m_tier"
        ).fetchall()
        by_entity = self.con.execute(
            "SELECT m_org, sum(net) AS t FROM findings GROUP BY m_org ORDER BY t DESC, m_org"
        ).fetchall()
        return {
            "contributions_screened": self.screened,
            "findings": self.count,
            "below_threshold": self.below_threshold,
            "netted_out": self.netted_out,
            "net_by_tier": {str(tier): str(_plain(total)) for tier, total in by_tier},
            "net_by_entity": {name: str(_plain(total)) for name, total in by_entity},
            "sources": self.sources,
        }

    def as_dict(self) -> dict[str, Any]:
        return {"findings": [f.as_dict() for f in self.findings], "summary": self.summary()}

    def close(self) -> None:
        self.con.close()


def _plain(total: Decimal) -> Decimal:
    """A DuckDB sum (always two decimals) written as screen() writes a sum of bulk amounts,
    which are whole dollars: 416.00 as 416."""
    return total.quantize(Decimal(1)) if total == total.to_integral_value() else total


def screen_bulk(
    paths: Sequence[str | Path],
    policy: Policy,
    *,
    committees: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
) -> BulkScreen:
    """Screen itcont/itoth/itpas2 files (plain or zipped) together, as
    `screen(chain(*(bulk.scan(p, policy.prefilter(), committees=committees) ...)), policy,
    committees=committees)` would. `committees` (bulk.read_committees) names the giving
    committees of itpas2/itoth-24x rows and supplies connected organizations.
    Raises SourceError for a missing, damaged or malformed file."""
    committees = committees or {}
    prefilter = policy.prefilter()
    con = warehouse.read_connection()
    try:
        con.execute(_HITS)
        for path in paths:
            _insert(con, Path(path), prefilter, progress)
        _name_givers(con, committees)
        organizations = _classify(con, policy, committees)
        return _money_rules(con, organizations)
    except BaseException:
        con.close()
        raise


def _insert(con: Any, path: Path, prefilter, progress: Progress | None) -> None:
    with warehouse.open_bulk(path, kinds=warehouse.ITEMIZED_KINDS) as source:
        where, where_params = bulk.prefilter_sql(source.kind, prefilter, con)
        if not where:
            return  # an empty prefilter lets nothing through
        before = con.execute("SELECT count(*) FROM hits").fetchone()[0]
        sql = (
            f"INSERT INTO hits SELECT {_select(source.kind, bulk.SOURCES[source.kind])} "
            f"FROM {source.read_csv} WHERE {where}"
        )
        report = None
        if progress is not None:

            def report(fraction: float) -> None:
                progress(path, fraction, before)

        warehouse.execute(
            con, sql, [*source.read_csv_params, *where_params], source=source, progress=report
        )
        # An amount that is not a number: the same message as bulk.scan's.
        bad = con.execute(
            "SELECT sub_id, amount_text FROM hits WHERE amount_text <> '' "
            "AND TRY_CAST(amount_text AS DECIMAL(18, 2)) IS NULL LIMIT 1"
        ).fetchone()
        if bad:
            raise SourceError(
                f"the row with SUB_ID {bad[0]} has TRANSACTION_AMT {bad[1]!r}, which is not a "
                "number. Check that this is an FEC bulk file",
                path=str(path),
            )
        if progress is not None:
            progress(path, 1.0, con.execute("SELECT count(*) FROM hits").fetchone()[0])


def _name_givers(con: Any, committees: Mapping[str, Any]) -> None:
    """itpas2 and itoth-24x rows: the giving committee's name from the committee master (its
    id stands in without one), as bulk.scan names it."""
    ids = [
        row[0]
        for row in con.execute(
            "SELECT DISTINCT contributor_fec_id FROM hits WHERE name_from_cm"
        ).fetchall()
        if row[0] in committees
    ]
    if ids:
        con.execute(
            "UPDATE hits SET contributor_name = n.name FROM "
            "(SELECT unnest(?::VARCHAR[]) AS id, unnest(?::VARCHAR[]) AS name) AS n "
            "WHERE hits.name_from_cm AND hits.contributor_fec_id = n.id",
            [ids, [committees[i].name for i in ids]],
        )


_PROFILE = ("contributor_fec_id", "contributor_type", "contributor_name", "employer", "occupation")


def _classify(con: Any, policy: Policy, committees: Mapping[str, Any]) -> dict[str, Organization]:
    """Apply the rules once per distinct donor; store each matched donor's match, donor key
    and threshold, and each person's name key, in the `donors` table."""
    profiles = con.execute(f"SELECT DISTINCT {', '.join(_PROFILE)} FROM hits").fetchall()
    columns: list[list[Any]] = [[] for _ in range(len(_PROFILE) + 7)]
    organizations: dict[str, Organization] = {}
    for fec_id, ctype, name, employer, occupation in profiles:
        donor = Contribution(
            source="",
            filing_id="",
            transaction_id="",
            form_type="",
            recipient_committee_id="",
            contributor_name=name,
            contributor_type=ctype,
            contributor_fec_id=fec_id,
            employer=employer,
            occupation=occupation,
        )
        match = classify(donor, policy, committees)
        person = ctype == ContributorType.INDIVIDUAL and bool(name)
        if match is None and not person:
            continue  # neither counted nor a refund's possible donor
        values = [fec_id, ctype, name, employer, occupation]
        if match is not None:
            organizations[match.organization.name] = match.organization
            values += [
                match.organization.name,
                match.rule,
                match.matched,
                match.tier,
                donor_who(donor),
                str(threshold(policy, donor, match)),
            ]
        else:
            values += [None] * 6
        values.append(person_key(name) if person else None)
        for column, value in zip(columns, values, strict=True):
            column.append(value)
    con.execute(
        "CREATE TEMP TABLE donors AS SELECT "
        "unnest(?::VARCHAR[]) AS contributor_fec_id, unnest(?::VARCHAR[]) AS contributor_type, "
        "unnest(?::VARCHAR[]) AS contributor_name, unnest(?::VARCHAR[]) AS employer, "
        "unnest(?::VARCHAR[]) AS occupation, unnest(?::VARCHAR[]) AS org, "
        "unnest(?::VARCHAR[]) AS rule, unnest(?::VARCHAR[]) AS matched, "
        "unnest(?::INTEGER[]) AS tier, unnest(?::VARCHAR[]) AS who, "
        "unnest(?::DECIMAL(18, 2)[]) AS threshold, unnest(?::VARCHAR[]) AS pkey",
        columns,
    )
    return organizations


def _money_rules(con: Any, organizations: dict[str, Organization]) -> BulkScreen:
    refund_forms = ", ".join(f"'{form}'" for form in sorted(REFUND_FORMS))
    refund_types = ", ".join(f"'{tp}'" for tp in sorted(bulk.REFUND_TYPES))
    screened = con.execute("SELECT count(*) FROM hits").fetchone()[0]
    # Every kept row (by its rowid in `hits`, which keeps the text for the findings) with its
    # donor's match (if any), amount, cycle and flags: only what the money rules read.
    con.execute(
        f"""CREATE TEMP TABLE rows AS
        SELECT rid, recipient, sub_id, memo, org, rule, matched, tier, who, threshold, pkey,
               amount, person AS key_person,
               CASE WHEN day IS NULL THEN 0 ELSE year(day) + year(day) % 2 END AS cycle,
               (amount < 0 OR upper(form_type) IN ({refund_forms})) AS is_refund,
               (person AND named) AS is_person
        FROM (
            SELECT h.rowid AS rid, h.recipient, h.sub_id, h.memo, h.form_type,
                   d.org, d.rule, d.matched, d.tier, d.who, d.threshold, d.pkey,
                   h.contributor_type = '{ContributorType.INDIVIDUAL}' AS person,
                   h.contributor_name <> '' AS named,
                   coalesce(TRY_CAST(h.amount_text AS DECIMAL(18, 2)), 0)
                   * CASE WHEN h.form_type IN ({refund_types}) THEN -1 ELSE 1 END AS amount,
                   {_DAY_SQL.format(dt="h.dt")} AS day
            FROM hits AS h JOIN donors AS d USING ({", ".join(_PROFILE)})
        )"""
    )
    # The matched people a refund naming no transaction can be tied to: per committee and
    # name key, the one organization they gave for (names shared by donors of two
    # organizations are left out); the first such receipt (by SUB_ID) gives the match.
    con.execute(
        """CREATE TEMP TABLE named AS
        SELECT recipient, pkey,
               arg_min({'org': org, 'rule': rule, 'matched': matched, 'tier': tier,
                        'who': who, 'threshold': threshold}, sub_id) AS m
        FROM rows
        WHERE org IS NOT NULL AND NOT is_refund AND is_person
        GROUP BY recipient, pkey
        HAVING count(DISTINCT org) = 1"""
    )
    # Each counted row under its donor key (organization, person or not, who, cycle), the
    # key's net total, and what becomes of the row.
    con.execute(
        """CREATE TEMP TABLE scored AS
        WITH keyed AS (
            SELECT rid, memo, amount, cycle, key_person, org AS m_org, rule AS m_rule,
                   matched AS m_matched, tier AS m_tier, threshold AS m_threshold,
                   who AS key_who, false AS by_name
            FROM rows WHERE org IS NOT NULL
            UNION ALL
            SELECT r.rid, r.memo, r.amount, r.cycle, true, struct_extract(n.m, 'org'),
                   struct_extract(n.m, 'rule'), struct_extract(n.m, 'matched'),
                   struct_extract(n.m, 'tier'), struct_extract(n.m, 'threshold'),
                   struct_extract(n.m, 'who'), true
            FROM rows AS r JOIN named AS n USING (recipient, pkey)
            WHERE r.org IS NULL AND r.is_refund AND NOT r.memo AND r.is_person
        )
        SELECT *, sum(CASE WHEN memo THEN 0 ELSE amount END)
                  OVER (PARTITION BY m_org, key_person, key_who, cycle) AS total
        FROM keyed"""
    )
    con.execute("DROP TABLE rows")
    netted_out, below = con.execute(
        "SELECT count_if(total <= 0), count_if(total > 0 AND total <= m_threshold) FROM scored"
    ).fetchone()
    con.execute(
        """CREATE TEMP TABLE findings AS
        SELECT *, CASE WHEN memo THEN 0 ELSE amount END AS net
        FROM scored WHERE total > 0 AND total > m_threshold"""
    )
    con.execute("DROP TABLE scored")
    count = con.execute("SELECT count(*) FROM findings").fetchone()[0]
    return BulkScreen(
        con=con,
        organizations=organizations,
        screened=screened,
        below_threshold=below,
        netted_out=netted_out,
        count=count,
    )
