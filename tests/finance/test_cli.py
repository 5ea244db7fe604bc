"""`pledgewatch screen` on the real filings: table and JSON output, policy option, errors."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pledgewatch.finance.cli import main
from tests.finance.conftest import BULK, EFILINGS
from tests.finance.policies import SMALL

SCRIPT = Path(sys.executable).parent / "pledgewatch"

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
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [
        "tier", "date", "amount", "organization", "contributor", "rule", "filing:line",
    ]  # fmt: skip
    # A name cut to fit its column says so.
    assert lines[2].split("  ")[0:1] == ["1"] and "FEDEX CORPORATION POLITICAL ACT…" in lines[2]
    assert lines[2].rstrip().endswith("committee_id  1229017:175")
    assert lines[3:] == [
        "",
        "1 finding in 187 contributions screened.",
        "Net by tier:",
        "  $4,000.00  tier 1 (conflict)",
        "Net by organization:",
        "  $4,000.00  FedEx",
    ]


def test_table_reports_only_what_was_left_out(capsys, shared_data):
    """Rows under the thresholds are counted; "0 fully refunded" is not worth a word."""
    assert main([str(EFILINGS / "fecfile__27789.fec")]) == 0
    text = capsys.readouterr().out
    summary = text[text.index("\n\n") + 2 :].splitlines()
    assert summary[0].endswith(" findings in 2,627 contributions screened.")
    assert summary[1:4] == ["Net by tier:", summary[2], summary[3]]
    assert summary[2].endswith("tier 1 (conflict)") and summary[3].endswith("tier 2 (review)")
    assert summary[4:6] == ["Net by organization:", summary[5]]
    assert summary[5].endswith("  Merck & Co.")
    assert summary[6:] == [
        "Not reported: 915 matched rows whose donor stayed under the policy's thresholds."
    ]


def test_no_findings_is_said_once(capsys, shared_data, tmp_path):
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(SMALL))  # nobody in DeFazio's report gave from its list
    assert main([str(EFILINGS / "fecfile__1229017.fec"), "--policy", str(policy)]) == 0
    assert capsys.readouterr().out == "No findings in 187 contributions screened.\n"


def test_no_findings_in_json_keeps_the_format(capsys, shared_data, tmp_path):
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(SMALL))
    out = run_json(capsys, EFILINGS / "fecfile__1229017.fec", "--policy", policy)
    assert out["findings"] == []
    assert out["summary"]["findings"] == 0
    assert out["summary"]["contributions_screened"] == 187


def test_bulk_rows_name_the_giving_committee_from_cm_txt(capsys, shared_data):
    """itoth 24K rows carry the recipient's name; cm.txt gives the giver's (AHIP's PAC)."""
    out = run_json(capsys, BULK / "oth20.zip", BULK / "cm.txt")
    ahip = [f for f in out["findings"] if f["contributor_fec_id"] == "C00106740"]
    assert ahip and {f["contributor_name"] for f in ahip} == {
        "AMERICAS HEALTH INSURANCE PLANS PAC (AHIP PAC)"
    }
    assert out["summary"]["sources"] == [str(BULK / "oth20.zip")]


def test_bulk_table_says_which_rows_were_screened(capsys, shared_data):
    assert main([str(BULK / "oth20.zip")]) == 0
    text = capsys.readouterr().out
    assert "contributions screened (of a bulk file, only the rows that could match" in text


def test_progress_on_a_bulk_scan(capsys, shared_data):
    assert main([str(BULK / "oth20.zip"), "--progress", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["summary"]["findings"] > 0
    last = captured.err.split("\r")[-1]
    assert last.startswith("Scanning oth20.zip [" + "#" * 30 + "] 100%, ")
    assert last.endswith(" rows to screen\n")


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


def assert_one_line_error(capsys, args, name: str, message: str) -> None:
    """The command exits 2, prints nothing on stdout and one line on stderr naming `name`."""
    assert main([*map(str, args)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("pledgewatch screen: ")
    assert name in err and message in err


def _write_zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in members.items():
            zf.writestr(member, data)


def _bad_input(tmp_path: Path, case: str) -> Path:
    """A file (or folder) for each case, made from the real filings."""
    filing = (EFILINGS / "fecfile__1229017.fec").read_bytes()
    path = tmp_path / {
        "folder": "filings", "folder named .fec": "1229017.fec", "missing zip": "gone.zip",
        "empty .fec": "1229017.fec", "truncated .fec header": "1229017.fec",
        "zip without members": "filings.zip", "zip of folders": "filings.zip",
        "zip of other files": "filings.zip", "truncated zip": "filings.zip",
        "empty bulk file": "itcont.txt", "empty bulk member": "indiv20.zip",
        "committee master alone": "cm.txt", "truncated bulk file": "itpas2.txt",
    }[case]  # fmt: skip
    if case.startswith("folder"):
        path.mkdir()
    elif case in {"empty .fec", "empty bulk file"}:
        path.write_bytes(b"")
    elif case == "truncated .fec header":
        path.write_bytes(filing[:20])  # the HDR record and half the report record's type
    elif case == "zip without members":
        _write_zip(path, {})
    elif case == "zip of folders":
        _write_zip(path, {"2018/": b"", "2018/06/": b""})
    elif case == "zip of other files":
        _write_zip(path, {"README.txt": b"FEC filings of 2018-06-16"})
    elif case == "truncated zip":
        _write_zip(tmp_path / "whole.zip", {"1229017.fec": filing})
        path.write_bytes((tmp_path / "whole.zip").read_bytes()[:5000])
    elif case == "empty bulk member":
        _write_zip(path, {"itcont.txt": b""})
    elif case == "committee master alone":
        path.write_bytes((BULK / "cm.txt").read_bytes()[:100_000])
    elif case == "truncated bulk file":
        path.write_bytes((BULK / "itpas2.txt").read_bytes()[:1000])
    return path


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("folder", "is a folder, not a file"),
        ("folder named .fec", "is a folder, not a file"),
        ("missing zip", "no such file"),
        ("empty .fec", "the file is empty"),
        ("truncated .fec header", "the file is truncated"),
        ("zip without members", "the zip file is empty"),
        ("zip of folders", "the zip file is empty"),
        ("zip of other files", "a zip with neither .fec filings nor FEC bulk files"),
        ("truncated zip", "not a readable zip file"),
        ("empty bulk file", "the file is empty"),
        ("empty bulk member", "itcont.txt in the zip is empty"),
        ("committee master alone", "give the filings or bulk files to screen with it"),
        ("truncated bulk file", "where an FEC itpas2 file has 22"),
    ],
)
def test_a_bad_file_is_one_line_and_exit_2(capsys, shared_data, tmp_path, case, message):
    path = _bad_input(tmp_path, case)
    assert_one_line_error(capsys, [path], path.name, message)


def test_a_bad_file_stops_the_command_before_a_bulk_scan(capsys, shared_data, tmp_path):
    """No progress line on stderr: the bulk file named first was never scanned."""
    bad = _bad_input(tmp_path, "empty .fec")
    args = [BULK / "indiv20.zip", bad, "--progress"]
    assert_one_line_error(capsys, args, bad.name, "the file is empty")


def test_a_fec_truncated_between_its_itemizations_is_refused(capsys, shared_data, tmp_path):
    path = tmp_path / "1229017.fec"
    path.write_bytes((EFILINGS / "fecfile__1229017.fec").read_bytes()[:3000])
    assert_one_line_error(capsys, [path], path.name, "truncated")


@pytest.fixture
def receipts(tmp_path) -> Path:
    path = tmp_path / "receipts.csv"
    path.write_text("NAME,AMNT\nDOE JANE,100\n")
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.json", None, "is neither a preset (nyc-cfb, cal-access, nys-boe, candidate)"),
        ("nyc", None, "is neither a preset (nyc-cfb, cal-access, nys-boe, candidate)"),
        ("bad.json", '{"amount": "AMNT",', "is not a JSON mapping (Expecting"),
        ("list.json", '["AMNT", "NAME"]', "is not a JSON object"),
        ("fields.json", '{"amt": "AMNT"}', "the mapping names “amt”, which is not one of"),
        ("preset.json", '{"preset": "nyc"}', "“nyc” is not a preset; the presets are nyc-cfb"),
        ("latin1.json", b'{"amount": "MONTANT \xe0 payer"}', "is not a JSON mapping"),
    ],
)
def test_a_bad_mapping_is_one_line_and_exit_2(
    capsys, tmp_path, receipts, monkeypatch, name, content, message
):
    monkeypatch.chdir(tmp_path)
    if isinstance(content, bytes):
        Path(name).write_bytes(content)
    elif content is not None:
        Path(name).write_text(content)
    assert_one_line_error(capsys, [receipts, "--mapping", name], name, message)


def test_a_bad_mapping_stops_the_command_before_a_bulk_scan(capsys, shared_data, receipts):
    args = [BULK / "indiv20.zip", receipts, "--mapping", "missing.json", "--progress"]
    assert_one_line_error(capsys, args, "missing.json", "is neither a preset")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "is a folder, not a policy file"),
        ('["UnitedHealth Group"]', "not a conflict policy in Pledgewatch's format"),
        ('{"name": "ours"', "not valid JSON"),
    ],
)
def test_a_bad_policy_is_one_line_and_exit_2(capsys, shared_data, tmp_path, content, message):
    path = tmp_path / "policy.json"
    if content is None:
        path.mkdir()
    else:
        path.write_text(content)
    args = [EFILINGS / "fecfile__1229017.fec", "--policy", path]
    assert_one_line_error(capsys, args, str(path), message)


def test_a_spreadsheet_without_mapping_is_refused(capsys, tmp_path):
    path = tmp_path / "receipts.csv"
    path.write_text("NAME,AMNT\nDOE JANE,100\n")
    assert main([str(path)]) == 2
    assert "needs --mapping" in capsys.readouterr().err


def test_console_script_runs_screen_without_a_database(shared_data, tmp_path):
    result = subprocess.run(
        [SCRIPT, "screen", EFILINGS / "fecfile__27789.fec", "--json"],
        capture_output=True, text=True, check=True, cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin"},  # no DJANGO_SETTINGS_MODULE, no database
    )  # fmt: skip
    assert json.loads(result.stdout)["summary"]["findings"] > 0


def test_console_script_explains_a_missing_mapping_file(tmp_path, receipts):
    result = subprocess.run(
        [SCRIPT, "screen", receipts, "--mapping", "missing.json"],
        capture_output=True, text=True, cwd=tmp_path, env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "pledgewatch screen: “missing.json” is neither a preset (nyc-cfb, cal-access, nys-boe, "
        "candidate) nor a mapping file.\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        pytest.param([EFILINGS / "fecfile__27789.fec", "--json"], id="json"),  # about 500 kB
        pytest.param([BULK / "indiv20.zip", BULK / "cm.txt"], id="table"),  # about 250 kB
    ],
)
def test_output_piped_into_a_reader_that_stops_early(shared_data, tmp_path, args):
    """`pledgewatch screen ... | head -3`: no traceback, exit 1 (Python's note on SIGPIPE).

    The output is far larger than a pipe's buffer, so the command is still writing when the
    reader closes its end.
    """
    with subprocess.Popen(
        [SCRIPT, "screen", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin"},
    ) as proc:  # fmt: skip
        assert proc.stdout is not None and proc.stderr is not None
        head = [proc.stdout.readline() for _ in range(3)]
        proc.stdout.close()
        err = proc.stderr.read()
        status = proc.wait(timeout=120)
    assert all(head)
    assert err == b""
    assert status == 1
