"""Screen contributions against a policy: findings that explain themselves, net of refunds.

Money rules:
- memo rows (memo code X) are shown as evidence but never counted: the money they describe is
  counted once, on the row they refer to;
- refunds (negative amounts, refund lines) count against the donor's total, and a refund that
  names the original transaction (back reference) is shown on that transaction;
- a refund to a person that names no transaction (the refund line carries the payee's name but
  no employer, so it matches no rule itself) is netted against the matched donor of the same
  name at the same committee, when exactly one such donor exists;
- a donor's net total per two-year cycle decides whether its rows are reported: committee and
  organization money above `committee_min` (default: any), an executive's above
  `individual_over` ($200), an ordinary employee's above `employee_review_over` ($1,000).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from pledgewatch.finance.matching import RULE_LABELS, Match, Rule, classify
from pledgewatch.finance.policy import TIERS, Policy, normalize
from pledgewatch.finance.records import Contribution, ContributorType


@dataclass(slots=True)
class Finding:
    contribution: Contribution
    match: Match
    donor_total: Decimal  # the donor's net total for this organization in this cycle
    cycle: int
    refunded: Decimal = Decimal(0)  # refunds that name this transaction
    counted: bool = True  # False for memo rows
    by_name: bool = False  # a refund naming no transaction, tied to its donor by name

    @property
    def net_amount(self) -> Decimal:
        if not self.counted:
            return Decimal(0)
        return self.contribution.amount - self.refunded

    @property
    def explanation(self) -> str:
        c, m = self.contribution, self.match
        org = m.organization
        who = c.contributor_name or "An unnamed donor"
        if c.contributor_fec_id:
            who += f" ({c.contributor_fec_id})"
        if m.rule in (Rule.EMPLOYER_EXECUTIVE, Rule.EMPLOYER_EMPLOYEE) and not self.by_name:
            who += f", {c.occupation or 'occupation not given'} at {c.employer}"
        what = "refunded" if c.amount < 0 else "gave"
        when = c.date.isoformat() if c.date else "an undated day"
        text = (
            f"{who} {what} ${abs(c.amount):,.2f} on {when} "
            f"(filing {c.filing_id or '?'}, {c.form_type or 'line ?'}"
            f"{', transaction ' + c.transaction_id if c.transaction_id else ''}"
            f"{', line ' + str(c.line) if c.line else ''}). "
            f"Rule: {RULE_LABELS[m.rule]} (matched “{m.matched}”). "
            f"{org.name} is listed as {org.industry or 'an organization'}, "
            f"tier {org.tier} ({TIERS[org.tier]})"
        )
        if m.tier != org.tier:
            text += f"; as an ordinary employee this donor is tier {m.tier} ({TIERS[m.tier]})"
        text += "."
        if not self.counted:
            text += " Memo entry: shown for the record, not counted (the money is on the row "
            text += "it refers to)."
        if self.by_name:
            text += " This refund names no transaction; it is netted against the donor of the "
            text += "same name at the same committee."
        if self.refunded:
            text += f" Refunded since: ${self.refunded:,.2f}; net ${self.net_amount:,.2f}."
        text += f" Donor's net total in the {self.cycle} cycle: ${self.donor_total:,.2f}."
        return text

    def as_dict(self) -> dict[str, Any]:
        c = self.contribution
        return {
            "source": c.source,
            "filing_id": c.filing_id,
            "transaction_id": c.transaction_id,
            "form_type": c.form_type,
            "recipient_committee_id": c.recipient_committee_id,
            "contributor_name": c.contributor_name,
            "contributor_type": c.contributor_type,
            "contributor_fec_id": c.contributor_fec_id,
            "employer": c.employer,
            "occupation": c.occupation,
            "date": c.date.isoformat() if c.date else None,
            "amount": str(c.amount),
            "net_amount": str(self.net_amount),
            "refunded": str(self.refunded),
            "memo": c.memo,
            "counted": self.counted,
            "refund_linked_by_name": self.by_name,
            "cycle": self.cycle,
            "donor_total": str(self.donor_total),
            "tier": self.match.tier,
            "entity": self.match.organization.name,
            "industry": self.match.organization.industry,
            "rule": self.match.rule,
            "matched": self.match.matched,
            "line": c.line,
            "explanation": self.explanation,
        }


@dataclass
class ScreenResult:
    findings: list[Finding]
    screened: int
    below_threshold: int = 0  # matched rows whose donor stayed under the threshold
    netted_out: int = 0  # matched rows whose donor's money was all refunded
    sources: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        by_tier: dict[int, Decimal] = defaultdict(Decimal)
        by_entity: dict[str, Decimal] = defaultdict(Decimal)
        for f in self.findings:
            by_tier[f.match.tier] += f.net_amount
            by_entity[f.match.organization.name] += f.net_amount
        return {
            "contributions_screened": self.screened,
            "findings": len(self.findings),
            "below_threshold": self.below_threshold,
            "netted_out": self.netted_out,
            "net_by_tier": {str(t): str(by_tier[t]) for t in sorted(by_tier)},
            "net_by_entity": {
                name: str(total)
                for name, total in sorted(by_entity.items(), key=lambda kv: (-kv[1], kv[0]))
            },
            "sources": self.sources,
        }

    def as_dict(self) -> dict[str, Any]:
        return {"findings": [f.as_dict() for f in self.findings], "summary": self.summary()}


def cycle_of(c: Contribution) -> int:
    if c.date is None:
        return 0
    return c.date.year + (c.date.year % 2)


def donor_who(c: Contribution) -> str:
    """Who the donor is, for its totals: its FEC id, else its normalized name."""
    return c.contributor_fec_id.upper() or normalize(c.contributor_name)


def _donor_key(c: Contribution, m: Match, *, cycle: int | None = None) -> tuple[str, ...]:
    who = donor_who(c)
    kind = "person" if c.contributor_type == ContributorType.INDIVIDUAL else "org"
    return (m.organization.name, kind, who, str(cycle_of(c) if cycle is None else cycle))


_TITLES = frozenset({"MR", "MRS", "MS", "MISS", "DR", "JR", "SR", "II", "III", "IV", "ESQ"})


def person_key(name: str) -> str:
    """A person's name in a form that survives the ways filings write it: "Latanich, Terry S",
    "LATANICH^TERRY S^MR^" and "Terry Latanich" are all "LATANICH TERRY". Only for tying a
    refund to its donor, never for matching an organization."""
    words = {w for w in normalize(name).split() if len(w) > 1 and w not in _TITLES}
    return " ".join(sorted(words))


def _is_person(c: Contribution) -> bool:
    return c.contributor_type == ContributorType.INDIVIDUAL and bool(c.contributor_name)


def _donors_by_name(
    matched: list[tuple[Contribution, Match, Contribution, tuple[str, ...]]],
) -> dict[tuple[str, str], tuple[Contribution, Match]]:
    """(committee, person_key) -> the one matched person of that name who gave to that
    committee; names shared by two matched donors (two employers, two organizations) are
    left out: a refund that names no transaction cannot be told apart between them."""
    found: dict[tuple[str, str], tuple[Contribution, Match]] = {}
    ambiguous: set[tuple[str, str]] = set()
    for c, m, owner, _key in matched:
        if owner is not c or c.is_refund or not _is_person(c):
            continue
        name = (c.recipient_committee_id, person_key(c.contributor_name))
        if name in found and found[name][1].organization is not m.organization:
            ambiguous.add(name)
        found.setdefault(name, (c, m))
    for name in ambiguous:
        del found[name]
    return found


def threshold(policy: Policy, c: Contribution, m: Match) -> Decimal:
    """The net total above which this donor's rows are reported."""
    if c.contributor_type != ContributorType.INDIVIDUAL:
        return policy.thresholds.committee_min
    if m.rule == Rule.EMPLOYER_EMPLOYEE:
        return policy.thresholds.employee_review_over
    return policy.thresholds.individual_over


def screen(
    contributions: Iterable[Contribution],
    policy: Policy,
    *,
    committees: Mapping[str, Any] | None = None,
) -> ScreenResult:
    # One pass, keeping only what can matter: matched rows, and refunds (a refund often carries
    # only the payee's name: it belongs to the receipt it names, or to the donor it names).
    screened = 0
    hits: list[tuple[Contribution, Match | None]] = []
    by_tran: dict[tuple[str, str], tuple[Contribution, Match]] = {}
    for c in contributions:
        screened += 1
        m = classify(c, policy, committees)
        if m is not None and c.transaction_id:
            by_tran[(c.recipient_committee_id, c.transaction_id)] = (c, m)
        if m is not None or (c.is_refund and (c.back_reference or _is_person(c))):
            hits.append((c, m))

    # (row, its match, the row whose donor it belongs to: itself or its receipt, donor key)
    matched: list[tuple[Contribution, Match, Contribution, tuple[str, ...]]] = []
    unlinked: list[Contribution] = []  # refunds to people that name no matched receipt
    for c, m in hits:
        owner = c
        if c.is_refund and c.back_reference:
            linked = by_tran.get((c.recipient_committee_id, c.back_reference))
            if linked is not None:
                owner, m = linked
        if m is not None:
            matched.append((c, m, owner, _donor_key(owner, m)))
        elif c.is_refund and not c.memo and _is_person(c):
            unlinked.append(c)
    del hits, by_tran
    donors = _donors_by_name(matched)
    linked_by_name: set[int] = set()
    for c in unlinked:
        found = donors.get((c.recipient_committee_id, person_key(c.contributor_name)))
        if found is not None:  # exactly one matched donor of that name at that committee
            owner, m = found
            matched.append((c, m, c, _donor_key(owner, m, cycle=cycle_of(c))))
            linked_by_name.add(id(c))
    del unlinked, donors

    refunded: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for c, _m, owner, _key in matched:
        if owner is not c and not c.memo:
            refunded[(owner.recipient_committee_id, owner.transaction_id)] -= c.amount

    totals: dict[tuple[str, ...], Decimal] = defaultdict(Decimal)
    for c, _m, _owner, key in matched:
        if not c.memo:
            totals[key] += c.amount

    result = ScreenResult(findings=[], screened=screened)
    for c, m, owner, key in matched:
        total = totals[key]
        if total <= 0:
            result.netted_out += 1
            continue
        if total <= threshold(policy, owner, m):
            result.below_threshold += 1
            continue
        finding = Finding(
            contribution=c,
            match=m,
            donor_total=total,
            cycle=cycle_of(owner),
            refunded=refunded.get((c.recipient_committee_id, c.transaction_id), Decimal(0)),
            # A linked refund is already netted on its receipt; an unlinked one counts negative.
            counted=not c.memo and owner is c,
            by_name=id(c) in linked_by_name,
        )
        result.findings.append(finding)
    result.findings.sort(key=_order)
    return result


def _order(f: Finding) -> tuple:
    c = f.contribution
    return (f.match.tier, f.match.organization.name, c.date or date.min, c.line)
