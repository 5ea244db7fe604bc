"""The chapter's rescission by-law: the model text, the draft, the adoption vote, amendments
with their history, the gate it meets, its public partial, and who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.template.loader import render_to_string

from pledgewatch.core.models import AuditEvent
from pledgewatch.endorsements import gates, services_bylaw
from pledgewatch.endorsements.models import Gate, RescissionBylaw
from pledgewatch.endorsements.services_bylaw import Adoption, BylawError
from pledgewatch.endorsements.texts import BYLAW_PRECEDENT_URL, model_bylaw_text
from tests.endorsements.factories import EndorsementFactory, RescissionBylawFactory
from tests.finance.factories import CandidateFactory

URL = "/c/lakeshore/pipeline/bylaw/"
# 03:00 UTC on 21 September is still 20 September in Chicago (the test chapter's time zone).
NOW = dt.datetime(2026, 9, 21, 3, 0, tzinfo=dt.UTC)


def adoption_data(**overrides):
    data = {
        "text": "Members in good standing may petition to rescind an endorsement.",
        "adopted_on": "2026-09-20",
        "adopted_by_body": "General meeting",
        "votes_yes": "84",
        "votes_no": "6",
        "votes_abstain": "3",
        "minutes_url": "https://example.org/minutes/2026-09",
    }
    return {**data, **overrides}


def adopted_bylaw(chapter, text="The first adopted text.", on=dt.date(2026, 9, 1)):
    return services_bylaw.adopt(
        chapter=chapter,
        text=text,
        adoption=Adoption(on, "General meeting", 40, 2, 1, "https://example.org/m1"),
        by=None,
    )


def bylaw_gate(candidate):
    endorsement = EndorsementFactory(candidate=candidate)
    return next(g for g in gates.evaluate(endorsement) if g.gate == Gate.BYLAW)


# --- The model text ------------------------------------------------------------------------------


def test_model_text_fills_in_the_chapters_petition_size_and_credits_the_precedent(chapter):
    chapter.rescission_petition_size = 7
    text = model_bylaw_text(chapter)
    assert "no fewer than seven (7) members of Lakeshore DSA in good standing" in text
    assert "campaign-finance filings" in text
    assert BYLAW_PRECEDENT_URL in text and "2:18:4" in text

    chapter.rescission_petition_size = 1
    assert "no fewer than one (1) member of Lakeshore DSA" in model_bylaw_text(chapter)
    chapter.rescission_petition_size = 150
    assert "no fewer than 150 members of Lakeshore DSA" in model_bylaw_text(chapter)


def test_every_member_reads_the_model_text_until_the_chapter_has_a_draft(client_as, bob, chapter):
    chapter.rescission_petition_size = 12
    chapter.save()
    page = client_as(bob).get(URL).content.decode()
    assert "no fewer than twelve (12) members of Lakeshore DSA" in page
    assert "Not adopted" in page and BYLAW_PRECEDENT_URL in page
    # Bob reads it; the links to change it are the committee's.
    assert "Record the adoption" not in page and "/bylaw/edit/" not in page


# --- The draft -----------------------------------------------------------------------------------


def test_the_committee_edits_a_draft_starting_from_the_model_text(
    client_as, committee_member, chapter
):
    client = client_as(committee_member)
    form = client.get(f"{URL}edit/").context["form"]
    assert form.initial["text"] == model_bylaw_text(chapter)

    blank = client.post(f"{URL}edit/", {"text": " "}).content.decode()
    assert "The by-law needs its text." in blank
    assert not RescissionBylaw.objects.exists()

    response = client.post(f"{URL}edit/", {"text": "Our draft.\n\nFive members may petition."})
    assert response["Location"] == URL
    bylaw = RescissionBylaw.objects.get(chapter=chapter)
    assert bylaw.text == "Our draft.\n\nFive members may petition." and not bylaw.adopted
    assert bylaw.updated_by == committee_member
    event = AuditEvent.objects.get(action="bylaw.draft_saved")
    assert event.actor == committee_member and event.data["text"].startswith("Our draft.")

    page = client.get(URL).content.decode()
    assert "<p>Our draft.</p>" in page and "Not adopted" in page
    # Editing again starts from the draft, or from the model text on request.
    assert client.get(f"{URL}edit/").context["form"].initial["text"].startswith("Our draft.")
    again = client.get(f"{URL}edit/?from=model").context["form"].initial["text"]
    assert again == model_bylaw_text(chapter)
    # A draft does not meet the gate.
    assert not bylaw_gate(CandidateFactory(chapter=chapter)).met


# --- Adoption ------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_adoption_is_recorded_and_meets_the_gate_for_every_candidate(
    client_as, committee_member, chapter
):
    first, second = CandidateFactory(chapter=chapter), CandidateFactory(chapter=chapter)
    assert not bylaw_gate(first).met
    client = client_as(committee_member)
    form = client.get(f"{URL}adopt/").context["form"]
    assert form.initial["text"] == model_bylaw_text(chapter)

    response = client.post(f"{URL}adopt/", adoption_data())
    assert response["Location"] == URL
    bylaw = RescissionBylaw.objects.get(chapter=chapter)
    assert bylaw.adopted_on == dt.date(2026, 9, 20)
    assert (bylaw.votes_yes, bylaw.votes_no, bylaw.votes_abstain) == (84, 6, 3)
    assert bylaw.adopted_by_body == "General meeting"
    assert bylaw.minutes_url == "https://example.org/minutes/2026-09"
    event = AuditEvent.objects.get(action="bylaw.adopted")
    assert event.actor == committee_member
    assert event.data["adopted"]["votes_yes"] == 84

    for candidate in (first, second):
        gate = bylaw_gate(candidate)
        assert gate.met and gate.evidence == "Adopted 20 Sep 2026"

    page = client.get(URL).content.decode()
    assert "Adopted on 20 September 2026 by General meeting: 84 yes, 6 no, 3 abstaining" in page
    assert "Members in good standing may petition" in page and "Not adopted" not in page


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        # Tomorrow in Chicago, although it is already 21 September in UTC.
        ({"adopted_on": "2026-09-21"}, "adopted_on", "The date cannot be in the future"),
        ({"adopted_on": "20/09/2026"}, "adopted_on", "Give a date such as 2026-09-20."),
        ({"adopted_on": ""}, "adopted_on", "Give the date the chapter voted."),
        ({"votes_no": "-1"}, "votes_no", "A count cannot be below zero."),
        ({"votes_abstain": "-3"}, "votes_abstain", "A count cannot be below zero."),
        ({"votes_yes": "many"}, "votes_yes", "Give a whole number, such as 42."),
        ({"votes_yes": ""}, "votes_yes", "Give the count (0 if none)."),
        ({"votes_yes": "6"}, "votes_yes", "more yes votes than no votes"),
        ({"adopted_by_body": ""}, "adopted_by_body", "Say which body adopted the by-law."),
        ({"minutes_url": "javascript:alert(1)"}, "minutes_url", "Give a full web address"),
        ({"text": ""}, "text", "The by-law needs its text."),
    ],
)
def test_an_adoption_is_refused_with_a_clear_message(
    change, field, message, client_as, committee_member, chapter
):
    response = client_as(committee_member).post(f"{URL}adopt/", adoption_data(**change))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    # The error is on the page, linked to its field.
    assert f'aria-describedby="id_{field}' in response.content.decode()
    assert not RescissionBylaw.objects.filter(adopted_on__isnull=False).exists()


@time_machine.travel(NOW, tick=False)
def test_the_service_refuses_what_the_form_refuses(chapter):
    def adoption(**kw):
        fields = {
            "adopted_on": dt.date(2026, 9, 20),
            "adopted_by_body": "General meeting",
            "votes_yes": 10,
            "votes_no": 1,
            "votes_abstain": 0,
        }
        return Adoption(**{**fields, **kw})

    for bad, message in [
        (adoption(adopted_on=dt.date(2026, 9, 21)), "in the future"),
        (adoption(votes_abstain=-1), "zero or more"),
        (adoption(votes_yes=1, votes_no=1), "more yes votes"),
        (adoption(adopted_by_body=" "), "which body"),
    ]:
        with pytest.raises(BylawError, match=message):
            services_bylaw.adopt(chapter=chapter, text="Text.", adoption=bad, by=None)
    assert not RescissionBylaw.objects.exists()


# --- Amendments ----------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_an_adopted_bylaw_changes_only_by_an_amendment_that_keeps_the_history(
    client_as, committee_member, chapter
):
    adopted_bylaw(chapter, text="The first adopted text.", on=dt.date(2026, 9, 1))
    client = client_as(committee_member)
    # Editing the draft and adopting again lead to the amendment.
    assert client.get(f"{URL}edit/")["Location"] == f"{URL}amend/"
    assert client.post(f"{URL}edit/", {"text": "Sneaky"})["Location"] == f"{URL}amend/"
    assert client.post(f"{URL}adopt/", adoption_data())["Location"] == f"{URL}amend/"
    with pytest.raises(BylawError, match="amendment"):
        services_bylaw.save_draft(chapter=chapter, text="Sneaky", by=committee_member)
    assert RescissionBylaw.objects.get().text == "The first adopted text."

    form = client.get(f"{URL}amend/").context["form"]
    assert form.initial["text"] == "The first adopted text."
    same = client.post(f"{URL}amend/", adoption_data(text="The first adopted text."))
    assert "This is the text already adopted" in same.content.decode()
    earlier = client.post(f"{URL}amend/", adoption_data(text="New.", adopted_on="2026-08-01"))
    assert "cannot be dated before the by-law it amends" in earlier.content.decode()
    assert RescissionBylaw.objects.get().text == "The first adopted text."

    response = client.post(
        f"{URL}amend/", adoption_data(text="The amended text.", votes_yes="50", votes_no="9")
    )
    assert response["Location"] == URL
    bylaw = RescissionBylaw.objects.get()
    assert bylaw.text == "The amended text." and bylaw.adopted_on == dt.date(2026, 9, 20)
    assert (bylaw.votes_yes, bylaw.votes_no) == (50, 9)

    event = AuditEvent.objects.get(action="bylaw.amended")
    assert event.actor == committee_member
    assert event.data["previous"]["text"] == "The first adopted text."
    assert event.data["previous"]["adopted_on"] == "2026-09-01"
    assert event.data["adopted"]["text"] == "The amended text."

    [version] = services_bylaw.bylaw_history(chapter)
    assert version.text == "The first adopted text."
    assert version.adopted_on == dt.date(2026, 9, 1) and version.votes_yes == 40
    assert version.replaced_on == dt.date(2026, 9, 20)

    page = client.get(URL).content.decode()
    assert "The amended text." in page and "Earlier versions" in page
    assert "The first adopted text." in page and "Adopted 1 September 2026" in page


def test_an_amendment_needs_an_adopted_bylaw(client_as, committee_member, chapter):
    client = client_as(committee_member)
    assert client.get(f"{URL}amend/")["Location"] == f"{URL}adopt/"
    with pytest.raises(BylawError, match="not adopted yet"):
        services_bylaw.amend(
            chapter=chapter,
            text="Text.",
            adoption=Adoption(dt.date(2026, 1, 5), "General meeting", 5, 1, 0),
            by=None,
        )


def test_a_bylaw_adopted_without_history_shows_none(client_as, bob, chapter):
    # As the demo data makes it: adopted, with no audit events.
    RescissionBylawFactory(chapter=chapter, adopted_on=dt.date(2026, 9, 20), votes_yes=3)
    page = client_as(bob).get(URL).content.decode()
    assert "Adopted on 20 September 2026" in page and "Earlier versions" not in page


# --- Escaping and the public partial -------------------------------------------------------------


def test_the_chapters_text_is_escaped_on_every_page(client_as, committee_member, chapter):
    hostile = '<script>alert("x")</script> & <a href="javascript:evil()">click</a>'
    client = client_as(committee_member)
    client.post(f"{URL}edit/", {"text": hostile})
    page = client.get(URL).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert 'href="javascript:' not in page

    RescissionBylaw.objects.filter(chapter=chapter).update(
        adopted_on=dt.date(2026, 9, 1),
        adopted_by_body="<b>General</b> meeting",
        votes_yes=10,
        votes_no=0,
        votes_abstain=0,
    )
    for html in (
        client.get(URL).content.decode(),
        render_to_string(
            "endorsements/_bylaw_public.html", {"bylaw": RescissionBylaw.objects.get()}
        ),
    ):
        assert "<script>alert" not in html and "&lt;script&gt;alert" in html
        assert 'href="javascript:' not in html
        assert "<b>General</b>" not in html and "&lt;b&gt;General&lt;/b&gt; meeting" in html


def test_the_public_partial_shows_the_adopted_bylaw_with_its_vote(chapter):
    bylaw = adopted_bylaw(chapter, text="Para one.\n\nSee https://example.org/bylaws for more.")
    html = render_to_string(
        "endorsements/_bylaw_public.html",
        {"bylaw": bylaw, "bylaw_history": services_bylaw.bylaw_history(chapter)},
    )
    assert "Lakeshore DSA's rescission by-law" in html
    assert "Adopted on 1 September 2026 by General meeting: 40 yes, 2 no, 1 abstaining." in html
    assert '<a href="https://example.org/m1"' in html
    assert "<p>Para one.</p>" in html
    assert '<a href="https://example.org/bylaws"' in html  # links in the text become links
    assert "Earlier versions" not in html


# --- Permissions ---------------------------------------------------------------------------------


def test_a_plain_member_cannot_edit_adopt_or_amend(client_as, bob, chapter):
    client = client_as(bob)
    assert client.get(URL).status_code == 200
    for path in ("edit/", "adopt/", "amend/"):
        assert client.get(f"{URL}{path}").status_code == 403
        assert client.post(f"{URL}{path}", adoption_data()).status_code == 403
    assert not RescissionBylaw.objects.exists()


def test_another_chapters_admin_sees_nothing_of_this_bylaw(client_as, charlie, chapter):
    adopted_bylaw(chapter, text="Lakeshore's own text.")
    client = client_as(charlie)
    assert client.get(URL).status_code == 404
    assert client.post(f"{URL}amend/", adoption_data(text="Hijacked.")).status_code == 404
    # Charlie's own chapter has no by-law: Lakeshore's text does not leak into it.
    page = client.get("/c/harbor-city/pipeline/bylaw/").content.decode()
    assert "Lakeshore's own text." not in page and "Harbor City DSA" in page
    assert RescissionBylaw.objects.get(chapter=chapter).text == "Lakeshore's own text."
