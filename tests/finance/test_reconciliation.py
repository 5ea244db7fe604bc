"""The itemized receipts we parse add up to the filer's own summary page, line by line.

For every real Form 3, 3P and 3X filing in shared/data/fec_efilings, each summary key that has
itemization lines (pledgewatch.finance.importers.fec.SCHEDULE_LINES) is compared with the sum
of the non-memo rows on those lines (refunds as the positive amounts the filer reports). Pairs
where both are zero or blank are left out. Every other pair is either in RECONCILED (the
figures agree, to the cent) or in DISCREPANCIES, which says what the filer reported, what its
itemizations add up to, and why they differ. A change in parsing that moves any figure fails.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import pytest

from pledgewatch.finance.importers.fec import SCHEDULE_LINES, form_family, read_fec
from pledgewatch.finance.records import Filing
from tests.finance.conftest import EFILINGS

pytestmark = pytest.mark.usefixtures("shared_data")  # a clear failure without the files

# The summary line each key stands for, per form family (for the test ids and messages).
LINE = {
    "F3": {"indiv_itemized": "11ai", "party": "11b", "committees": "11c", "candidate": "11d",
           "transfers_in": "12", "loans": "13", "offsets": "14", "other_receipts": "15",
           "refunds_indiv": "20a", "refunds_party": "20b", "refunds_committees": "20c"},
    "F3X": {"indiv_itemized": "11ai", "party": "11b", "committees": "11c", "transfers_in": "12",
            "loans": "13", "offsets": "15", "other_receipts": "17", "refunds_indiv": "28a",
            "refunds_party": "28b", "refunds_committees": "28c"},
    "F3P": {"indiv_itemized": "17ai", "party": "17b", "committees": "17c", "candidate": "17d",
            "transfers_in": "18", "loans": "19", "offsets": "20", "other_receipts": "21",
            "refunds_indiv": "28a", "refunds_party": "28b", "refunds_committees": "28c"},
}  # fmt: skip

# The form each real report was filed on (checked below), for the test ids.
FORMS = {
    "fastfec__13360.fec": "F3XA", "fastfec__1527862.fec": "F3PN", "fastfec__1544132.fec": "F3N",
    "fastfec__1550126.fec": "F3A", "fastfec__1550548.fec": "F3XA", "fecfile__1229017.fec": "F3N",
    "fecfile__1385191.fec": "F3PN", "fecfile__27789.fec": "F3XA", "fecparse__1135558.fec": "F3N",
    "fecparse__34411.fec": "F3A", "fecparse__character-encoding.fec": "F3N",
    "fecparse__federal-refunds.fec": "F3XN", "fecparse__paper2.fec": "F3XN",
    "fecparse__quote-left-open.fec": "F3XN", "fecparse__trailing-quote.fec": "F3XN",
}  # fmt: skip

# file, key, the figure both the summary page and the itemizations give.
RECONCILED = [
    ("fastfec__13360.fec", "indiv_itemized", "14285.95"),
    ("fastfec__13360.fec", "other_receipts", "779.54"),
    ("fastfec__1527862.fec", "transfers_in", "5000.00"),
    ("fastfec__1544132.fec", "indiv_itemized", "301030.36"),
    ("fastfec__1544132.fec", "committees", "9000.00"),
    ("fastfec__1544132.fec", "transfers_in", "6000.00"),
    ("fastfec__1544132.fec", "offsets", "1553.58"),
    ("fastfec__1550126.fec", "indiv_itemized", "2500.00"),
    ("fastfec__1550126.fec", "loans", "50000.00"),
    ("fastfec__1550548.fec", "indiv_itemized", "103071.78"),
    ("fecfile__1229017.fec", "indiv_itemized", "9364.17"),
    ("fecfile__1229017.fec", "committees", "37153.41"),
    ("fecfile__1229017.fec", "offsets", "220.00"),
    ("fecfile__1229017.fec", "refunds_indiv", "30.00"),
    ("fecfile__27789.fec", "indiv_itemized", "149408.52"),
    ("fecfile__27789.fec", "refunds_indiv", "538.36"),
    ("fecparse__34411.fec", "indiv_itemized", "56998.00"),
    ("fecparse__34411.fec", "loans", "118000.00"),
    ("fecparse__character-encoding.fec", "indiv_itemized", "87200.00"),
    ("fecparse__federal-refunds.fec", "committees", "65000.00"),
    ("fecparse__federal-refunds.fec", "refunds_committees", "270000.00"),
    ("fecparse__trailing-quote.fec", "indiv_itemized", "4795.00"),
    ("fecparse__trailing-quote.fec", "committees", "1706.36"),
    ("fecparse__trailing-quote.fec", "offsets", "5458.00"),
    ("fecparse__trailing-quote.fec", "other_receipts", "5677.34"),
]

WARREN = "an excerpt: the fixture keeps only the header, the F3PN and 3 Schedule C records"
HARRIS = (
    "a paper filing whose summary page was keyed into the wrong boxes (11a(i) reads 2.45, "
    "11c, 12 and 20a are blank, the coverage ends in 2028); the itemizations are sound"
)
DSCC = "an excerpt: the fixture keeps 18 of the DSCC report's itemization records"
ACTBLUE = "an excerpt: the fixture keeps 1 of ActBlue's itemizations"

# file, key, reported on the summary page (None: blank), sum of the itemizations, why.
DISCREPANCIES = [
    ("fastfec__1527862.fec", "offsets", "2153612.93", "2153347.22",
     "265.71 of offsets not itemized (offsets need itemizing only above $200 a source)"),
    ("fastfec__1527862.fec", "refunds_indiv", "102307.46", "105046.25",
     "the filer's SB28A rows, voids netted, come to 2,738.79 more than its line 28a"),
    ("fastfec__1544132.fec", "refunds_indiv", "7132.50", "7075.00",
     "line 20a holds 57.50 of refunds that are not itemized"),
    ("fecfile__1385191.fec", "indiv_itemized", "5191564.00", "0", WARREN),
    ("fecfile__1385191.fec", "committees", "15.00", "0", WARREN),
    ("fecfile__1385191.fec", "loans", "400000.00", "0", WARREN),
    ("fecfile__1385191.fec", "offsets", "220374.60", "0", WARREN),
    ("fecfile__1385191.fec", "other_receipts", "3622.28", "0", WARREN),
    ("fecfile__1385191.fec", "refunds_indiv", "111018.94", "0", WARREN),
    ("fecfile__1385191.fec", "refunds_committees", "33.00", "0", WARREN),
    ("fecparse__1135558.fec", "indiv_itemized", "2.45", "276800.45", HARRIS),
    ("fecparse__1135558.fec", "committees", None, "103061.95", HARRIS),
    ("fecparse__1135558.fec", "transfers_in", None, "150500.00", HARRIS),
    ("fecparse__1135558.fec", "refunds_indiv", None, "8821.33", HARRIS),
    ("fecparse__character-encoding.fec", "refunds_indiv", "600.00", "500.00",
     "line 20a holds 100.00 of refunds that are not itemized"),
    ("fecparse__paper2.fec", "indiv_itemized", "2290516.31", "700.00", DSCC),
    ("fecparse__paper2.fec", "committees", "287500.00", "30000.00", DSCC),
    ("fecparse__paper2.fec", "transfers_in", "265669.00", "112.00", DSCC),
    ("fecparse__paper2.fec", "offsets", "662.38", "361.38", DSCC),
    ("fecparse__paper2.fec", "other_receipts", "147500.00", "20000.00", DSCC),
    ("fecparse__paper2.fec", "refunds_indiv", "8132.13", "200.00", DSCC),
    ("fecparse__quote-left-open.fec", "indiv_itemized", "30906698.66", "10.00", ACTBLUE),
    ("fecparse__quote-left-open.fec", "offsets", "128256.57", "0", ACTBLUE),
    ("fecparse__quote-left-open.fec", "other_receipts", "6583.96", "0", ACTBLUE),
    ("fecparse__quote-left-open.fec", "refunds_indiv", "551361.97", "0", ACTBLUE),
]  # fmt: skip


@cache
def filing(name: str) -> Filing:
    [result] = read_fec(EFILINGS / name)
    return result


def reported_and_itemized(name: str, key: str) -> tuple[Decimal | None, Decimal]:
    f = filing(name)
    lines = SCHEDULE_LINES[form_family(f.form_type)][key]
    total = sum(
        (c.amount for c in f.contributions if c.form_type in lines and not c.memo), Decimal(0)
    )
    return f.summary.get(key), -total if key.startswith("refunds") else total


def case_id(name: str, key: str) -> str:
    form = FORMS[name]
    stem = name.removesuffix(".fec").split("__")[-1]
    return f"{stem}-{form}-{LINE[form_family(form)][key]}-{key}"


def test_every_summary_line_of_every_real_report_is_in_one_table():
    compared = set()
    summaries = {}
    for path in sorted(EFILINGS.glob("*.fec")):
        if path.name == "fastfec__filing_invalid_version.fec":
            continue  # cannot be imported (version 180.5)
        form = filing(path.name).form_type
        family = form_family(form)
        if family in SCHEDULE_LINES:
            summaries[path.name] = form
        for key in SCHEDULE_LINES.get(family, {}):
            reported, itemized = reported_and_itemized(path.name, key)
            if reported or itemized:
                compared.add((path.name, key))
    reconciled = {(name, key) for name, key, _ in RECONCILED}
    disagreeing = {(name, key) for name, key, *_ in DISCREPANCIES}
    assert summaries == FORMS
    assert not reconciled & disagreeing
    assert compared == reconciled | disagreeing
    assert len(compared) == 50


@pytest.mark.parametrize(
    "name, key, figure", RECONCILED, ids=[case_id(n, k) for n, k, _ in RECONCILED]
)
def test_the_itemizations_add_up_to_the_summary_line(name, key, figure):
    reported, itemized = reported_and_itemized(name, key)
    assert reported == itemized == Decimal(figure)


@pytest.mark.parametrize(
    "name, key, reported, itemized, why",
    DISCREPANCIES,
    ids=[case_id(n, k) for n, k, *_ in DISCREPANCIES],
)
def test_where_the_filer_disagrees_with_itself_the_figures_are_documented(
    name, key, reported, itemized, why
):
    expected = (None if reported is None else Decimal(reported), Decimal(itemized))
    actual = reported_and_itemized(name, key)
    assert actual == expected, f"{name} {key}: {why}"
    assert actual[0] != actual[1]
