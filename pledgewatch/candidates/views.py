"""Candidate pages: the list, adding one, and a candidate's page with its committees and the
finance summary (totals for every role; donor names only for those who may see them)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from pledgewatch.candidates import access, services
from pledgewatch.candidates.forms import CandidateForm, CommitteeForm
from pledgewatch.candidates.models import Candidate
from pledgewatch.chapters.access import chapter_view
from pledgewatch.core.permissions import Permission
from pledgewatch.finance.models import FindingStatus, ImportStatus


@chapter_view(Permission.VIEW_CANDIDATES)
def candidate_list(request: HttpRequest) -> HttpResponse:
    candidates = Candidate.objects.for_chapter(request.chapter).annotate(
        committee_count=Count("committees", distinct=True)
    )
    return TemplateResponse(request, "candidates/candidate_list.html", {"candidates": candidates})


@chapter_view(Permission.MANAGE_CANDIDATES)
def candidate_add(request: HttpRequest) -> HttpResponse:
    form = CandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        candidate = services.add_candidate(
            chapter=request.chapter, by=request.user, **form.cleaned_data
        )
        messages.success(request, f"{candidate} added. Next: their campaign committees.")
        return redirect("candidates:candidate_detail", slug=request.chapter.slug, pk=candidate.pk)
    return TemplateResponse(request, "candidates/candidate_form.html", {"form": form})


@chapter_view(Permission.VIEW_CANDIDATES)
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = access.get_candidate_for(request, pk)
    role = request.chapter_role
    ctx = {
        "candidate": candidate,
        "committees": candidate.committees.all(),
        "summary": candidate.findings.summary(),
    }
    # Data a role may not see is kept out of the context, not just out of the page.
    if role.has(Permission.VIEW_DONORS):
        ctx["top_findings"] = (
            candidate.findings.filter(status=FindingStatus.OPEN)
            .select_related("contribution")
            .order_by("tier", "-net_amount", "id")[:10]
        )
    if role.has(Permission.MANAGE_FINANCE):
        ctx["last_import"] = candidate.finance_imports.first()
        ctx["active_imports"] = candidate.finance_imports.filter(
            status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.SAVING]
        ).count()
        ctx["filing_count"] = candidate.filings.current().count()
    if role.has(Permission.MANAGE_CANDIDATES):
        ctx["committee_form"] = CommitteeForm(candidate=candidate)
    return TemplateResponse(request, "candidates/candidate_detail.html", ctx)


@chapter_view(Permission.MANAGE_CANDIDATES)
def committee_add(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = access.get_candidate_for(request, pk)
    form = CommitteeForm(request.POST or None, candidate=candidate)
    if request.method == "POST" and form.is_valid():
        services.add_committee(candidate=candidate, by=request.user, **form.cleaned_data)
        messages.success(request, f"Committee {form.cleaned_data['committee_id']} added.")
        return redirect("candidates:candidate_detail", slug=request.chapter.slug, pk=candidate.pk)
    return TemplateResponse(
        request, "candidates/campaigncommittee_form.html", {"candidate": candidate, "form": form}
    )


@chapter_view(Permission.MANAGE_CANDIDATES)
@require_POST
def committee_remove(request: HttpRequest, pk: int) -> HttpResponse:
    committee = access.get_committee_for(request, pk)
    candidate = committee.candidate
    services.remove_committee(committee=committee, by=request.user)
    messages.info(
        request,
        f"Committee {committee.committee_id} removed. Filings already imported for it stay, "
        "with their findings.",
    )
    return redirect("candidates:candidate_detail", slug=request.chapter.slug, pk=candidate.pk)
