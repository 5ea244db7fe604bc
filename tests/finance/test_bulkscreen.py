"""The bulk screen in DuckDB (bulkscreen.screen_bulk) against the row-by-row screen
(screening.screen over bulk.scan), on the real 2020-cycle bulk files, and its refund netting on
real refund lines."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from pledgewatch.finance import bench
from pledgewatch.finance.bulkscreen import screen_bulk
from pledgewatch.finance.cli import main
from pledgewatch.finance.importers import bulk
from pledgewatch.finance.policy import Policy
from pledgewatch.finance.records import Prefilter, SourceError
from pledgewatch.finance.screening import Finding, screen
from tests.finance.conftest import BULK

INDIV = BULK / "indiv20.zip"
OTH = BULK / "oth20.zip"
PAS2 = BULK / "itpas2.txt"
CM = BULK / "cm.txt"
EVERYTHING = Prefilter(committee_ids=frozenset(), pattern="", all_rows=True)

# Two executives of the Council of Insurance Agents & Brokers gave $208 each to the same
# committee on 31 January 2019; the committee refunded both the day before it reported (22Y
# rows, filed as positive amounts, naming no transaction and no employer).
CRERAR_RECEIPT, CRERAR_REFUND = "4022820191644672648", "4022820191644626243"  # $208, $208
WOOD_RECEIPT, WOOD_REFUND = "4022820191644672649", "4022820191644626245"  # $208, $277


@pytest.fixture(scope="module")
def policy() -> Policy:
    return Policy.default()


@pytest.fixture(scope="module")
def committees(shared_data):
    return bulk.read_committees(CM)


@pytest.fixture(scope="module")
def itcont_by_sub_id(shared_data) -> dict[str, str]:
    with zipfile.ZipFile(INDIV) as archive:
        text = archive.read("itcont.txt").decode()
    return {line.rsplit("|", 1)[1]: line for line in text.splitlines()}


def comparable(findings: list[Finding]) -> list[tuple]:
    """Everything a finding says, in an order that does not depend on the row order."""
    return sorted(
        (
            f.contribution.extra["sub_id"],
            f.contribution.source,
            f.contribution.filing_id,
            f.contribution.transaction_id,
            f.contribution.form_type,
            f.contribution.recipient_committee_id,
            f.contribution.contributor_name,
            f.contribution.contributor_type,
            f.contribution.contributor_fec_id,
            f.contribution.employer,
            f.contribution.occupation,
            f.contribution.date or date.min,
            f.contribution.amount,
            f.contribution.memo,
            f.match.organization.name,
            f.match.rule,
            f.match.matched,
            f.match.tier,
            f.donor_total,
            f.cycle,
            f.net_amount,
            f.by_name,
            f.explanation,
        )
        for f in findings
    )


def row_by_row(paths, policy, committees):
    rows = [c for p in paths for c in bulk.scan(p, policy.prefilter(), committees=committees)]
    rows.sort(key=lambda c: c.extra["sub_id"])  # the first receipt of a name is by SUB_ID
    return screen(rows, policy, committees=committees)


@pytest.mark.parametrize(
    "paths",
    [[INDIV], [OTH], [PAS2], [INDIV, OTH, PAS2]],
    ids=["itcont", "itoth", "itpas2", "all three"],
)
def test_same_findings_and_totals_as_the_row_by_row_screen(paths, policy, committees):
    expected = row_by_row(paths, policy, committees)
    result = screen_bulk(paths, policy, committees=committees)
    try:
        assert result.count == len(result.findings) == len(expected.findings) > 100
        assert comparable(result.findings) == comparable(expected.findings)
        # The same order as screen() sorts them: tier, organization, date.
        assert [(f.match.tier, f.match.organization.name) for f in result.findings] == [
            (f.match.tier, f.match.organization.name) for f in expected.findings
        ]
        assert result.summary() == {**expected.summary(), "sources": []}
    finally:
        result.close()


def test_the_command_line_screens_bulk_files_in_duckdb_with_the_same_output(
    capsys, policy, committees
):
    assert main([str(OTH), str(CM), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    expected = row_by_row([OTH], policy, committees)
    expected.sources = [str(OTH)]
    wanted = expected.as_dict()

    def key(f):
        return json.dumps(f, sort_keys=True)

    assert sorted(out["findings"], key=key) == sorted(wanted["findings"], key=key)
    assert out["summary"] == wanted["summary"]


# --- Refunds to individuals: real 22Y lines --------------------------------------------------


def write_itcont(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "itcont.txt"
    path.write_text("".join(line + "\n" for line in lines))
    return path


def test_a_refund_is_imported_negative(itcont_by_sub_id, tmp_path):
    path = write_itcont(tmp_path, [itcont_by_sub_id[CRERAR_REFUND]])
    (refund,) = bulk.scan(path, EVERYTHING)
    assert (refund.form_type, refund.amount, refund.employer) == ("22Y", Decimal("-208"), "")
    assert refund.is_refund


def test_refunds_naming_no_transaction_net_the_donor_of_that_name(
    itcont_by_sub_id, tmp_path, policy
):
    receipts = [itcont_by_sub_id[CRERAR_RECEIPT], itcont_by_sub_id[WOOD_RECEIPT]]
    refunds = [itcont_by_sub_id[CRERAR_REFUND], itcont_by_sub_id[WOOD_REFUND]]

    flagged = screen_bulk([write_itcont(tmp_path, receipts)], policy)
    assert {f.contribution.contributor_name for f in flagged.findings} == {
        "CRERAR, KEN A MR.",
        "WOOD, JOEL MR.",
    }
    assert {f.match.rule for f in flagged.findings} == {"employer_executive"}
    assert {f.donor_total for f in flagged.findings} == {Decimal("208")}
    flagged.close()

    refunded = screen_bulk([write_itcont(tmp_path, receipts + refunds)], policy)
    assert refunded.count == 0
    assert refunded.netted_out == 4  # both receipts and both refunds
    assert refunded.summary()["net_by_tier"] == {}
    refunded.close()
    assert row_by_row([tmp_path / "itcont.txt"], policy, {}).netted_out == 4


def test_a_refund_from_another_committee_does_not_net(itcont_by_sub_id, tmp_path, policy):
    receipt = itcont_by_sub_id[CRERAR_RECEIPT]
    fields = itcont_by_sub_id[CRERAR_REFUND].split("|")
    assert fields[0] == receipt.split("|")[0]
    fields[0] = "C00401224"  # the same refund, filed by another committee
    result = screen_bulk([write_itcont(tmp_path, [receipt, "|".join(fields)])], policy)
    (finding,) = result.findings
    assert finding.contribution.extra["sub_id"] == CRERAR_RECEIPT
    assert finding.donor_total == Decimal("208")
    assert result.netted_out == 0
    result.close()


def test_a_partial_refund_leaves_the_rest_and_shows_the_refund(itcont_by_sub_id, tmp_path, policy):
    """$1,208 given; $208 refunded: $1,000 remain, and the refund is shown, tied by name."""
    receipt = itcont_by_sub_id[CRERAR_RECEIPT].split("|")
    receipt[14] = "1208"
    path = write_itcont(tmp_path, ["|".join(receipt), itcont_by_sub_id[CRERAR_REFUND]])
    result = screen_bulk([path], policy)
    by_sub_id = {f.contribution.extra["sub_id"]: f for f in result.findings}
    assert by_sub_id.keys() == {CRERAR_RECEIPT, CRERAR_REFUND}
    refund = by_sub_id[CRERAR_REFUND]
    assert refund.by_name and refund.net_amount == Decimal("-208")
    assert refund.match.organization.name == "The Council of Insurance Agents & Brokers"
    assert {f.donor_total for f in result.findings} == {Decimal("1000")}
    assert result.summary()["net_by_tier"] == {str(refund.match.tier): "1000"}
    result.close()
    assert comparable(row_by_row([path], policy, {}).findings) == comparable(
        screen_bulk([path], policy).findings
    )


# --- Progress and bad input ----------------------------------------------------------------


def test_progress_is_reported_while_duckdb_reads(policy):
    calls: list[tuple[Path, float, int]] = []
    result = screen_bulk([INDIV], policy, progress=lambda p, f, n: calls.append((p, f, n)))
    assert calls[-1] == (INDIV, 1.0, result.screened)
    fractions = [f for _, f, _ in calls]
    assert fractions == sorted(fractions)
    result.close()


@pytest.mark.parametrize("with_progress", [False, True])
def test_a_cut_off_line_is_reported_with_its_number(
    itcont_by_sub_id, tmp_path, policy, with_progress
):
    lines = list(itcont_by_sub_id.values())[:50]
    lines[29] = lines[29].rsplit("|", 5)[0]  # five fields short
    path = write_itcont(tmp_path, lines)
    progress = (lambda p, f, n: None) if with_progress else None
    with pytest.raises(SourceError) as caught:
        screen_bulk([path], policy, progress=progress)
    assert caught.value.line == 30
    assert "where an FEC itcont file has 21" in str(caught.value)


def test_an_amount_that_is_not_a_number_names_the_row(itcont_by_sub_id, tmp_path, policy):
    fields = itcont_by_sub_id[CRERAR_RECEIPT].split("|")
    fields[14] = "2O8"  # a letter O
    with pytest.raises(SourceError, match=rf"SUB_ID {CRERAR_RECEIPT} has TRANSACTION_AMT '2O8'"):
        screen_bulk([write_itcont(tmp_path, ["|".join(fields)])], policy)


def test_bench_prints_its_figures(capsys, shared_data):
    assert bench.main(["--rows", "20000", "--fec-mb", "1", "--repeats", "1"]) == 0
    out = capsys.readouterr().out
    for label in (
        "bare DuckDB count(*)",
        "full screen (prefilter, rules per distinct donor",
        "ratio screen / count",
        "every finding built as a Python object",
        "row by row in Python",
        "largest real .fec",
        "MB/s",
    ):
        assert label in out
