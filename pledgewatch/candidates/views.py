"""Offices, races and candidates.

- Offices and races: everyone in the chapter reads them; the committee (MANAGE_ENDORSEMENTS)
  adds and edits them. A race's page lists its candidates with the pipeline board.
- Candidates: the list (by race), adding and editing one (MANAGE_CANDIDATES), and a candidate's
  page: race and office, the endorsement panel, its committees and the finance summary (totals
  by tier and organization with VIEW_FINANCE_SUMMARY; donor names only with VIEW_DONORS, the
  committee's), and for VIEW_CONTACTS the campaign's contact and the contact log.
- The contact log: append-only; MANAGE_ENDORSEMENTS adds an entry, VIEW_CONTACTS reads it.

Times are entered and shown in the chapter's time zone (in_chapter_timezone).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pledgewatch.candidates import access, services
from pledgewatch.candidates.forms import (
    CandidateFilterForm,
    CandidateForm,
    CommitteeForm,
    ContactLogForm,
    OfficeForm,
    RaceForm,
)
from pledgewatch.candidates.models import Candidate, Office, Race
from pledgewatch.chapters.access import chapter_view, in_chapter_timezone
from pledgewatch.core.permissions import Permission
from pledgewatch.finance.models import FindingStatus, ImportStatus, Tier


def _today(request: HttpRequest) -> dt.date:
    return timezone.localdate(timezone=ZoneInfo(request.chapter.timezone))  # type: ignore[attr-defined]


def _races_in_order(request: HttpRequest, today: dt.date) -> list[Race]:
    """The chapter's races: upcoming ones (election today or later), soonest first; then past
    ones, latest first."""
    races = Race.objects.for_chapter(request.chapter).select_related("office")  # type: ignore[attr-defined]
    upcoming = races.filter(election_date__gte=today).order_by("election_date", "id")
    past = races.filter(election_date__lt=today).order_by("-election_date", "-id")
    return [*upcoming, *past]


def _candidate_url(request: HttpRequest, candidate: Candidate, anchor: str = "") -> str:
    url = reverse(
        "candidates:candidate_detail",
        kwargs={"slug": request.chapter.slug, "pk": candidate.pk},  # type: ignore[attr-defined]
    )
    return f"{url}#{anchor}" if anchor else url


# --- offices -------------------------------------------------------------------------------


@chapter_view(Permission.VIEW_CANDIDATES)
def office_list(request: HttpRequest) -> HttpResponse:
    offices = (
        Office.objects.for_chapter(request.chapter)  # type: ignore[attr-defined]
        .annotate(race_count=Count("races"))
        .order_by("level", "name", "district", "id")  # a query with aggregates drops Meta.ordering
    )
    return TemplateResponse(request, "candidates/office_list.html", {"offices": offices})


@chapter_view(Permission.MANAGE_ENDORSEMENTS)
def office_add(request: HttpRequest) -> HttpResponse:
    chapter = request.chapter  # type: ignore[attr-defined]
    form = OfficeForm(request.POST or None, instance=Office(chapter=chapter), chapter=chapter)
    if request.method == "POST" and form.is_valid():
        office = services.add_office(chapter=chapter, by=request.user, **form.cleaned_data)
        messages.success(request, f"{office} added. Next: a race for it.")
        return redirect(f"{reverse('candidates:race_add', args=[chapter.slug])}?office={office.pk}")
    return TemplateResponse(request, "candidates/office_form.html", {"form": form})


@chapter_view(Permission.MANAGE_ENDORSEMENTS)
def office_edit(request: HttpRequest, pk: int) -> HttpResponse:
    office = access.get_office_for(request, pk)
    form = OfficeForm(request.POST or None, instance=office, chapter=request.chapter)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        services.update_office(office=office, by=request.user, **form.cleaned_data)
        messages.success(request, f"{office} saved.")
        return redirect("candidates:office_list", slug=request.chapter.slug)  # type: ignore[attr-defined]
    office.refresh_from_db()
    return TemplateResponse(
        request, "candidates/office_form.html", {"form": form, "office": office}
    )


# --- races ---------------------------------------------------------------------------------


@chapter_view(Permission.VIEW_CANDIDATES)
def race_list(request: HttpRequest) -> HttpResponse:
    """Upcoming races first, soonest first; then past ones, latest first (paged)."""
    today = _today(request)
    races = (
        Race.objects.for_chapter(request.chapter)  # type: ignore[attr-defined]
        .select_related("office")
        .annotate(candidate_count=Count("candidates"))
    )
    upcoming = races.filter(election_date__gte=today).order_by("election_date", "id")
    past = Paginator(
        races.filter(election_date__lt=today).order_by("-election_date", "-id"), 25
    ).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "candidates/race_list.html",
        {"upcoming": upcoming, "page": past, "today": today},
    )


@chapter_view(Permission.VIEW_CANDIDATES)
def race_detail(request: HttpRequest, pk: int) -> HttpResponse:
    race = access.get_race_for(request, pk)
    candidates = list(
        race.candidates.select_related("endorsement", "race__office")
        .annotate(committee_count=Count("committees"))
        .order_by("name", "id")  # a query with aggregates drops Meta.ordering
    )
    return TemplateResponse(
        request,
        "candidates/race_detail.html",
        {"race": race, "candidates": candidates, "today": _today(request)},
    )


@chapter_view(Permission.MANAGE_ENDORSEMENTS)
def race_add(request: HttpRequest) -> HttpResponse:
    chapter = request.chapter  # type: ignore[attr-defined]
    form = RaceForm(
        request.POST or None,
        instance=Race(chapter=chapter),
        chapter=chapter,
        initial={"office": request.GET.get("office")},
    )
    if request.method == "POST" and form.is_valid():
        race = services.add_race(chapter=chapter, by=request.user, **form.cleaned_data)
        messages.success(request, f"{race} added. Next: its candidates.")
        return redirect("candidates:race_detail", slug=chapter.slug, pk=race.pk)
    has_offices = Office.objects.for_chapter(chapter).exists()
    return TemplateResponse(
        request, "candidates/race_form.html", {"form": form, "has_offices": has_offices}
    )


@chapter_view(Permission.MANAGE_ENDORSEMENTS)
def race_edit(request: HttpRequest, pk: int) -> HttpResponse:
    race = access.get_race_for(request, pk)
    form = RaceForm(request.POST or None, instance=race, chapter=request.chapter)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        services.update_race(race=race, by=request.user, **form.cleaned_data)
        messages.success(request, f"{race} saved.")
        return redirect("candidates:race_detail", slug=request.chapter.slug, pk=race.pk)  # type: ignore[attr-defined]
    race.refresh_from_db()
    return TemplateResponse(
        request, "candidates/race_form.html", {"form": form, "race": race, "has_offices": True}
    )


# --- candidates ----------------------------------------------------------------------------


@chapter_view(Permission.VIEW_CANDIDATES)
def candidate_list(request: HttpRequest) -> HttpResponse:
    """The chapter's candidates grouped by race (upcoming races first, then past ones, then
    candidates with no race recorded), each with the stage of their endorsement; the filter
    shows one race's candidates, or those with no race."""
    today = _today(request)
    races = _races_in_order(request, today)
    form = CandidateFilterForm(request.GET or None, races=races)
    choice = form.cleaned_data["race"] if form.is_bound and form.is_valid() else ""
    candidates = (
        Candidate.objects.for_chapter(request.chapter)  # type: ignore[attr-defined]
        .select_related("race__office", "endorsement")
        .annotate(committee_count=Count("committees", distinct=True))
        .order_by("name", "id")  # a query with aggregates drops Meta.ordering
    )
    by_race: dict[int | None, list[Candidate]] = {}
    for candidate in candidates:
        by_race.setdefault(candidate.race_id, []).append(candidate)
    groups = [
        {"race": race, "candidates": by_race.get(race.pk, [])}
        for race in races
        if (choice == str(race.pk)) or (not choice and race.pk in by_race)
    ]
    if choice == CandidateFilterForm.NO_RACE or (not choice and None in by_race):
        groups.append({"race": None, "candidates": by_race.get(None, [])})
    total = sum(len(g["candidates"]) for g in groups)
    return TemplateResponse(
        request,
        "candidates/candidate_list.html",
        {
            "form": form,
            "groups": groups,
            "total": total,
            "filtered": bool(choice),
            "has_races": bool(races),
            "today": today,
        },
    )


@chapter_view(Permission.MANAGE_CANDIDATES)
def candidate_add(request: HttpRequest) -> HttpResponse:
    chapter = request.chapter  # type: ignore[attr-defined]
    form = CandidateForm(
        request.POST or None,
        instance=Candidate(chapter=chapter),
        chapter=chapter,
        contacts=request.chapter_role.has(Permission.VIEW_CONTACTS),  # type: ignore[attr-defined]
        initial={"race": request.GET.get("race")},
    )
    if request.method == "POST" and form.is_valid():
        candidate = services.add_candidate(chapter=chapter, by=request.user, **form.cleaned_data)
        messages.success(request, f"{candidate} added. Next: their campaign committees.")
        return redirect("candidates:candidate_detail", slug=chapter.slug, pk=candidate.pk)
    return TemplateResponse(request, "candidates/candidate_form.html", {"form": form})


@chapter_view(Permission.MANAGE_CANDIDATES)
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = access.get_candidate_for(request, pk)
    form = CandidateForm(
        request.POST or None,
        instance=candidate,
        chapter=request.chapter,  # type: ignore[attr-defined]
        contacts=request.chapter_role.has(Permission.VIEW_CONTACTS),  # type: ignore[attr-defined]
    )
    if request.method == "POST" and form.is_valid():
        services.update_candidate(candidate=candidate, by=request.user, **form.cleaned_data)
        messages.success(request, f"{candidate} saved.")
        return redirect(_candidate_url(request, candidate))
    candidate.refresh_from_db()
    return TemplateResponse(
        request, "candidates/candidate_form.html", {"form": form, "candidate": candidate}
    )


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
@in_chapter_timezone
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = access.get_candidate_for(request, pk)
    role = request.chapter_role  # type: ignore[attr-defined]
    ctx: dict[str, Any] = {
        "candidate": candidate,
        "race": candidate.race,
        "committees": candidate.committees.all(),
    }
    # Data a role may not see is kept out of the context, not just out of the page: totals
    # by tier and organization need VIEW_FINANCE_SUMMARY, donors (names, employers, the
    # findings) VIEW_DONORS, which only the committee and admins hold; the campaign's contact
    # and the contact log VIEW_CONTACTS.
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
    if role.has(Permission.VIEW_CONTACTS):
        ctx["campaign_contact"] = {
            "name": candidate.contact_name,
            "email": candidate.email,
            "phone": candidate.phone,
        }
        ctx["contact_log"] = candidate.contacts.select_related("logged_by")
        if role.has(Permission.MANAGE_ENDORSEMENTS):
            ctx["contact_form"] = ContactLogForm(
                chapter=request.chapter,  # type: ignore[attr-defined]
                auto_id="contact_%s",  # ids apart from the committee form's on the page
            )
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


# --- the contact log -----------------------------------------------------------------------


@chapter_view(Permission.MANAGE_ENDORSEMENTS)
@in_chapter_timezone
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an entry to the candidate's contact log (the form is also on the candidate's page).
    There is no edit or delete: a correction is a new entry."""
    candidate = access.get_candidate_for(request, pk)
    form = ContactLogForm(request.POST or None, chapter=request.chapter)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        entry = services.log_contact(candidate=candidate, by=request.user, **form.cleaned_data)
        messages.success(request, f"{entry.get_kind_display()} logged for {candidate}.")
        return redirect(_candidate_url(request, candidate, "contact-log"))
    return TemplateResponse(
        request, "candidates/contactlogentry_form.html", {"form": form, "candidate": candidate}
    )
