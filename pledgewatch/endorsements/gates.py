"""The guide's checklist as gates: for one endorsement, is each gate on, met or waived, with
what evidence, and what is missing. The vote cannot open while a gate that is on is neither
met nor waived (services.move)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, OuterRef, Subquery, prefetch_related_objects
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
    """Every gate for this endorsement, in the guide's order (for many endorsements at once,
    evaluate_many() reads the same evidence in bulk and decides with the same functions)."""
    chapter = endorsement.candidate.chapter
    waivers = {w.gate: w for w in endorsement.waivers.filter(withdrawn_at__isnull=True)}
    decided = {
        Gate.FORUM: _forum(endorsement),
        Gate.FINANCE: _finance(endorsement),
        Gate.PLEDGE: _pledge(endorsement),
        Gate.BALLOT: _ballot(endorsement),
        Gate.BYLAW: _bylaw(endorsement),
        Gate.QUESTIONNAIRE: _questionnaire(endorsement),
    }
    return statuses(decided, off=disabled_gates(chapter), waivers=waivers)


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
        .order_by("-forum__starts_at", "-id")
        .first()
    )
    invitation = (
        endorsement.candidate.invitations.select_related("forum")
        .order_by("-forum__starts_at", "-id")
        .first()
    )
    return forum_gate(spoke, invitation)


def _finance(endorsement: Endorsement) -> tuple[bool, str, str]:
    """Met when the filings are screened and no finding in the pledge's scope (tier 1 by
    default) is open or confirmed; otherwise the committee's latest recorded decision stands
    for it, if it covered every such finding (see covers() and finance_gate())."""
    from pledgewatch.finance.models import FindingStatus

    candidate = endorsement.candidate
    pledge = getattr(candidate, "pledge", None)
    findings = list(
        candidate.findings.filter(
            status__in=[FindingStatus.OPEN, FindingStatus.CONFIRMED]
        ).values_list("id", "tier", "status")
    )
    return finance_gate(
        filings=candidate.filings.current().count(),
        tiers=pledge.tiers if pledge else PledgeScope.tiers(PledgeScope.CONFLICT),
        findings=findings,
        decision=endorsement.finance_decisions.first(),
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

    return bylaw_gate(RescissionBylaw.objects.filter(chapter=endorsement.candidate.chapter).first())


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


# --- many endorsements at once (the board, a race's page) ---------------------------------
# evaluate_many() must say exactly what evaluate() says: tests/endorsements/
# test_board_queries.py checks it on every gate in every state. It reads each kind of
# evidence once for all the candidates, then decides each gate with the pure functions below
# (forum_gate, finance_gate, bylaw_gate; the pledge, ballot and questionnaire gates read only
# the candidate's one-to-one records, prefetched here, so their functions above are reused).


def evaluate_many(endorsements: Iterable[Endorsement]) -> dict[int, list[GateStatus]]:
    """evaluate() of each endorsement, by endorsement pk, in a number of queries that does not
    grow with the number of endorsements (per chapter: its gate settings; then one query per
    kind of evidence for all the candidates)."""
    from pledgewatch.endorsements.models import FinanceDecision, RescissionBylaw
    from pledgewatch.finance.models import Finding, FindingStatus, StoredFiling
    from pledgewatch.forums.models import Invitation

    endorsements = list(endorsements)
    if not endorsements:
        return {}
    # Reads only what is not already loaded (select_related by the caller).
    prefetch_related_objects(endorsements, "candidate")
    candidates = [e.candidate for e in endorsements]
    prefetch_related_objects(candidates, "pledge", "ballot_access", "questionnaire_record")
    candidate_ids = {c.pk for c in candidates}
    chapter_ids = {c.chapter_id for c in candidates}

    off = {chapter_id: disabled_gates(chapter_id) for chapter_id in chapter_ids}
    bylaws = {b.chapter_id: b for b in RescissionBylaw.objects.filter(chapter_id__in=chapter_ids)}
    waivers: dict[int, dict[str, GateWaiver]] = defaultdict(dict)
    for w in GateWaiver.objects.filter(
        endorsement__in=[e.pk for e in endorsements], withdrawn_at__isnull=True
    ):
        waivers[w.endorsement_id].setdefault(w.gate, w)

    # The forum gate: the latest public forum spoken at, and the latest invitation.
    spoke: dict[int, Invitation] = {}
    for inv in (
        Invitation.objects.filter(
            candidate_id__in=candidate_ids,
            spoke=True,
            forum__is_public=True,
            forum__starts_at__lte=timezone.now(),
        )
        .select_related("forum")
        .order_by("-forum__starts_at", "-id")
    ):
        spoke.setdefault(inv.candidate_id, inv)
    latest: dict[int, Invitation] = {}
    for inv in (
        Invitation.objects.filter(candidate_id__in=candidate_ids)
        .select_related("forum")
        .order_by("-forum__starts_at", "-id")
    ):
        latest.setdefault(inv.candidate_id, inv)

    # The finance gate: current filings, open or confirmed findings, the latest decision.
    filings = dict(
        StoredFiling.objects.current()
        .filter(candidate_id__in=candidate_ids)
        .values_list("candidate_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    findings: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for candidate_id, pk, tier, status in Finding.objects.filter(
        candidate_id__in=candidate_ids,
        status__in=[FindingStatus.OPEN, FindingStatus.CONFIRMED],
    ).values_list("candidate_id", "id", "tier", "status"):
        findings[candidate_id].append((pk, tier, status))
    latest_decision = FinanceDecision.objects.filter(endorsement=OuterRef("endorsement"))
    decisions = {
        d.endorsement_id: d
        for d in FinanceDecision.objects.filter(
            endorsement__in=[e.pk for e in endorsements],
            pk=Subquery(latest_decision.order_by("-at", "-id").values("pk")[:1]),
        )
    }

    result = {}
    for endorsement in endorsements:
        candidate = endorsement.candidate
        pledge = getattr(candidate, "pledge", None)
        decided = {
            Gate.FORUM: forum_gate(spoke.get(candidate.pk), latest.get(candidate.pk)),
            Gate.FINANCE: finance_gate(
                filings=filings.get(candidate.pk, 0),
                tiers=pledge.tiers if pledge else PledgeScope.tiers(PledgeScope.CONFLICT),
                findings=findings[candidate.pk],
                decision=decisions.get(endorsement.pk),
            ),
            Gate.PLEDGE: _pledge(endorsement),
            Gate.BALLOT: _ballot(endorsement),
            Gate.BYLAW: bylaw_gate(bylaws.get(candidate.chapter_id)),
            Gate.QUESTIONNAIRE: _questionnaire(endorsement),
        }
        result[endorsement.pk] = statuses(
            decided, off=off[candidate.chapter_id], waivers=waivers[endorsement.pk]
        )
    return result


def statuses(
    decided: dict[str, tuple[bool, str, str]], *, off: set[str], waivers: dict[str, GateWaiver]
) -> list[GateStatus]:
    """Every gate's status, in the guide's order, from each gate's (met, evidence, missing),
    the chapter's gates turned off and the endorsement's active waivers (as evaluate())."""
    result = []
    for gate in Gate:
        met, evidence, missing = decided[gate]
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


def forum_gate(spoke, invitation) -> tuple[bool, str, str]:
    """`spoke`: the candidate's invitation to the latest public forum that has taken place
    where they spoke (or None); `invitation`: their invitation to the latest forum (or None).
    Used by evaluate() and evaluate_many()."""
    if spoke is not None:
        return True, f"Spoke at {spoke.forum}", ""
    if invitation is not None:
        return (
            False,
            f"Invited to {invitation.forum} ({invitation.get_rsvp_display().lower()})",
            ("Record that the candidate spoke at the forum, once it has taken place."),
        )
    return False, "", "Invite the candidate to a public forum, and record that they spoke."


def finance_gate(
    *,
    filings: int,
    tiers: tuple[int, ...],
    findings: list[tuple[int, int, str]],
    decision,
) -> tuple[bool, str, str]:
    """`filings`: how many current filings; `tiers`: the pledge's; `findings`: (id, tier,
    status) of the candidate's open or confirmed findings (any tier); `decision`: the latest
    FinanceDecision (or None). Used by evaluate() and evaluate_many()."""
    from pledgewatch.finance.models import FindingStatus

    if not filings:
        return False, "", "Import the candidate's campaign-finance filings and screen them."
    tier_text = " or ".join(str(t) for t in tiers)
    in_scope = [
        (pk, tier, status)
        for pk, tier, status in findings
        if tier in tiers and status in (FindingStatus.OPEN, FindingStatus.CONFIRMED)
    ]
    open_count = sum(1 for _, _, status in in_scope if status == FindingStatus.OPEN)
    confirmed = sum(1 for _, _, status in in_scope if status == FindingStatus.CONFIRMED)
    screened = f"{filings} filing{'s' if filings != 1 else ''} screened"
    if not open_count and not confirmed:
        return True, f"{screened}; no open or confirmed tier {tier_text} finding", ""
    state = f"{open_count} open, {confirmed} confirmed tier {tier_text} finding(s)"
    if decision is not None and covers(decision, sorted((pk, t) for pk, t, _ in in_scope)):
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


def bylaw_gate(bylaw) -> tuple[bool, str, str]:
    """`bylaw`: the chapter's RescissionBylaw (or None). Used by evaluate() and evaluate_many()."""
    if bylaw is not None and bylaw.adopted:
        return True, f"Adopted {_day(bylaw.adopted_on)}", ""
    return (
        False,
        "Draft" if bylaw else "",
        ("Adopt the chapter's rescission by-law and record the adoption vote."),
    )
