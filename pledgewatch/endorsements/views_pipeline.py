"""The pipeline pages: the chapter's board, a candidate's endorsement page (stage, history,
gates, waivers, the finance decision, and the committee's forms to move, waive and decide), and
the chapter's gate settings.

Every member reads the board and the endorsement pages (waiver reasons are public anyway);
moves, waivers and finance decisions need MANAGE_ENDORSEMENTS (the committee); turning a gate
off for the whole chapter needs MANAGE_GATES (admins). Every change is a plain POST that
redirects back; a refusal (TransitionError) is shown as the form's error on the same page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from pledgewatch.candidates.models import Candidate
from pledgewatch.chapters.access import chapter_view
from pledgewatch.core.htmx import render_page_or_partial
from pledgewatch.core.permissions import Permission
from pledgewatch.endorsements import board, gates, services, states
from pledgewatch.endorsements.access import get_endorsement_for, get_waiver_for
from pledgewatch.endorsements.forms_pipeline import (
    FinanceDecisionForm,
    GateSettingForm,
    MoveForm,
    RaceFilterForm,
    WaiveForm,
    gate_auto_id,
)
from pledgewatch.endorsements.models import Endorsement, Gate, GateSetting, Stage


@chapter_view(Permission.VIEW_CANDIDATES)
def board_view(request: HttpRequest) -> HttpResponse:
    chapter = request.chapter  # type: ignore[attr-defined]
    form = RaceFilterForm(request.GET or None, chapter=chapter)
    candidates = Candidate.objects.for_chapter(chapter)
    race = None
    if form.is_bound and form.is_valid():
        race = form.cleaned_data["race"]
        if race is not None:
            candidates = candidates.filter(race=race)
    columns = board.columns(candidates)
    off = gates.disabled_gates(chapter)
    return render_page_or_partial(
        request,
        "endorsements/board.html",
        "results",
        {
            "form": form,
            "race": race,
            "columns": columns,
            "total": sum(len(c.cards) for c in columns),
            "off_gates": [g.label for g in Gate if g.value in off],
            "announce": bool(getattr(request, "htmx", False)),
        },
    )


@chapter_view(Permission.VIEW_CANDIDATES)
def endorsement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    endorsement = get_endorsement_for(request, pk)
    return _detail(request, endorsement)


def _detail(
    request: HttpRequest,
    endorsement: Endorsement,
    *,
    move_form: MoveForm | None = None,
    waive_form: WaiveForm | None = None,
    finance_form: FinanceDecisionForm | None = None,
    focus: str = "",
) -> TemplateResponse:
    """The endorsement page, with the form just posted (and its errors) when there is one."""
    role = request.chapter_role  # type: ignore[attr-defined]
    candidate = endorsement.candidate
    rows = board.gate_rows(endorsement, role)
    unmet = [r for r in rows if not r.satisfied]
    can_manage = role.has(Permission.MANAGE_ENDORSEMENTS)
    ctx: dict[str, Any] = {
        "candidate": candidate,
        "endorsement": endorsement,
        "progress": board.progress(endorsement),
        "gate_rows": rows,
        "unmet": unmet,
        "transitions": endorsement.transitions.select_related("by"),
        "waivers": endorsement.waivers.select_related("by", "withdrawn_by"),
        # A decision on findings may name donors: only for those who may see donors.
        "finance_decisions": (
            endorsement.finance_decisions.select_related("by")
            if role.has(Permission.VIEW_DONORS)
            else []
        ),
        "can_manage": can_manage,
        # Waivers stay on the record once the vote has opened (services.OPEN_STAGES).
        "waivers_open": endorsement.stage in services.OPEN_STAGES,
        # The vote is the next step but cannot open: say so, whoever reads the page.
        "vote_blocked": bool(unmet) and states.can_move(endorsement.stage, Stage.VOTE),
        "focus": focus,
    }
    if can_manage:
        move_form = move_form or MoveForm(endorsement=endorsement)
        chosen = move_form.data.get("to") if move_form.is_bound else None
        ctx["move_form"] = move_form
        ctx["move_options"] = [
            {
                "value": value,
                "label": label,
                "stage_label": Stage(value).label,
                "blocked": value == Stage.VOTE and bool(unmet),
                "checked": value == chosen,
            }
            for value, label in move_form.fields["to"].choices
        ]
        posted_gate = waive_form.data.get("gate") if waive_form is not None else None
        for row in unmet:
            if row.gate == posted_gate:
                row.waive_form = waive_form
            else:
                row.waive_form = WaiveForm(
                    initial={"gate": row.gate}, auto_id=gate_auto_id("waive", row.gate)
                )
        if waive_form is not None and posted_gate not in {r.gate for r in unmet}:
            # The gate was waived or met meanwhile: say why nothing changed, at the top.
            ctx["waive_errors"] = [e for errors in waive_form.errors.values() for e in errors]
        ctx["finance_form"] = finance_form or FinanceDecisionForm()
    return TemplateResponse(request, "endorsements/endorsement_detail.html", ctx)


def _to_detail(request: HttpRequest, candidate_pk: int, anchor: str = "") -> HttpResponse:
    response = redirect(
        "endorsements:endorsement_detail",
        slug=request.chapter.slug,  # type: ignore[attr-defined]
        pk=candidate_pk,
    )
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@chapter_view(Permission.MANAGE_ENDORSEMENTS)
@require_POST
def endorsement_move(request: HttpRequest, pk: int) -> HttpResponse:
    endorsement = get_endorsement_for(request, pk)
    form = MoveForm(request.POST, endorsement=endorsement)
    if form.is_valid():
        to = form.cleaned_data["to"]
        try:
            services.move(
                endorsement=endorsement,
                to=to,
                reason=form.cleaned_data["reason"],
                by=request.user,
                votes=form.get_votes(),
                statement=form.get_statement(),
            )
        except services.TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"{endorsement.candidate.name}: {states.action_label(endorsement.stage, to)} "
                f"done. Now at “{Stage(to).label}”.",
            )
            return _to_detail(request, pk)
    return _detail(request, endorsement, move_form=form, focus="move")


@chapter_view(Permission.MANAGE_ENDORSEMENTS)
@require_POST
def gate_waive(request: HttpRequest, pk: int) -> HttpResponse:
    endorsement = get_endorsement_for(request, pk)
    form = WaiveForm(request.POST, auto_id=gate_auto_id("waive", request.POST.get("gate")))
    if form.is_valid():
        gate = form.cleaned_data["gate"]
        try:
            services.waive(
                endorsement=endorsement,
                gate=gate,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except services.TransitionError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(
                request, f"“{Gate(gate).label}” waived for {endorsement.candidate.name}."
            )
            return _to_detail(request, pk, f"gate-{gate}")
    return _detail(request, endorsement, waive_form=form, focus="waive")


@chapter_view(Permission.MANAGE_ENDORSEMENTS)
@require_POST
def waiver_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    waiver = get_waiver_for(request, pk)
    candidate = waiver.endorsement.candidate
    try:
        services.withdraw_waiver(waiver=waiver, by=request.user)
    except services.TransitionError as error:
        messages.error(request, str(error))
        return _to_detail(request, candidate.pk, "waivers")
    messages.info(
        request,
        f"Waiver of “{Gate(waiver.gate).label}” withdrawn: the gate applies to {candidate.name} "
        "again.",
    )
    return _to_detail(request, candidate.pk, f"gate-{waiver.gate}")


@chapter_view(Permission.MANAGE_ENDORSEMENTS)
@require_POST
def finance_decision(request: HttpRequest, pk: int) -> HttpResponse:
    endorsement = get_endorsement_for(request, pk)
    form = FinanceDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.record_finance_decision(
                endorsement=endorsement, text=form.cleaned_data["text"], by=request.user
            )
        except services.TransitionError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, "The committee's finance decision is recorded.")
            return _to_detail(request, pk, f"gate-{Gate.FINANCE}")
    return _detail(request, endorsement, finance_form=form, focus="finance")


@chapter_view(Permission.MANAGE_GATES)
def gate_settings(request: HttpRequest) -> HttpResponse:
    chapter = request.chapter  # type: ignore[attr-defined]
    posted: GateSettingForm | None = None
    if request.method == "POST":
        posted = GateSettingForm(
            request.POST, auto_id=gate_auto_id("gate", request.POST.get("gate"))
        )
        if posted.is_valid():
            gate = posted.cleaned_data["gate"]
            enabled = posted.cleaned_data["enabled"]
            try:
                services.set_gate(
                    chapter=chapter,
                    gate=gate,
                    enabled=enabled,
                    reason=posted.cleaned_data["reason"],
                    by=request.user,
                )
            except services.TransitionError as error:
                posted.add_error("reason", str(error))
            else:
                messages.success(
                    request,
                    f"“{Gate(gate).label}” is now {'on' if enabled else 'off'} for every "
                    "candidate.",
                )
                return redirect("endorsements:gate_settings", slug=chapter.slug)
    settings_by_gate = {
        s.gate: s for s in GateSetting.objects.filter(chapter=chapter).select_related("changed_by")
    }
    posted_gate = posted.data.get("gate") if posted is not None else None
    rows = []
    for gate in Gate:
        setting = settings_by_gate.get(gate.value)
        enabled = setting.enabled if setting else True
        if posted is not None and posted_gate == gate.value:
            form = posted
        else:
            form = GateSettingForm(
                initial={"gate": gate.value, "enabled": "off" if enabled else "on"},
                auto_id=gate_auto_id("gate", gate.value),
            )
        rows.append({"gate": gate.value, "label": gate.label, "enabled": enabled,
                     "setting": setting, "form": form})  # fmt: skip
    return TemplateResponse(
        request, "endorsements/gate_settings.html", {"rows": rows, "posted_gate": posted_gate}
    )
