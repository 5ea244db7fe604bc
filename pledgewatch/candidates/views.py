"""Candidate pages: the list, adding one, and a candidate's page with its committees and the
finance summary (totals by tier and organization with VIEW_FINANCE_SUMMARY; donor names only
with VIEW_DONORS, the committee's)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

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
from pledgewatch.finance.models import FindingStatus, ImportStatus, Tier


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


# The candidate's headline total: money the pledge refuses (tier 1) and money for a person to
# judge (tier 2). Tier 3 is listed for the record and shown apart.
HEADLINE_TIERS = (Tier.CONFLICT, Tier.REVIEW)


def finance_summary(candidate: Candidate) -> dict[str, Any]:
    """The candidate's totals for the page, no donors: the headline is the money from tier-1
    (conflict) and tier-2 (review) organizations; tier 3 is shown apart, for information."""
    summary = candidate.findings.summary()
    headline = [t for t in summary["by_tier"] if t["tier"] in HEADLINE_TIERS]
    informational = [t for t in summary["by_tier"] if t["tier"] not in HEADLINE_TIERS]
    return {
        **summary,
        "headline_total": sum((t["total"] for t in headline), Decimal(0)),
        "headline_tiers": headline,
        "informational": informational[0] if informational else None,
    }


@chapter_view(Permission.VIEW_CANDIDATES)
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = access.get_candidate_for(request, pk)
    role = request.chapter_role
    ctx: dict[str, Any] = {
        "candidate": candidate,
        "committees": candidate.committees.all(),
    }
    # Data a role may not see is kept out of the context, not just out of the page: totals
    # by tier and organization need VIEW_FINANCE_SUMMARY, donors (names, employers, the
    # findings) VIEW_DONORS, which only the committee and admins hold.
    if role.has(Permission.VIEW_FINANCE_SUMMARY):
        ctx["summary"] = finance_summary(candidate)
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
