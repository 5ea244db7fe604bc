"""The guide's checklist as gates: for one endorsement, is each gate on, met or waived, with
what evidence, and what is missing. The vote cannot open while a gate that is on is neither
met nor waived (services.move)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from pledgewatch.endorsements.models import (
    BallotStatus,
    Endorsement,
    Gate,
    GateSetting,
    GateWaiver,
    PledgeScope,
)


@dataclass(frozen=True)
class GateStatus:
    gate: str
    label: str
    enabled: bool
    met: bool
    evidence: str  # what shows it is met (or how far along it is)
    missing: str  # what is still needed ("" when met)
    waiver: GateWaiver | None = None

    @property
    def satisfied(self) -> bool:
        """Off for the chapter, met, or waived for this candidate."""
        return not self.enabled or self.met or self.waiver is not None

    @property
    def state(self) -> str:
        if not self.enabled:
            return "off"
        if self.met:
            return "met"
        if self.waiver is not None:
            return "waived"
        return "unmet"


def disabled_gates(chapter) -> set[str]:
    return set(
        GateSetting.objects.filter(chapter=chapter, enabled=False).values_list("gate", flat=True)
    )


def evaluate(endorsement: Endorsement) -> list[GateStatus]:
    """Every gate for this endorsement, in the guide's order."""
    candidate = endorsement.candidate
    chapter = candidate.chapter
    off = disabled_gates(chapter)
    waivers = {w.gate: w for w in endorsement.waivers.filter(withdrawn_at__isnull=True)}
    checks = {
        Gate.FORUM: _forum,
        Gate.FINANCE: _finance,
        Gate.PLEDGE: _pledge,
        Gate.BALLOT: _ballot,
        Gate.BYLAW: _bylaw,
        Gate.QUESTIONNAIRE: _questionnaire,
    }
    result = []
    for gate in Gate:
        met, evidence, missing = checks[gate](endorsement)
        result.append(
            GateStatus(
                gate=gate.value,
                label=gate.label,
                enabled=gate.value not in off,
                met=met,
                evidence=evidence,
                missing="" if met else missing,
                waiver=waivers.get(gate.value),
            )
        )
    return result


def unmet(endorsement: Endorsement) -> list[GateStatus]:
    return [g for g in evaluate(endorsement) if not g.satisfied]


def _day(value: date | None) -> str:
    return f"{value:%-d %b %Y}" if value else ""


def _forum(endorsement: Endorsement) -> tuple[bool, str, str]:
    from pledgewatch.forums.models import Invitation

    spoke = (
        Invitation.objects.filter(
            candidate=endorsement.candidate,
            spoke=True,
            forum__is_public=True,  # the guide's gate is a *public* event
            forum__starts_at__lte=timezone.now(),
        )
        .select_related("forum")
        .order_by("-forum__starts_at")
        .first()
    )
    if spoke:
        return True, f"Spoke at {spoke.forum}", ""
    invited = endorsement.candidate.invitations.select_related("forum").order_by(
        "-forum__starts_at"
    )
    if invited.exists():
        inv = invited.first()
        return (
            False,
            f"Invited to {inv.forum} ({inv.get_rsvp_display().lower()})",
            ("Record that the candidate spoke at the forum, once it has taken place."),
        )
    return False, "", "Invite the candidate to a public forum, and record that they spoke."


def _finance(endorsement: Endorsement) -> tuple[bool, str, str]:
    """Met when the filings are screened and no finding in the pledge's scope (tier 1 by
    default) is open or confirmed; otherwise the committee's latest recorded decision stands
    for it, if it covered every such finding (see covers())."""
    from pledgewatch.finance.models import FindingStatus

    candidate = endorsement.candidate
    filings = candidate.filings.current().count()
    if not filings:
        return False, "", "Import the candidate's campaign-finance filings and screen them."
    pledge = getattr(candidate, "pledge", None)
    tiers = pledge.tiers if pledge else PledgeScope.tiers(PledgeScope.CONFLICT)
    tier_text = " or ".join(str(t) for t in tiers)
    in_scope = candidate.findings.filter(tier__in=tiers)
    open_count = in_scope.filter(status=FindingStatus.OPEN).count()
    confirmed = in_scope.filter(status=FindingStatus.CONFIRMED).count()
    screened = f"{filings} filing{'s' if filings != 1 else ''} screened"
    if not open_count and not confirmed:
        return True, f"{screened}; no open or confirmed tier {tier_text} finding", ""
    state = f"{open_count} open, {confirmed} confirmed tier {tier_text} finding(s)"
    decision = endorsement.finance_decisions.first()
    if decision is not None and covers(decision, in_scope_findings(candidate, tiers)):
        return True, f"{screened}; {state}; decision recorded {_day(decision.at)}", ""
    if open_count:
        return (
            False,
            f"{screened}; {state}",
            (
                "Review the open findings (confirm or dismiss each), or record the committee's "
                "decision."
            ),
        )
    return (
        False,
        f"{screened}; {state}",
        ("The candidate took money the pledge refuses: record the committee's decision."),
    )


def in_scope_findings(candidate, tiers) -> list[tuple[int, int]]:
    """(id, tier) of the candidate's open or confirmed findings in the given tiers."""
    from pledgewatch.finance.models import FindingStatus

    return sorted(
        candidate.findings.filter(
            tier__in=tiers, status__in=[FindingStatus.OPEN, FindingStatus.CONFIRMED]
        ).values_list("id", "tier")
    )


def covers(decision, findings: list[tuple[int, int]]) -> bool:
    """Whether the committee's decision was taken knowing every one of these findings (same
    id, same tier): a finding that is new, or that a re-screen moved into a tier the pledge
    covers, needs a new decision."""
    known = {(int(i), int(t)) for i, t in decision.covered}
    return all((i, t) in known for i, t in findings)


def _pledge(endorsement: Endorsement) -> tuple[bool, str, str]:
    pledge = getattr(endorsement.candidate, "pledge", None)
    if pledge is None:
        return False, "", "Record the candidate's public pledge: its text, date and a link or copy."
    if not (pledge.url or pledge.document):
        return (
            False,
            f"Pledge of {_day(pledge.made_on)} recorded",
            ("Add a link to the public statement or upload a copy."),
        )
    return True, f"Pledge of {_day(pledge.made_on)} ({pledge.get_scope_display()})", ""


def _ballot(endorsement: Endorsement) -> tuple[bool, str, str]:
    access = getattr(endorsement.candidate, "ballot_access", None)
    if access is None:
        return False, "", "Record the ballot-access requirements and check the status."
    if access.status == BallotStatus.ON_BALLOT and access.verified_on:
        return True, f"On the ballot, verified {_day(access.verified_on)}", ""
    if access.status == BallotStatus.FAILED:
        return False, "Failed to qualify for the ballot", "The candidate is not on the ballot."
    progress = ""
    if access.signatures_required:
        progress = f"{access.signatures_gathered:,} of {access.signatures_required:,} signatures"
    if access.status == BallotStatus.ON_BALLOT:
        return False, "On the ballot (not verified)", "Record the date the status was verified."
    return False, progress or "Pending", "Verify that the candidate is on the ballot."


def _bylaw(endorsement: Endorsement) -> tuple[bool, str, str]:
    from pledgewatch.endorsements.models import RescissionBylaw

    bylaw = RescissionBylaw.objects.filter(chapter=endorsement.candidate.chapter).first()
    if bylaw is not None and bylaw.adopted:
        return True, f"Adopted {_day(bylaw.adopted_on)}", ""
    return (
        False,
        "Draft" if bylaw else "",
        ("Adopt the chapter's rescission by-law and record the adoption vote."),
    )


def _questionnaire(endorsement: Endorsement) -> tuple[bool, str, str]:
    record = getattr(endorsement.candidate, "questionnaire_record", None)
    if record is None or not record.answered_on:
        return (
            False,
            "Sent" if record and record.sent_on else "",
            ("Send the questionnaire and record the candidate's answers."),
        )
    if not record.evaluated_on:
        return False, f"Answered {_day(record.answered_on)}", "Evaluate the answers."
    if record.meets_minimum is False:
        return (
            False,
            f"Evaluated {_day(record.evaluated_on)}: below the minimum criteria",
            ("The answers do not meet the minimum criteria."),
        )
    if not (record.published_on and record.published_url):
        return (
            False,
            f"Evaluated {_day(record.evaluated_on)}",
            ("Publish the answers for members and the press, and record where."),
        )
    return True, f"Published {_day(record.published_on)}", ""
