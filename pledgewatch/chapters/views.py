"""Chapter pages: dashboard, members, roster imports, settings, people, audit log."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from pledgewatch.chapters import access, roster, services
from pledgewatch.chapters.access import chapter_view, in_chapter_timezone
from pledgewatch.chapters.forms import (
    ChangeRoleForm,
    ChapterSettingsForm,
    MappingForm,
    MemberFilterForm,
    RoleForm,
    RosterUploadForm,
)
from pledgewatch.chapters.models import Chapter, ImportStatus, MemberStatus
from pledgewatch.core.htmx import render_page_or_partial
from pledgewatch.core.models import AuditEvent
from pledgewatch.core.permissions import Permission


def home(request: HttpRequest) -> HttpResponse:
    """The chapters this user belongs to; straight to the dashboard when there is one."""
    chapters = list(Chapter.objects.for_user(request.user))
    if len(chapters) == 1:
        return redirect("chapters:dashboard", slug=chapters[0].slug)
    return TemplateResponse(request, "chapters/chapter_list.html", {"chapters": chapters})


@chapter_view(Permission.VIEW_DASHBOARD)
@in_chapter_timezone
def dashboard(request: HttpRequest) -> HttpResponse:
    """The chapter at a glance; its dates and times are the chapter's (in_chapter_timezone)."""
    chapter = request.chapter
    role = request.chapter_role
    ctx: dict = {}
    if role.has(Permission.VIEW_MEMBERS):
        counts = dict(chapter.members.values_list("status").annotate(n=Count("id")).order_by())
        ctx["member_counts"] = [
            (label, counts.get(value, 0), value) for value, label in MemberStatus.choices
        ]
        ctx["member_total"] = sum(counts.values())
        ctx["last_import"] = chapter.roster_imports.first()
    if role.has(Permission.VIEW_CANDIDATES):
        ctx.update(_pipeline_summary(chapter))
    return TemplateResponse(request, "chapters/chapter_dashboard.html", ctx)


def _pipeline_summary(chapter) -> dict:
    """Candidates per stage, the next forums and ballot deadlines (from the chapter's today, in
    its time zone), and the by-law's status."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from pledgewatch.endorsements.models import (
        BallotAccess,
        BallotStatus,
        Endorsement,
        RescissionBylaw,
        Stage,
    )
    from pledgewatch.forums.models import Forum

    counts = dict(
        Endorsement.objects.for_chapter(chapter)
        .values_list("stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    today = timezone.localdate(timezone=ZoneInfo(chapter.timezone))
    return {
        "stage_counts": [(value, label, counts.get(value, 0)) for value, label in Stage.choices],
        "upcoming_forums": Forum.objects.for_chapter(chapter)
        .filter(ends_at__gte=timezone.now())
        .order_by("starts_at")[:3],
        "ballot_deadlines": BallotAccess.objects.filter(
            candidate__chapter=chapter,
            status=BallotStatus.PENDING,
            filing_deadline__gte=today,
            filing_deadline__lte=today + dt.timedelta(days=30),
        )
        .select_related("candidate")
        .order_by("filing_deadline"),
        "bylaw": RescissionBylaw.objects.filter(chapter=chapter).first(),
    }


# --- members ------------------------------------------------------------------------------


@chapter_view(Permission.VIEW_MEMBERS)
def member_list(request: HttpRequest) -> HttpResponse:
    form = MemberFilterForm(request.GET)
    members = request.chapter.members.all()
    if form.is_valid():
        if form.cleaned_data["q"]:
            members = members.search(form.cleaned_data["q"])
        if form.cleaned_data["status"]:
            members = members.filter(status=form.cleaned_data["status"])
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render_page_or_partial(
        request,
        "chapters/member_list.html",
        "results",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@chapter_view(Permission.VIEW_MEMBERS)
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.get_member_for(request, pk)
    changes = member.changes.select_related("roster_import")[:50]
    return TemplateResponse(
        request, "chapters/member_detail.html", {"member": member, "changes": changes}
    )


# --- roster imports -----------------------------------------------------------------------


@chapter_view(Permission.IMPORT_ROSTER)
def import_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = RosterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = services.start_import(
                    chapter=request.chapter,
                    upload=form.cleaned_data["file"],
                    encoding=form.cleaned_data["encoding"],
                    fmt=form.cleaned_data["format"],
                    full_snapshot=form.cleaned_data["full_snapshot"],
                    by=request.user,
                )
            except roster.RosterFileError as exc:
                form.add_error("file", str(exc))
            else:
                return redirect("chapters:import_detail", slug=request.chapter.slug, pk=job.pk)
    else:
        form = RosterUploadForm()
    imports = request.chapter.roster_imports.select_related("uploaded_by")[:20]
    return TemplateResponse(
        request, "chapters/rosterimport_list.html", {"form": form, "imports": imports}
    )


@chapter_view(Permission.IMPORT_ROSTER)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = access.get_import_for(request, pk)
    form = None
    if job.status == ImportStatus.NEEDS_MAPPING:
        if request.method == "POST":
            form = MappingForm(request.POST, headers=job.headers)
            if form.is_valid():
                try:
                    services.set_mapping(
                        job=job,
                        mapping=form.mapping(),
                        default_status=form.cleaned_data["default_status"],
                        by=request.user,
                    )
                except roster.RosterFileError as exc:
                    form.add_error(None, str(exc))
                else:
                    return redirect("chapters:import_detail", slug=request.chapter.slug, pk=pk)
        else:
            form = MappingForm(headers=job.headers)
    elif request.method == "POST":
        return redirect("chapters:import_detail", slug=request.chapter.slug, pk=pk)
    changes = None
    if job.status == ImportStatus.SUCCEEDED:
        changes = job.member_changes.select_related("member").order_by("kind", "id")[:200]
    return render_page_or_partial(
        request,
        "chapters/rosterimport_detail.html",
        "progress",
        {"job": job, "form": form, "changes": changes},
    )


@chapter_view(Permission.IMPORT_ROSTER)
@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = access.get_import_for(request, pk)
    if job.status in (ImportStatus.NEEDS_MAPPING, ImportStatus.QUEUED):
        services.cancel_import(job=job, by=request.user)
        messages.info(request, "The import was cancelled; nothing was changed.")
    return redirect("chapters:import_list", slug=request.chapter.slug)


# --- chapter administration -------------------------------------------------------------


@chapter_view(Permission.MANAGE_CHAPTER)
def chapter_settings(request: HttpRequest) -> HttpResponse:
    chapter = request.chapter
    form = ChapterSettingsForm(request.POST or None, instance=chapter)
    if request.method == "POST" and form.is_valid():
        changed = {
            name: [str(form.initial.get(name)), str(form.cleaned_data[name])]
            for name in form.changed_data
        }
        services.update_chapter_settings(chapter=form.instance, changed=changed, by=request.user)
        messages.success(request, "Settings saved.")
        return redirect("chapters:settings", slug=chapter.slug)
    return TemplateResponse(request, "chapters/chapter_settings.html", {"form": form})


@chapter_view(Permission.MANAGE_CHAPTER)
def people(request: HttpRequest) -> HttpResponse:
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_person(by=request.user, chapter=request.chapter, **form.cleaned_data)
        messages.success(
            request, f"{form.cleaned_data['email']} now has that role; we emailed them."
        )
        return redirect("chapters:people", slug=request.chapter.slug)
    roles = request.chapter.roles.select_related("user").order_by("role", "user__email")
    return TemplateResponse(
        request,
        "chapters/chapterrole_list.html",
        {"form": form, "roles": roles, "change_form": ChangeRoleForm()},
    )


@chapter_view(Permission.MANAGE_CHAPTER)
@require_POST
def change_role(request: HttpRequest, pk: int) -> HttpResponse:
    chapter_role = get_object_or_404(request.chapter.roles.select_related("user"), pk=pk)
    form = ChangeRoleForm(request.POST)
    if form.is_valid():
        try:
            services.set_role(
                chapter=request.chapter,
                user=chapter_role.user,
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except services.LastAdminError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"{chapter_role.user} is now {chapter_role.get_role_display()}."
            )
    else:
        messages.error(request, "Choose one of the roles listed.")
    return redirect("chapters:people", slug=request.chapter.slug)


@chapter_view(Permission.VIEW_AUDIT_LOG)
def audit_log(request: HttpRequest) -> HttpResponse:
    events = AuditEvent.objects.for_chapter(request.chapter).select_related("actor")
    action = request.GET.get("action", "")
    if action:
        events = events.filter(action=action)
    actions = (
        AuditEvent.objects.for_chapter(request.chapter)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "chapters/auditevent_list.html",
        {"page": page, "actions": list(actions), "action": action},
    )
