"""The pipeline pages through HTTP: the board, a candidate's endorsement page, moves, waivers,
the finance decision and the gate settings; who may do what; and candidate-written text
escaped everywhere."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils.html import escape

from pledgewatch.chapters.models import ChapterRole
from pledgewatch.core.models import AuditEvent
from pledgewatch.core.permissions import Permission
from pledgewatch.endorsements import services
from pledgewatch.endorsements.models import (
    Endorsement,
    FinanceDecision,
    Gate,
    GateSetting,
    GateWaiver,
    Stage,
    Transition,
)
from tests.endorsements.factories import EndorsementFactory, RaceFactory
from tests.endorsements.pipeline_evidence import EVIDENCE, evidence_all
from tests.finance.factories import CandidateFactory, FindingFactory


def escaped(text):
    return str(escape(text))


def url(name, chapter, *args):
    return reverse(f"endorsements:{name}", args=[chapter.slug, *args])


@pytest.fixture
def candidate(chapter):
    return CandidateFactory(chapter=chapter, name="Rosa Ortiz")


def at_stage(candidate, stage):
    return EndorsementFactory(candidate=candidate, stage=stage)


def move(client, chapter, candidate, **data):
    return client.post(url("endorsement_move", chapter, candidate.pk), data)


# The board ---------------------------------------------------------------------------------


def test_board_groups_candidates_by_stage_with_what_is_missing(client_as, bob, chapter):
    race = RaceFactory(chapter=chapter, office__name="City Council", office__district="Ward 5")
    CandidateFactory(chapter=chapter, name="Ada Early", race=race)
    ready = CandidateFactory(chapter=chapter, name="Ben Ready", race=race)
    at_stage(ready, Stage.QUESTIONNAIRE)
    evidence_all(ready)
    done = CandidateFactory(chapter=chapter, name="Cy Done")
    at_stage(done, Stage.ENDORSED)

    response = client_as(bob).get(url("board", chapter))
    assert response.status_code == 200
    html = response.content.decode()
    for stage in Stage:
        assert f'id="stage-{stage.value}"' in html
    sections = {s: html.split(f'id="stage-{s}"')[1].split("</section>")[0] for s in Stage.values}
    assert "Ada Early" in sections["considering"]
    # The by-law, adopted for Ben, is the chapter's: Ada has it too.
    assert "Missing 5 of 6 gates" in sections["considering"]
    assert "Spoke at the chapter&#x27;s public forum" in sections["considering"]
    assert "rescission by-law" not in sections["considering"]
    assert "City Council, Ward 5" in sections["considering"]
    assert "Ben Ready" in sections["questionnaire"]
    assert "Ready for the member vote" in sections["questionnaire"]
    assert "Cy Done" in sections["endorsed"] and "Missing" not in sections["endorsed"]
    assert "No candidates at this stage." in sections["declined"]
    # Every candidate of the chapter has an endorsement record now.
    assert Endorsement.objects.filter(candidate__chapter=chapter).count() == 3


def test_board_filters_by_race(client_as, bob, chapter, other_chapter):
    ward1 = RaceFactory(chapter=chapter)
    ward2 = RaceFactory(chapter=chapter)
    CandidateFactory(chapter=chapter, name="In Ward One", race=ward1)
    CandidateFactory(chapter=chapter, name="In Ward Two", race=ward2)
    client = client_as(bob)

    html = client.get(url("board", chapter), {"race": ward1.pk}).content.decode()
    assert "In Ward One" in html and "In Ward Two" not in html
    assert "1 candidate in" in html
    assert f'<option value="{ward1.pk}" selected>' in html

    foreign = RaceFactory(chapter=other_chapter)
    response = client.get(url("board", chapter), {"race": foreign.pk})
    html = response.content.decode()
    assert "Choose one of the chapter&#x27;s races." in html
    assert str(foreign) not in html
    assert "In Ward One" in html and "In Ward Two" in html


def test_board_htmx_filter_returns_the_results_only(client_as, bob, chapter):
    race = RaceFactory(chapter=chapter)
    CandidateFactory(chapter=chapter, name="Only Me", race=race)
    response = client_as(bob).get(
        url("board", chapter), {"race": race.pk}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "Only Me" in html and 'hx-swap-oob="innerHTML"' in html


def test_board_shows_waiver_reasons_to_members(client_as, bob, alice, chapter, candidate):
    endorsement = at_stage(candidate, Stage.VETTING)
    services.waive(endorsement=endorsement, gate=Gate.BALLOT, reason="Write-in campaign", by=alice)
    html = client_as(bob).get(url("board", chapter)).content.decode()
    assert "Write-in campaign" in html
    assert "Missing 5 of 6 gates" in html


def test_board_links_gate_settings_for_admins_only(client_as, alice, committee_member, chapter):
    link = url("gate_settings", chapter)
    assert link in client_as(alice).get(url("board", chapter)).content.decode()
    assert link not in client_as(committee_member).get(url("board", chapter)).content.decode()


# The endorsement page ------------------------------------------------------------------------


def test_member_reads_the_endorsement_page_without_forms(client_as, bob, chapter, candidate):
    response = client_as(bob).get(url("endorsement_detail", chapter, candidate.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rosa Ortiz: endorsement" in html
    assert "Step 1 of 5" in html
    assert 'id="gate-forum"' in html and "Missing:" in html
    assert url("endorsement_move", chapter, candidate.pk) not in html
    assert url("gate_waive", chapter, candidate.pk) not in html
    assert url("finance_decision", chapter, candidate.pk) not in html


def test_endorsement_page_creates_a_missing_record(client_as, bob, chapter, candidate):
    assert not Endorsement.objects.filter(candidate=candidate).exists()
    client_as(bob).get(url("endorsement_detail", chapter, candidate.pk))
    assert Endorsement.objects.get(candidate=candidate).stage == Stage.CONSIDERING


def test_committee_sees_only_the_moves_the_machine_allows(
    client_as, committee_member, chapter, candidate
):
    at_stage(candidate, Stage.VETTING)
    html = (
        client_as(committee_member)
        .get(url("endorsement_detail", chapter, candidate.pk))
        .content.decode()
    )
    assert 'value="questionnaire"' in html and "Move to the questionnaire" in html
    assert 'value="considering"' in html and "Back to considering" in html
    assert 'value="declined"' in html and "Stop: decline" in html
    assert 'value="vote"' not in html and 'value="endorsed"' not in html
    assert 'name="votes_yes"' not in html  # counts only for a move out of the vote
    assert 'name="statement"' in html  # declining publishes a statement


def test_vote_option_is_disabled_and_explained_while_gates_are_unmet(
    client_as, committee_member, chapter, candidate
):
    at_stage(candidate, Stage.QUESTIONNAIRE)
    evidence_all(candidate, except_=(Gate.PLEDGE, Gate.BYLAW))
    html = (
        client_as(committee_member)
        .get(url("endorsement_detail", chapter, candidate.pk))
        .content.decode()
    )
    assert "The member vote cannot open yet" in html
    radio = html.split('value="vote"')[1].split(">")[0]
    assert "disabled" in radio
    why = html.split('id="vote-blocked-why"')[1].split("</p>")[0]
    assert "2 gates not met" in why
    assert escaped(Gate.PLEDGE.label) in why and escaped(Gate.BYLAW.label) in why
    assert escaped(Gate.FORUM.label) not in why


def test_move_records_who_when_why(client_as, committee_member, chapter, candidate):
    response = move(
        client_as(committee_member), chapter, candidate, to="vetting", reason="Met her on Tuesday"
    )
    assert response.status_code == 302
    assert response["Location"] == url("endorsement_detail", chapter, candidate.pk)
    endorsement = Endorsement.objects.get(candidate=candidate)
    assert endorsement.stage == Stage.VETTING
    step = Transition.objects.get(endorsement=endorsement)
    assert (step.by, step.reason, step.from_stage) == (
        committee_member, "Met her on Tuesday", "considering"
    )  # fmt: skip
    event = AuditEvent.objects.get(action="endorsement.moved")
    assert event.actor == committee_member and event.object_id == str(candidate.pk)

    html = client_as(committee_member).get(response["Location"]).content.decode()
    history = html.split('id="history"')[1]
    assert "Considering → <strong>Vetting</strong>" in history and "Met her on Tuesday" in history


def test_move_needs_a_reason_and_an_allowed_target(client_as, committee_member, chapter, candidate):
    client = client_as(committee_member)
    response = move(client, chapter, candidate, to="vetting", reason="")
    assert response.status_code == 200
    assert "Say why: every move is recorded with its reason." in response.content.decode()
    response = move(client, chapter, candidate, to="endorsed", reason="Skip ahead")
    assert "That move is not open from this stage." in response.content.decode()
    response = move(client, chapter, candidate, reason="Nowhere")
    assert "Choose where the candidate moves." in response.content.decode()
    assert Endorsement.objects.get(candidate=candidate).stage == Stage.CONSIDERING
    assert not Transition.objects.exists()


def test_opening_the_vote_is_refused_until_the_last_gate_is_met(
    client_as, committee_member, chapter, candidate
):
    at_stage(candidate, Stage.QUESTIONNAIRE)
    client = client_as(committee_member)
    remaining = list(Gate)
    for gate in Gate:
        response = move(client, chapter, candidate, to="vote", reason="Ready?")
        assert response.status_code == 200
        html = response.content.decode()
        errors = html.split('id="move-errors"')[1].split("</ul>")[0]
        assert "The vote cannot open while a gate is unmet" in errors
        for g in Gate:
            assert (escaped(g.label) in errors) is (g in remaining), g
        assert Endorsement.objects.get(candidate=candidate).stage == Stage.QUESTIONNAIRE
        EVIDENCE[gate](candidate)
        remaining.remove(gate)

    html = client.get(url("endorsement_detail", chapter, candidate.pk)).content.decode()
    assert "The member vote cannot open yet" not in html
    assert "disabled" not in html.split('value="vote"')[1].split(">")[0]
    response = move(client, chapter, candidate, to="vote", reason="Every gate evidenced")
    assert response.status_code == 302
    assert Endorsement.objects.get(candidate=candidate).stage == Stage.VOTE


def test_move_out_of_the_vote_records_counts_and_statement(
    client_as, committee_member, chapter, candidate
):
    at_stage(candidate, Stage.VOTE)
    client = client_as(committee_member)
    page = client.get(url("endorsement_detail", chapter, candidate.pk)).content.decode()
    assert 'name="votes_yes"' in page and "Record: endorsed" in page
    response = move(
        client, chapter, candidate, to="endorsed", reason="General meeting",
        votes_yes="52", votes_no="9", votes_abstain="0",
        statement="Lakeshore DSA endorses Rosa Ortiz.",
    )  # fmt: skip
    assert response.status_code == 302
    endorsement = Endorsement.objects.get(candidate=candidate)
    assert endorsement.stage == Stage.ENDORSED
    assert endorsement.public_statement == "Lakeshore DSA endorses Rosa Ortiz."
    step = endorsement.transitions.get()
    assert (step.votes_yes, step.votes_no, step.votes_abstain) == (52, 9, 0)
    html = client.get(url("endorsement_detail", chapter, candidate.pk)).content.decode()
    assert "Vote: 52 yes, 9 no, 0 abstaining." in html
    assert "Lakeshore DSA endorses Rosa Ortiz." in html


@pytest.mark.parametrize(
    ("counts", "error"),
    [
        (("-1", "3", "0"), "A count cannot be negative."),
        (("many", "3", "0"), "Enter the number of yes votes as a whole number."),
        (("1.5", "3", "0"), "Enter the number of yes votes as a whole number."),
        (("10", "", ""), "Give the yes, no and abstain counts together"),
    ],
)
def test_vote_counts_are_validated(client_as, committee_member, chapter, candidate, counts, error):
    at_stage(candidate, Stage.VOTE)
    yes, no, abstain = counts
    response = move(
        client_as(committee_member), chapter, candidate, to="declined", reason="Vote failed",
        votes_yes=yes, votes_no=no, votes_abstain=abstain,
    )  # fmt: skip
    assert response.status_code == 200
    assert error in response.content.decode()
    assert Endorsement.objects.get(candidate=candidate).stage == Stage.VOTE


def test_vote_counts_are_optional(client_as, committee_member, chapter, candidate):
    at_stage(candidate, Stage.VOTE)
    response = move(
        client_as(committee_member), chapter, candidate, to="declined", reason="Vote failed"
    )
    assert response.status_code == 302
    step = Transition.objects.get()
    assert step.votes_yes is None and step.to_stage == Stage.DECLINED


def test_rescinded_is_final(client_as, committee_member, chapter, candidate):
    at_stage(candidate, Stage.RESCINDED)
    html = (
        client_as(committee_member)
        .get(url("endorsement_detail", chapter, candidate.pk))
        .content.decode()
    )
    assert "No move is open from “Rescinded”" in html
    assert "left the path at “Endorsed”" in html


# Waivers -----------------------------------------------------------------------------------


def test_waive_a_gate_then_withdraw_it(client_as, committee_member, bob, chapter, candidate):
    at_stage(candidate, Stage.QUESTIONNAIRE)
    evidence_all(candidate, except_=(Gate.FORUM,))
    client = client_as(committee_member)
    page = client.get(url("endorsement_detail", chapter, candidate.pk)).content.decode()
    assert "The reason is public" in page
    assert page.count(url("gate_waive", chapter, candidate.pk)) == 1  # only the unmet gate

    response = client.post(
        url("gate_waive", chapter, candidate.pk),
        {"gate": "forum", "reason": "The forum was cancelled by the venue"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#gate-forum")
    waiver = GateWaiver.objects.get()
    assert (waiver.gate, waiver.by) == ("forum", committee_member)
    assert AuditEvent.objects.filter(action="endorsement.gate_waived").count() == 1

    member_view = client_as(bob).get(url("endorsement_detail", chapter, candidate.pk))
    assert "The forum was cancelled by the venue" in member_view.content.decode()
    assert move(client, chapter, candidate, to="vote", reason="Go").status_code == 302

    # Withdrawn: kept and marked, and the gate blocks again (back at the questionnaire).
    Endorsement.objects.filter(candidate=candidate).update(stage=Stage.QUESTIONNAIRE)
    response = client.post(url("waiver_withdraw", chapter, waiver.pk))
    assert response.status_code == 302
    waiver.refresh_from_db()
    assert waiver.withdrawn_by == committee_member
    assert AuditEvent.objects.filter(action="endorsement.waiver_withdrawn").count() == 1
    html = client.get(url("endorsement_detail", chapter, candidate.pk)).content.decode()
    waivers = html.split('id="waivers"')[1]
    assert "Withdrawn" in waivers and "The forum was cancelled by the venue" in waivers
    assert "The member vote cannot open yet" in html
    response = move(client, chapter, candidate, to="vote", reason="Go again")
    assert "Spoke at the chapter&#x27;s public forum" in response.content.decode()


def test_waive_needs_a_reason(client_as, committee_member, chapter, candidate):
    response = client_as(committee_member).post(
        url("gate_waive", chapter, candidate.pk), {"gate": "pledge", "reason": "  "}
    )
    assert response.status_code == 200
    html = response.content.decode()
    form = html.split('id="gate-pledge"')[1].split("</article>")[0]
    assert "A waiver needs a written reason: it is shown publicly." in form
    assert "<details open>" in form
    assert not GateWaiver.objects.exists()


def test_waiving_an_already_waived_gate_says_so(client_as, committee_member, chapter, candidate):
    endorsement = at_stage(candidate, Stage.VETTING)
    services.waive(endorsement=endorsement, gate=Gate.PLEDGE, reason="x", by=committee_member)
    response = client_as(committee_member).post(
        url("gate_waive", chapter, candidate.pk), {"gate": "pledge", "reason": "again"}
    )
    assert response.status_code == 200
    assert "is already waived for this candidate" in response.content.decode()


def test_waive_an_unknown_gate_is_an_error(client_as, committee_member, chapter, candidate):
    response = client_as(committee_member).post(
        url("gate_waive", chapter, candidate.pk), {"gate": "nonsense", "reason": "x"}
    )
    assert response.status_code == 200
    assert not GateWaiver.objects.exists()


# The finance decision --------------------------------------------------------------------------


def test_finance_decision_unblocks_the_finance_gate(
    client_as, committee_member, chapter, candidate
):
    at_stage(candidate, Stage.QUESTIONNAIRE)
    evidence_all(candidate)
    FindingFactory(candidate=candidate, tier=1)
    client = client_as(committee_member)
    html = client.get(url("endorsement_detail", chapter, candidate.pk)).content.decode()
    gate = html.split('id="gate-finance"')[1].split("</article>")[0]
    assert "Not met" in gate and "1 open, 0 confirmed tier 1 finding(s)" in gate
    assert reverse("finance:finding_list", args=[chapter.slug, candidate.pk]) in gate

    response = client.post(url("finance_decision", chapter, candidate.pk), {"text": ""})
    assert response.status_code == 200
    assert "Write the committee&#x27;s decision and why." in response.content.decode()

    response = client.post(
        url("finance_decision", chapter, candidate.pk), {"text": "Refunded in full; we go on."}
    )
    assert response.status_code == 302
    decision = FinanceDecision.objects.get()
    assert decision.by == committee_member
    html = client.get(url("endorsement_detail", chapter, candidate.pk)).content.decode()
    gate = html.split('id="gate-finance"')[1].split("</article>")[0]
    assert "Met" in gate and "Refunded in full; we go on." in gate
    assert move(client, chapter, candidate, to="vote", reason="Go").status_code == 302


# Gate settings ---------------------------------------------------------------------------------


def test_admin_turns_a_gate_off_and_on(client_as, alice, chapter, candidate):
    client = client_as(alice)
    page = client.get(url("gate_settings", chapter))
    assert page.status_code == 200
    assert page.content.decode().count("Turn off") == len(Gate)

    response = client.post(url("gate_settings", chapter), {"gate": "bylaw", "enabled": "off"})
    assert response.status_code == 200
    assert "Say why the chapter turns this gate off." in response.content.decode()
    assert not GateSetting.objects.exists()

    response = client.post(
        url("gate_settings", chapter),
        {"gate": "bylaw", "enabled": "off", "reason": "Our by-laws already allow rescission"},
    )
    assert response.status_code == 302
    setting = GateSetting.objects.get(chapter=chapter, gate="bylaw")
    assert not setting.enabled and setting.changed_by == alice
    assert AuditEvent.objects.filter(action="endorsement.gate_disabled").count() == 1
    html = client.get(url("gate_settings", chapter)).content.decode()
    section = html.split('id="gate-bylaw"')[1].split("</section>")[0]
    assert "Turned off by" in section and "Our by-laws already allow rescission" in section
    assert "Turn back on" in section

    detail = client.get(url("endorsement_detail", chapter, candidate.pk)).content.decode()
    gate = detail.split('id="gate-bylaw"')[1].split("</article>")[0]
    assert "Off" in gate and "Our by-laws already allow rescission" in gate

    response = client.post(url("gate_settings", chapter), {"gate": "bylaw", "enabled": "on"})
    assert response.status_code == 302
    assert GateSetting.objects.get(chapter=chapter, gate="bylaw").enabled


def test_gate_settings_are_for_admins_only(client_as, committee_member, bob, chapter):
    for user in (committee_member, bob):
        client = client_as(user)
        assert client.get(url("gate_settings", chapter)).status_code == 403
        data = {"gate": "forum", "enabled": "off", "reason": "x"}
        assert client.post(url("gate_settings", chapter), data).status_code == 403
    assert not GateSetting.objects.exists()


# Who may do what -------------------------------------------------------------------------------


def test_member_may_not_change_anything(client_as, bob, alice, chapter, candidate):
    endorsement = at_stage(candidate, Stage.QUESTIONNAIRE)
    waiver = services.waive(endorsement=endorsement, gate=Gate.FORUM, reason="x", by=alice)
    client = client_as(bob)
    posts = [
        (url("endorsement_move", chapter, candidate.pk), {"to": "vetting", "reason": "x"}),
        (url("gate_waive", chapter, candidate.pk), {"gate": "pledge", "reason": "x"}),
        (url("waiver_withdraw", chapter, waiver.pk), {}),
        (url("finance_decision", chapter, candidate.pk), {"text": "x"}),
    ]
    for target, data in posts:
        assert client.post(target, data).status_code == 403, target
    endorsement.refresh_from_db()
    assert endorsement.stage == Stage.QUESTIONNAIRE
    assert GateWaiver.objects.get().withdrawn_at is None
    assert GateWaiver.objects.count() == 1 and not FinanceDecision.objects.exists()


def test_canvass_lead_reads_but_may_not_move(client_as, canvass_lead, chapter, candidate):
    client = client_as(canvass_lead)
    assert client.get(url("endorsement_detail", chapter, candidate.pk)).status_code == 200
    assert move(client, chapter, candidate, to="vetting", reason="x").status_code == 403


def test_another_chapters_candidate_is_not_found(client_as, charlie, alice, other_chapter, chapter):
    candidate = CandidateFactory(chapter=chapter)
    endorsement = at_stage(candidate, Stage.VETTING)
    waiver = services.waive(endorsement=endorsement, gate=Gate.FORUM, reason="x", by=alice)
    client = client_as(charlie)  # admin of the other chapter
    for name in ("endorsement_detail", "endorsement_move", "gate_waive", "finance_decision"):
        target = url(name, other_chapter, candidate.pk)
        assert client.post(target, {"to": "questionnaire", "reason": "x"}).status_code == 404
    assert client.get(url("endorsement_detail", other_chapter, candidate.pk)).status_code == 404
    assert client.post(url("waiver_withdraw", other_chapter, waiver.pk)).status_code == 404
    assert client.get(url("board", chapter)).status_code == 404
    html = client.get(url("board", other_chapter)).content.decode()
    assert candidate.name not in html
    endorsement.refresh_from_db()
    assert endorsement.stage == Stage.VETTING and waiver.withdrawn_at is None


# Escaping ----------------------------------------------------------------------------------


XSS = '<script>alert("x")</script>'


def test_candidate_written_text_is_escaped(client_as, alice, chapter):
    candidate = CandidateFactory(chapter=chapter, name=f"Eve {XSS}", party=XSS, office_sought=XSS)
    endorsement = at_stage(candidate, Stage.QUESTIONNAIRE)
    services.waive(endorsement=endorsement, gate=Gate.FORUM, reason=f"Because {XSS}", by=alice)
    services.record_finance_decision(endorsement=endorsement, text=XSS, by=alice)
    services.move(endorsement=endorsement, to=Stage.VETTING, reason=XSS, by=alice)
    Endorsement.objects.filter(pk=endorsement.pk).update(public_statement=XSS)
    client = client_as(alice)
    for page in (url("board", chapter), url("endorsement_detail", chapter, candidate.pk)):
        html = client.get(page).content.decode()
        assert "<script>" not in html, page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html, page


# The candidate page's panel ---------------------------------------------------------------------


def render_panel(candidate, user):
    role = ChapterRole.objects.get(user=user, chapter=candidate.chapter)
    template = Template('{% include "endorsements/_candidate_panel.html" %}')
    return template.render(
        Context({
            "candidate": candidate,
            "chapter": candidate.chapter,
            "chapter_role": role,
            "can": {p.value: role.has(p) for p in Permission},
        })
    )  # fmt: skip


def test_candidate_panel_shows_stage_progress_and_gates(committee_member, chapter, candidate):
    at_stage(candidate, Stage.VETTING)
    EVIDENCE[Gate.PLEDGE](candidate)
    html = render_panel(candidate, committee_member)
    assert "Step 2 of 5" in html and 'aria-current="step"' in html
    assert "Missing before the vote: 5 gates." in html
    assert "Met</span> Public pledge refusing conflicting donations" in html
    assert 'Not met</span> Ballot access verified: <span class="missing">Record the' in html
    assert url("endorsement_detail", chapter, candidate.pk) in html


def test_candidate_panel_links_evidence_pages_only_when_allowed(
    committee_member, bob, chapter, candidate
):
    findings = reverse("finance:finding_list", args=[chapter.slug, candidate.pk])
    assert findings in render_panel(candidate, committee_member)
    assert findings not in render_panel(candidate, bob)  # donor names: committee only


def test_board_partial_shows_a_race_pages_candidates(bob, chapter):
    race = RaceFactory(chapter=chapter)
    mine = CandidateFactory(chapter=chapter, name="In The Race", race=race)
    CandidateFactory(chapter=chapter, name="Elsewhere")
    at_stage(mine, Stage.VETTING)
    template = Template(
        '{% include "endorsements/_board.html" with candidates=race.candidates.all '
        "heading_level=3 hide_empty=True %}"
    )
    html = template.render(Context({"race": race, "chapter": chapter}))
    assert "In The Race" in html and "Elsewhere" not in html
    assert '<h3 id="stage-vetting-h">' in html and '<h4 id="card-' in html
    assert 'id="stage-considering"' not in html  # empty stages hidden


def test_board_names_gates_turned_off(client_as, bob, alice, chapter):
    services.set_gate(chapter=chapter, gate=Gate.FORUM, enabled=False, reason="x", by=alice)
    CandidateFactory(chapter=chapter)
    html = client_as(bob).get(url("board", chapter)).content.decode()
    assert "Turned off for the chapter: Spoke at the chapter&#x27;s public forum." in html
    assert "Missing 5 of 5 gates" in html


def test_times_are_shown_in_the_chapters_timezone(client_as, bob, alice, chapter, candidate):
    endorsement = at_stage(candidate, Stage.CONSIDERING)
    # 03:00 UTC on 1 March is 21:00 on 28 February in Chicago (the chapter's timezone).
    with time_machine.travel(dt.datetime(2026, 3, 1, 3, 0, tzinfo=dt.UTC), tick=False):
        services.move(endorsement=endorsement, to=Stage.VETTING, reason="x", by=alice)
    html = client_as(bob).get(url("endorsement_detail", chapter, candidate.pk)).content.decode()
    assert "28 Feb 2026, 21:00" in html.split('id="history"')[1]


def test_declined_shows_where_it_left_the_path(client_as, bob, alice, chapter, candidate):
    endorsement = at_stage(candidate, Stage.VETTING)
    services.move(
        endorsement=endorsement, to=Stage.DECLINED, reason="Withdrew", by=alice,
        statement="The candidate withdrew from the race.",
    )  # fmt: skip
    html = client_as(bob).get(url("endorsement_detail", chapter, candidate.pk)).content.decode()
    assert "left the path at “Vetting”" in html
    assert "The candidate withdrew from the race." in html
