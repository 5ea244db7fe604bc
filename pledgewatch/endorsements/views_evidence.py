"""The evidence pages of three gates, per candidate (pk = the candidate's id): the pledge (and
its stored copy), ballot access (with the reminders sent), and the questionnaire record.

Every member reads them (VIEW_CANDIDATES: the pledge is public, and so are the rest once the
chapter decides); the committee records and edits them (MANAGE_ENDORSEMENTS). An edit is a
plain POST that redirects to the record's page; errors come back on the form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.text import slugify

from pledgewatch.chapters.access import chapter_view
from pledgewatch.core.permissions import Permission
from pledgewatch.endorsements import board, gates
from pledgewatch.endorsements import services_evidence as services
from pledgewatch.endorsements.access import get_endorsement_for
from pledgewatch.endorsements.forms_evidence import (
    BallotAccessForm,
    PledgeForm,
    QuestionnaireRecordForm,
)
from pledgewatch.endorsements.models import (
    BallotAccess,
    BallotStatus,
    Endorsement,
    Gate,
    Pledge,
    QuestionnaireRecord,
)


def _gate(endorsement: Endorsement, gate: str) -> dict[str, Any]:
    """The gate's status for the page's header: state, evidence, what is missing."""
    status = next(g for g in gates.evaluate(endorsement) if g.gate == gate)
    return {
        "status": status,
        "css": board.GATE_CSS[status.state],
        "text": board.GATE_STATE_TEXT[status.state],
    }


def _context(request: HttpRequest, endorsement: Endorsement, gate: str) -> dict[str, Any]:
    return {
        "candidate": endorsement.candidate,
        "endorsement": endorsement,
        "gate": _gate(endorsement, gate),
        "today": services.local_today(request.chapter),  # type: ignore[attr-defined]
    }


# --- pledge --------------------------------------------------------------------------------


def _pledge_of(endorsement: Endorsement) -> Pledge | None:
    return Pledge.objects.filter(candidate=endorsement.candidate).first()


@chapter_view(Permission.VIEW_CANDIDATES)
def pledge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    endorsement = get_endorsement_for(request, pk)
    ctx = _context(request, endorsement, Gate.PLEDGE)
    ctx["pledge"] = _pledge_of(endorsement)
    ctx["scopes"] = services.scope_summary(request.chapter)  # type: ignore[attr-defined]
    return TemplateResponse(request, "endorsements/pledge_detail.html", ctx)


@chapter_view(Permission.MANAGE_ENDORSEMENTS)
def pledge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    endorsement = get_endorsement_for(request, pk)
    candidate = endorsement.candidate
    chapter = request.chapter  # type: ignore[attr-defined]
    pledge = _pledge_of(endorsement)
    form = PledgeForm(
        request.POST or None,
        request.FILES or None,
        # An instance of its own, and a new one by candidate_id (not candidate=, which would
        # make candidate.pledge this unsaved row): a form that fails validation leaves its
        # edits on its instance, and the page's gate must still read what is saved.
        instance=_pledge_of(endorsement) or Pledge(candidate_id=candidate.pk),
        today=services.local_today(chapter),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.save_pledge(
            candidate=candidate,
            text=data["text"],
            made_on=data["made_on"],
            url=data["url"],
            scope=data["scope"],
            upload=data.get("upload"),
            remove_document=data.get("remove_document", False),
            by=request.user,
        )
        messages.success(request, f"{candidate}'s pledge is recorded.")
        return redirect("endorsements:pledge_detail", slug=chapter.slug, pk=candidate.pk)
    ctx = _context(request, endorsement, Gate.PLEDGE)
    ctx.update(form=form, pledge=pledge, scopes=services.scope_summary(chapter))
    return TemplateResponse(request, "endorsements/pledge_form.html", ctx)


@chapter_view(Permission.VIEW_CANDIDATES)
def pledge_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored copy of the pledge, for logged-in members of the chapter only (uploads live
    under MEDIA_ROOT, which nothing serves directly). Its type comes from its content, checked
    again here, and is sent with nosniff (SecurityMiddleware), so it never runs as a page."""
    endorsement = get_endorsement_for(request, pk)
    pledge = _pledge_of(endorsement)
    if pledge is None or not pledge.document:
        raise Http404("No stored copy of this pledge.")
    try:
        with pledge.document.storage.open(pledge.document.name, "rb") as handle:
            content = handle.read()  # at most MAX_DOCUMENT_MB, checked on upload
    except FileNotFoundError:
        raise Http404("The stored copy is missing.") from None
    kind = services.sniff_document(content[:16])
    if kind is None:
        raise Http404("The stored copy is not a PDF or an image.")
    name = f"pledge-{slugify(endorsement.candidate.name) or 'candidate'}.{kind.extension}"
    response = HttpResponse(content, content_type=kind.content_type)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    if kind.content_type.startswith("image/"):
        # An image needs nothing else; browsers' PDF viewers refuse to run sandboxed.
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- ballot access -------------------------------------------------------------------------


def _ballot_of(endorsement: Endorsement) -> BallotAccess | None:
    return BallotAccess.objects.filter(candidate=endorsement.candidate).first()


def _ballot_context(access: BallotAccess | None, today: Any) -> dict[str, Any]:
    return {
        "access": access,
        "signatures": services.signature_progress(access),
        "days_left": services.days_until(access.filing_deadline if access else None, today),
        "reminder_days": services.REMINDER_DAYS,
        "pending": BallotStatus.PENDING,
    }


@chapter_view(Permission.VIEW_CANDIDATES)
def ballot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    endorsement = get_endorsement_for(request, pk)
    access = _ballot_of(endorsement)
    ctx = _context(request, endorsement, Gate.BALLOT)
    ctx.update(
        _ballot_context(access, ctx["today"]), reminders=access.reminders.all() if access else []
    )
    return TemplateResponse(request, "endorsements/ballot_detail.html", ctx)


@chapter_view(Permission.MANAGE_ENDORSEMENTS)
def ballot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    endorsement = get_endorsement_for(request, pk)
    candidate = endorsement.candidate
    chapter = request.chapter  # type: ignore[attr-defined]
    access = _ballot_of(endorsement)
    form = BallotAccessForm(
        request.POST or None,
        instance=_ballot_of(endorsement) or BallotAccess(candidate_id=candidate.pk),
        candidate=candidate,
        today=services.local_today(chapter),
    )
    if request.method == "POST" and form.is_valid():
        services.save_ballot_access(candidate=candidate, values=form.cleaned_data, by=request.user)
        messages.success(request, f"{candidate}'s ballot access is recorded.")
        return redirect("endorsements:ballot_detail", slug=chapter.slug, pk=candidate.pk)
    ctx = _context(request, endorsement, Gate.BALLOT)
    ctx.update(_ballot_context(access, ctx["today"]), form=form)
    return TemplateResponse(request, "endorsements/ballot_form.html", ctx)


# --- questionnaire record ------------------------------------------------------------------


def _questionnaire_of(endorsement: Endorsement) -> QuestionnaireRecord | None:
    return QuestionnaireRecord.objects.filter(candidate=endorsement.candidate).first()


def _criteria() -> dict[str, Any]:
    return {
        "criteria_quote": services.MINIMUM_CRITERIA_QUOTE,
        "criteria": services.MINIMUM_CRITERIA,
    }


@chapter_view(Permission.VIEW_CANDIDATES)
def questionnaire_detail(request: HttpRequest, pk: int) -> HttpResponse:
    endorsement = get_endorsement_for(request, pk)
    ctx = _context(request, endorsement, Gate.QUESTIONNAIRE)
    ctx.update(record=_questionnaire_of(endorsement), **_criteria())
    return TemplateResponse(request, "endorsements/questionnaire_detail.html", ctx)


@chapter_view(Permission.MANAGE_ENDORSEMENTS)
def questionnaire_edit(request: HttpRequest, pk: int) -> HttpResponse:
    endorsement = get_endorsement_for(request, pk)
    candidate = endorsement.candidate
    chapter = request.chapter  # type: ignore[attr-defined]
    record = _questionnaire_of(endorsement)
    form = QuestionnaireRecordForm(
        request.POST or None,
        instance=_questionnaire_of(endorsement) or QuestionnaireRecord(candidate_id=candidate.pk),
        today=services.local_today(chapter),
    )
    if request.method == "POST" and form.is_valid():
        services.save_questionnaire_record(
            candidate=candidate, values=form.cleaned_data, by=request.user
        )
        messages.success(request, f"{candidate}'s questionnaire record is saved.")
        return redirect("endorsements:questionnaire_detail", slug=chapter.slug, pk=candidate.pk)
    ctx = _context(request, endorsement, Gate.QUESTIONNAIRE)
    ctx.update(form=form, record=record, **_criteria())
    return TemplateResponse(request, "endorsements/questionnaire_form.html", ctx)
