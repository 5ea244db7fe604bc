"""Totals, thresholds, memo rows and refunds, with rows shaped like the real filings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pledgewatch.finance.records import Contribution, ContributorType
from pledgewatch.finance.screening import screen
from tests.finance.policies import small_policy

CMTE = "C00431353"  # Klobuchar for Minnesota


def row(tran, name, amount, *, employer="", occupation="", fec_id="", kind="individual",
        form="SA11AI", memo=False, back="", day=date(2021, 8, 13)):  # fmt: skip
    return Contribution(
        source="fec", filing_id="1544132", transaction_id=tran, form_type=form,
        recipient_committee_id=CMTE, contributor_name=name, contributor_type=kind,
        contributor_fec_id=fec_id, employer=employer, occupation=occupation, date=day,
        amount=Decimal(amount), memo=memo, back_reference=back, line=100,
    )  # fmt: skip


def pac(tran, amount, **kw):
    return row(tran, "UNITEDHEALTH GROUP INC PAC", amount, fec_id="C00274431",
               kind=ContributorType.COMMITTEE, form="SA11C", **kw)  # fmt: skip


def test_any_pac_money_is_a_tier_1_finding_that_explains_itself():
    result = screen([pac("A1", "1000"), row("A2", "DOE, JOHN", "50", employer="ACME")],
                    small_policy())  # fmt: skip
    [f] = result.findings
    d = f.as_dict()
    assert (d["tier"], d["entity"], d["rule"], d["amount"]) == (1, "UnitedHealth Group",
                                                                "committee_id", "1000")  # fmt: skip
    assert d["date"] == "2021-08-13" and d["filing_id"] == "1544132"
    assert "C00274431" in d["explanation"] and "transaction A1" in d["explanation"]
    assert result.summary()["net_by_tier"] == {"1": "1000"}
    assert result.summary()["contributions_screened"] == 2


def test_executive_below_200_per_cycle_is_not_reported_but_above_is():
    small = [row("B1", "BOURLA, ALBERT", "104", employer="PFIZER INC",
                 occupation="CHIEF EXECUTIVE OFFICER")]  # fmt: skip
    result = screen(small, small_policy())
    assert result.findings == [] and result.below_threshold == 1

    second = row("B2", "BOURLA, ALBERT", "104", employer="PFIZER INC",
                 occupation="CHIEF EXECUTIVE OFFICER", day=date(2021, 9, 1))  # fmt: skip
    result = screen([*small, second], small_policy())
    assert [f.donor_total for f in result.findings] == [Decimal("208"), Decimal("208")]
    assert result.summary()["net_by_entity"] == {"Pfizer": "208"}


def test_totals_are_per_two_year_cycle():
    a = row("C1", "BOURLA, ALBERT", "150", employer="PFIZER", occupation="CEO",
            day=date(2019, 12, 1))  # fmt: skip
    b = row("C2", "BOURLA, ALBERT", "150", employer="PFIZER", occupation="CEO",
            day=date(2021, 1, 5))  # fmt: skip
    assert screen([a, b], small_policy()).findings == []  # 2020 and 2022 cycles: $150 each


def test_ordinary_employee_is_review_only_above_the_employee_threshold():
    rows = [row(f"D{i}", "SMITH, JASON D", "400", employer="PFIZER, INC.",
                occupation="SR DIRECTOR") for i in range(3)]  # fmt: skip
    result = screen(rows, small_policy())
    assert {f.match.tier for f in result.findings} == {2}
    assert result.findings[0].donor_total == Decimal("1200")
    assert screen(rows[:2], small_policy()).findings == []  # $800 <= $1,000


def test_memo_rows_never_count_twice():
    # ActBlue earmark: the donor row counts; the memo row naming it is evidence only.
    donor = pac("E1", "2500")
    memo = pac("E1M", "2500", memo=True, back="E1")
    result = screen([donor, memo], small_policy())
    assert len(result.findings) == 2
    assert [f.counted for f in result.findings] == [True, False]
    assert result.summary()["net_by_tier"] == {"1": "2500"}
    assert "not counted" in result.findings[1].explanation


def test_refund_with_back_reference_nets_against_the_original():
    original = pac("F1", "5000")
    # A refund line names only the payee; importers sign it negative.
    refund = row(
        "F2",
        "UNITEDHEALTH GROUP INC PAC",
        "-2000",
        form="SB28C",
        back="F1",
        kind=ContributorType.COMMITTEE,
    )
    result = screen([original, refund], small_policy())
    by_tran = {f.contribution.transaction_id: f for f in result.findings}
    assert by_tran["F1"].refunded == Decimal("2000")
    assert by_tran["F1"].net_amount == Decimal("3000")
    assert by_tran["F2"].counted is False
    assert result.summary()["net_by_tier"] == {"1": "3000"}
    assert "Refunded since: $2,000.00" in by_tran["F1"].explanation


def test_fully_refunded_money_is_netted_out():
    result = screen([pac("G1", "1000"), pac("G2", "-1000")], small_policy())
    assert result.findings == []
    assert result.netted_out == 2


def test_negative_amount_without_back_reference_reduces_the_donor_total():
    result = screen([pac("H1", "5000"), pac("H2", "-1500")], small_policy())
    assert result.summary()["net_by_tier"] == {"1": "3500"}
    assert {f.donor_total for f in result.findings} == {Decimal("3500")}


def test_a_refund_naming_no_transaction_nets_against_the_donor_of_that_name():
    """The real Merck PAC year-end report (fecfile__27789.fec) refunds $538.36 to Terry
    Latanich on an SB28A line with no back reference and no employer; the receipts are filed
    as "Latanich, Terry S" at Merck-Medco. The refund is netted against that donor."""
    from pledgewatch.finance.importers import fec
    from pledgewatch.finance.policy import Policy
    from tests.finance.conftest import SHARED_DATA

    [filing] = fec.read_fec(SHARED_DATA / "fec_efilings" / "fecfile__27789.fec")
    result = screen(filing.contributions, Policy.default())
    latanich = [f for f in result.findings if "LATANICH" in f.contribution.contributor_name.upper()]
    receipts = [f for f in latanich if f.contribution.amount > 0]
    [refund] = [f for f in latanich if f.contribution.amount < 0]
    assert refund.by_name and refund.counted
    assert refund.contribution.form_type == "SB28A"
    assert refund.match.organization.name == "Merck & Co."
    gross = sum(f.contribution.amount for f in receipts)
    assert {f.donor_total for f in latanich} == {gross - Decimal("538.36")}
    assert "names no transaction" in refund.explanation
    assert "occupation not given" not in refund.explanation


def test_a_refund_is_not_tied_to_either_of_two_donors_sharing_a_name():
    policy = small_policy()
    pfizer = row("R1", "SMITH, JOHN", "5000", employer="PFIZER INC", occupation="CEO")
    janssen = row("R2", "Smith, John", "3000", employer="JANSSEN", occupation="PRESIDENT")
    refund = row("R3", "John Smith", "-1000", form="SB28A")
    result = screen([pfizer, janssen, refund], policy)
    assert {f.contribution.transaction_id for f in result.findings} == {"R1", "R2"}
    assert {f.donor_total for f in result.findings} == {Decimal("5000"), Decimal("3000")}


def test_a_refund_to_someone_else_is_not_netted():
    policy = small_policy()
    exec_ = row("S1", "SMITH, JOHN", "5000", employer="PFIZER INC", occupation="CEO")
    refund = row("S2", "Jane Smith", "-1000", form="SB28A")
    result = screen([exec_, refund], policy)
    assert [f.contribution.transaction_id for f in result.findings] == ["S1"]
    assert result.findings[0].donor_total == Decimal("5000")
