"""The .fec importer on the real filings in shared/data/fec_efilings (read there, never copied).

Counts are checked against research/finance.md section 4.2, with two corrections found here:
Klobuchar 1544132 has 1,269 memo-X SA11AI rows (1,277 is every memo-X Schedule A row: 1,269
SA11AI + 4 SA12 + 4 SA14), and in the NGP filings (Klobuchar, DeFazio) the earmark link runs
from the donor row to the memo row: the donor row's back reference is the conduit memo row's
transaction id, not the other way round.
"""

from __future__ import annotations

import csv
import shutil
import zipfile
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from pledgewatch.finance.importers.fec import file_number, read_fec, select_current
from pledgewatch.finance.records import ContributorType, Filing, SourceError
from tests.finance.conftest import EFILINGS

pytestmark = pytest.mark.usefixtures("shared_data")  # a clear failure without the files

IND, CMTE, ORG = ContributorType.INDIVIDUAL, ContributorType.COMMITTEE, ContributorType.ORGANIZATION


def one(name: str) -> Filing:
    [filing] = read_fec(EFILINGS / name)
    return filing


def lines_of(name: str) -> list[bytes]:
    return (EFILINGS / name).read_bytes().split(b"\n")


@pytest.fixture(scope="module")
def klobuchar() -> Filing:
    return one("fastfec__1544132.fec")


@pytest.fixture(scope="module")
def defazio() -> Filing:
    return one("fecfile__1229017.fec")


@pytest.fixture(scope="module")
def biden() -> Filing:
    return one("fastfec__1527862.fec")


@pytest.fixture(scope="module")
def harris() -> Filing:
    return one("fecparse__1135558.fec")


# file, filing id, source, committee, form, report, Schedule A receipts by line, memo rows
# among them, refund rows by line.
FIXTURES = [
    ("fastfec__13360.fec", "13360", "fec", "C00101766", "F3XA", "M6",
     {"SA11AI": 139, "SA17": 1}, 0, {}),
    ("fastfec__1527862.fec", "1527862", "fec", "C00703975", "F3PN", "Q2",
     {"SA18": 2192, "SA20A": 32}, 2191, {"SB28A": 377, "SB28C": 2}),
    ("fastfec__1544132.fec", "1544132", "fec", "C00431353", "F3N", "Q3",
     {"SA11AI": 2585, "SA11C": 3, "SA12": 5, "SA14": 5}, 1277, {"SB20A": 8}),
    ("fastfec__1550126.fec", "1550126", "fec", "C00772335", "F3A", "Q3",
     {"SA11AI": 4, "SA13A": 1}, 0, {}),
    ("fastfec__1550548.fec", "1550548", "fec", "C00413955", "F3XA", "MY",
     {"SA11AI": 76}, 0, {}),
    ("fecfile__1229017.fec", "1229017", "fec", "C00215905", "F3N", "12P",
     {"SA11AI": 166, "SA11C": 19, "SA14": 1}, 80, {"SB20A": 1}),
    ("fecfile__1260488.fec", "1260488", "fec", "C00412569", "F99", "", {}, 0, {}),
    ("fecfile__1385191.fec", "1385191", "fec", "C00693234", "F3PN", "M2", {}, 0, {}),
    ("fecfile__27789.fec", "27789", "fec", "C00097485", "F3XA", "YE",
     {"SA11AI": 2626}, 0, {"SB28A": 1}),
    ("fecparse__1135558.fec", "1135558", "fec-paper", "C00571919", "F3N", "30G",
     {"SA11AI": 1876, "SA11C": 44, "SA12": 142}, 1003, {"SB20A": 21}),
    ("fecparse__34411.fec", "34411", "fec", "C00367490", "F3A", "YE",
     {"SA11AI": 104, "SA13A": 1, "SA13B": 8}, 0, {}),
    ("fecparse__character-encoding.fec", "fecparse__character-encoding", "fec", "C00346007",
     "F3N", "MY", {"SA11AI": 169}, 3, {"SB20A": 1}),
    ("fecparse__federal-refunds.fec", "fecparse__federal-refunds", "fec", "C00490730", "F3XN",
     "30G", {"SA11C": 2}, 0, {"SB28C": 1}),
    ("fecparse__paper2.fec", "fecparse__paper2", "fec-paper", "C00042366", "F3XN", "M11",
     {"SA11AI": 3, "SA11C": 2, "SA12": 1, "SA15": 3, "SA17": 2}, 1, {"SB28A": 1}),
    ("fecparse__quote-left-open.fec", "fecparse__quote-left-open", "fec", "C00401224", "F3XN",
     "M2", {"SA11AI": 1}, 0, {}),
    ("fecparse__trailing-quote.fec", "fecparse__trailing-quote", "fec", "C00001313", "F3XN",
     "M6", {"SA11AI": 16, "SA11C": 1, "SA15": 4, "SA17": 2}, 0, {}),
]  # fmt: skip


@pytest.mark.parametrize(
    "name, filing_id, source, committee, form, report, receipts, memos, refunds",
    FIXTURES,
    ids=[f[0].removesuffix(".fec") for f in FIXTURES],
)
def test_each_real_filing_yields_its_committee_form_and_receipts(
    name, filing_id, source, committee, form, report, receipts, memos, refunds
):
    filing = one(name)
    assert (filing.filing_id, filing.source, filing.committee_id) == (filing_id, source, committee)
    assert (filing.form_type, filing.report_code) == (form, report)
    assert filing.path == str(EFILINGS / name)
    schedule_a = Counter(c.form_type for c in filing.contributions if c.form_type[:2] == "SA")
    schedule_b = Counter(c.form_type for c in filing.contributions if c.form_type[:2] == "SB")
    assert dict(schedule_a) == receipts
    assert sum(c.memo for c in filing.contributions if c.form_type[:2] == "SA") == memos
    assert dict(schedule_b) == refunds
    for c in filing.contributions:
        assert (c.source, c.filing_id, c.recipient_committee_id) == (source, filing_id, committee)
        assert c.amends == filing.amends
        assert c.contributor_type in (IND, CMTE, ORG)


def test_every_fixture_is_covered_by_the_table_or_the_error_cases():
    covered = {f[0] for f in FIXTURES} | {"fastfec__filing_invalid_version.fec"}
    assert {p.name for p in EFILINGS.glob("*.fec")} == covered


def test_the_line_number_is_the_physical_line_of_the_record_in_every_layout():
    checked = 0
    for name, *_ in FIXTURES:
        raw_lines = lines_of(name)
        for c in one(name).contributions:
            record = raw_lines[c.line - 1]
            filed = c.extra.get("form_type_filed", c.form_type).encode()
            assert record.lstrip(b'"').upper().startswith(filed), (name, c.line)
            assert c.transaction_id.encode() in record, (name, c.line)
            checked += 1
    assert checked == sum(sum(f[6].values()) + sum(f[8].values()) for f in FIXTURES) == 10649


def test_the_legacy_v2_header_block_counts_in_the_line_numbers():
    filing = one("fastfec__13360.fec")
    first = filing.contributions[0]
    assert first.line == 19  # 17 header lines, the F3XA record, then the first SA11A1
    assert (first.contributor_name, first.employer) == (
        "Kellner, Lawrence",
        "Continental Airlines, Inc.",
    )
    assert (first.transaction_id, first.amount, first.date) == (
        "SA11A1.7430",
        Decimal("5000.00"),
        date(2000, 5, 10),
    )
    assert first.extra["form_type_filed"] == "SA11A1" and first.form_type == "SA11AI"


# --- specific rows --------------------------------------------------------------------------


def test_a_real_sa11c_pac_receipt_is_read_field_by_field(defazio):
    [aecom] = [c for c in defazio.contributions if c.transaction_id == "C11233012"]
    assert aecom.form_type == "SA11C" and aecom.line == 169
    assert aecom.contributor_name == "AECOM PAC"
    assert aecom.contributor_type == CMTE and aecom.contributor_fec_id == "C00374447"
    assert (aecom.amount, aecom.date) == (Decimal("2500.00"), date(2018, 4, 13))
    assert (aecom.city, aecom.state, aecom.memo, aecom.back_reference) == (
        "WASHINGTON",
        "DC",
        False,
        "",
    )
    assert aecom.extra == {"entity_type": "PAC", "aggregate": "8500.00", "election_code": "G2018"}


def test_klobuchars_three_pac_receipts(klobuchar):
    pacs = [
        (c.line, c.contributor_fec_id, c.amount, c.date)
        for c in klobuchar.contributions
        if c.form_type == "SA11C"
    ]
    assert pacs == [
        (2588, "C00330696", Decimal("2500.00"), date(2021, 9, 24)),
        (2589, "C00164939", Decimal("1500.00"), date(2021, 8, 31)),
        (2590, "C00166348", Decimal("5000.00"), date(2021, 9, 24)),
    ]


def test_an_individual_is_last_first_with_employer_and_occupation(klobuchar):
    donor = klobuchar.contributions[0]
    assert (donor.line, donor.transaction_id) == (3, "1672462")
    assert (donor.contributor_name, donor.contributor_type) == ("Aboussie, Joyce", IND)
    assert (donor.employer, donor.occupation) == ("Aboussie & Associates", "CEO")
    assert (donor.city, donor.state, donor.date) == ("Saint Louis", "MO", date(2021, 8, 13))
    assert donor.memo_text == "* Earmarked Contribution: See Below *Refund issued 9/29/2021"


def test_an_earmark_pair_links_the_donor_row_to_the_conduit_memo_row(defazio):
    donor, conduit = (c for c in defazio.contributions if c.line in (9, 10))
    assert (donor.contributor_name, donor.memo, donor.amount) == (
        "Ahlstedt, Alice",
        False,
        Decimal("50.00"),
    )
    assert (donor.transaction_id, donor.back_reference) == ("C11232902A", "C11232902AB")
    assert (conduit.transaction_id, conduit.memo, conduit.amount) == (
        "C11232902AB",
        True,
        Decimal("50.00"),
    )
    assert (conduit.contributor_name, conduit.contributor_fec_id) == ("ACTBLUE", "C00401224")
    assert conduit.memo_text == "Note: Above Contribution earmarked through this organization."


@pytest.mark.parametrize(
    "name, pairs", [("fastfec__1544132.fec", 1269), ("fecfile__1229017.fec", 80)]
)
def test_every_actblue_memo_row_is_named_by_exactly_one_donor_row_of_the_same_amount(name, pairs):
    rows = [c for c in one(name).contributions if c.form_type == "SA11AI"]
    memos = {c.transaction_id: c for c in rows if c.memo}
    donors = [c for c in rows if not c.memo and c.back_reference]
    assert len(memos) == len(donors) == pairs
    assert {d.back_reference for d in donors} == set(memos)
    assert all(memos[d.back_reference].amount == d.amount for d in donors)
    assert {m.contributor_fec_id for m in memos.values()} == {"C00401224"}  # ActBlue


def test_quote_left_open_imports_its_receipt_with_the_quotes_as_filed():
    # In the ASCII-28 layout a quote is an ordinary character, so nothing is left open.
    [c] = one("fecparse__quote-left-open.fec").contributions
    assert (c.line, c.transaction_id, c.contributor_name) == (3, "SA11AI_37337397", "WHITE, ARNOLD")
    assert c.employer == 'RETIRED FROM BFS. NOW WORKING FOR ~"WO'
    assert c.occupation == '~"CO"~ AUTHOR OF ~"DIVINE 9/11 INTERVE'
    assert (c.amount, c.memo_text) == (Decimal("10.00"), "Earmarked for BERNIE 2016 (C00577130)")


def test_trailing_quotes_that_fecfile_reads_import():
    filing = one("fecparse__trailing-quote.fec")
    [minnpac] = [c for c in filing.contributions if c.form_type == "SA11C"]
    assert (minnpac.contributor_name, minnpac.contributor_type) == ("MINNPAC", CMTE)
    assert (minnpac.amount, minnpac.date) == (Decimal("1706.36"), date(2001, 5, 29))
    # A row without an entity type: an organization by its name (no Last^First).
    offsets = [c for c in filing.contributions if c.form_type == "SA15"]
    assert ("EIGHTH DISTRICT RPM", ORG) in [
        (c.contributor_name, c.contributor_type) for c in offsets
    ]


def test_stray_quotes_that_leave_the_fields_in_place_import(tmp_path):
    head, form, *_rest = lines_of("fecfile__27789.fec")
    donor = lines_of("fecfile__27789.fec")[2]
    trailing = donor + b',"'  # the trailing-quote fixture's H4 lines end like this
    inner = donor.replace(b'"Merck-Medco"', b'"Merck "Medco"')
    for variant in (trailing, inner):
        path = write(tmp_path, "27789.fec", b"\n".join([head, form, variant]))
        [c] = read_fec(path)[0].contributions
        assert (c.contributor_name, c.amount, c.transaction_id) == (
            "Aaland, Lyla L",
            Decimal("20.00"),
            "R103544",
        )
    assert c.employer == 'Merck Medco"'  # as fecfile's csv reader gives it


def test_v3_caret_names_become_last_first():
    merck = one("fecfile__27789.fec")
    first = merck.contributions[0]
    assert (first.contributor_name, first.employer) == ("Aaland, Lyla L", "Merck-Medco")
    assert (first.amount, first.transaction_id, first.line) == (Decimal("20.00"), "R103544", 3)


# --- refunds ----------------------------------------------------------------------------------


def test_biden_sb28a_refunds_are_negative_and_voids_positive(biden):
    refunds = [c for c in biden.contributions if c.form_type == "SB28A"]
    assert len(refunds) == 377 and all(c.is_refund for c in refunds)
    first = refunds[0]
    assert (first.line, first.transaction_id, first.contributor_name) == (
        2591,
        "500182191",
        "Bobot, Nima",
    )
    assert (first.amount, first.date, first.contributor_type) == (
        Decimal("-300.00"),
        date(2021, 4, 8),
        IND,
    )
    voids = [c for c in refunds if c.amount > 0]
    assert len(voids) == 61 and sum(c.amount for c in voids) == Decimal("48326.01")
    assert all("void" in (c.extra.get("purpose", "") + c.memo_text).lower() for c in voids)
    memo = [c for c in refunds if c.memo]
    assert len(memo) == 10 and {c.back_reference for c in memo} == {"500182976"}


def test_a_refund_to_a_committee_names_the_committee_and_a_void_reverses_it(biden):
    void, refund = (c for c in biden.contributions if c.form_type == "SB28C")
    assert void.contributor_name == refund.contributor_name == "LISA BLUNT ROCHESTER FOR CONGRESS"
    assert void.contributor_fec_id == refund.contributor_fec_id == "C00590778"
    assert (void.amount, refund.amount) == (Decimal("230.84"), Decimal("-230.84"))
    assert void.memo_text == "Void Check; Reissued 4/30/2021" and void.contributor_type == CMTE


def test_form_3_refunds_are_line_20(klobuchar):
    refunds = [c for c in klobuchar.contributions if c.form_type == "SB20A"]
    assert sum(c.amount for c in refunds) == Decimal("-7075.00")
    first = refunds[0]
    assert (first.line, first.contributor_name, first.amount) == (
        3125,
        "Aboussie, Joyce",
        Decimal("-1000.00"),
    )
    assert first.date == date(2021, 9, 29) and first.employer == ""


def test_a_pac_to_candidate_report_has_no_receipts_from_its_sb23_lines():
    merck = one("fecfile__27789.fec")
    assert {c.form_type for c in merck.contributions} == {"SA11AI", "SB28A"}
    assert merck.contributions[-1].amount == Decimal("-538.36")
    assert len(one("fastfec__1550548.fec").contributions) == 76  # its 35 SB23 are not receipts


# --- encodings and paper ------------------------------------------------------------------------


def test_the_windows_1252_filing_imports():
    letter = one("fecfile__1260488.fec")  # an F99 whose text has 0x92 and 0x96
    assert (letter.committee_name, letter.form_type) == (
        "DENTON COUNTY REPUBLICAN VICTORY FUND",
        "F99",
    )
    assert letter.contributions == [] and letter.summary == {} and not letter.is_amendment


def test_windows_1252_bytes_in_a_receipt_decode_as_windows_1252(tmp_path):
    head, form, donor = lines_of("fecfile__1229017.fec")[:3]
    donor = donor.replace(b"Coquille Indian Tribe", b"O\x92Brien \x96 Health")
    path = tmp_path / "1229017.fec"
    path.write_bytes(b"\n".join([head, form, donor]))
    [c] = read_fec(path)[0].contributions
    assert c.contributor_name == "O\u2019Brien \u2013 Health"


def test_latin_1_names_read_right():
    filing = one("fecparse__character-encoding.fec")
    first = filing.contributions[0]
    assert first.employer == "Fiddler Gonz\u00e1lez & Rodr\u00edguez"
    [quiles] = [c for c in filing.contributions if c.line == 5]
    assert quiles.contributor_name == "Quiles-D\u00edaz, Ram\u00f3n A."


def test_a_paper_filing_has_pac_receipts_without_transaction_ids(harris):
    pacs = [c for c in harris.contributions if c.form_type == "SA11C"]
    assert len(pacs) == 44 and all(c.transaction_id == "" for c in harris.contributions)
    [optometrists] = [c for c in pacs if c.contributor_fec_id == "C00024968"]
    assert (
        optometrists.contributor_name
        == "AMERICAN OPTOMETRIC ASSOCIATION POLITICAL ACTION COMMITTEE"
    )
    assert (optometrists.amount, optometrists.date, optometrists.line) == (
        Decimal("5000.00"),
        date(2016, 10, 31),
        1881,
    )
    assert optometrists.extra["image_number"] == "201612130200776073"
    assert (optometrists.source, optometrists.contributor_type) == ("fec-paper", CMTE)
    [memo] = [c for c in pacs if c.memo]
    assert (memo.contributor_name, memo.amount) == (
        "ACTBLUE TECHNICAL SERVICES",
        Decimal("1000.00"),
    )


def test_an_older_paper_layout_marks_memo_rows_by_their_memo_text():
    dscc = one("fecparse__paper2.fec")
    [memo] = [c for c in dscc.contributions if c.memo]
    assert (memo.contributor_name, memo.line, memo.amount) == ("YEOMANS, MARY", 5, Decimal(0))
    apollo = next(c for c in dscc.contributions if c.form_type == "SA11C")
    assert (apollo.contributor_fec_id, apollo.amount) == ("C00309781", Decimal("15000.00"))
    assert apollo.date == date(2013, 10, 29) and apollo.transaction_id == ""
    assert dscc.summary["indiv_itemized"] == Decimal("2290516.31")  # padded with spaces when filed


def test_a_paper_refund_to_a_committee_without_entity_type_is_a_committee(tmp_path):
    head, form, *rows = lines_of("fecparse__paper2.fec")
    [refund] = [r for r in rows if r.startswith(b"SB28A")]
    to_pac = refund.replace(b"SB28A", b"SB28C").replace(
        b"\x1c\x1cSUGARMAN\x1cRONALD\x1c", b"\x1cSENATE PAC\x1c\x1c\x1c"
    )
    path = write(tmp_path, "paper-refund.fec", b"\n".join([head, form, to_pac]))
    [c] = read_fec(path)[0].contributions
    assert (c.form_type, c.contributor_name, c.contributor_type) == ("SB28C", "SENATE PAC", CMTE)
    assert (c.amount, c.date, c.source) == (Decimal("-200.00"), date(2013, 10, 1), "fec-paper")


# --- filings: amendments and summaries ---------------------------------------------------------


@pytest.mark.parametrize(
    "name, amends",
    [
        ("fastfec__1550126.fec", "1542500"),
        ("fastfec__1550548.fec", "1531171"),
        ("fecfile__27789.fec", "24088"),
        ("fecparse__34411.fec", "25920"),
        ("fastfec__13360.fec", ""),  # a v2.02 F3XA: the legacy header names no original
    ],
)
def test_an_amendment_names_the_report_it_amends(name, amends):
    filing = one(name)
    assert filing.is_amendment and filing.amends == amends
    assert {c.amends for c in filing.contributions} <= {amends}


def test_originals_amend_nothing(klobuchar):
    assert (klobuchar.is_amendment, klobuchar.amends) == (False, "")
    assert (klobuchar.coverage_from, klobuchar.coverage_through) == (
        date(2021, 7, 1),
        date(2021, 9, 30),
    )
    assert klobuchar.committee_name == "Klobuchar for Minnesota"


def test_the_summary_page_totals_are_decimals_under_stable_keys(defazio, biden):
    assert defazio.summary == {
        "indiv_itemized": Decimal("9364.17"),
        "indiv_unitemized": Decimal("4395.97"),
        "indiv_total": Decimal("13760.14"),
        "party": Decimal("0.00"),
        "committees": Decimal("37153.41"),
        "candidate": Decimal("0.00"),
        "contributions_total": Decimal("50913.55"),
        "transfers_in": Decimal("0.00"),
        "loans": Decimal("0.00"),
        "offsets": Decimal("220.00"),
        "other_receipts": Decimal("0.00"),
        "receipts_total": Decimal("51133.55"),
        "refunds_indiv": Decimal("30.00"),
        "refunds_party": Decimal("0.00"),
        "refunds_committees": Decimal("0.00"),
        "refunds_total": Decimal("30.00"),
    }
    # Form 3P puts the same things on other lines (17a, 18, 28a ...); the keys stay the same.
    assert biden.summary["transfers_in"] == Decimal("5000.00")
    assert biden.summary["refunds_indiv"] == Decimal("102307.46")
    assert biden.summary["receipts_total"] == Decimal("2158612.93")


# --- zip ---------------------------------------------------------------------------------------


DAILY_ZIP = EFILINGS / "fecfile__20180616.zip"


@pytest.mark.skipif(
    not DAILY_ZIP.exists(),
    reason=f"{DAILY_ZIP.name} is in shared/data/manifest.csv but not in {EFILINGS}",
)
def test_the_daily_zip_imports_its_52_filings():
    filings = read_fec(DAILY_ZIP)
    assert len(filings) == 52
    assert [f.path for f in filings] == sorted(f.path for f in filings)
    assert all(f.filing_id.isdigit() and f.committee_id for f in filings)


def test_a_zip_of_real_filings_gives_one_filing_per_member_in_name_order(tmp_path):
    archive = tmp_path / "20211015.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.write(EFILINGS / "fastfec__1544132.fec", "1544132.fec")
        z.write(EFILINGS / "fecparse__paper2.fec", "paper/1000042.fec")
        z.write(EFILINGS / "fecfile__1229017.fec", "1229017.fec")
        z.writestr("README.txt", "not a filing")
    filings = read_fec(archive)
    assert [f.filing_id for f in filings] == ["1229017", "1544132", "1000042"]
    assert [f.path for f in filings] == [
        f"{archive}:1229017.fec",
        f"{archive}:1544132.fec",
        f"{archive}:paper/1000042.fec",
    ]
    assert filings[2].source == "fec-paper"
    direct = one("fastfec__1544132.fec").contributions
    zipped = filings[1].contributions
    assert [(c.line, c.transaction_id, c.amount) for c in zipped] == [
        (c.line, c.transaction_id, c.amount) for c in direct
    ]
    assert {c.filing_id for c in zipped} == {"1544132"}


@pytest.mark.parametrize(
    "name, number",
    [
        ("fastfec__1544132.fec", "1544132"),
        ("1613679_malformed.fec", "1613679"),
        ("1229017.FEC", "1229017"),
        ("fecparse__paper2.fec", "fecparse__paper2"),
        ("daily/20180616/1234567.fec", "1234567"),
    ],
)
def test_the_filing_id_is_the_file_number_in_the_name(name, number):
    assert file_number(name) == number


# --- errors ------------------------------------------------------------------------------------


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def excerpt(name: str, count: int) -> bytes:
    return b"\n".join(lines_of(name)[:count]) + b"\n"


def test_an_unknown_version_names_the_file_the_line_and_the_version():
    with pytest.raises(SourceError) as caught:
        read_fec(EFILINGS / "fastfec__filing_invalid_version.fec")
    message = str(caught.value)
    assert message.startswith(
        "fastfec__filing_invalid_version.fec, line 1: unknown .fec version 180.5; "
    )
    assert caught.value.line == 1 and caught.value.path == "fastfec__filing_invalid_version.fec"


def _malformed_cases(tmp_path: Path) -> dict[str, tuple[Path, str, int]]:
    """name -> (file, what the message says, line); built from real files."""
    good_zip = tmp_path / "good.zip"
    with zipfile.ZipFile(good_zip, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.write(EFILINGS / "fecfile__1229017.fec", "1229017.fec")
    data = good_zip.read_bytes()
    body = lines_of("fecfile__1229017.fec")
    unknown = b"\n".join(body[:5] + [b"SZ99" + body[5][6:]] + body[6:])
    invalid = lines_of("fastfec__filing_invalid_version.fec")
    # FastFEC's no-header-mapping case: the first record is TEST, not HDR.
    no_header = b"\n".join([invalid[0].replace(b"HDR", b"TEST", 1)] + invalid[1:])
    merck = lines_of("fecfile__27789.fec")
    open_quote = b"\n".join(
        merck[:3] + [merck[3].replace(b'Services","260.00"', b'Services,"260.00"')]
    )
    swallow = b"\n".join(merck[:3] + [merck[3].replace(b'"Payroll Deduction"', b'"Payroll')])
    legacy = lines_of("fastfec__13360.fec")
    damaged_header = b"\n".join(legacy[:2] + [b"Soft_Name FECfile"] + legacy[3:])
    bad_amount = b"\n".join(
        body[:3] + [body[3].replace(b"\x1c1000.00\x1c1000.00\x1c", b"\x1cTEN\x1c1000.00\x1c")]
    )
    return {
        "empty": (write(tmp_path, "empty.fec", b""), "the file is empty", 0),
        "blank lines": (write(tmp_path, "blank.fec", b"\n \n\r\n"), "the file is empty", 0),
        "not a .fec": (
            write(tmp_path, "readme.fec", (EFILINGS.parent / "README.md").read_bytes()),
            "not a .fec file: it should start with a HDR record",
            1,
        ),
        "binary": (write(tmp_path, "zipped.fec", data), "not a .fec file: it holds binary data", 0),
        "missing header mapping": (
            write(tmp_path, "no-header-mapping.fec", no_header),
            "not a .fec file: it should start with a HDR record or a '/* Header' block, "
            "found 'TEST|FEC|180.5|",
            1,
        ),
        "unknown record type": (
            write(tmp_path, "1229017.fec", unknown),
            "record type 'SZ99' has no field layout in .fec version 8.2",
            6,
        ),
        "quote left open (CSV)": (
            write(tmp_path, "27789.fec", open_quote),
            "a quoted field is never closed",
            4,
        ),
        "quote swallows the rest (CSV)": (
            write(tmp_path, "27789-rest.fec", swallow),
            "a quoted field is never closed",
            4,
        ),
        "amount not a number": (
            write(tmp_path, "1229017-amount.fec", bad_amount),
            "SA11AI amount 'TEN' is not a number",
            4,
        ),
        "header only": (
            write(tmp_path, "1544132.fec", excerpt("fastfec__1544132.fec", 1)),
            "no report record (F3N, F3XN, F99 ...) after the header",
            2,
        ),
        "v2 header never closed": (
            write(tmp_path, "13360.fec", excerpt("fastfec__13360.fec", 10)),
            "'/* Header' block is never closed",
            0,
        ),
        "v2 header damaged": (
            write(tmp_path, "13360-damaged.fec", damaged_header),
            "the '/* Header' block is damaged",
            3,
        ),
        "truncated zip": (
            write(tmp_path, "truncated.zip", data[: len(data) // 2]),
            "not a zip archive, or a truncated one",
            0,
        ),
        "damaged zip member": (
            write(tmp_path, "damaged.zip", data[:200] + bytes(64) + data[264:]),
            "cannot be extracted",
            0,
        ),
        "not a zip": (
            write(tmp_path, "1229017.zip", (EFILINGS / "fecfile__1229017.fec").read_bytes()),
            "not a zip archive",
            0,
        ),
        "zip without .fec": (
            _zip_of(tmp_path / "letters.zip", {"a.txt": "hello"}),
            "the archive holds no .fec files (1 other files)",
            0,
        ),
        "missing file": (tmp_path / "nowhere.fec", "no such file", 0),
    }


def _zip_of(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)
    return path


MALFORMED = [
    "empty", "blank lines", "not a .fec", "binary", "missing header mapping",
    "unknown record type", "quote left open (CSV)", "amount not a number", "header only",
    "v2 header never closed", "v2 header damaged", "truncated zip", "damaged zip member",
    "not a zip", "zip without .fec", "missing file", "quote swallows the rest (CSV)",
]  # fmt: skip


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_file_raises_source_error_naming_file_and_line(tmp_path, case):
    path, says, line = _malformed_cases(tmp_path)[case]
    with pytest.raises(SourceError) as caught:
        read_fec(path)
    error = caught.value
    assert says in str(error)
    assert error.line == line
    assert path.name in error.path
    expected_start = f"{error.path}, line {line}: " if line else f"{error.path}: "
    assert str(error).startswith(expected_start)
    assert error.__cause__ is None  # no fecfile traceback chained to it
    assert error.__context__ is None or error.__suppress_context__


def test_the_damaged_zip_member_is_named(tmp_path):
    path, _says, _line = _malformed_cases(tmp_path)["damaged zip member"]
    with pytest.raises(SourceError, match=r"^damaged\.zip:1229017\.fec: cannot be extracted"):
        read_fec(path)


def test_a_fec_file_named_zip_is_not_read_as_a_filing(tmp_path):
    copy = tmp_path / "fecfile__1229017.zip"
    shutil.copy(EFILINGS / "fecfile__1229017.fec", copy)
    with pytest.raises(SourceError, match="not a zip archive"):
        read_fec(copy)


# --- select_current -----------------------------------------------------------------------------


def filing(
    filing_id,
    *,
    committee="C00772335",
    form="F3N",
    report="Q3",
    amends="",
    start=date(2021, 7, 1),
    end=date(2021, 9, 30),
) -> Filing:
    return Filing(
        source="fec",
        filing_id=filing_id,
        committee_id=committee,
        form_type=form,
        report_code=report,
        coverage_from=start,
        coverage_through=end,
        amends=amends,
        is_amendment=form.endswith("A"),
    )


def test_a_real_amendment_replaces_the_original_it_names():
    buongiorno = one("fastfec__1550126.fec")  # F3A Q3 2021, amends 1542500
    original = filing("1542500")
    assert select_current([original, buongiorno]) == [buongiorno]
    neurosurgery = one("fastfec__1550548.fec")  # F3XA MY 2021, amends 1531171
    earlier = filing(
        "1531171",
        committee="C00413955",
        form="F3XN",
        report="MY",
        start=date(2021, 1, 1),
        end=date(2021, 6, 30),
    )
    assert select_current([neurosurgery, earlier, original, buongiorno]) == [
        neurosurgery,
        buongiorno,
    ]


def test_an_amendment_without_a_named_original_replaces_the_same_report_by_file_number():
    continental = one("fastfec__13360.fec")  # v2.02 F3XA M6 2000, names no original
    original = filing(
        "13000",
        committee="C00101766",
        form="F3XN",
        report="M6",
        start=date(2000, 5, 1),
        end=date(2000, 5, 31),
    )
    assert select_current([original, continental]) == [continental]
    later_original = filing(
        "13999",
        committee="C00101766",
        form="F3XN",
        report="M6",
        start=date(2000, 5, 1),
        end=date(2000, 5, 31),
    )
    assert select_current([continental, later_original]) == [later_original]


def test_the_latest_of_several_amendments_wins():
    original = filing("1500000")
    first = filing("1600000", form="F3A", amends="1500000")
    second = filing("1600100", form="F3A", amends="1500000")
    assert select_current([second, original, first]) == [second]


def test_an_amendment_whose_original_is_not_in_the_list_is_kept_and_other_reports_stay():
    q3 = filing("1600000", form="F3A", amends="1500000")
    q2 = filing("1450000", report="Q2", start=date(2021, 4, 1), end=date(2021, 6, 30))
    other = filing("1600001", committee="C00431353")
    assert select_current([q2, q3, other]) == [q2, q3, other]


def test_letters_and_other_form_families_are_not_grouped():
    letters = [
        filing("1", form="F99", report="", start=None, end=None),
        filing("2", form="F99", report="", start=None, end=None),
    ]
    bundling = filing("1600002", form="F3LN")
    report = filing("1600001")
    assert select_current([*letters, bundling, report]) == [*letters, bundling, report]


def test_the_real_fixtures_are_all_current():
    filings = [one(name) for name, *_ in FIXTURES]
    assert select_current(filings) == filings
    assert select_current([]) == []


# --- truncation ---------------------------------------------------------------------------------
#
# A filing cut off part-way (an interrupted download) must be refused, never screened as if it
# were whole. The importer's three signals are described in fec.py ("truncation"); these tests
# cut real filings of every layout at many offsets.

REAL_FILINGS = sorted(
    p.name for p in EFILINGS.glob("*.fec") if p.name != "fastfec__filing_invalid_version.fec"
)


def _summary_of(filing: Filing) -> list[tuple]:
    return [(c.line, c.form_type, c.transaction_id, c.amount) for c in filing.contributions]


@pytest.mark.parametrize("name", REAL_FILINGS)
def test_every_real_filing_imports_whole_without_its_last_line_break_and_with_crlf(tmp_path, name):
    """No truncation signal refuses a real filing, however its last line ends.

    fecparse__quote-left-open.fec is a real filing that has no line break after its last
    record; every other real file is tried that way too, and with CRLF line breaks.
    """
    raw = (EFILINGS / name).read_bytes()
    whole = one(name)
    variants = {
        "as filed": raw,
        "no final line break": raw.rstrip(b"\r\n"),
        "crlf": raw.replace(b"\n", b"\r\n"),
        "crlf, no final line break": raw.replace(b"\n", b"\r\n").rstrip(b"\r\n"),
    }
    for variant, content in variants.items():
        [filing] = read_fec(write(tmp_path, name, content))
        assert _summary_of(filing) == _summary_of(whole), variant
        assert filing.summary == whole.summary, variant


def test_the_cli_example_cut_3000_bytes_in_names_the_file_the_line_and_what_to_do(tmp_path):
    """fecfile__1229017.fec cut 3000 bytes in gave 12 contributions and no error."""
    path = write(tmp_path, "1229017.fec", (EFILINGS / "fecfile__1229017.fec").read_bytes()[:3000])
    with pytest.raises(SourceError) as caught:
        read_fec(path)
    assert (caught.value.path, caught.value.line) == ("1229017.fec", 14)
    message = str(caught.value)
    assert message.startswith("1229017.fec, line 14: the file is truncated: it ends part-way")
    assert "record type SA11AI, 25 of its 45 fields; no line break follows it" in message
    assert message.endswith("download the filing again and import the whole file")


def test_a_cut_inside_the_report_record_is_refused(tmp_path):
    """Cut 30 bytes in, the file used to import as a report with no contributions."""
    path = write(tmp_path, "1229017.fec", (EFILINGS / "fecfile__1229017.fec").read_bytes()[:30])
    with pytest.raises(SourceError, match=r"^1229017\.fec, line 2: the file is truncated: .*F3N"):
        read_fec(path)


@pytest.mark.parametrize(
    "name, form, summary_line, amount",
    [
        ("fecfile__1229017.fec", "F3N", "11a(i)", "9,364.17"),
        ("fastfec__1527862.fec", "F3PN", "18", "5,000.00"),
        ("fastfec__1550548.fec", "F3XA", "11a(i)", "103,071.78"),
        ("fecfile__27789.fec", "F3XA", "11a(i)", "149,408.52"),
        ("fecparse__paper2.fec", "F3XN", "11a(i)", "2,290,516.31"),
    ],
)
def test_a_report_cut_after_its_report_record_is_refused_when_its_summary_has_receipts(
    tmp_path, name, form, summary_line, amount
):
    """The cut is at a line boundary, but the summary page gives receipts that only
    itemizations fill, and not one Schedule record follows."""
    path = write(tmp_path, "cut.fec", excerpt(name, 2))
    with pytest.raises(SourceError) as caught:
        read_fec(path)
    assert caught.value.line == 2
    assert str(caught.value) == (
        f"cut.fec, line 2: the file is truncated: it ends here with no Schedule record after "
        f"the {form} report record, yet its summary page gives {amount} on line "
        f"{summary_line}, which only itemized receipts fill; download the filing again and "
        "import the whole file"
    )


def test_a_report_without_itemized_receipts_may_end_after_its_report_record(tmp_path):
    """Warren's F3PN excerpt keeps only Schedule C records: it is not refused. A report
    whose summary has no itemized receipts may rightly have no Schedule A at all."""
    warren = lines_of("fecfile__1385191.fec")
    no_receipts = warren[1]
    for figure in (b"5191564.00", b"\x1c15.00\x1c", b"400000.00"):
        no_receipts = no_receipts.replace(figure, b"\x1c0.00\x1c" if b"\x1c" in figure else b"0")
    path = write(tmp_path, "1385191.fec", b"\n".join([warren[0], no_receipts]) + b"\n")
    [filing] = read_fec(path)
    assert filing.form_type == "F3PN" and filing.contributions == []
    assert one("fecfile__1385191.fec").contributions == []


def test_a_v2_filing_cut_at_a_line_boundary_is_refused_by_its_schedule_counts(tmp_path):
    path = write(tmp_path, "13360.fec", excerpt("fastfec__13360.fec", 100))
    with pytest.raises(SourceError) as caught:
        read_fec(path)
    assert str(caught.value).startswith(
        "13360.fec, line 100: the file is truncated: its header's Schedule_Counts list 151 "
        "records after the report record, but the file ends here after 82"
    )


def test_an_f99_letter_cut_inside_its_text_is_refused(tmp_path):
    raw = (EFILINGS / "fecfile__1260488.fec").read_bytes()
    path = write(tmp_path, "1260488.fec", raw[: raw.index(b"Senior Campaign") + 6])
    with pytest.raises(SourceError, match=r"line 12: the file is truncated: .*F99 text"):
        read_fec(path)


def test_a_paper_filing_cut_inside_an_image_number_is_refused(tmp_path):
    """The cut leaves every field, but the last one, the image number, is short."""
    raw = (EFILINGS / "fecparse__1135558.fec").read_bytes()
    end_of_line_6 = [i for i, b in enumerate(raw) if b == 0x0A][5]
    path = write(tmp_path, "1135558.fec", raw[: end_of_line_6 - 5])
    with pytest.raises(SourceError) as caught:
        read_fec(path)
    assert caught.value.line == 6
    assert "its last field '2016121302007' has fewer than the 18 digits it has on the 2 " in (
        str(caught.value)
    )


def _fields(line: bytes) -> int:
    text = line.decode("latin-1")
    if "\x1c" in text:
        return text.count("\x1c") + 1
    return len(next(csv.reader([text]), []))


def _classify(raw: bytes, cut: int, *, csv_layout: bool) -> tuple[str, int]:
    """What a cut of `raw` after `cut` bytes leaves at its end, and the line it ends on.

    boundary: the last line is whole (the cut is just before or just after a line break);
    last field: the last line has all its fields, the last one cut short; optional tail: a
    comma-separated record that is the first of its type and has lost at most the 3 trailing
    fields v1-v5 software may leave off; record: a record that has lost fields.
    """
    kept = raw[:cut]
    start = kept.rfind(b"\n") + 1
    end = raw.find(b"\n", start)
    whole, part = raw[start : end if end >= 0 else len(raw)], kept[start:]
    line = kept.count(b"\n") + (1 if part.strip() else 0)
    if not part.strip() or part == whole:
        return "boundary", line
    if _fields(part) == _fields(whole):
        return "last field", line
    record_type = whole.split(b"\x1c" if b"\x1c" in whole else b",")[0]
    earlier = any(
        other.split(b"\x1c" if b"\x1c" in other else b",")[0] == record_type
        for other in raw[:start].split(b"\n")[2:]
    )
    if csv_layout and not earlier and _fields(whole) - _fields(part) <= 3:
        return "optional tail", line
    return "record", line


# file, comma-separated, the offsets cut (every offset up to a line, then every line boundary
# up to another), and how many cuts of each kind import without an error: the cuts that stay
# undetectable.
CUTS = [
    # v8.2, fields separated by ASCII 28 (NGP).
    ("fecfile__1229017.fec", False, 8, 235, {"boundary": 465}),
    # v3.00, quoted and comma-separated (the Merck PAC's report).
    ("fecfile__27789.fec", True, 8, 150, {"boundary": 296, "last field": 12,
                                          "optional tail": 16}),
    # v2.02: a '/* Header' block with Schedule_Counts, then comma-separated records.
    ("fastfec__13360.fec", True, 24, 169, {"boundary": 1}),
    # Paper filings keyed by vendors: P3.0 (the DSCC excerpt, every offset) and P3.3 (Harris).
    ("fecparse__paper2.fec", False, 20, 20, {"boundary": 35, "last field": 176}),
    ("fecparse__1135558.fec", False, 10, 150, {"boundary": 294, "last field": 36}),
]  # fmt: skip


@pytest.mark.parametrize(
    "name, csv_layout, every_offset_to, boundaries_to, undetected",
    CUTS,
    ids=[c[0].removesuffix(".fec") for c in CUTS],
)
def test_a_real_filing_cut_anywhere_is_refused_but_where_nothing_shows_the_cut(
    tmp_path, name, csv_layout, every_offset_to, boundaries_to, undetected
):
    """Cut a real filing at every offset of its first lines and at every line boundary
    (both sides of the line break) of many more. A cut is refused, naming the file and the
    line the file now ends on, unless nothing in what is left shows it was cut:

    * A cut exactly at a line boundary, once a Schedule record follows the report record:
      what is left is a whole filing with fewer itemizations, like the excerpts in
      fec_efilings (Warren's F3PN, the DSCC and ActBlue reports), which are real files that
      must import. Their summary pages disagree with their itemizations just as a truncated
      file's do, and the ActBlue one even lacks its last line break, so neither the summary
      nor the line break can tell. Only a v2.02 filing, whose header counts its records, and
      a report left with no Schedule record while its summary has itemized receipts, are
      refused at a line boundary. (The one undetected v2 "boundary" cut is the whole file
      without its final line break.)
    * A cut inside the last field of the file's last record, which leaves every field in
      place; for paper filings, only where fewer than two earlier records of the same type
      show the image number's width.
    * In the comma-separated layouts, a cut in the last 3 fields of the first record of its
      type, fields that v1-v5 software may leave off (fecparse__34411.fec does).
    """
    raw = (EFILINGS / name).read_bytes()
    breaks = [i for i, b in enumerate(raw) if b == 0x0A]
    offsets = set(range(1, breaks[every_offset_to - 1] + 1))
    for i in breaks[:boundaries_to]:
        offsets |= {i, i + 1}
    offsets.discard(len(raw))
    missed: Counter[str] = Counter()
    for cut in sorted(offsets):
        kind, line = _classify(raw, cut, csv_layout=csv_layout)
        path = write(tmp_path, "cut.fec", raw[:cut])
        try:
            read_fec(path)
        except SourceError as error:
            assert "truncated" in str(error), (cut, str(error))
            assert error.path == "cut.fec"
            if kind == "record":
                assert error.line == line, (cut, str(error))
            continue
        assert kind != "record", f"a cut {cut} bytes in, inside line {line}, was not refused"
        missed[kind] += 1
    assert dict(missed) == undetected


@pytest.mark.parametrize(
    "name",
    [n for n in REAL_FILINGS if n not in ("fastfec__13360.fec", "fecfile__1260488.fec")],
)
def test_every_real_itemization_as_the_last_line_without_a_line_break_imports(tmp_path, name):
    """No real record looks cut: each file is cut just before the line break that ends a
    Schedule record (every one in files under 60 kB, 25 spread over each larger one) and
    imports. (The v2.02 filing is refused by its Schedule_Counts at any such cut, and the F99
    letter has no Schedule records.)"""
    raw = (EFILINGS / name).read_bytes()
    breaks = [i for i, b in enumerate(raw) if b == 0x0A]
    starts = [0, *(i + 1 for i in breaks[:-1])]
    schedule = [k for k, s in enumerate(starts) if raw[s : s + 2].lstrip(b'"')[:1] == b"S"]
    step = 1 if len(raw) < 60_000 else len(schedule) // 25
    for k in schedule[::step] + schedule[-1:]:
        [filing] = read_fec(write(tmp_path, "cut.fec", raw[: breaks[k]]))
        assert all(c.line <= k + 1 for c in filing.contributions)
