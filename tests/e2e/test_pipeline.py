"""The endorsement pipeline in the browser, on a phone: a committee member adds an office, a race
and two candidates, then takes one candidate through every gate of the guide (forum, finance,
pledge, ballot access, by-law, questionnaire). After each gate but the last, the member vote
cannot open: the choice is disabled with the missing gates listed, and a forged post is refused;
after the last, the vote opens. A waiver with a written reason counts for its gate, and the
reason is published with the endorsement.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.utils import timezone
from playwright.sync_api import expect

from pledgewatch.candidates.models import Candidate
from pledgewatch.endorsements import services
from pledgewatch.endorsements.models import Gate, Stage
from pledgewatch.finance.importers.tabular import CANDIDATE_TEMPLATE
from pledgewatch.finance.models import FinanceImport, ImportStatus
from tests.endorsements.factories import RaceFactory
from tests.endorsements.pipeline_evidence import evidence_all
from tests.finance.factories import CandidateFactory

GATES = [gate.label for gate in Gate]  # in the guide's order, as the pages list them
REASON = re.compile(r"^Reason:?$")  # the move's reason (not a waiver's)
IMPORT_DETAIL = re.compile(r"/c/lakeshore/finance/imports/\d+/$")
# The upload request screens the sheet (and copies the shipped default policy on first use).
IMPORT_TIMEOUT_MS = 30_000

# Small donors to a city council campaign: teachers, a nurse at a public school district, a
# retiree, a carpenter, a librarian. None of them works for an organization on the policy.
DONORS = [
    ("24001", "2026-08-03", "250.00", "IND", "OKAFOR, GRACE", "CHICAGO PUBLIC SCHOOLS",
     "TEACHER", "CHICAGO", "IL"),
    ("24002", "2026-08-11", "100.00", "IND", "NOWAK, PETER", "RETIRED", "RETIRED",
     "CHICAGO", "IL"),
    ("24003", "2026-08-19", "500.00", "IND", "HERNANDEZ, LUZ", "SELF-EMPLOYED", "CARPENTER",
     "CICERO", "IL"),
    ("24004", "2026-09-02", "75.00", "IND", "BROWN, DESHAWN", "CHICAGO PUBLIC LIBRARY",
     "LIBRARIAN", "CHICAGO", "IL"),
    ("24005", "2026-09-14", "1000.00", "IND", "LINDQVIST, MARTA", "NONE", "NOT EMPLOYED",
     "EVANSTON", "IL"),
]  # fmt: skip
COMMITTEE_ID = "34512"  # an Illinois State Board of Elections committee number


def candidate_sheet() -> str:
    """The campaign's receipts in Pledgewatch's template (the columns of CANDIDATE_TEMPLATE)."""
    assert CANDIDATE_TEMPLATE[:6] == [
        "committee_id", "transaction_id", "date", "amount", "contributor_type",
        "contributor_name",
    ]  # fmt: skip
    lines = [",".join(CANDIDATE_TEMPLATE)]
    for tid, day, amount, kind, name, employer, occupation, city, state in DONORS:
        row = {
            "committee_id": COMMITTEE_ID,
            "transaction_id": tid,
            "date": day,
            "amount": amount,
            "contributor_type": kind,
            "contributor_name": f'"{name}"',
            "employer": employer,
            "occupation": occupation,
            "city": city,
            "state": state,
            "memo": "",
            "back_reference": "",
        }
        lines.append(",".join(row[column] for column in CANDIDATE_TEMPLATE))
    return "\r\n".join(lines) + "\r\n"


def chapter_today(chapter) -> dt.date:
    return timezone.localdate(timezone=ZoneInfo(chapter.timezone))


def nav(page, name: str) -> None:
    page.get_by_role("navigation", name="Chapter").get_by_role("link", name=name).click()


def expect_message(page, text: str) -> None:
    expect(page.locator(".messages")).to_contain_text(text)


def move(page, action: str, reason: str) -> None:
    """On the endorsement page: choose a move, give the reason, record it."""
    page.get_by_role("radio", name=re.compile(rf"^{re.escape(action)} ")).check()
    page.get_by_label(REASON).fill(reason)
    page.get_by_role("button", name="Record the move").click()


def refusal(missing: list[str]) -> str:
    return (
        f"The vote cannot open while a gate is unmet: {'; '.join(missing)}. Meet each, or waive "
        "it for this candidate with a reason that will be shown publicly."
    )


def expect_vote_blocked(page, candidate: Candidate, missing: list[str]) -> None:
    """On the endorsement page of a candidate at "questionnaire": the vote is offered but
    disabled, the page lists exactly the missing gates, and posting the move anyway (the
    disabled radio forced on, as a crafted form would) is refused and changes nothing."""
    page.goto(f"/c/lakeshore/pipeline/candidates/{candidate.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{candidate.name}: endorsement")
    n = len(missing)
    vote = page.get_by_role("radio", name=re.compile(r"^Open the member vote"))
    expect(vote).to_be_disabled()
    expect(vote).to_have_accessible_description(
        f"Not available yet: {n} gate{'s' if n != 1 else ''} not met ({'; '.join(missing)}). "
        "Meet or waive each one first."
    )
    blocked = page.get_by_role("region", name="The member vote cannot open yet")
    expect(blocked).to_contain_text(f"{n} gate{'s' if n != 1 else ''} not met.")
    expect(blocked.get_by_role("link")).to_have_text(missing)
    gates = page.get_by_role("region", name="Gates before the vote")
    for gate in Gate:
        expect(gates.locator(f"#gate-{gate.value} h3 .status")).to_have_text(
            "Not met" if gate.label in missing else "Met"
        )

    vote.evaluate("radio => { radio.disabled = false; radio.checked = true; }")
    page.get_by_label(REASON).fill("The committee wants to vote now.")
    page.get_by_role("button", name="Record the move").click()
    expect(page.locator("#move-errors")).to_have_text(refusal(missing))
    expect(page.locator("#move-errors")).to_be_focused()
    candidate.endorsement.refresh_from_db()
    assert candidate.endorsement.stage == Stage.QUESTIONNAIRE
    assert not candidate.endorsement.transitions.filter(to_stage=Stage.VOTE).exists()


def open_gate(page, candidate: Candidate, gate: Gate) -> None:
    """From the endorsement page, follow the gate's link to the page of its evidence."""
    page.goto(f"/c/lakeshore/pipeline/candidates/{candidate.pk}/")
    page.locator(f"#gate-{gate.value}").get_by_role("link").click()


def expect_board_card(page, stage: str, name: str, missing: list[str]) -> None:
    column = page.get_by_role("region", name=re.compile(rf"^{stage} \("))
    card = column.get_by_role("article", name=name)
    if missing:
        expect(card).to_contain_text(f"Missing {len(missing)} of 6 gates before the vote:")
        expect(card.locator("ul.missing li")).to_have_text(missing)
    else:
        expect(card).to_contain_text("Every gate met")
        expect(card.locator("ul.missing")).to_have_count(0)


def test_a_committee_member_takes_a_candidate_through_every_gate_to_the_member_vote(
    page, log_in, committee_member, chapter, csv_file
):
    today = chapter_today(chapter)
    log_in(page, committee_member)

    # An office, then a race for it (the office form leads straight to the race form).
    nav(page, "Races")
    expect(page.get_by_role("heading", level=1)).to_have_text("Races")
    page.get_by_role("link", name="Offices").click()
    page.get_by_role("link", name="Add an office").click()
    page.get_by_label(re.compile(r"^Name")).fill("City Council")
    page.get_by_label(re.compile(r"^Level")).select_option(label="Municipal")
    page.get_by_label(re.compile(r"^District")).fill("Ward 35")
    page.get_by_label(re.compile(r"^State")).fill("il")
    page.get_by_role("button", name="Add office").click()
    expect_message(page, "City Council, Ward 35 added. Next: a race for it.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a race")
    office = chapter.offices.get()
    assert (office.name, office.district, office.state) == ("City Council", "Ward 35", "IL")
    expect(page.get_by_label(re.compile(r"^Office"))).to_have_value(str(office.pk))
    election = today + dt.timedelta(days=110)
    deadline = today + dt.timedelta(days=20)
    page.get_by_label(re.compile(r"^Kind of election")).select_option(label="Primary")
    page.get_by_label(re.compile(r"^Party")).fill("Democratic")
    page.get_by_label(re.compile(r"^Election day")).fill(election.isoformat())
    # A deadline after the election is refused with a clear message.
    page.get_by_label(re.compile(r"^Filing deadline")).fill(
        (election + dt.timedelta(days=1)).isoformat()
    )
    page.get_by_role("button", name="Add race").click()
    expect(page.locator(".errorlist")).to_contain_text(
        "The filing deadline must be on or before the election."
    )
    page.get_by_label(re.compile(r"^Filing deadline")).fill(deadline.isoformat())
    page.get_by_role("button", name="Add race").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "City Council, Ward 35: Democratic primary"
    )
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(f"{election:%A} {election.day} {election:%B %Y}")
    expect(facts).to_contain_text(f"{deadline:%A} {deadline.day} {deadline:%B %Y}")

    # Two candidates in the race.
    for name, website in [
        ("Rosa Delgado", "https://rosaforward35.example.org"),
        ("Tom Becker", ""),
    ]:
        page.get_by_role("link", name="Add a candidate to this race").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Add a candidate")
        expect(page.get_by_label(re.compile(r"^Race"))).to_have_value(str(chapter.races.get().pk))
        page.get_by_label(re.compile(r"^Name")).fill(name)
        page.get_by_label(re.compile(r"^Party")).fill("Democratic")
        if website:
            page.get_by_label(re.compile(r"^Campaign website")).fill(website)
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        expect_message(page, f"{name} added.")
        page.get_by_role("link", name="Democratic primary").click()
    candidates = page.get_by_role("region", name=re.compile(r"^Candidates"))
    expect(candidates.get_by_role("listitem")).to_have_count(2)
    expect(candidates.get_by_role("listitem")).to_contain_text(
        ["Rosa Delgado", "Tom Becker"]  # the race page lists them by name
    )
    expect(candidates.get_by_role("listitem").first).to_contain_text("Stage: Considering")
    rosa = Candidate.objects.get(chapter=chapter, name="Rosa Delgado")
    tom = Candidate.objects.get(chapter=chapter, name="Tom Becker")
    assert rosa.race == tom.race == chapter.races.get()

    # The board: both at "considering", every gate missing.
    nav(page, "Pipeline")
    expect(page.get_by_role("heading", level=1)).to_have_text("Endorsement pipeline")
    expect(page.locator("#results > p").first).to_have_text("2 candidates.")
    expect_board_card(page, "Considering", "Rosa Delgado", GATES)
    expect_board_card(page, "Considering", "Tom Becker", GATES)

    # Considering -> vetting: a move needs its reason. From "vetting" the vote is not a move
    # the page offers, and a forged one is refused.
    page.get_by_role("link", name="Rosa Delgado").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rosa Delgado: endorsement")
    expect(page.locator("dl.facts .status")).to_have_text("Considering")
    page.get_by_role("radio", name=re.compile(r"^Start vetting ")).check()
    page.get_by_role("button", name="Record the move").click()
    expect(page.locator("#id_reason_error")).to_have_text(
        "Say why: every move is recorded with its reason."
    )
    move(page, "Start vetting", "Met her at the Ward 35 tenants' meeting; she backs HR 3421.")
    expect_message(page, "Rosa Delgado: Start vetting done. Now at “Vetting”.")
    expect(page.locator("dl.facts .status")).to_have_text("Vetting")
    expect(page.get_by_role("radio", name=re.compile(r"^Open the member vote"))).to_have_count(0)
    radio = page.get_by_role("radio", name=re.compile(r"^Move to the questionnaire "))
    radio.evaluate("radio => { radio.value = 'vote'; radio.checked = true; }")
    page.get_by_label(REASON).fill("Skip ahead.")
    page.get_by_role("button", name="Record the move").click()
    expect(page.locator("#id_to_error")).to_have_text("That move is not open from this stage.")
    page.goto(f"/c/lakeshore/pipeline/candidates/{rosa.pk}/")
    move(page, "Move to the questionnaire", "The committee starts the questionnaire now.")
    expect_message(page, "Rosa Delgado: Move to the questionnaire done. Now at “Questionnaire”.")
    expect(page.locator("dl.facts .status")).to_have_text("Questionnaire")
    expect_vote_blocked(page, rosa, GATES)

    # Gate 1, the forum: one that has already started, the candidate invited and on record.
    nav(page, "Forums")
    page.get_by_role("link", name="Add a forum").click()
    now = timezone.localtime(timezone=ZoneInfo(chapter.timezone)).replace(second=0, microsecond=0)
    page.get_by_label(re.compile(r"^Title")).fill("Medicare for All: Ward 35 candidates' forum")
    page.get_by_label(re.compile(r"^Starts")).fill(f"{now - dt.timedelta(hours=1):%Y-%m-%dT%H:%M}")
    page.get_by_label(re.compile(r"^Ends")).fill(f"{now + dt.timedelta(hours=1):%Y-%m-%dT%H:%M}")
    page.get_by_label(re.compile(r"^Place")).fill("Irving Park Library, community room")
    page.get_by_label(re.compile(r"^Accessibility")).fill(
        "Step-free entrance on Pulaski; ASL interpretation; childcare in room B."
    )
    page.get_by_role("button", name="Add forum").click()
    expect_message(page, "added. Next: invite organizations and candidates.")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Medicare for All: Ward 35 candidates' forum"
    )
    expect(page.locator("main p .status").first).to_have_text("Under way")
    invite = page.locator("form", has=page.get_by_role("group", name="Invite a candidate"))
    invite.get_by_label(re.compile(r"^Candidate")).select_option(label="Rosa Delgado")
    expect(invite.get_by_label(re.compile(r"^Invited on"))).to_have_value(today.isoformat())
    invite.get_by_role("button", name="Invite candidate").click()
    expect_message(page, "Rosa Delgado invited.")
    card = page.get_by_role("article", name="Rosa Delgado")
    expect(card).to_contain_text("Spoke on record: No")
    card.get_by_role("link", name="Who speaks and who spoke for Rosa Delgado").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who speaks for Rosa Delgado")
    page.get_by_label(re.compile(r"^Who speaks")).fill("Rosa Delgado")
    page.get_by_label("Spoke on record").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect_message(page, "Saved for Rosa Delgado.")
    expect(page.get_by_role("article", name="Rosa Delgado")).to_contain_text("Spoke on record: Yes")
    expect_vote_blocked(page, rosa, GATES[1:])

    # Gate 2, finance: the campaign's committee, then its spreadsheet, screened clean.
    page.get_by_role("link", name="Rosa Delgado's page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rosa Delgado")
    page.get_by_label(re.compile(r"^Jurisdiction")).select_option("other")
    page.get_by_label(re.compile(r"^Committee id")).fill(COMMITTEE_ID)
    page.get_by_label(re.compile(r"^Committee name")).fill("Friends of Rosa Delgado")
    page.get_by_role("button", name="Add committee").click()
    expect_message(page, f"Committee {COMMITTEE_ID} added.")
    page.get_by_role("link", name="Upload a filing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a filing for Rosa Delgado")
    sheet = csv_file(candidate_sheet(), "delgado-receipts-2026.csv")
    page.get_by_label(re.compile(r"^Filing or spreadsheet")).set_input_files(sheet)
    page.get_by_label(re.compile(r"^Kind of file")).select_option(
        label="Candidate's spreadsheet (Pledgewatch template)"
    )
    with page.expect_navigation(url=IMPORT_DETAIL, timeout=IMPORT_TIMEOUT_MS):
        page.get_by_role("button", name="Upload and check").click()
    progress = page.locator("#progress")
    expect(progress.locator(".status")).to_have_text("Finished")
    expect(progress).to_contain_text(
        f"{len(DONORS)} receipts in 1 filing imported. 0 open findings for Rosa Delgado."
    )
    job = FinanceImport.objects.get(candidate=rosa)
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert rosa.filings.current().count() == 1 and not rosa.findings.exists()
    expect_vote_blocked(page, rosa, GATES[2:])
    expect(page.locator("#gate-finance")).to_contain_text(
        "1 filing screened; no open or confirmed tier 1 finding"
    )

    # Gate 3, the pledge: its words, date and link.
    open_gate(page, rosa, Gate.PLEDGE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Rosa Delgado: public pledge")
    page.get_by_role("link", name="Record the pledge").click()
    page.get_by_label(re.compile(r"^The statement, as published")).fill(
        "I will not take a dollar from health insurers, drug companies, or their PACs and "
        "trade groups. Medicare for All means nothing less."
    )
    page.get_by_label(re.compile(r"^Date of the statement")).fill(
        (today - dt.timedelta(days=9)).isoformat()
    )
    page.get_by_label(re.compile(r"^Link to the public statement")).fill(
        "https://rosaforward35.example.org/news/no-insurance-money"
    )
    page.get_by_role("button", name="Save the pledge").click()
    expect_message(page, "Rosa Delgado's pledge is recorded.")
    expect(page.locator("#gate-h + p .status")).to_have_text("Met")
    expect_vote_blocked(page, rosa, GATES[3:])

    # Gate 4, ballot access: "on the ballot" counts once someone has verified it.
    open_gate(page, rosa, Gate.BALLOT)
    page.get_by_role("link", name="Record ballot access").click()
    expect(page.get_by_label(re.compile(r"^Filing deadline"))).to_have_value(deadline.isoformat())
    page.get_by_label(re.compile(r"^Signatures required")).fill("473")
    page.get_by_label(re.compile(r"^Signatures gathered")).fill("1412")
    page.get_by_label(re.compile(r"^Official source")).fill(
        "https://www.chicagoelections.gov/elections/candidates"
    )
    page.get_by_label("On the ballot", exact=True).check()
    page.get_by_role("button", name="Save ballot access").click()
    expect(page.locator("#id_verified_on_error")).to_contain_text(
        "Give the date someone checked the official candidate list"
    )
    page.get_by_label(re.compile(r"^Status verified on")).fill(today.isoformat())
    page.get_by_role("button", name="Save ballot access").click()
    expect_message(page, "Rosa Delgado's ballot access is recorded.")
    expect(page.locator("#gate-h + p")).to_contain_text(
        f"On the ballot, verified {today.day} {today:%b %Y}"
    )
    expect_vote_blocked(page, rosa, GATES[4:])

    # Gate 5, the chapter's rescission by-law, adopted from the model text.
    nav(page, "By-law")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rescission by-law")
    page.get_by_role("link", name="Record the adoption").click()
    expect(page.get_by_label(re.compile(r"^By-law text"))).not_to_be_empty()
    page.get_by_label(re.compile(r"^Date of the vote")).fill(
        (today - dt.timedelta(days=30)).isoformat()
    )
    page.get_by_label(re.compile(r"^Adopted by")).fill("General meeting")
    page.get_by_label(re.compile(r"^Yes votes")).fill("48")
    page.get_by_label(re.compile(r"^No votes")).fill("5")
    page.get_by_label(re.compile(r"^Abstentions")).fill("2")
    page.get_by_role("button", name="Record the adoption").click()
    expect_message(
        page,
        "By-law adopted. The gate “The chapter's rescission by-law adopted” is met for every "
        "candidate.",
    )
    expect_vote_blocked(page, rosa, GATES[5:])

    # Gate 6, the questionnaire: sent, answered, evaluated (meets the minimum), published.
    open_gate(page, rosa, Gate.QUESTIONNAIRE)
    page.get_by_role("link", name="Start the record").click()
    page.get_by_label(re.compile(r"^Sent to the candidate on")).fill(
        (today - dt.timedelta(days=21)).isoformat()
    )
    page.get_by_label(re.compile(r"^Answers received on")).fill(
        (today - dt.timedelta(days=12)).isoformat()
    )
    page.get_by_label(re.compile(r"^Evaluated by the committee on")).fill(
        (today - dt.timedelta(days=5)).isoformat()
    )
    page.get_by_label("Yes: the answers meet all three").check()
    page.get_by_label(re.compile(r"^Evaluation notes")).fill(
        "Single payer, no cost sharing, covers everyone: she commits to all three."
    )
    page.get_by_label(re.compile(r"^Answers published on")).fill(
        (today - dt.timedelta(days=2)).isoformat()
    )
    page.get_by_label(re.compile(r"^Where the answers are published")).fill(
        "https://lakeshoredsa.example.org/questionnaires/2027/delgado"
    )
    page.get_by_role("button", name="Save the record").click()
    expect_message(page, "Rosa Delgado's questionnaire record is saved.")
    expect(page.locator("#gate-h + p .status")).to_have_text("Met")

    # Every gate met: the vote opens.
    page.get_by_role("link", name="All of Rosa Delgado's gates").click()
    expect(page.get_by_role("region", name="The member vote cannot open yet")).to_have_count(0)
    expect(page.get_by_role("region", name="Gates before the vote")).to_contain_text(
        "Every gate is met, waived or turned off for the chapter."
    )
    expect(page.locator("#gates h3 .status")).to_have_text(["Met"] * 6)
    vote = page.get_by_role("radio", name=re.compile(r"^Open the member vote"))
    expect(vote).to_be_enabled()
    move(page, "Open the member vote", "Every gate is met; the general meeting votes on 14 Dec.")
    expect_message(page, "Rosa Delgado: Open the member vote done. Now at “Member vote”.")
    expect(page.locator("dl.facts .status")).to_have_text("Member vote")
    expect(page.locator(".progress-text")).to_have_text("Step 4 of 5: Member vote")
    history = page.get_by_role("region", name="History, newest first")
    expect(history.get_by_role("listitem")).to_have_count(3)
    expect(history.get_by_role("listitem").first).to_contain_text("Questionnaire → Member vote")
    rosa.endorsement.refresh_from_db()
    assert rosa.endorsement.stage == Stage.VOTE

    # On the board, Rosa is at the vote; Tom is still at "considering", every gate of his own
    # missing (the by-law is the chapter's, so it is met for him too).
    nav(page, "Pipeline")
    expect_board_card(page, "Member vote", "Rosa Delgado", [])
    expect_board_card(
        page, "Considering", "Tom Becker", [g for g in GATES if g != Gate.BYLAW.label]
    )
    expect(page.get_by_role("region", name=re.compile(r"^Considering \("))).to_have_accessible_name(
        "Considering (1)"
    )
    tom.endorsement.refresh_from_db()
    assert tom.endorsement.stage == Stage.CONSIDERING
    assert not tom.endorsement.transitions.exists()


def test_a_waived_gate_counts_and_its_reason_is_published_with_the_endorsement(
    page, desktop_page, log_in, committee_member, chapter
):
    """Every gate met but ballot access: the committee waives it with a reason (which a waiver
    cannot do without), the vote opens, the members endorse, and the public page shows the
    reason."""
    race = RaceFactory(chapter=chapter)
    candidate = CandidateFactory(chapter=chapter, name="Amara Osei", race=race)
    waiting = CandidateFactory(chapter=chapter, name="Still Considered", race=race)
    evidence_all(candidate, except_=(Gate.BALLOT,))
    endorsement = services.endorsement_for(candidate)
    services.endorsement_for(waiting)
    for stage in (Stage.VETTING, Stage.QUESTIONNAIRE):
        services.move(endorsement=endorsement, to=stage, reason="On track.", by=committee_member)
    ballot = Gate.BALLOT.label
    reason = (
        "The city publishes its certified ballot on 5 January, after our vote; the campaign "
        "filed 1,412 signatures for the 473 required."
    )

    log_in(page, committee_member)
    expect_vote_blocked(page, candidate, [ballot])
    page.goto(f"/c/lakeshore/pipeline/candidates/{candidate.pk}/")
    gate = page.locator("#gate-ballot")
    gate.get_by_text(f"Waive this gate for {candidate.name}").click()
    gate.get_by_role("button", name=f"Waive “{ballot}”").click()
    gate = page.locator("#gate-ballot")  # the page again, the form open with its error
    expect(gate.locator(".errorlist")).to_have_text(
        "A waiver needs a written reason: it is shown publicly."
    )
    gate.get_by_label("Reason for the waiver (shown publicly)").fill(reason)
    gate.get_by_role("button", name=f"Waive “{ballot}”").click()
    expect_message(page, f"“{ballot}” waived for {candidate.name}.")
    gate = page.locator("#gate-ballot")
    expect(gate.locator("h3 .status")).to_have_text("Waived")
    expect(gate).to_contain_text(reason)
    expect(page.get_by_role("region", name="The member vote cannot open yet")).to_have_count(0)
    waivers = page.get_by_role("region", name="Waivers")
    expect(waivers.get_by_role("listitem")).to_have_count(1)
    expect(waivers.get_by_role("listitem")).to_contain_text(f"{ballot}: “{reason}”")

    # The board says it is waived, and why.
    nav(page, "Pipeline")
    card = page.get_by_role("region", name=re.compile(r"^Questionnaire \(")).get_by_role(
        "article", name=candidate.name
    )
    expect(card).to_contain_text("Every gate met or waived")
    expect(card.locator("ul.waived li")).to_have_text([f"{ballot}: “{reason}”"])

    # The vote opens; not yet public.
    card.get_by_role("link", name=candidate.name).click()
    move(page, "Open the member vote", "The general meeting votes on 14 December.")
    expect(page.locator("dl.facts .status")).to_have_text("Member vote")
    page.goto(f"/p/{chapter.slug}/")
    expect(page.get_by_role("region", name="Endorsed")).to_have_text(
        re.compile(r"No current endorsements\.")
    )
    expect(page.locator("main")).not_to_contain_text(candidate.name)

    # The members endorse; the count and the statement are recorded with the result.
    page.goto(f"/c/lakeshore/pipeline/candidates/{candidate.pk}/")
    page.get_by_role("radio", name=re.compile(r"^Record: endorsed ")).check()
    page.get_by_label(REASON).fill("The general meeting voted to endorse.")
    page.get_by_label("Yes votes").fill("41")
    page.get_by_label("No votes").fill("3")
    page.get_by_label("Abstentions").fill("2")
    statement = "Lakeshore DSA endorses Amara Osei, who has pledged to take no insurance money."
    page.get_by_label(re.compile(r"^Public statement")).fill(statement)
    page.get_by_role("button", name="Record the move").click()
    expect(page.locator("dl.facts .status")).to_have_text("Endorsed")

    # Anyone, without an account, sees the endorsement with the waived gate and its reason.
    public = desktop_page
    response = public.goto(f"/p/{chapter.slug}/")
    assert response.ok and "public" in response.headers["cache-control"]
    expect(public.get_by_role("button", name="Log out")).to_have_count(0)
    endorsed = public.get_by_role("region", name="Endorsed")
    entry = endorsed.get_by_role("article", name=re.compile(rf"^{candidate.name} "))
    expect(entry).to_contain_text("by a vote of 41 yes, 3 no, 2 abstaining")
    expect(entry).to_contain_text(statement)
    expect(entry.get_by_role("heading", level=4)).to_contain_text(
        ["Steps of the chapter's process waived for this candidate"]
    )
    expect(entry.locator("ul:not(.history) li")).to_have_text([f"{ballot}: {reason}"])
    expect(public.locator("main")).not_to_contain_text(waiting.name)
