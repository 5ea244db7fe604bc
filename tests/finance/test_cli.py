"""`pledgewatch screen` on the real filings: table and JSON output, policy option, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pledgewatch.finance.cli import main
from tests.finance.conftest import EFILINGS
from tests.finance.policies import SMALL

REQUIRED = {
    "filing_id", "transaction_id", "form_type", "contributor_name", "contributor_fec_id",
    "employer", "occupation", "date", "amount", "tier", "entity", "rule", "explanation",
}  # fmt: skip


def run_json(capsys, *args) -> dict:
    assert main([*map(str, args), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def fedex_policy(tmp_path) -> Path:
    """The test policy plus FedEx's PAC, which gave to DeFazio in filing 1229017."""
    data = json.loads(json.dumps(SMALL))
    fedex = {"name": "FedEx", "tier": 1, "fec_committee_ids": ["C00068692"], "aliases": ["FEDEX"]}
    data["organizations"].append(fedex)
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(data))
    return path


def test_json_output_names_the_filing_line_of_a_pac_contribution(capsys, shared_data, fedex_policy):
    out = run_json(capsys, EFILINGS / "fecfile__1229017.fec", "--policy", fedex_policy)
    [finding] = out["findings"]
    assert REQUIRED <= finding.keys()
    assert finding["filing_id"] == "1229017"
    assert finding["transaction_id"] == "C11233426"
    assert finding["form_type"] == "SA11C"
    assert finding["contributor_fec_id"] == "C00068692"
    assert (finding["date"], finding["amount"], finding["tier"]) == ("2018-04-23", "4000.00", 1)
    assert (finding["entity"], finding["rule"], finding["line"]) == ("FedEx", "committee_id", 175)
    assert out["summary"]["net_by_tier"] == {"1": "4000.00"}
    assert out["summary"]["net_by_entity"] == {"FedEx": "4000.00"}
    assert out["summary"]["contributions_screened"] == 187


def test_default_policy_finds_merck_executives_in_the_merck_pac_report(capsys, shared_data):
    out = run_json(capsys, EFILINGS / "fecfile__27789.fec")
    findings = out["findings"]
    assert findings and {f["entity"] for f in findings} == {"Merck & Co."}
    executives = [f for f in findings if f["rule"] == "employer_executive"]
    assert executives and all(f["tier"] == 1 for f in executives)
    assert all(float(f["donor_total"]) > 200 for f in executives)
    employees = [f for f in findings if f["rule"] == "employer_employee"]
    assert all(f["tier"] == 2 and float(f["donor_total"]) > 1000 for f in employees)
    total = sum(float(f["net_amount"]) for f in findings)
    assert round(total, 2) == round(
        sum(float(v) for v in out["summary"]["net_by_tier"].values()), 2
    )


def test_table_output_is_readable(capsys, shared_data, fedex_policy):
    assert main([str(EFILINGS / "fecfile__1229017.fec"), "--policy", str(fedex_policy)]) == 0
    text = capsys.readouterr().out
    assert "FEDEX CORPORATION POLITICAL ACT" in text  # names are cut to fit the column
    assert "1 findings in 187 contributions screened." in text
    assert "tier 1: $4,000.00 net" in text


def test_amendment_replaces_the_report_it_amends(capsys, shared_data, tmp_path):
    """Two versions of the same report: only the amendment's rows are screened."""
    original = (EFILINGS / "fecfile__1229017.fec").read_bytes()
    amended = original.replace(b"F3N", b"F3A", 1)
    (tmp_path / "1229017.fec").write_bytes(original)
    (tmp_path / "1229018.fec").write_bytes(amended)
    out = run_json(capsys, tmp_path / "1229017.fec", tmp_path / "1229018.fec")
    assert out["summary"]["contributions_screened"] == 187


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("fastfec__filing_invalid_version.fec", "line 1: unknown .fec version 180.5"),
        ("does-not-exist.fec", "no such file"),
    ],
)
def test_bad_input_exits_2_with_a_message_naming_the_file(capsys, shared_data, name, message):
    assert main([str(EFILINGS / name)]) == 2
    err = capsys.readouterr().err
    assert name in err and message in err


def test_a_spreadsheet_without_mapping_is_refused(capsys, tmp_path):
    path = tmp_path / "receipts.csv"
    path.write_text("NAME,AMNT\nDOE JANE,100\n")
    assert main([str(path)]) == 2
    assert "needs --mapping" in capsys.readouterr().err


def test_console_script_runs_screen_without_a_database(shared_data, tmp_path):
    script = Path(sys.executable).parent / "pledgewatch"
    result = subprocess.run(
        [script, "screen", EFILINGS / "fecfile__27789.fec", "--json"],
        capture_output=True, text=True, check=True, cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin"},  # no DJANGO_SETTINGS_MODULE, no database
    )  # fmt: skip
    assert json.loads(result.stdout)["summary"]["findings"] > 0
