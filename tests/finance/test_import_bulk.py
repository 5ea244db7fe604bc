"""FEC bulk import (importers/bulk.py, warehouse.py) and the benchmark builders, on real files."""

from __future__ import annotations

import csv
import re
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from pledgewatch.finance import bench, warehouse
from pledgewatch.finance.importers import bulk
from pledgewatch.finance.records import Contribution, Prefilter, SourceError
from tests.finance.conftest import BULK, SHARED_DATA

ITPAS2 = BULK / "itpas2.txt"
INDIV_ZIP = BULK / "indiv20.zip"
OTH_ZIP = BULK / "oth20.zip"
SEED_CSV = SHARED_DATA / "seed_conflict_committees_from_cm20_2019-03.csv"

UNITEDHEALTH_PAC = "C00274431"
EVERYTHING = Prefilter(committee_ids=frozenset(), pattern="", all_rows=True)


@pytest.fixture(scope="module")
def seed_ids(shared_data: Path) -> frozenset[str]:
    with SEED_CSV.open(newline="", encoding="utf-8") as fh:
        ids = frozenset(row["CMTE_ID"] for row in csv.DictReader(fh))
    assert len(ids) == 129
    return ids


@pytest.fixture(scope="module")
def itcont_lines(shared_data: Path) -> list[str]:
    """The real itcont.txt rows, as text lines (without their newline)."""
    with zipfile.ZipFile(INDIV_ZIP) as archive:
        return archive.read("itcont.txt").decode("utf-8").split("\n")[:-1]


def by_sub_id(rows: list[Contribution]) -> dict[str, Contribution]:
    return {row.extra["sub_id"]: row for row in rows}


# --- itpas2: committee -> candidate, CMTE_ID is the giver -----------------------------------------


def test_itpas2_unitedhealth_row_maps_giver_recipient_and_candidate(shared_data):
    rows = by_sub_id(list(bulk.scan(ITPAS2, Prefilter(frozenset({UNITEDHEALTH_PAC}), ""))))

    row = rows["4022720191644230653"]
    assert row.source == "bulk-itpas2"
    assert row.form_type == "24K"
    assert row.contributor_fec_id == UNITEDHEALTH_PAC  # the giver
    assert row.contributor_type == "committee"
    assert row.contributor_name == UNITEDHEALTH_PAC  # no committee master given
    assert row.recipient_committee_id == "C00420935"  # Kevin McCarthy for Congress
    assert row.extra["recipient_name"] == "KEVIN MCCARTHY FOR CONGRESS"
    assert row.extra["cand_id"] == "H6CA22125"
    assert row.amount == Decimal("5000")
    assert row.date == date(2019, 1, 18)
    assert row.transaction_id == "43061130"
    assert row.filing_id == "1316687"
    assert row.extra["image_num"] == "201902199145532389"
    assert row.memo is False
    assert row.memo_text == "CONTRIBUTION"
    assert (row.city, row.state, row.employer) == ("", "", "")  # those are the recipient's
    assert row.line == 0
    assert {r.contributor_fec_id for r in rows.values()} == {UNITEDHEALTH_PAC}


def test_itpas2_names_the_giver_from_the_committee_master(shared_data):
    committees = bulk.read_committees(BULK / "cm.txt")
    rows = list(
        bulk.scan(ITPAS2, Prefilter(frozenset({UNITEDHEALTH_PAC}), ""), committees=committees)
    )
    assert rows
    assert {r.contributor_name for r in rows} == {
        "UNITEDHEALTH GROUP INCORPORATED PAC (UNITEDHEALTH GROUP PAC)"
    }


def test_itpas2_seed_pacs_reproduce_the_research_figures(seed_ids):
    rows = list(bulk.scan(ITPAS2, Prefilter(committee_ids=seed_ids, pattern="")))

    assert all(type(r.amount) is Decimal for r in rows)
    assert {r.contributor_fec_id for r in rows} <= seed_ids
    # finance.md 4.1: 240 24K rows, $446,450, 153 candidates (one 24K row has no CAND_ID).
    k = [r for r in rows if r.form_type == "24K"]
    assert len(k) == 240
    assert sum(r.amount for r in k) == Decimal("446450")
    assert len({r.extra["cand_id"] for r in k} - {""}) == 153
    # ...plus one 24Z in-kind contribution of $5,000.
    assert len(rows) == 241
    assert sum(r.amount for r in rows) == Decimal("451450")
    assert [(r.form_type, r.amount) for r in rows if r.form_type != "24K"] == [
        ("24Z", Decimal("5000"))
    ]


# --- itoth: committee <-> committee ---------------------------------------------------------------


def test_itoth_18k_receipts_from_seed_pacs(seed_ids):
    rows = list(bulk.scan(OTH_ZIP, Prefilter(committee_ids=seed_ids, pattern="")))

    receipts = [r for r in rows if r.form_type == "18K"]
    assert len(receipts) == 54
    assert sum(r.amount for r in receipts) == Decimal("437500")
    assert {r.contributor_fec_id for r in receipts} <= seed_ids

    row = by_sub_id(receipts)["4022220191643588584"]
    assert row.source == "bulk-itoth"
    assert row.recipient_committee_id == "C00165159"  # CMTE_ID received
    assert row.contributor_fec_id == "C00161141"  # OTHER_ID gave
    assert row.contributor_name == "FLORIDA HEALTH POLITICAL ACTION COMMITTEE"
    assert row.contributor_type == "committee"
    assert (row.amount, row.date) == (Decimal("2500"), date(2019, 1, 25))
    assert (row.transaction_id, row.filing_id) == ("SA11C.16922", "1315342")
    assert (row.city, row.state) == ("JACKSONVILLE", "FL")


def test_itoth_24k_is_read_from_the_givers_side_like_itpas2(seed_ids):
    oth = by_sub_id(list(bulk.scan(OTH_ZIP, Prefilter(frozenset({UNITEDHEALTH_PAC}), ""))))
    pas2 = by_sub_id(list(bulk.scan(ITPAS2, Prefilter(frozenset({UNITEDHEALTH_PAC}), ""))))

    same = oth["4022720191644230653"]  # the McCarthy gift is in both files
    assert (same.contributor_fec_id, same.recipient_committee_id) == (
        UNITEDHEALTH_PAC,
        "C00420935",
    )
    assert same.amount == pas2["4022720191644230653"].amount
    # Every 24x row yielded was GIVEN by the seed PAC, none merely received by it.
    gifts = [r for r in oth.values() if r.form_type.startswith("24")]
    assert gifts
    assert {r.contributor_fec_id for r in gifts} == {UNITEDHEALTH_PAC}
    assert UNITEDHEALTH_PAC not in {r.recipient_committee_id for r in gifts}


# --- itcont: individuals --------------------------------------------------------------------------


def test_itcont_employer_prefilter_matches_an_independent_count(itcont_lines):
    """The pattern is tested on an individual's employer (a person's own name is not an
    organization's), on an organization's name; and an individual's refunds pass, to be tied
    to their donor by name."""
    pattern = r"\bPFIZER\b"
    rows = list(bulk.scan(INDIV_ZIP, Prefilter(frozenset(), pattern)))

    regex = re.compile(pattern, re.IGNORECASE)

    def passes(fields: list[str]) -> bool:
        entity, name, employer = fields[6], fields[7], fields[11]
        if entity in ("IND", "CAN"):
            refund = fields[5] in ("22Y", "22Z", "22R") or fields[14].startswith("-")
            return bool(regex.search(employer)) or refund
        if entity in ("COM", "PAC", "PTY", "CCM", "ORG"):
            return bool(regex.search(name))
        return bool(regex.search(name) or regex.search(employer))

    def signed(fields: list[str]) -> Decimal:  # a refund is filed positive, imported negative
        return -Decimal(fields[14]) if fields[5] in ("22Y", "22Z", "22R") else Decimal(fields[14])

    expected = {
        fields[20]: signed(fields)
        for fields in (line.split("|") for line in itcont_lines)
        if passes(fields)
    }
    assert by_sub_id(rows).keys() == expected.keys()
    assert sum(r.amount for r in rows) == sum(expected.values())
    employer_rows = [r for r in rows if not r.is_refund]
    assert len(employer_rows) == 454  # as many as before refunds were let through
    assert sum(r.amount for r in employer_rows) == Decimal("59737")
    assert all("PFIZER" in r.employer.upper() for r in employer_rows)
    refunds = [r for r in rows if r.is_refund]
    assert len(refunds) == len(rows) - 454 > 4_800  # 22Y refunds to individuals
    assert all(r.contributor_type == "individual" for r in refunds)

    row = by_sub_id(rows)["4022720191644404979"]
    assert row.contributor_name == "BOWSHER, JOSEPH J"
    assert row.contributor_type == "individual"
    assert row.contributor_fec_id == ""
    assert row.recipient_committee_id == "C00016683"
    assert (row.employer, row.occupation) == ("PFIZER, INC.", "VP, COMMERCIAL LEAD, PC")
    assert (row.amount, row.date, row.form_type) == (Decimal("208"), date(2019, 1, 31), "15")
    assert (row.city, row.state) == ("NEW YORK", "NY")


def test_itcont_carries_every_row_memo_and_refund(itcont_lines):
    rows = list(bulk.scan(INDIV_ZIP, EVERYTHING))

    assert len(rows) == len(itcont_lines) == 70_671
    filed = [line.split("|") for line in itcont_lines]
    given = sum(Decimal(f[14]) for f in filed if f[5] != "22Y")
    refunded = sum(Decimal(f[14]) for f in filed if f[5] == "22Y")
    assert sum(r.amount for r in rows) == given - refunded
    assert sum(r.memo for r in rows) == 226
    # 85 rows are filed negative; 22Y refunds filed positive turn negative, those filed
    # negative (voided refunds) positive.
    assert sum(Decimal(f[14]) < 0 for f in filed) == 85
    turned = sum(Decimal(f[14]) > 0 for f in filed if f[5] == "22Y")
    kept = sum(Decimal(f[14]) < 0 for f in filed if f[5] != "22Y")
    assert sum(r.amount < 0 for r in rows) == turned + kept == 4_913
    assert all(r.date is not None for r in rows)

    rows_by_id = by_sub_id(rows)
    memo_refund = rows_by_id["4022020191640740846"]
    assert memo_refund.memo is True
    assert memo_refund.amount == Decimal("-6250")
    assert memo_refund.is_refund
    assert memo_refund.memo_text.startswith("TRANSFERED TO NON-FEDERAL ACCOUNT")
    assert memo_refund.transaction_id == "11AI-000359712"

    refund = rows_by_id["4021320191639407455"]
    # Filed as a positive 500 (a disbursement), imported as money going back.
    assert (refund.form_type, refund.amount, refund.is_refund) == ("22Y", Decimal("-500"), True)

    earmark = rows_by_id["4022720191644429021"]  # 15E through ActBlue
    assert earmark.recipient_committee_id == "C00370122"
    assert earmark.contributor_fec_id == ""
    assert earmark.extra["conduit_committee_id"] == "C00401224"

    forwarded = next(
        r for r in rows if r.form_type == "24T" and r.contributor_name == "ATTKISS, KEITH"
    )
    assert forwarded.recipient_committee_id == "C00236513"  # Engel for Congress
    assert forwarded.extra["conduit_committee_id"] == "C00247403"  # NORPAC


def test_scan_reports_progress(shared_data):
    calls: list[tuple[float, int]] = []
    rows = list(bulk.scan(INDIV_ZIP, EVERYTHING, progress=lambda f, n: calls.append((f, n))))
    assert calls[-1] == (1.0, len(rows))
    assert [n for _, n in calls] == sorted(n for _, n in calls)


def test_empty_prefilter_lets_nothing_through(shared_data):
    assert list(bulk.scan(ITPAS2, Prefilter(frozenset(), ""))) == []


def test_read_filing_wraps_the_rows(seed_ids):
    filing = bulk.read_filing(ITPAS2, Prefilter(seed_ids, ""))
    assert (filing.source, filing.filing_id, len(filing.contributions)) == (
        "bulk-itpas2",
        "itpas2.txt",
        241,
    )


# --- files: zips, names, counts -------------------------------------------------------------------


def test_count_rows_plain_and_zipped(shared_data):
    assert bulk.count_rows(INDIV_ZIP) == 70_671
    assert bulk.count_rows(OTH_ZIP) == 50_921
    assert bulk.count_rows(ITPAS2) == 3_159
    assert bulk.count_rows(BULK / "ccl.txt") == 3_752


def test_zip_by_date_copies_are_ignored(tmp_path, itcont_lines):
    excerpt = "\n".join(itcont_lines[:50]) + "\n"
    for name in ("indiv26.zip", "download.zip"):  # a telling name, and one that says nothing
        archive = tmp_path / name
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("by_date/itcont_2019_20190101_20190131.txt", excerpt)
            zf.writestr("itcont.txt", excerpt)
            zf.writestr("by_date/itcont_2019_20190201_20190228.txt", excerpt)
        assert bulk.count_rows(archive) == 50
        assert len(list(bulk.scan(archive, EVERYTHING))) == 50


def test_kind_is_detected_from_the_first_line_when_the_name_says_nothing(tmp_path, itcont_lines):
    pas2 = tmp_path / "download (1).txt"
    pas2.write_bytes(ITPAS2.read_bytes())
    rows = list(bulk.scan(pas2, Prefilter(frozenset({UNITEDHEALTH_PAC}), "")))
    assert {r.source for r in rows} == {"bulk-itpas2"}
    assert {r.contributor_fec_id for r in rows} == {UNITEDHEALTH_PAC}

    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("data.txt", "\n".join(itcont_lines[:10]) + "\n")
    assert {r.source for r in bulk.scan(archive, EVERYTHING)} == {"bulk-itcont"}

    assert warehouse.kind_from_first_line(BULK / "cm.txt") == "cm"
    assert warehouse.kind_from_first_line(BULK / "cn.txt") == "cn"
    assert warehouse.kind_from_first_line(BULK / "ccl.txt") == "ccl"


def test_a_file_name_with_glob_characters_is_read_literally(tmp_path):
    tricky = tmp_path / "itpas2[*].txt"
    tricky.write_bytes(ITPAS2.read_bytes())
    (tmp_path / "itpas2a.txt").write_text("not this one\n")
    assert bulk.count_rows(tricky) == 3_159


# --- reference files ------------------------------------------------------------------------------


def test_read_committees(shared_data):
    committees = bulk.read_committees(BULK / "cm.txt")
    assert len(committees) == 11_603  # 11,605 rows; two are exact duplicates
    uhg = committees[UNITEDHEALTH_PAC]
    assert uhg.name == "UNITEDHEALTH GROUP INCORPORATED PAC (UNITEDHEALTH GROUP PAC)"
    assert uhg.connected_org == "UNITEDHEALTH GROUP INCORPORATED"
    assert (uhg.cmte_tp, uhg.cmte_dsgn, uhg.org_tp, uhg.cand_id) == ("Q", "B", "C", "")
    assert committees["C00401224"].name == "ACTBLUE"


def test_read_candidates_and_their_committees(shared_data):
    candidates = bulk.read_candidates(BULK / "cn.txt")
    mccarthy = candidates["H6CA22125"]
    assert (mccarthy.name, mccarthy.office, mccarthy.office_state) == ("MCCARTHY, KEVIN", "H", "CA")
    assert mccarthy.principal_committee == "C00420935"
    # Principal campaign committee first, then the two joint fundraisers.
    assert bulk.candidate_committees(BULK / "ccl.txt", "H6CA22125") == [
        "C00420935",
        "C00484360",
        "C00541011",
    ]
    assert bulk.candidate_committees(BULK / "ccl.txt", "H0XX99999") == []


# --- errors: always a SourceError naming the file -------------------------------------------------


def test_missing_file(tmp_path):
    missing = tmp_path / "itcont.txt"
    with pytest.raises(SourceError, match="not found") as caught:
        list(bulk.scan(missing, EVERYTHING))
    assert caught.value.path == str(missing)
    assert str(missing) in str(caught.value)


def test_truncated_zip(tmp_path):
    truncated = tmp_path / "oth20.zip"
    truncated.write_bytes(OTH_ZIP.read_bytes()[: OTH_ZIP.stat().st_size // 2])
    with pytest.raises(SourceError, match="damaged or incomplete") as caught:
        bulk.count_rows(truncated)
    assert "oth20.zip" in str(caught.value)


def test_zip_without_the_expected_member(tmp_path):
    archive = tmp_path / "indiv20.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("by_date/itcont_2019.txt", "x\n")
        zf.writestr("README.txt", "hello\n")
    with pytest.raises(SourceError, match=r"should hold itcont\.txt") as caught:
        list(bulk.scan(archive, EVERYTHING))
    assert "indiv20.zip" in str(caught.value)
    assert "README.txt" in str(caught.value)


def test_comma_separated_file(tmp_path, itcont_lines):
    commas = tmp_path / "itcont.csv"
    commas.write_text("\n".join(line.replace("|", ",") for line in itcont_lines[:5]) + "\n")
    with pytest.raises(SourceError, match="has 1 field") as caught:
        list(bulk.scan(commas, EVERYTHING))
    assert caught.value.line == 1
    assert "itcont.csv, line 1:" in str(caught.value)
    assert "pipe-delimited" in str(caught.value)


def test_cut_off_line_is_reported_with_its_number(tmp_path, itcont_lines):
    broken = tmp_path / "itcont.txt"
    lines = itcont_lines[:3000]
    lines[2500] = "|".join(lines[2500].split("|")[:15])  # cut after TRANSACTION_AMT
    broken.write_text("\n".join(lines) + "\n")
    with pytest.raises(SourceError, match="has 15 field") as caught:
        list(bulk.scan(broken, EVERYTHING))
    assert caught.value.line == 2501
    with pytest.raises(SourceError) as caught:
        bulk.count_rows(broken)
    assert caught.value.line == 2501


def test_broken_line_inside_a_zip_names_the_zip(tmp_path, itcont_lines):
    archive = tmp_path / "indiv20.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("itcont.txt", "\n".join([*itcont_lines[:3], "C00000001|X"]) + "\n")
    with pytest.raises(SourceError, match="member itcont.txt") as caught:
        list(bulk.scan(archive, EVERYTHING))
    assert (caught.value.path, caught.value.line) == (str(archive), 4)


def test_not_utf8(tmp_path, itcont_lines):
    latin = tmp_path / "itcont.txt"
    latin.write_bytes(itcont_lines[0].replace("|IND|", "|IND|\xc9").encode("latin-1") + b"\n")
    with pytest.raises(SourceError, match="not valid UTF-8"):
        list(bulk.scan(latin, EVERYTHING))


def test_wrong_kind_of_bulk_file(shared_data):
    with pytest.raises(SourceError, match="FEC cm file; expected itcont or itoth or itpas2"):
        list(bulk.scan(BULK / "cm.txt", EVERYTHING))
    with pytest.raises(SourceError, match="expected cm"):
        bulk.read_committees(ITPAS2)


def test_unrecognisable_file(tmp_path):
    odd = tmp_path / "data.txt"
    odd.write_text("a|b|c\n")
    with pytest.raises(SourceError, match="cannot tell which FEC bulk file") as caught:
        list(bulk.scan(odd, EVERYTHING))
    assert "data.txt" in str(caught.value)


def test_amount_that_is_not_a_number(tmp_path, itcont_lines):
    fields = itcont_lines[0].split("|")
    fields[14] = "12O"  # letter O
    bad = tmp_path / "itcont.txt"
    bad.write_text("|".join(fields) + "\n")
    with pytest.raises(SourceError, match="TRANSACTION_AMT '12O'"):
        list(bulk.scan(bad, EVERYTHING))


def test_invalid_pattern_is_a_value_error(shared_data):
    with pytest.raises(ValueError, match="RE2"):
        list(bulk.scan(ITPAS2, Prefilter(frozenset(), "(UNCLOSED")))


# --- benchmark builders (tiny sizes) --------------------------------------------------------------


def test_build_itcont_writes_exactly_the_rows_asked(tmp_path):
    path = bench.build_itcont(70_671 + 25, tmp_path)
    assert bulk.count_rows(path) == 70_696
    assert list(tmp_path.iterdir()) == [path]


def test_time_bulk_scan_on_a_small_file(tmp_path):
    path = bench.build_itcont(1_000, tmp_path)
    result = bench.time_bulk_scan(path, bench.realistic_prefilter(), repeats=1)
    assert result.rows == 1_000
    assert 0 < result.matched < 1_000
    assert result.ratio > 0
    assert "1,000 rows" in result.summary()


def test_health_pattern_is_word_bounded(shared_data):
    assert re.search(bench.HEALTH_PATTERN, "PFIZER INC")
    assert not re.search(bench.HEALTH_PATTERN, "MERCKX LLC")
    assert len(bench.HEALTH_NAMES) >= 60
    assert bench.seed_committee_ids() >= {UNITEDHEALTH_PAC}


def test_build_fec_repeats_schedule_a_after_the_header(tmp_path):
    path = bench.build_fec(2_000_000, tmp_path)
    data = path.read_bytes()
    assert len(data) >= 2_000_000
    lines = data.split(b"\n")[:-1]
    assert lines[0].startswith(b"HDR\x1cFEC\x1c8.3")
    assert lines[1].startswith(b"F3N\x1cC00431353")
    assert all(line.startswith(b"SA") for line in lines[2:])
    ids = [line.split(b"\x1c")[2] for line in lines[2:]]
    assert len(ids) == len(set(ids))  # each copy's transaction ids got a suffix
    # In the second copy the earmark memo (1672462E) still follows its donor row (1672462).
    second = {line.split(b"\x1c")[2]: line.split(b"\x1c")[3] for line in lines[2:]}
    assert second[b"1672462.R2"] == b"1672462E.R2"
    assert b"1672462E.R2" in second


def test_large_fec_removes_its_directory():
    with bench.large_fec(100_000) as path:
        assert path.stat().st_size >= 100_000
    assert not path.parent.exists()
