"""Demo data for the endorsement pipeline: offices, races and candidates at every stage, with
the evidence of each gate, a forum, the chapter's by-law and strategy review.

Fictional people and organizations; the conflict screen runs for real on small candidate
spreadsheets (the finance app's "candidate" template). Idempotent: a chapter that already has
races is left alone. Called by `manage.py load_demo_data`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction

from pledgewatch.campaigns.models import (
    STRATEGY_QUESTIONS,
    Campaign,
    Decision,
    StrategyReview,
    StrategyRevision,
)
from pledgewatch.candidates.models import (
    CampaignCommittee,
    Candidate,
    ContactKind,
    ContactLogEntry,
    ElectionKind,
    Jurisdiction,
    Office,
    OfficeLevel,
    Race,
)
from pledgewatch.candidates.services import add_candidate
from pledgewatch.endorsements import services, texts
from pledgewatch.endorsements.models import (
    BallotAccess,
    BallotStatus,
    Endorsement,
    Pledge,
    PledgeScope,
    QuestionnaireRecord,
    RescissionBylaw,
    Resource,
    Stage,
    Transition,
)
from pledgewatch.finance import services as finance
from pledgewatch.finance.importers.tabular import CANDIDATE_TEMPLATE
from pledgewatch.finance.models import Finding, FindingStatus
from pledgewatch.forums.models import (
    Forum,
    Invitation,
    Organization,
    OrganizationContact,
    OrganizationKind,
    Rsvp,
    SpeechEvaluation,
    SpeechRating,
)

TODAY = dt.date(2026, 11, 28)

STRATEGY_ANSWERS = {
    "goals": "Win Medicare for All by building a mass base of working people who have talked "
    "with us at their doors, and grow the chapter's leadership in the process.",
    "without_sacrifice": "We only support candidates who make Medicare for All central to "
    "their platform and refuse insurance and pharma money; our canvass keeps its M4A rap.",
    "base_cares": "Yes: two years of canvassing in Wards 46 and 48 built lists of people who "
    "care about healthcare; a candidate who fights for M4A gives them a reason to vote.",
    "candidate_builds_base": "Only if the campaign's canvass asks the M4A question first; we "
    "add the vote question to ASK rather than replace the rap.",
    "conversations": "M4A: people open up about their own bills. A candidate's name works "
    "best at the end, as the way to act on what they just told us.",
    "internal_structure": "Electoral work pulls people toward one date. We keep canvass "
    "captains in the M4A campaign and add a small electoral team reporting to the committee.",
}


def _aware(day: dt.date, hour: int, minute: int, tz: str) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(tz))


def _spreadsheet(committee_id: str, rows: list[tuple]) -> ContentFile:
    """A candidate's contributions in the Pledgewatch template (as the finance app reads it)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CANDIDATE_TEMPLATE)
    for n, (day, amount, kind, name, employer, occupation, city) in enumerate(rows, 1):
        writer.writerow(
            [
                committee_id,
                f"R{n:04d}",
                day,
                amount,
                kind,
                name,
                employer,
                occupation,
                city,
                "IL",
                "",
                "",
            ]
        )
    return ContentFile(out.getvalue().encode(), name=f"contributions-{committee_id}.csv")


CLEAN_ROWS = [
    (
        "2026-08-02",
        "250.00",
        "individual",
        "Alvarez, Teresa",
        "Chicago Public Schools",
        "Teacher",
        "Chicago",
    ),
    (
        "2026-08-09",
        "100.00",
        "individual",
        "Nguyen, Bao",
        "Rush University Medical Center",
        "Registered Nurse",
        "Chicago",
    ),
    ("2026-08-15", "1500.00", "organization", "Lakeshore Nurses Local 14 PAC", "", "", "Chicago"),
    (
        "2026-09-01",
        "75.00",
        "individual",
        "Okonkwo, Ife",
        "Self-employed",
        "Electrician",
        "Evanston",
    ),
    (
        "2026-09-20",
        "500.00",
        "individual",
        "Brennan, Kate",
        "Uptown Tenants Union",
        "Organizer",
        "Chicago",
    ),
]
CONFLICT_ROWS = [
    (
        "2026-09-12",
        "1000.00",
        "individual",
        "Hartley, Glenn",
        "Health Care Service Corporation",
        "Vice President, Government Affairs",
        "Chicago",
    ),
    (
        "2026-09-30",
        "150.00",
        "individual",
        "Park, Min-ji",
        "Loyola University Medical Center",
        "Physician",
        "Maywood",
    ),
]
LATE_CONFLICT_ROWS = [
    ("2026-11-05", "2500.00", "organization", "Humana Inc.", "", "", "Louisville"),
]


def _import(candidate: Candidate, committee_id: str, rows: list[tuple], by: Any) -> None:
    job = finance.start_upload_import(
        candidate=candidate, upload=_spreadsheet(committee_id, rows), mapping="candidate", by=by
    )
    finance.run_import(job.pk)  # a no-op when the in-process task backend already ran it


def _move(
    candidate: Candidate,
    steps: list[tuple[str, str]],
    by: Any,
    *,
    votes=None,
    statement: str | None = None,
    start: dt.date,
) -> None:
    endorsement = services.endorsement_for(candidate)
    for n, (to, reason) in enumerate(steps):
        final = n == len(steps) - 1
        step = services.move(
            endorsement=endorsement,
            to=to,
            reason=reason,
            by=by,
            votes=votes if final else None,
            statement=statement if final else None,
        )
        when = _aware(start + dt.timedelta(days=9 * n), 20, 0, candidate.chapter.timezone)
        Transition.objects.filter(pk=step.pk).update(at=when)
        Endorsement.objects.filter(pk=endorsement.pk).update(stage_changed_at=when)


def _complete_evidence(candidate: Candidate, forum: Forum, by: Any, *, published: dt.date) -> None:
    Invitation.objects.update_or_create(
        forum=forum,
        candidate=candidate,
        defaults={
            "invited_on": forum.starts_at.date() - dt.timedelta(days=21),
            "rsvp": Rsvp.YES,
            "spoke": True,
            "speaker": candidate.name,
        },
    )
    Pledge.objects.create(
        candidate=candidate,
        text=f"I, {candidate.name}, will not accept campaign contributions from health "
        "insurers, pharmaceutical companies, pharmacy benefit managers or their trade groups "
        "and PACs, and I will return any that reach my campaign.",
        made_on=published - dt.timedelta(days=20),
        url=f"https://example.org/{candidate.name.lower().replace(' ', '-')}/pledge",
        scope=PledgeScope.CONFLICT,
        recorded_by=by,
    )
    BallotAccess.objects.create(
        candidate=candidate,
        signatures_required=473,
        signatures_gathered=1210,
        filing_deadline=candidate.race.filing_deadline if candidate.race else None,
        source_url="https://ballotpedia.org/Ballot_access_requirements_for_political_"
        "candidates_in_Illinois",
        status=BallotStatus.ON_BALLOT,
        verified_on=published - dt.timedelta(days=3),
        updated_by=by,
    )
    QuestionnaireRecord.objects.create(
        candidate=candidate,
        sent_on=published - dt.timedelta(days=30),
        answered_on=published - dt.timedelta(days=16),
        evaluated_on=published - dt.timedelta(days=8),
        meets_minimum=True,
        evaluation="Clear single-payer commitment; will co-sponsor the state resolution and "
        "keep meeting the canvass teams after the election.",
        published_on=published,
        published_url=f"https://example.org/questionnaires/{candidate.pk}",
        updated_by=by,
    )


@transaction.atomic
def load(chapter: Any, *, admin: Any, committee: Any) -> bool:
    """Create the pipeline demo for `chapter`; False if it already has races."""
    if chapter.races.exists():
        return False
    tz = chapter.timezone
    campaign, _ = Campaign.objects.get_or_create(
        chapter=chapter,
        name="Medicare for All",
        defaults={"description": "Our long-term canvass for single-payer healthcare."},
    )
    review, created = StrategyReview.objects.get_or_create(
        campaign=campaign,
        defaults={
            "answers": STRATEGY_ANSWERS,
            "decision": Decision.PURSUE,
            "reason": "Pursue electoral work in 2027, only with candidates who make M4A "
            "central and take the pledge; the M4A canvass continues.",
            "decided_on": dt.date(2026, 9, 12),
            "updated_by": committee,
        },
    )
    if created:
        StrategyRevision.objects.create(
            review=review,
            number=1,
            answers={k: STRATEGY_ANSWERS[k] for k, _q in STRATEGY_QUESTIONS[:3]},
            decision=Decision.UNDECIDED,
            by=committee,
        )
        StrategyRevision.objects.create(
            review=review,
            number=2,
            answers=review.answers,
            decision=review.decision,
            reason=review.reason,
            decided_on=review.decided_on,
            by=committee,
        )

    RescissionBylaw.objects.get_or_create(
        chapter=chapter,
        defaults={
            "text": texts.model_bylaw_text(chapter),
            "adopted_on": dt.date(2026, 9, 20),
            "adopted_by_body": "General meeting",
            "votes_yes": 84,
            "votes_no": 6,
            "votes_abstain": 3,
            "updated_by": admin,
        },
    )
    for n, (title, url) in enumerate(
        [
            (
                "Medicare for All and nothing less (DSA's five principles)",
                "https://medicareforall.dsausa.org/blog/medicare-for-all-and-nothing-less",
            ),
            (
                "Lakeshore DSA's Medicare for All canvass report, 2026",
                "https://example.org/lakeshore-dsa/m4a-canvass-report-2026",
            ),
        ]
    ):
        Resource.objects.get_or_create(
            chapter=chapter, title=title, defaults={"url": url, "position": n}
        )

    nurses = Organization.objects.create(
        chapter=chapter,
        name="Lakeshore Nurses Local 14",
        kind=OrganizationKind.UNION_LOCAL,
        website="https://example.org/nurses-local-14",
    )
    OrganizationContact.objects.create(
        organization=nurses,
        name="Joanna Reyes",
        role="President",
        email="jreyes@nurses14.example.org",
        phone="312-555-0141",
    )
    tenants = Organization.objects.create(
        chapter=chapter, name="Uptown Tenants Union", kind=OrganizationKind.COMMUNITY
    )
    coalition = Organization.objects.create(
        chapter=chapter, name="Southside Health Justice Coalition", kind=OrganizationKind.ADVOCACY
    )

    ward = Office.objects.create(
        chapter=chapter,
        name="City Council",
        level=OfficeLevel.MUNICIPAL,
        district="Ward 46",
        state="IL",
    )
    house = Office.objects.create(
        chapter=chapter,
        name="Illinois House",
        level=OfficeLevel.STATE_LEGISLATIVE,
        district="District 14",
        state="IL",
    )
    county = Office.objects.create(
        chapter=chapter,
        name="Cook County Board of Commissioners",
        level=OfficeLevel.COUNTY,
        district="District 12",
        state="IL",
    )
    congress = Office.objects.create(
        chapter=chapter, name="U.S. House", level=OfficeLevel.FEDERAL, district="IL-9", state="IL"
    )
    ward_race = Race.objects.create(
        chapter=chapter,
        office=ward,
        kind=ElectionKind.GENERAL,
        election_date=dt.date(2027, 2, 23),
        filing_deadline=dt.date(2026, 12, 5),
        notes="Nonpartisan municipal election; runoff on 6 April 2027 if nobody wins a majority.",
    )
    house_race = Race.objects.create(
        chapter=chapter,
        office=house,
        kind=ElectionKind.PRIMARY,
        party="Democratic",
        election_date=dt.date(2028, 3, 21),
        filing_deadline=dt.date(2027, 12, 6),
    )
    county_race = Race.objects.create(
        chapter=chapter,
        office=county,
        kind=ElectionKind.GENERAL,
        election_date=dt.date(2026, 11, 3),
        filing_deadline=dt.date(2026, 3, 2),
    )
    congress_race = Race.objects.create(
        chapter=chapter,
        office=congress,
        kind=ElectionKind.PRIMARY,
        party="Democratic",
        election_date=dt.date(2028, 3, 21),
        filing_deadline=dt.date(2027, 12, 6),
    )

    past_forum = Forum.objects.create(
        chapter=chapter,
        title="Medicare for All town hall",
        starts_at=_aware(dt.date(2026, 10, 18), 18, 30, tz),
        ends_at=_aware(dt.date(2026, 10, 18), 20, 30, tz),
        place="Lakeshore Nurses Local 14 union hall",
        address="4410 N Broadway, Chicago, IL",
        accessibility="Step-free entrance; ASL interpretation; childcare on site; masks "
        "available at the door.",
        description="Union locals, community organizations and candidates speak on record "
        "about their work for health justice.",
        recording_url="https://example.org/videos/m4a-town-hall-2026",
        notes="About 140 people; three candidates and three organizations spoke.",
    )
    upcoming_forum = Forum.objects.create(
        chapter=chapter,
        title="Candidate forum: Illinois House District 14",
        starts_at=_aware(dt.date(2027, 1, 16), 14, 0, tz),
        ends_at=_aware(dt.date(2027, 1, 16), 16, 0, tz),
        place="Uptown branch library, community room",
        address="929 W Buena Ave, Chicago, IL",
        accessibility="Step-free entrance; live captions; the room has a hearing loop.",
    )
    for org in (nurses, tenants, coalition):
        Invitation.objects.create(
            forum=past_forum,
            organization=org,
            invited_on=dt.date(2026, 9, 27),
            rsvp=Rsvp.YES,
            spoke=True,
        )
    Invitation.objects.create(
        forum=upcoming_forum, organization=nurses, invited_on=dt.date(2026, 11, 20), rsvp=Rsvp.YES
    )
    Invitation.objects.create(
        forum=upcoming_forum, organization=tenants, invited_on=dt.date(2026, 11, 20)
    )

    def candidate(name: str, race: Race, **fields: Any) -> Candidate:
        return add_candidate(
            chapter=chapter,
            name=name,
            by=committee,
            race=race,
            office_sought=str(race.office),
            **fields,
        )

    # 1. Ready for a vote: every gate evidenced, at the questionnaire stage.
    rosa = candidate(
        "Rosa Delgado",
        ward_race,
        party="Nonpartisan",
        website="https://example.org/rosa-delgado",
        contact_name="Sam Ortiz",
        email="sam@rosadelgado.example.org",
        phone="773-555-0186",
    )
    CampaignCommittee.objects.create(
        candidate=rosa,
        jurisdiction=Jurisdiction.OTHER,
        committee_id="IL-42871",
        name="Friends of Rosa Delgado",
    )
    _import(rosa, "IL-42871", CLEAN_ROWS, committee)
    _complete_evidence(rosa, past_forum, committee, published=dt.date(2026, 11, 14))
    _move(
        rosa,
        [
            (Stage.VETTING, "Spoke well at the town hall; asked for her filings."),
            (Stage.QUESTIONNAIRE, "Filings clean and the pledge is public."),
        ],
        committee,
        start=dt.date(2026, 10, 20),
    )

    # 2. Vetting: spoke at the forum; an open tier-1 finding; no pledge; signatures pending.
    marcus = candidate(
        "Marcus Bell",
        ward_race,
        party="Nonpartisan",
        contact_name="Ana Lee",
        email="ana@marcusbell.example.org",
    )
    CampaignCommittee.objects.create(
        candidate=marcus,
        jurisdiction=Jurisdiction.OTHER,
        committee_id="IL-43310",
        name="Bell for the 46th",
    )
    _import(marcus, "IL-43310", CLEAN_ROWS[:2] + CONFLICT_ROWS, committee)
    Invitation.objects.create(
        forum=past_forum,
        candidate=marcus,
        invited_on=dt.date(2026, 9, 27),
        rsvp=Rsvp.YES,
        spoke=True,
        speaker="Marcus Bell",
    )
    BallotAccess.objects.create(
        candidate=marcus,
        signatures_required=473,
        signatures_gathered=312,
        filing_deadline=ward_race.filing_deadline,
        source_url="https://www.elections.il.gov/",
        status=BallotStatus.PENDING,
        updated_by=committee,
    )
    _move(
        marcus,
        [(Stage.VETTING, "Asked to speak at the town hall; good answers on M4A.")],
        committee,
        start=dt.date(2026, 10, 21),
    )

    # 3. Endorsed after a member vote.
    priya = candidate(
        "Priya Raman",
        house_race,
        party="Democratic",
        website="https://example.org/priya-raman",
        contact_name="Devon Hale",
        email="devon@priyaraman.example.org",
    )
    CampaignCommittee.objects.create(
        candidate=priya,
        jurisdiction=Jurisdiction.OTHER,
        committee_id="IL-39915",
        name="Citizens for Priya Raman",
    )
    _import(priya, "IL-39915", CLEAN_ROWS[1:], committee)
    _complete_evidence(priya, past_forum, committee, published=dt.date(2026, 11, 2))
    _move(
        priya,
        [
            (Stage.VETTING, "Long-time ally of the canvass; spoke at the town hall."),
            (Stage.QUESTIONNAIRE, "Filings reviewed: no conflicting money; pledge made."),
            (Stage.VOTE, "Every gate met; the committee recommends endorsement."),
            (Stage.ENDORSED, "The membership voted to endorse."),
        ],
        committee,
        votes=(112, 9, 4),
        start=dt.date(2026, 10, 1),
        statement="Lakeshore DSA endorses Priya Raman for Illinois House, District 14. She "
        "has pledged to refuse insurance and pharma money and to fight for single-payer "
        "healthcare in Springfield.",
    )

    # 4. Declined: the questionnaire fell short of the guide's minimum criteria.
    tom = candidate("Tom Whitaker", house_race, party="Democratic")
    QuestionnaireRecord.objects.create(
        candidate=tom,
        sent_on=dt.date(2026, 10, 3),
        answered_on=dt.date(2026, 10, 17),
        evaluated_on=dt.date(2026, 10, 24),
        meets_minimum=False,
        evaluation="Supports a public option, not single payer; no commitment to lobby for it.",
        updated_by=committee,
    )
    _move(
        tom,
        [
            (Stage.VETTING, "Asked to be considered."),
            (Stage.QUESTIONNAIRE, "Sent the state legislative questionnaire."),
            (Stage.DECLINED, "The answers do not meet the minimum criteria."),
        ],
        committee,
        start=dt.date(2026, 10, 1),
        statement="Lakeshore DSA will not endorse in this race at this time.",
    )

    # 5. Just added.
    candidate(
        "Dana Okafor", congress_race, party="Democratic", website="https://example.org/dana-okafor"
    )

    # 6. Endorsed, then rescinded when a later filing showed insurer money.
    gary = candidate("Gary Lund", county_race, party="Democratic")
    CampaignCommittee.objects.create(
        candidate=gary,
        jurisdiction=Jurisdiction.OTHER,
        committee_id="IL-31002",
        name="Lund for Cook County",
    )
    _import(gary, "IL-31002", CLEAN_ROWS[:3], committee)
    _complete_evidence(gary, past_forum, committee, published=dt.date(2026, 9, 28))
    _move(
        gary,
        [
            (Stage.VETTING, "Spoke at the town hall."),
            (Stage.QUESTIONNAIRE, "Filings clean; pledge made."),
            (Stage.VOTE, "Every gate met."),
            (Stage.ENDORSED, "The membership voted to endorse."),
        ],
        committee,
        votes=(96, 21, 7),
        start=dt.date(2026, 9, 1),
        statement="Lakeshore DSA endorses Gary Lund for the Cook County Board.",
    )
    _import(gary, "IL-31002", CLEAN_ROWS[:3] + LATE_CONFLICT_ROWS, committee)
    for finding in Finding.objects.filter(candidate=gary, status=FindingStatus.OPEN, tier=1):
        finance.review_finding(
            finding=finding,
            status="confirmed",
            by=committee,
            reason="Humana is a listed insurer: the pledge refuses this.",
        )
    _move(
        gary,
        [
            (
                Stage.RESCINDED,
                "Five members petitioned under the by-law after the "
                "post-election filing; the membership voted to rescind.",
            )
        ],
        committee,
        votes=(88, 12, 5),
        start=dt.date(2026, 11, 24),
        statement="Lakeshore DSA rescinds its endorsement of Gary Lund: his campaign "
        "accepted $2,500 from Humana Inc. after pledging to refuse insurer money.",
    )

    for cand, kind, people, summary in [
        (
            rosa,
            ContactKind.MEETING,
            "Dana and Jo (committee); Rosa Delgado; Sam Ortiz",
            "Walked through the pledge and the questionnaire timeline; she asked for canvass "
            "turf in the north of the ward.",
        ),
        (
            marcus,
            ContactKind.CALL,
            "Jo (committee); Ana Lee",
            "Asked about the HCSC executive's donation; the campaign will reply in writing.",
        ),
        (
            priya,
            ContactKind.EMAIL,
            "Dana (committee); Devon Hale",
            "Sent the date of the member vote and the public statement draft.",
        ),
    ]:
        ContactLogEntry.objects.create(
            candidate=cand,
            kind=kind,
            people=people,
            summary=summary,
            logged_by=committee,
            happened_at=_aware(TODAY - dt.timedelta(days=6), 18, 0, tz),
        )
    invitation = Invitation.objects.get(forum=past_forum, candidate=rosa)
    SpeechEvaluation.objects.create(
        invitation=invitation,
        evaluator=committee,
        rating=SpeechRating.STRONG,
        notes="Named the insurers by name and tied M4A to the ward's hospital closure.",
    )
    return True
