"""The questionnaire record: dates in order, the evaluation against the guide's minimum criteria,
the publication and its link; the gate; the audit; who may see and change it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from pledgewatch.core.models import AuditEvent
from pledgewatch.endorsements import gates
from pledgewatch.endorsements.models import Gate, QuestionnaireRecord
from pledgewatch.endorsements.services import endorsement_for
from tests.endorsements.factories import QuestionnaireRecordFactory
from tests.finance.factories import CandidateFactory

NOW = dt.datetime(2026, 11, 20, 18, 0, tzinfo=dt.UTC)  # 20 November, noon in Chicago
COMPLETE = {
    "sent_on": "2026-10-05",
    "answered_on": "2026-10-19",
    "evaluated_on": "2026-10-26",
    "meets_minimum": "true",
    "evaluation": "Strong on single payer; committed to the canvass after the election.",
    "published_on": "2026-11-02",
    "published_url": "https://lakeshore-dsa.example.org/questionnaires/alvarez",
}
EMPTY = {name: "" for name in COMPLETE} | {"meets_minimum": "unknown"}


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def candidate(chapter):
    return CandidateFactory(chapter=chapter, name="Dee Alvarez")


def url(name, chapter, candidate) -> str:
    return reverse(f"endorsements:{name}", kwargs={"slug": chapter.slug, "pk": candidate.pk})


def post(client, chapter, candidate, data):
    return client.post(url("questionnaire_edit", chapter, candidate), data)


def errors(response) -> dict:
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors


def questionnaire_gate(candidate):
    return next(
        g for g in gates.evaluate(endorsement_for(candidate)) if g.gate == Gate.QUESTIONNAIRE
    )


def test_the_record_is_filled_in_step_by_step_until_the_gate_is_met(
    client_as, chapter, committee_member, candidate
):
    client = client_as(committee_member)
    steps = ["sent_on", "answered_on", "evaluated_on", "published_on"]
    data = dict(EMPTY)
    for step in steps:
        assert not questionnaire_gate(candidate).met, step
        data[step] = COMPLETE[step]
        if step == "evaluated_on":
            data["meets_minimum"] = "true"
            data["evaluation"] = COMPLETE["evaluation"]
        if step == "published_on":
            data["published_url"] = COMPLETE["published_url"]
        response = post(client, chapter, candidate, data)
        assert response.status_code == 302, response.context["form"].errors
        assert response["Location"] == url("questionnaire_detail", chapter, candidate)

    status = questionnaire_gate(candidate)
    assert status.met
    assert status.evidence == "Published 2 Nov 2026"
    record = QuestionnaireRecord.objects.get(candidate=candidate)
    assert record.meets_minimum is True
    assert record.updated_by == committee_member


def test_answers_below_the_minimum_criteria_keep_the_gate_unmet(
    client_as, chapter, alice, candidate
):
    response = post(client_as(alice), chapter, candidate, {**COMPLETE, "meets_minimum": "false"})
    assert response.status_code == 302
    status = questionnaire_gate(candidate)
    assert not status.met
    assert "below the minimum criteria" in status.evidence


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"answered_on": "2026-10-01"},
            "answered_on",
            "The answers cannot come before the questionnaire was sent (5 October 2026).",
        ),
        (
            {"evaluated_on": "2026-10-18"},
            "evaluated_on",
            "The evaluation cannot come before the answers were received (19 October 2026).",
        ),
        (
            {"published_on": "2026-10-25"},
            "published_on",
            "The answers cannot be published before they were evaluated (26 October 2026).",
        ),
        (
            {"sent_on": ""},
            "answered_on",
            "Record when the questionnaire was sent before its answers.",
        ),
        (
            {"answered_on": ""},
            "evaluated_on",
            "Record when the answers came in before their evaluation.",
        ),
        (
            {"evaluated_on": "", "meets_minimum": "unknown"},
            "published_on",
            "Record the committee's evaluation before the publication.",
        ),
        ({"meets_minimum": "unknown"}, "meets_minimum", "Say whether the answers meet"),
        ({"published_url": ""}, "published_url", "Give the address where the answers are"),
        ({"published_url": "ftp://files.example.org/a"}, "published_url", "https://"),
        (
            {"sent_on": "2026-11-21"},
            "sent_on",
            "This date cannot be in the future (today is 20 November 2026).",
        ),
    ],
)
def test_inconsistent_records_are_refused_with_a_clear_message(
    client_as, chapter, alice, candidate, changes, field, message
):
    response = post(client_as(alice), chapter, candidate, {**COMPLETE, **changes})
    assert message in " ".join(errors(response)[field])
    assert not QuestionnaireRecord.objects.exists()


def test_a_verdict_or_a_link_needs_its_date(client_as, chapter, alice, candidate):
    data = {**EMPTY, "sent_on": "2026-10-05", "answered_on": "2026-10-19"}
    response = post(
        client_as(alice),
        chapter,
        candidate,
        {**data, "meets_minimum": "true", "published_url": COMPLETE["published_url"]},
    )
    found = errors(response)
    assert found["evaluated_on"] == ["Give the date of the committee's evaluation."]
    assert found["published_on"] == ["Give the date the answers were published."]


def test_every_save_is_audited_with_what_changed(client_as, chapter, alice, candidate):
    client = client_as(alice)
    post(client, chapter, candidate, {**EMPTY, "sent_on": "2026-10-05"})
    post(client, chapter, candidate, COMPLETE)

    events = AuditEvent.objects.filter(action__startswith="endorsement.questionnaire").order_by(
        "id"
    )
    assert [e.action for e in events] == [
        "endorsement.questionnaire_recorded",
        "endorsement.questionnaire_changed",
    ]
    assert events[0].data["changes"] == {"sent_on": [None, "2026-10-05"]}
    changed = events[1].data["changes"]
    assert changed["meets_minimum"] == [None, True]
    assert changed["published_url"] == ["", COMPLETE["published_url"]]
    assert "sent_on" not in changed


def test_the_pages_quote_the_guides_three_minimum_criteria(client_as, chapter, alice, candidate):
    client = client_as(alice)
    for name in ("questionnaire_detail", "questionnaire_edit"):
        page = client.get(url(name, chapter, candidate)).content.decode()
        assert "broadly social-democratic politics" in page
        assert (
            "a commitment to pushing Medicare for All legislatively and/or by lobbying higher "
            "officeholders"
        ) in page
        assert "a commitment to continue working with their grassroots base once in office" in page


def test_the_page_shows_the_record_and_escapes_the_notes(client_as, chapter, bob, candidate):
    QuestionnaireRecordFactory(
        candidate=candidate,
        answered_on=dt.date(2026, 10, 19),
        evaluated_on=dt.date(2026, 10, 26),
        meets_minimum=False,
        evaluation="<b>Evasive</b> on single payer",
    )
    page = client_as(bob).get(url("questionnaire_detail", chapter, candidate)).content.decode()
    assert "19 October 2026" in page
    assert '<span class="status status-failed">No</span>' in page
    assert "&lt;b&gt;Evasive&lt;/b&gt;" in page


def test_members_read_the_record_but_cannot_edit_it(client_as, chapter, bob, candidate):
    QuestionnaireRecordFactory(candidate=candidate)
    client = client_as(bob)
    page = client.get(url("questionnaire_detail", chapter, candidate))
    assert page.status_code == 200
    assert url("questionnaire_edit", chapter, candidate) not in page.content.decode()
    assert client.get(url("questionnaire_edit", chapter, candidate)).status_code == 403
    assert post(client, chapter, candidate, COMPLETE).status_code == 403
    assert QuestionnaireRecord.objects.get(candidate=candidate).answered_on is None


def test_another_chapters_user_reaches_no_record(
    client_as, chapter, other_chapter, charlie, candidate
):
    QuestionnaireRecordFactory(candidate=candidate)
    client = client_as(charlie)
    for name in ("questionnaire_detail", "questionnaire_edit"):
        assert client.get(url(name, other_chapter, candidate)).status_code == 404, name
    assert post(client, other_chapter, candidate, COMPLETE).status_code == 404
    assert QuestionnaireRecord.objects.get(candidate=candidate).answered_on is None


def test_the_verdict_starts_at_not_evaluated_yet_and_keeps_what_is_saved(
    client_as, chapter, alice, candidate
):
    client = client_as(alice)
    form = client.get(url("questionnaire_edit", chapter, candidate)).content.decode()
    assert 'value="unknown" id="id_meets_minimum_0" checked' in form
    QuestionnaireRecordFactory(
        candidate=candidate,
        answered_on=dt.date(2026, 10, 19),
        evaluated_on=dt.date(2026, 10, 26),
        meets_minimum=False,
    )
    form = client.get(url("questionnaire_edit", chapter, candidate)).content.decode()
    assert 'value="false" id="id_meets_minimum_2" checked' in form
