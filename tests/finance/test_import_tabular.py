"""Spreadsheet imports: the state and city presets, a candidate's sheet, and every way a file
can be wrong, each with the exact message a treasurer or organizer would read."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from pledgewatch.finance.importers.tabular import (
    CANDIDATE_TEMPLATE,
    PRESETS,
    TableError,
    describe,
    detect_preset,
    guess_mapping,
    headers,
    mapping_warnings,
    read_table,
    required_columns,
)
from pledgewatch.finance.records import ContributorType, SourceError

FIXTURES = Path(__file__).parent / "fixtures"
NYC = FIXTURES / "nyc_cfb_2021_contributions.csv"
CAL = FIXTURES / "cal_access_rcpt_cd.tsv"
NYS = FIXTURES / "nys_boe_disclosure.csv"
CANDIDATE = FIXTURES / "candidate_contributions.csv"


def _error(call) -> TableError | SourceError:
    with pytest.raises(SourceError) as caught:
        call()
    return caught.value


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def _by_transaction(filings) -> dict:
    return {c.transaction_id: c for f in filings for c in f.contributions}


# -- presets ------------------------------------------------------------------------------------


def test_nyc_cfb_export_becomes_one_filing_per_disclosure_statement():
    filings = read_table(NYC, mapping="nyc-cfb")

    assert [(f.filing_id, f.committee_id, len(f.contributions)) for f in filings] == [
        ("2591-2021-3", "2591", 4),
        ("2591-2021-4", "2591", 2),
    ]
    assert {f.source for f in filings} == {"nyc-cfb"}
    assert filings[0].committee_name == "Whitfield, Dana R"
    assert filings[0].path == str(NYC)
    pfizer = filings[0].contributions[0]
    assert pfizer.contributor_name == "Hill, Nina M"
    assert pfizer.contributor_type == ContributorType.INDIVIDUAL
    assert pfizer.employer == "Pfizer Inc"
    assert pfizer.occupation == "VP Policy Center of Excellence"
    assert pfizer.amount == Decimal("250")
    assert pfizer.date == date(2021, 1, 11)
    assert pfizer.transaction_id == "R0004127"
    assert pfizer.form_type == "ABC"
    assert pfizer.recipient_committee_id == "2591"
    assert pfizer.filing_id == "2591-2021-3"
    assert (pfizer.city, pfizer.state, pfizer.line) == ("New York", "NY", 2)
    assert pfizer.extra == {"zip": "10017", "contributor_type_code": "IND"}
    anthem = filings[1].contributions[0]
    assert anthem.employer == "The Anthem Companies, Inc."
    assert anthem.extra["refund_date"] == "2021-04-19"
    assert anthem.line == 6


def test_cal_access_highest_amendment_wins_returns_are_negative_and_schedule_i_is_skipped():
    filings = read_table(CAL, mapping="cal-access", committee_id="1391234")

    assert [(f.filing_id, f.is_amendment, len(f.contributions)) for f in filings] == [
        ("2345678", True, 4),
        ("2391044", False, 4),
    ]
    assert {f.committee_id for f in filings} == {"1391234"}
    rows = _by_transaction(filings)
    assert set(rows) == {f"INC{n}" for n in (1001, 1002, 1003, 1004, 1101, 1102, 1103, 1104)}
    uhc = rows["INC1001"]  # AMEND_ID 1 corrected 500.00 to 1000.00
    assert uhc.amount == Decimal("1000.00")
    assert uhc.line == 5
    assert uhc.contributor_name == "CUEVAS, BRANDON"
    assert uhc.employer == "UNITED HEALTHCARE SERVICES INC"
    assert uhc.date == date(2019, 1, 31)
    assert uhc.recipient_committee_id == "1391234"
    assert uhc.extra["amendment"] == "1"
    returned = rows["INC1103"]
    assert returned.amount == Decimal("-384.00") and returned.is_refund
    assert returned.extra["transaction_type"] == "R"
    pac = rows["INC1101"]
    assert pac.contributor_name == "ANTHEM, INC. POLITICAL ACTION COMMITTEE (ANTHEM PAC)"
    assert pac.contributor_type == ContributorType.COMMITTEE
    assert pac.extra["contributor_committee_id"] == "1419835"
    assert pac.contributor_fec_id == ""  # a state committee ID is not an FEC ID
    assert rows["INC1104"].form_type == "C"  # the stray quotes on this row are just text


def test_cal_access_positive_amount_with_tran_type_r_is_made_negative(tmp_path):
    lines = CAL.read_text(encoding="utf-8").splitlines()
    header, row = lines[0], lines[10].replace("-384.00", "384.00")
    path = _write(tmp_path, "RCPT_CD.TSV", f"{header}\n{row}\n")
    [filing] = read_table(path, mapping="cal-access")
    assert filing.contributions[0].amount == Decimal("-384.00")
    assert filing.committee_id == ""


def test_nys_boe_keeps_contribution_schedules_and_applies_r_amend():
    [filing] = read_table(NYS, mapping="nys-boe")

    assert (filing.filing_id, filing.committee_id, filing.is_amendment) == (
        "18744-2022-K",
        "18744",
        True,
    )
    assert filing.committee_name == "Friends of Dana Whitfield"
    rows = _by_transaction([filing])
    assert [c.form_type for c in filing.contributions] == ["A", "A", "B", "C", "D", "A", "M"]
    assert "31872218" not in rows  # schedule F, an expenditure
    amended = rows["31872211"]  # R_AMEND=Y replaces the original 1000.00
    assert amended.amount == Decimal("750.00") and amended.line == 4
    assert amended.contributor_name == "Celli, Pat"
    pfizer = rows["31872214"]
    assert (pfizer.contributor_name, pfizer.contributor_type) == (
        "Pfizer Inc.",
        ContributorType.ORGANIZATION,
    )
    assert pfizer.employer == ""  # NYS publishes no employers
    pac = rows["31872215"]
    assert pac.contributor_type == ContributorType.COMMITTEE
    assert pac.amount == Decimal("2500.00")
    refund = rows["31872219"]
    assert refund.amount == Decimal("-500.00") and refund.is_refund
    assert refund.date == date(2022, 6, 10)
    unitemized = rows["31872217"]
    assert unitemized.contributor_name == "(unitemized)"
    assert unitemized.extra["itemized"] is False


def test_candidate_template_csv():
    [filing] = read_table(CANDIDATE, mapping="candidate")

    assert (filing.source, filing.filing_id, filing.committee_id) == (
        "candidate",
        "candidate_contributions.csv",
        "C09990001",
    )
    rows = _by_transaction([filing])
    assert rows["SA11C.1003"].contributor_type == ContributorType.COMMITTEE
    earmark = rows["SA11AI.1004E"]
    assert earmark.memo is True and earmark.back_reference == "SA11AI.1004"
    refund = rows["SB28A.1005"]
    assert refund.amount == Decimal("-1000.00") and refund.back_reference == "SA11AI.1002"
    assert rows["SA11AI.1001"].date == date(2024, 2, 5)
    assert rows["SA11AI.1001"].employer == "PFIZER INC"


def _candidate_workbook(path: Path, rows: list[list], sheet: str = "Receipts") -> Path:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append([*CANDIDATE_TEMPLATE, "first_name", "last_name", "zip"])
    for row in rows:
        worksheet.append(row)
    workbook.create_sheet("Notes").append(["Exported from the campaign's compliance software"])
    workbook.save(path)
    return path


XLSX_ROWS = [
    ["C09990001", "101", date(2024, 4, 2), 2800, "IND", "", "PFIZER INC", "SR DIRECTOR",
     "NEW YORK", "NY", None, None, "ANNA MARIA", "MARITATO", 10017],
    ["C09990001", "102", date(2024, 4, 3), 1250.5, "Individual", "REEDER, GREGORY SCOTT",
     "PFIZER INC", "SR VP", "NEW YORK", "NY", "", "", None, None, "10017"],
    ["C09990001", "103", "04/09/2024", "$5,000.00", "PAC", "HUMANA INC. POLITICAL ACTION "
     "COMMITTEE", None, None, "LOUISVILLE", "KY", None, None, None, None, None],
    ["C09990001", "104", 45397, "(250.00)", "IND", "REEDER, GREGORY SCOTT", "PFIZER INC",
     "SR VP", "NEW YORK", "NY", None, "102", None, None, None],
]  # fmt: skip


def test_candidate_xlsx_made_with_openpyxl(tmp_path):
    path = _candidate_workbook(tmp_path / "receipts.xlsx", XLSX_ROWS)

    [filing] = read_table(path, mapping="candidate")
    first, second, pac, refund = filing.contributions
    assert first.contributor_name == "MARITATO, ANNA MARIA"
    assert (first.amount, first.date, first.extra["zip"]) == (
        Decimal("2800"),
        date(2024, 4, 2),
        "10017",
    )
    assert second.amount == Decimal("1250.5")
    assert second.contributor_name == "REEDER, GREGORY SCOTT"
    assert pac.amount == Decimal("5000.00") and pac.contributor_type == ContributorType.COMMITTEE
    assert pac.date == date(2024, 4, 9)
    # A date cell left unformatted is an Excel serial; an accounting-style amount is negative.
    assert (refund.date, refund.amount, refund.back_reference) == (
        date(2024, 4, 15),
        Decimal("-250.00"),
        "102",
    )
    assert [c.line for c in filing.contributions] == [2, 3, 4, 5]
    assert headers(path) == [*CANDIDATE_TEMPLATE, "first_name", "last_name", "zip"]
    assert describe(path)["sheets"] == ["Receipts", "Notes"]
    assert read_table(path, mapping="candidate", sheet="Receipts")[0].contributions


def test_xlsx_errors_name_the_sheet_row_and_column(tmp_path):
    bad = [*XLSX_ROWS[:2], ["C09990001", "105", "April 31", 100, "IND", "DOE, JANE"]]
    path = _candidate_workbook(tmp_path / "receipts.xlsx", bad)
    error = _error(lambda: read_table(path, mapping="candidate"))
    assert str(error) == (
        f"{path}, line 4: column date: “April 31” is not a date (write it as YYYY-MM-DD or "
        "MM/DD/YYYY)"
    )
    assert (error.line, error.column) == (4, "date")
    error = _error(lambda: read_table(path, mapping="candidate", sheet="Donors"))
    assert str(error) == f"{path}: has no sheet “Donors”; its sheets are: Receipts, Notes."


# -- mappings -----------------------------------------------------------------------------------


def test_headers_detect_preset_and_guess_mapping():
    assert headers(NYC)[:3] == ["ELECTION", "OFFICECD", "RECIPID"]
    assert len(headers(CAL)) == 63 and len(headers(NYS)) == 45
    assert detect_preset(headers(NYC)) == "nyc-cfb"
    assert detect_preset(headers(CAL)) == "cal-access"
    assert detect_preset(headers(NYS)) == "nys-boe"
    assert detect_preset(headers(CANDIDATE)) == "candidate"
    assert detect_preset(["Name", "Amount"]) is None

    guessed = guess_mapping(["Donor Name", "Employer", "Occupation", "Amount", "Date", "Memo"])
    assert guessed == {
        "amount": "Amount",
        "date": "Date",
        "contributor_name": "Donor Name",
        "employer": "Employer",
        "occupation": "Occupation",
        "memo": "Memo",
    }
    assert guess_mapping(headers(NYC))["amount"] == "AMNT"
    assert guess_mapping(headers(NYC))["employer"] == "EMPNAME"
    assert guess_mapping(headers(NYS))["amount"] == "ORG_AMT"


def test_required_columns_of_each_preset():
    assert {name: required_columns(name) for name in PRESETS} == {
        "nyc-cfb": ["AMNT", "NAME"],
        "cal-access": ["AMOUNT", "CTRIB_NAML"],
        "nys-boe": ["ORG_AMT", "FLNG_ENT_NAME"],
        "candidate": ["amount", "contributor_name"],
    }


def test_a_mapping_dict_a_json_file_and_a_preset_with_overrides(tmp_path):
    text = 'Donor,Works for,Gift,Given on\n"MADDEN, MARGARET",PFIZER INC,"1,000",3/1/2024\n'
    path = _write(tmp_path, "from the treasurer.csv", text)
    mapping = {
        "contributor_name": "Donor",
        "employer": "Works for",
        "amount": "Gift",
        "date": "Given on",
    }

    [filing] = read_table(path, mapping=mapping, committee_id="c09990001")
    [row] = filing.contributions
    assert (filing.source, filing.filing_id, filing.committee_id) == (
        "spreadsheet",
        "from the treasurer.csv",
        "C09990001",
    )
    assert (row.contributor_name, row.employer, row.amount, row.date) == (
        "MADDEN, MARGARET",
        "PFIZER INC",
        Decimal("1000"),
        date(2024, 3, 1),
    )
    saved = _write(tmp_path, "mapping.json", json.dumps(mapping))
    assert read_table(path, mapping=str(saved))[0].contributions[0].amount == Decimal("1000")

    renamed = _write(
        tmp_path, "nyc.csv", NYC.read_text(encoding="utf-8").replace("EMPNAME", "EMPLOYER")
    )
    override = _write(
        tmp_path, "nyc.json", json.dumps({"preset": "nyc-cfb", "employer": "EMPLOYER"})
    )
    filings = read_table(renamed, mapping=str(override))
    assert filings[0].source == "nyc-cfb"
    assert filings[0].contributions[0].employer == "Pfizer Inc"


def test_mapping_warnings_name_what_the_screen_will_miss():
    assert mapping_warnings(headers(NYC), "nyc-cfb") == []
    notes = mapping_warnings(["Name", "Amount"], {"contributor_name": "Name", "amount": "Amount"})
    assert [n.split(":")[0] for n in notes] == [
        "No date column",
        "No employer column",
        "No contributor type column",
    ]
    assert mapping_warnings(headers(NYS), "nys-boe")[0].startswith("No employer column")


def test_a_windows_1252_file_is_read_and_says_so(tmp_path):
    text = (
        "contributor_name,employer,amount,date\r\n"
        '"NU\u00d1EZ, JOS\u00c9",CAF\u00c9 \u2013 BAR,250,2024-01-05\r\n'
    )
    path = _write(tmp_path, "export.csv", text.encode("cp1252"))
    [filing] = read_table(path, mapping="candidate")
    assert filing.contributions[0].contributor_name == "NU\u00d1EZ, JOS\u00c9"
    assert filing.contributions[0].employer == "CAF\u00c9 \u2013 BAR"
    assert describe(path)["encoding"] == "cp1252"
    notes = mapping_warnings(headers(path), "candidate", encoding=describe(path)["encoding"])
    assert notes[0] == (
        "The file is not UTF-8: it was read as Windows-1252 (what Excel on Windows saves). "
        "Check that names with accents look right."
    )
    assert describe(NYC)["encoding"] == "utf-8"
    assert describe(CAL)["delimiter"] == "\t"


def test_utf8_with_bom_and_semicolons(tmp_path):
    text = "\ufeffcontributor_name;amount;date\nHOWELL, NICHOLAS;384,00;31.01.2019\n"
    path = _write(
        tmp_path, "semi.csv", text.replace("384,00", "384").replace("31.01.2019", "2019-01-31")
    )
    [filing] = read_table(path, mapping="candidate")
    assert filing.contributions[0].amount == Decimal("384")
    assert describe(path)["delimiter"] == ";" and describe(path)["encoding"] == "utf-8"


# -- errors -------------------------------------------------------------------------------------


def test_a_spreadsheet_without_an_amount_column(tmp_path):
    path = _write(
        tmp_path, "nyc.csv", NYC.read_text(encoding="utf-8").replace(",AMNT,", ",AMOUNT_PAID,")
    )
    error = _error(lambda: read_table(path, mapping="nyc-cfb"))
    assert str(error) == (
        f"{path}, line 1: no column for amount: choose which column holds the amount "
        "(the preset expects AMNT)"
    )
    assert error.column == "AMNT"
    error = _error(
        lambda: read_table(path, mapping={"contributor_name": "NAME", "amount": "Amount"})
    )
    assert str(error) == (
        f"{path}, line 1: no column for amount: choose which column holds the amount "
        "(the mapping names “Amount”, but the file has no such column)"
    )
    error = _error(lambda: read_table(path, mapping={"contributor_name": "NAME"}))
    assert (
        str(error) == f"{path}, line 1: no column for amount: choose which column holds the amount"
    )


def test_a_spreadsheet_without_a_name_column(tmp_path):
    path = _write(tmp_path, "gifts.csv", "Amount,Date\n100,2024-01-02\n")
    error = _error(lambda: read_table(path, mapping={"amount": "Amount"}))
    assert str(error) == (
        f"{path}, line 1: no column for the contributor's name: choose the column with the name "
        "(or the first- and last-name columns)"
    )


def test_a_mapping_that_names_a_column_the_file_lacks(tmp_path):
    path = _write(tmp_path, "gifts.csv", 'Name,Amount\n"DOE, JANE",100\n')
    mapping = {"contributor_name": "Name", "amount": "Amount", "employer": "Employer"}
    error = _error(lambda: read_table(path, mapping=mapping))
    assert str(error) == (
        f"{path}, line 1: the mapping puts employer in column “Employer”, but the file has no "
        "such column; its columns are: Name, Amount."
    )
    error = _error(lambda: read_table(path, mapping={"name": "Name", "amount": "Amount"}))
    assert str(error).startswith(
        "the mapping names “name”, which is not one of our fields: amount,"
    )


def test_an_amount_that_is_not_a_number(tmp_path):
    text = NYC.read_text(encoding="utf-8").replace(",1000,250,", ",1OOO,250,")
    path = _write(tmp_path, "nyc.csv", text)
    error = _error(lambda: read_table(path, mapping="nyc-cfb"))
    assert str(error) == (
        f"{path}, line 3: column AMNT: “1OOO” is not an amount (write it like 250 or 1,250.00)"
    )
    assert (error.line, error.column) == (3, "AMNT")


def test_an_empty_amount(tmp_path):
    path = _write(tmp_path, "c.csv", 'contributor_name,amount\n"DOE, JANE",\n')
    error = _error(lambda: read_table(path, mapping="candidate"))
    assert (
        str(error) == f"{path}, line 2: column amount: is empty: every contribution needs an amount"
    )


def test_a_date_that_is_not_a_date(tmp_path):
    text = NYC.read_text(encoding="utf-8").replace("3/3/2021", "3/33/2021")
    path = _write(tmp_path, "nyc.csv", text)
    error = _error(lambda: read_table(path, mapping="nyc-cfb"))
    assert str(error) == (
        f"{path}, line 7: column DATE: “3/33/2021” is not a date (write it as YYYY-MM-DD or "
        "MM/DD/YYYY)"
    )


def test_several_bad_rows_are_reported_together_and_nothing_is_returned(tmp_path):
    text = NYC.read_text(encoding="utf-8")
    text = text.replace("3/3/2021", "soon").replace(",400,0,", ",four hundred,0,")
    path = _write(tmp_path, "nyc.csv", text)
    error = _error(lambda: read_table(path, mapping="nyc-cfb"))
    assert str(error) == (
        f"{path}, line 4: column AMNT: “four hundred” is not an amount (write it like 250 or "
        "1,250.00) (and 1 more problems, on lines 7)"
    )


def test_a_file_in_neither_utf8_nor_windows_1252(tmp_path):
    data = b'contributor_name,amount\r\n"DOE, JANE",100\r\n"R\x81OS, ANA",250\r\n'
    path = _write(tmp_path, "c.csv", data)
    error = _error(lambda: read_table(path, mapping="candidate"))
    assert str(error) == (
        f"{path}, line 3: is neither UTF-8 nor Windows-1252 text (byte 0x81 cannot be read in "
        "either): save it from Excel as “CSV UTF-8” and import it again."
    )


def test_a_file_with_nul_bytes(tmp_path):
    path = _write(tmp_path, "c.csv", "contributor_name,amount\n".encode("utf-16-le"))
    error = _error(lambda: read_table(path, mapping="candidate"))
    assert str(error) == (
        f"{path}, line 1: is not a text file (it contains NUL bytes): if it came from Excel, "
        "save it as “CSV UTF-8” (or .xlsx) and import that."
    )


def test_utf16_with_a_bom_is_read(tmp_path):
    text = "contributor_name\tamount\nDOE, JANE\t100\n"
    path = _write(tmp_path, "unicode.txt", text.encode("utf-16"))
    [filing] = read_table(path, mapping="candidate")
    assert filing.contributions[0].contributor_name == "DOE, JANE"
    assert describe(path)["encoding"] == "utf-16"


@pytest.mark.parametrize("content", [b"", b"\r\n\r\n", b"\xef\xbb\xbf"])
def test_an_empty_file(tmp_path, content):
    path = _write(tmp_path, "empty.csv", content)
    error = _error(lambda: read_table(path, mapping="nyc-cfb"))
    assert str(error) == (
        f"{path}: the file is empty: there is no header row and no contributions. Export it "
        "again, or choose another file."
    )
    assert _error(lambda: headers(path)).line == 0


def test_a_header_without_rows(tmp_path):
    path = _write(tmp_path, "c.csv", "contributor_name,amount\r\n")
    error = _error(lambda: read_table(path, mapping="candidate"))
    assert str(error) == f"{path}, line 1: has a header row but no contributions under it."


def test_a_file_with_no_contribution_rows(tmp_path):
    lines = NYS.read_text(encoding="utf-8").splitlines()
    path = _write(tmp_path, "nys.csv", "\n".join([lines[0], lines[8]]) + "\n")  # schedule F only
    error = _error(lambda: read_table(path, mapping="nys-boe"))
    assert str(error) == (
        f"{path}: none of its 1 rows is a contribution (FILING_SCHED_ABBREV is not one of A, B, "
        "C, D, M): is this the file of receipts?"
    )


def test_broken_quotes(tmp_path):
    text = 'contributor_name,employer,amount\n"DOE, JANE",ACME,100\n"SMITH, JOHN"X,ACME,200\n'
    path = _write(tmp_path, "c.csv", text)
    error = _error(lambda: read_table(path, mapping="candidate"))
    assert str(error) == (
        f'{path}, line 3: broken quotes: a field here opens a quote (") that is not closed where '
        "the field ends (',' expected after '\"'). Fix the quotes on this row, or export the file "
        "again."
    )


def test_a_quote_left_open_until_the_end(tmp_path):
    text = (
        'contributor_name,employer,amount\n"DOE, JANE",ACME,100\n"SMITH, JOHN,ACME,200\n'
        '"LEE, AL",X,5\n'
    )
    path = _write(tmp_path, "c.csv", text)
    error = _error(lambda: read_table(path, mapping="candidate"))
    assert error.line == 3
    assert "broken quotes" in str(error)


def test_a_row_with_too_many_fields(tmp_path):
    text = 'contributor_name,employer,amount\n"DOE, JANE",ACME,100\nSMITH, JOHN,ACME,200\n'
    path = _write(tmp_path, "c.csv", text)
    error = _error(lambda: read_table(path, mapping="candidate"))
    assert str(error) == (
        f"{path}, line 3: has 4 fields where the header has 3: check this row for a stray comma "
        'or an unclosed quote (").'
    )


def test_an_xlsx_that_is_not_a_zip(tmp_path):
    path = _write(tmp_path, "receipts.xlsx", CANDIDATE.read_bytes())
    error = _error(lambda: read_table(path, mapping="candidate"))
    assert str(error) == (
        f"{path}: is not an Excel .xlsx workbook (an .xlsx file is a zip archive and this one "
        "is not): if it is a CSV file, rename it .csv; otherwise open it in Excel and save it "
        "as .xlsx."
    )


def test_an_old_xls_workbook(tmp_path):
    path = _write(tmp_path, "receipts.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    error = _error(lambda: read_table(path, mapping="candidate"))
    assert str(error) == (
        f"{path}: is an old-style Excel workbook (.xls) or a password-protected one: open it in "
        "Excel or LibreOffice and save it as .xlsx or as CSV UTF-8."
    )


def test_a_zip_that_is_not_a_workbook(tmp_path):
    import zipfile

    path = tmp_path / "receipts.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    error = _error(lambda: read_table(path, mapping="candidate"))
    assert str(error).startswith(f"{path}: is a zip archive but not an Excel workbook")


def test_a_missing_file_and_an_unknown_preset(tmp_path):
    assert str(_error(lambda: read_table(tmp_path / "nope.csv", mapping="candidate"))) == (
        f"{tmp_path / 'nope.csv'}: there is no such file."
    )
    assert str(_error(lambda: read_table(NYC, mapping="nyc"))) == (
        "“nyc” is neither a preset (nyc-cfb, cal-access, nys-boe, candidate) nor a mapping file."
    )
    bad = _write(tmp_path, "mapping.json", "{amount: AMNT}")
    assert str(_error(lambda: read_table(NYC, mapping=str(bad)))).startswith(
        f"{bad}: is not a JSON mapping ("
    )
