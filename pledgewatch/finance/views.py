"""Campaign-finance pages: imports (upload, FEC API), findings and their review, and the
chapter's conflict policy.

Who sees what: totals by tier and organization are on the candidate's page for a role with
VIEW_FINANCE_SUMMARY, every role today (candidates.views); donor names, employers and findings
need VIEW_DONORS, because contributor names may be used only as 52 U.S.C. 30111(a)(4) allows;
imports and reviews need MANAGE_FINANCE; the policy needs EDIT_POLICY.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from pledgewatch.candidates.access import get_candidate_for
from pledgewatch.candidates.models import Candidate, Jurisdiction
from pledgewatch.chapters.access import chapter_view
from pledgewatch.core.htmx import render_page_or_partial
from pledgewatch.core.permissions import Permission
from pledgewatch.finance import access, services
from pledgewatch.finance.forms import (
    AliasForm,
    ApiFetchForm,
    ColumnMappingForm,
    FindingFilterForm,
    NeverFlagForm,
    OrganizationFilterForm,
    OrganizationForm,
    PolicyForm,
    ReviewForm,
    UploadForm,
)
from pledgewatch.finance.models import Finding, ImportStatus, ReviewDecision
from pledgewatch.finance.services import FinanceError

# --- imports ------------------------------------------------------------------------------


@chapter_view(Permission.MANAGE_FINANCE)
def import_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a filing or spreadsheet for a candidate; the candidate's earlier imports."""
    candidate = get_candidate_for(request, pk)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = services.start_upload_import(
                    candidate=candidate,
                    upload=form.cleaned_data["file"],
                    mapping=form.cleaned_data["mapping"],
                    sheet=form.cleaned_data["sheet"],
                    by=request.user,
                )
            except FinanceError as exc:
                form.add_error("file", str(exc))
            else:
                return redirect("finance:import_detail", slug=request.chapter.slug, pk=job.pk)
    else:
        form = UploadForm()
    imports = candidate.finance_imports.select_related("uploaded_by")[:20]
    return TemplateResponse(
        request,
        "finance/financeimport_list.html",
        {"candidate": candidate, "form": form, "imports": imports},
    )


@chapter_view(Permission.MANAGE_FINANCE)
def import_fetch(request: HttpRequest, pk: int) -> HttpResponse:
    """Fetch a committee's itemized receipts from the FEC's API."""
    candidate = get_candidate_for(request, pk)
    has_key = bool(settings.OPENFEC_API_KEY)
    form = ApiFetchForm(request.POST or None, candidate=candidate)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.start_api_import(
                candidate=candidate,
                committee_id=form.cleaned_data["committee_id"],
                cycle=form.cleaned_data["cycle"],
                by=request.user,
            )
        except FinanceError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("finance:import_detail", slug=request.chapter.slug, pk=job.pk)
    return TemplateResponse(
        request,
        "finance/financeimport_fetch.html",
        {
            "candidate": candidate,
            "form": form,
            "has_key": has_key,
            "has_committees": candidate.committees.filter(jurisdiction=Jurisdiction.FEC).exists(),
        },
    )


def _mapping_form(job, data=None) -> ColumnMappingForm:
    from pledgewatch.finance.importers import tabular

    fields, required, alternatives = services.mapping_fields()
    return ColumnMappingForm(
        data,
        headers=job.headers,
        fields=fields,
        required=required,
        alternatives=alternatives,
        guesses=dict(tabular.guess_mapping(job.headers) or {}),
    )


@chapter_view(Permission.MANAGE_FINANCE)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = access.get_import_for(request, pk)
    form = None
    if job.status == ImportStatus.NEEDS_MAPPING:
        form = _mapping_form(job, request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.set_mapping(job=job, mapping=form.mapping(), by=request.user)
            except FinanceError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("finance:import_detail", slug=request.chapter.slug, pk=pk)
    elif request.method == "POST":
        return redirect("finance:import_detail", slug=request.chapter.slug, pk=pk)
    filings = None
    if job.status == ImportStatus.SUCCEEDED:
        filings = job.filings.select_related("superseded_by")
    return render_page_or_partial(
        request,
        "finance/financeimport_detail.html",
        "progress",
        {"job": job, "candidate": job.candidate, "form": form, "filings": filings},
    )


@chapter_view(Permission.MANAGE_FINANCE)
@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = access.get_import_for(request, pk)
    if job.status in (ImportStatus.NEEDS_MAPPING, ImportStatus.QUEUED):
        services.cancel_import(job=job, by=request.user)
        messages.info(request, "The import was cancelled; nothing was changed.")
    return redirect("finance:import_list", slug=request.chapter.slug, pk=job.candidate_id)


@chapter_view(Permission.MANAGE_FINANCE)
@require_POST
def rescreen(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_candidate_for(request, pk)
    services.queue_rescreen(candidate=candidate, by=request.user)
    messages.success(
        request, "The filings are being screened again; reviews are kept with their findings."
    )
    return redirect("candidates:candidate_detail", slug=request.chapter.slug, pk=candidate.pk)


# --- findings -----------------------------------------------------------------------------


def _filter_form(candidate: Candidate, data: Any) -> FindingFilterForm:
    entities = list(
        candidate.findings.order_by("entity_name").values_list("entity_name", flat=True).distinct()
    )
    filings = [
        (str(f.pk), f"{f}{' (replaced by an amendment)' if f.superseded_by_id else ''}")
        for f in candidate.filings.all()
    ]
    return FindingFilterForm(data, entities=entities, filings=filings)


@chapter_view(Permission.VIEW_DONORS)
def finding_list(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_candidate_for(request, pk)
    form = _filter_form(candidate, request.GET)
    findings = candidate.findings.select_related("contribution__stored_filing")
    status = ""
    if form.is_valid():
        data = form.cleaned_data
        status = data["status"]
        if data["tier"]:
            findings = findings.filter(tier=data["tier"])
        if data["entity"]:
            findings = findings.filter(entity_name=data["entity"])
        if data["rule"]:
            findings = findings.filter(rule=data["rule"])
        if data["filing"]:
            findings = findings.filter(contribution__stored_filing_id=data["filing"])
    findings = findings.filter(status=status) if status else findings.current()
    page = Paginator(findings.order_by("tier", "entity_name", "-net_amount", "id"), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render_page_or_partial(
        request,
        "finance/finding_list.html",
        "results",
        {
            "candidate": candidate,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "summary": candidate.findings.summary(),
            # An htmx filter also tells the page's live region how many findings match.
            "announce": bool(request.htmx),
            **_row_context(request, request.get_full_path()),
        },
    )


def _row_context(
    request: HttpRequest, next_url: str, form: ReviewForm | None = None
) -> dict[str, Any]:
    """What a findings-table row needs for its inline review form. `form` is the review just
    posted from that row (htmx), whose errors and values the row shows again."""
    errors = [e for field_errors in form.errors.values() for e in field_errors] if form else []
    return {
        "can_review": request.chapter_role.has(Permission.MANAGE_FINANCE),
        "review_choices": ReviewDecision.choices,
        "next_url": next_url,
        "row_errors": errors,
        "row_status": form.data.get("status", "") if form is not None and errors else "",
        "row_reason": form.data.get("reason", "") if form is not None and errors else "",
        # Where focus goes once htmx has swapped the row in: the first field to fix, or the
        # row's new status (the element it was on, the form's button, is gone).
        "row_focus": _row_focus(form),
    }


def _row_focus(form: ReviewForm | None) -> str:
    if form is None:
        return ""
    if "status" in form.errors:
        return "status"
    if "reason" in form.errors:
        return "reason"
    return "badge"


@chapter_view(Permission.VIEW_DONORS)
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = access.get_finding_for(request, pk)
    return TemplateResponse(
        request, "finance/finding_detail.html", _finding_context(request, finding)
    )


def _finding_context(
    request: HttpRequest, finding: Finding, form: ReviewForm | None = None
) -> dict[str, Any]:
    return {
        "finding": finding,
        "candidate": finding.candidate,
        "contribution": finding.contribution,
        "filing": finding.contribution.stored_filing,
        "reviews": review_history(finding),
        "review_form": form or ReviewForm(),
        "can_review": request.chapter_role.has(Permission.MANAGE_FINANCE),
    }


# A review as its history entry says it: "Dismissed by Alex Organizer on 28 Nov 2026: not a
# conflict — the reason". The verb is the status the decision set; what it means is the part
# of the decision's label after its colon ("Dismiss: not a conflict").
REVIEW_VERBS = {
    ReviewDecision.CONFIRMED: "Confirmed",
    ReviewDecision.DISMISSED: "Dismissed",
    ReviewDecision.OPEN: "Reopened",
}


def review_history(finding: Finding) -> list[dict[str, Any]]:
    """Every review of a finding, newest first (reviews are never changed or deleted)."""
    entries = []
    for review in finding.reviews.select_related("by").order_by("-at", "-id"):
        label = review.get_status_display()
        action, _, meaning = label.partition(": ")
        entries.append(
            {
                "verb": REVIEW_VERBS.get(review.status, action),
                "meaning": meaning,
                # A review carried over from an amended report has no person (`reviewer`).
                "by": getattr(review, "reviewer", None) or review.by,
                "at": review.at,
                "reason": review.reason,
            }
        )
    return entries


@chapter_view(Permission.MANAGE_FINANCE)
@require_POST
def finding_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, dismiss or reopen a finding, with a reason. From the findings table (htmx
    swaps that row) or the finding's page (htmx swaps its review section); without htmx,
    post/redirect/get."""
    finding = access.get_finding_for(request, pk)
    form = ReviewForm(request.POST)
    from_list = request.POST.get("from") == "list"
    saved = False
    if form.is_valid():
        try:
            services.review_finding(
                finding=finding,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except FinanceError as exc:
            form.add_error(None, str(exc))
        else:
            finding.refresh_from_db()
            if not request.htmx:
                messages.success(request, f"Finding marked {finding.get_status_display()}.")
                return redirect(_next_url(request, finding, from_list=from_list))
            saved = True
    if request.htmx and from_list:
        # The row, with focus on its new status (or the field to fix), and a sentence for the
        # page's live region and its counts, swapped out of band.
        ctx = {
            "f": finding,
            "saved": saved,
            "summary": finding.candidate.findings.summary(),
            **_row_context(request, request.POST.get("next", ""), form),
        }
        return TemplateResponse(request, "finance/finding_list.html#row_swap", ctx)
    ctx = _finding_context(request, finding, None if saved else form)
    if request.htmx:
        # Focus goes to the new status, or to the first field to fix: the button it was on
        # is swapped out with the section.
        focus = "badge" if saved else _row_focus(form)
        if focus in form.fields:
            form.fields[focus].widget.attrs["autofocus"] = True
        ctx.update(saved=saved, review_focus=focus)
        return TemplateResponse(request, "finance/finding_detail.html#review", ctx)
    return TemplateResponse(request, "finance/finding_detail.html", ctx)


def _next_url(request: HttpRequest, finding: Finding, *, from_list: bool = False) -> str:
    """Back where the review form was: the findings table (at the finding's row), or the
    finding's page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        if from_list:
            return f"{target.split('#', 1)[0]}#finding-{finding.pk}"
        return target
    return reverse(
        "finance:finding_detail", kwargs={"slug": request.chapter.slug, "pk": finding.pk}
    )


# --- the conflict policy ------------------------------------------------------------------


@chapter_view(Permission.EDIT_POLICY)
def policy_detail(request: HttpRequest) -> HttpResponse:
    policy = access.get_policy_for(request)
    organizations = policy.organizations.all()
    form = OrganizationFilterForm(request.GET, industries=organizations.industries())
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            organizations = organizations.search(data["q"])
        if data["tier"]:
            organizations = organizations.filter(tier=data["tier"])
        if data["industry"]:
            organizations = organizations.filter(industry=data["industry"])
    page = Paginator(organizations, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    candidates = (
        Candidate.objects.for_chapter(request.chapter).filter(filings__isnull=False).distinct()
    )
    return render_page_or_partial(
        request,
        "finance/chapterpolicy_detail.html",
        "results",
        {
            "policy": policy,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "candidates": candidates,
            "never_flag": policy.never_flag.all(),
        },
    )


@chapter_view(Permission.EDIT_POLICY)
def policy_settings(request: HttpRequest) -> HttpResponse:
    policy = access.get_policy_for(request)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in PolicyForm.Meta.fields}
        services.update_policy(policy=policy, values=values, by=request.user)
        messages.success(request, "Policy saved; every candidate is being screened again.")
        return redirect("finance:policy_detail", slug=request.chapter.slug)
    return TemplateResponse(request, "finance/chapterpolicy_form.html", {"form": form})


@chapter_view(Permission.EDIT_POLICY)
def organization_add(request: HttpRequest) -> HttpResponse:
    policy = access.get_policy_for(request)
    form = OrganizationForm(request.POST or None, policy=policy)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.add_organization(policy=policy, values=form.values(), by=request.user)
        except FinanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{org} added; every candidate is being screened again.")
            return redirect("finance:policy_detail", slug=request.chapter.slug)
    return TemplateResponse(
        request, "finance/conflictorganization_form.html", {"form": form, "organization": None}
    )


@chapter_view(Permission.EDIT_POLICY)
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = access.get_organization_for(request, pk)
    form = OrganizationForm(request.POST or None, instance=organization, policy=organization.policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organization(
                organization=organization, values=form.values(), by=request.user
            )
        except FinanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"{organization} saved; every candidate is being screened again."
            )
            return redirect("finance:policy_detail", slug=request.chapter.slug)
    return TemplateResponse(
        request,
        "finance/conflictorganization_form.html",
        {"form": form, "organization": organization},
    )


@chapter_view(Permission.EDIT_POLICY)
def neverflag_list(request: HttpRequest) -> HttpResponse:
    policy = access.get_policy_for(request)
    form = NeverFlagForm(request.POST or None, policy=policy)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.add_never_flag(policy=policy, values=form.values(), by=request.user)
        except FinanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{entry} will never be flagged.")
            return redirect("finance:neverflag_list", slug=request.chapter.slug)
    return TemplateResponse(
        request,
        "finance/neverflagentry_list.html",
        {"form": form, "entries": policy.never_flag.all()},
    )


@chapter_view(Permission.EDIT_POLICY)
def neverflag_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access.get_never_flag_for(request, pk)
    form = NeverFlagForm(request.POST or None, instance=entry, policy=entry.policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_never_flag(entry=entry, values=form.values(), by=request.user)
        except FinanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{entry} saved; every candidate is being screened again.")
            return redirect("finance:neverflag_list", slug=request.chapter.slug)
    return TemplateResponse(
        request, "finance/neverflagentry_form.html", {"form": form, "entry": entry}
    )


@chapter_view(Permission.EDIT_POLICY)
def alias_proposals(request: HttpRequest, pk: int) -> HttpResponse:
    """Spellings among a candidate's donors that look like a listed organization's but match
    no rule: for a person to add as aliases (never flagged on their own)."""
    candidate = get_candidate_for(request, pk)
    policy = access.get_policy_for(request)
    proposals = services.alias_proposals(candidate, policy)
    return TemplateResponse(
        request,
        "finance/aliasproposal_list.html",
        {"candidate": candidate, "proposals": proposals[:100], "more": len(proposals) > 100},
    )


@chapter_view(Permission.EDIT_POLICY)
@require_POST
def alias_add(request: HttpRequest, pk: int) -> HttpResponse:
    organization = access.get_organization_for(request, pk)
    form = AliasForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the spelling to add.")
        return redirect("finance:organization_edit", slug=request.chapter.slug, pk=pk)
    candidate = None
    if form.cleaned_data["candidate"]:  # back to that candidate's proposals afterwards
        candidate = get_candidate_for(request, form.cleaned_data["candidate"])
    try:
        services.add_alias(
            organization=organization, alias=form.cleaned_data["alias"], by=request.user
        )
    except FinanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"“{form.cleaned_data['alias']}” is now an alias of {organization}; the "
            "candidates are being screened again.",
        )
    if candidate is not None:
        return redirect("finance:alias_proposals", slug=request.chapter.slug, pk=candidate.pk)
    return redirect("finance:organization_edit", slug=request.chapter.slug, pk=pk)
