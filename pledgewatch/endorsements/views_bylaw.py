"""The chapter's rescission by-law (model text, draft, adoption, amendments), the chapter's
resources for candidates, and a candidate's talking points packet (printable, and sent by
email with the send recorded in the contact log).

Everyone in the chapter reads the by-law and the packets (VIEW_CANDIDATES); the committee
edits, adopts, amends, keeps the resources and sends packets (MANAGE_ENDORSEMENTS)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from pledgewatch.candidates.access import get_candidate_for
from pledgewatch.candidates.models import Candidate, ContactKind
from pledgewatch.chapters.access import chapter_view
from pledgewatch.core.permissions import Permission
from pledgewatch.endorsements import services_bylaw as services
from pledgewatch.endorsements import texts
from pledgewatch.endorsements.forms_bylaw import (
    AdoptionForm,
    BylawDraftForm,
    ResourceForm,
    SendTalkingPointsForm,
)
from pledgewatch.endorsements.models import Gate, Resource

# --- The by-law --------------------------------------------------------------------------------


def _bylaw_redirect(request: HttpRequest) -> HttpResponse:
    return redirect("endorsements:bylaw", slug=request.chapter.slug)


def _precedent() -> dict[str, str]:
    return {"title": texts.BYLAW_PRECEDENT_TITLE, "url": texts.BYLAW_PRECEDENT_URL}


@chapter_view(Permission.VIEW_CANDIDATES)
def bylaw(request: HttpRequest) -> HttpResponse:
    chapter = request.chapter
    current = services.bylaw_of(chapter)
    adopted = current is not None and current.adopted
    ctx: dict[str, Any] = {
        "bylaw": current,
        "adopted": adopted,
        "precedent": _precedent(),
        "gate_label": Gate.BYLAW.label,
        "petition_size": chapter.rescission_petition_size,
    }
    if adopted:
        ctx["bylaw_history"] = services.bylaw_history(chapter)
    else:
        ctx["has_draft"] = current is not None and bool(current.text)
        ctx["draft_text"] = services.draft_text(chapter)
    return TemplateResponse(request, "endorsements/bylaw_detail.html", ctx)


@chapter_view(Permission.MANAGE_ENDORSEMENTS)
def bylaw_edit(request: HttpRequest) -> HttpResponse:
    chapter = request.chapter
    current = services.bylaw_of(chapter)
    if current is not None and current.adopted:
        messages.info(request, "The by-law is adopted: a change to it is an amendment.")
        return redirect("endorsements:bylaw_amend", slug=chapter.slug)
    from_model = request.GET.get("from") == "model"
    start = texts.model_bylaw_text(chapter) if from_model else services.draft_text(chapter)
    form = BylawDraftForm(request.POST or None, initial={"text": start})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_draft(chapter=chapter, text=form.cleaned_data["text"], by=request.user)
        except services.BylawError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, "Draft saved. Once the chapter has voted on it, record the adoption."
            )
            return _bylaw_redirect(request)
    return TemplateResponse(
        request,
        "endorsements/bylaw_form.html",
        {
            "form": form,
            "has_draft": current is not None and bool(current.text),
            "from_model": from_model,
            "precedent": _precedent(),
            "petition_size": chapter.rescission_petition_size,
        },
    )


def _adoption_page(request: HttpRequest, *, amending: bool) -> HttpResponse:
    chapter = request.chapter
    current = services.bylaw_of(chapter)
    adopted = current is not None and current.adopted
    if amending and not adopted:
        messages.info(request, "The by-law is not adopted yet: record its adoption first.")
        return redirect("endorsements:bylaw_adopt", slug=chapter.slug)
    if not amending and adopted:
        messages.info(request, "The by-law is already adopted: record an amendment instead.")
        return redirect("endorsements:bylaw_amend", slug=chapter.slug)
    start = current.text if amending else services.draft_text(chapter)
    form = AdoptionForm(
        request.POST or None,
        chapter=chapter,
        current=current if amending else None,
        initial={"text": start, "votes_abstain": 0},
    )
    if request.method == "POST" and form.is_valid():
        change = services.amend if amending else services.adopt
        try:
            change(
                chapter=chapter,
                text=form.cleaned_data["text"],
                adoption=form.adoption(),
                by=request.user,
            )
        except services.BylawError as exc:
            form.add_error(None, str(exc))
        else:
            if amending:
                messages.success(request, "Amendment recorded. The earlier text is kept below.")
            else:
                messages.success(
                    request,
                    f"By-law adopted. The gate “{Gate.BYLAW.label}” is met for every candidate.",
                )
            return _bylaw_redirect(request)
    return TemplateResponse(
        request,
        "endorsements/bylaw_adoption_form.html",
        {"form": form, "amending": amending, "bylaw": current},
    )


@chapter_view(Permission.MANAGE_ENDORSEMENTS)
def bylaw_adopt(request: HttpRequest) -> HttpResponse:
    return _adoption_page(request, amending=False)


@chapter_view(Permission.MANAGE_ENDORSEMENTS)
def bylaw_amend(request: HttpRequest) -> HttpResponse:
    return _adoption_page(request, amending=True)


# --- Resources ---------------------------------------------------------------------------------


def _resource_for(request: HttpRequest, pk: int) -> Resource:
    """A resource of request.chapter, or 404."""
    return get_object_or_404(request.chapter.resources.all(), pk=pk)


def _resources_redirect(request: HttpRequest) -> HttpResponse:
    return redirect("endorsements:resource_list", slug=request.chapter.slug)


@chapter_view(Permission.MANAGE_ENDORSEMENTS)
def resource_list(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "endorsements/resource_list.html",
        {"resources": request.chapter.resources.all()},
    )


@chapter_view(Permission.MANAGE_ENDORSEMENTS)
def resource_add(request: HttpRequest) -> HttpResponse:
    chapter = request.chapter
    last = chapter.resources.order_by("-position").first()
    form = ResourceForm(
        request.POST or None,
        instance=Resource(chapter=chapter),
        initial={"position": last.position + 1 if last else 0},
    )
    if request.method == "POST" and form.is_valid():
        resource = services.add_resource(chapter=chapter, by=request.user, **form.cleaned_data)
        messages.success(request, f"“{resource.title}” added to the talking points packets.")
        return _resources_redirect(request)
    return TemplateResponse(request, "endorsements/resource_form.html", {"form": form})


@chapter_view(Permission.MANAGE_ENDORSEMENTS)
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _resource_for(request, pk)
    # The form validates a fresh instance, so the service sees the old values to audit them.
    form = ResourceForm(
        request.POST or None,
        instance=Resource(chapter=request.chapter),
        initial=model_to_dict(resource, fields=services.RESOURCE_FIELDS),
    )
    if request.method == "POST" and form.is_valid():
        services.change_resource(resource=resource, by=request.user, **form.cleaned_data)
        messages.success(request, f"“{resource.title}” saved.")
        return _resources_redirect(request)
    return TemplateResponse(
        request, "endorsements/resource_form.html", {"form": form, "resource": resource}
    )


@chapter_view(Permission.MANAGE_ENDORSEMENTS)
@require_POST
def resource_delete(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _resource_for(request, pk)
    title = resource.title
    services.delete_resource(resource=resource, by=request.user)
    messages.info(request, f"“{title}” removed from the talking points packets.")
    return _resources_redirect(request)


# --- The talking points packet -----------------------------------------------------------------


def _packet_page(
    request: HttpRequest, candidate: Candidate, form: SendTalkingPointsForm | None
) -> TemplateResponse:
    role = request.chapter_role
    ctx = services.packet_context(chapter=request.chapter, candidate=candidate)
    # The send form carries the campaign's address, and the sends name their recipients:
    # both stay out of the context for a role that may not send or see contacts.
    if role.has(Permission.MANAGE_ENDORSEMENTS) and role.has(Permission.VIEW_CONTACTS):
        ctx["form"] = form or SendTalkingPointsForm(initial={"to": candidate.email})
        ctx["sends"] = candidate.contacts.filter(kind=ContactKind.TALKING_POINTS)[:10]
    return TemplateResponse(request, "endorsements/talking_points.html", ctx)


@chapter_view(Permission.VIEW_CANDIDATES)
def talking_points(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_candidate_for(request, pk)
    return _packet_page(request, candidate, None)


@chapter_view(Permission.MANAGE_ENDORSEMENTS)
def talking_points_send(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_candidate_for(request, pk)
    if request.method != "POST":
        return redirect("endorsements:talking_points", slug=request.chapter.slug, pk=candidate.pk)
    form = SendTalkingPointsForm(request.POST)
    if form.is_valid():
        try:
            services.send_talking_points(
                candidate=candidate,
                to=form.cleaned_data["to"],
                message=form.cleaned_data["message"],
                by=request.user,
            )
        except services.SendError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Talking points sent to {form.cleaned_data['to']}, and noted in "
                f"{candidate.name}'s contact log.",
            )
            return redirect(
                "endorsements:talking_points", slug=request.chapter.slug, pk=candidate.pk
            )
    return _packet_page(request, candidate, form)
