"""Forums and the organization directory.

Everyone in the chapter reads forums and the directory (VIEW_CANDIDATES); the committee changes
them (MANAGE_FORUMS). Organizations' contact people are private (VIEW_CONTACTS): they are kept
out of the context, not only out of the page, for anyone without it. The committee's speech
evaluations are shown to the committee only.

Every page works as plain forms and redirects; the RSVP buttons and the directory search are
enhanced by htmx. Times are entered and shown in the chapter's time zone (in_chapter_timezone).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from pledgewatch.chapters.access import chapter_view, in_chapter_timezone
from pledgewatch.core.htmx import render_page_or_partial
from pledgewatch.core.permissions import Permission
from pledgewatch.forums import access, services
from pledgewatch.forums.forms import (
    ContactForm,
    EvaluationForm,
    ForumForm,
    InviteCandidateForm,
    InviteOrganizationForm,
    OrganizationFilterForm,
    OrganizationForm,
    ReportForm,
    RsvpForm,
    SpeechForm,
)
from pledgewatch.forums.models import (
    Forum,
    Invitation,
    Organization,
    Rsvp,
    SpeechEvaluation,
)


def _require(request: HttpRequest, permission: Permission) -> None:
    """A second permission on top of the view's own (contact people need VIEW_CONTACTS)."""
    if not request.chapter_role.has(permission):  # type: ignore[attr-defined]
        raise PermissionDenied


def _forum_url(request: HttpRequest, forum: Forum, anchor: str = "") -> str:
    url = reverse("forums:forum_detail", args=[request.chapter.slug, forum.pk])  # type: ignore[attr-defined]
    return f"{url}#{anchor}" if anchor else url


# --- forums --------------------------------------------------------------------------------


@chapter_view(Permission.VIEW_CANDIDATES)
@in_chapter_timezone
def forum_list(request: HttpRequest) -> HttpResponse:
    """Upcoming (and ongoing) forums first, soonest first; then past ones, latest first."""
    now = timezone.now()
    forums = Forum.objects.for_chapter(request.chapter).annotate(
        invitation_count=Count("invitations", distinct=True),
        speaker_count=Count("invitations", filter=Q(invitations__spoke=True), distinct=True),
    )
    upcoming = forums.filter(ends_at__gte=now).order_by("starts_at", "id")
    past = Paginator(forums.filter(ends_at__lt=now).order_by("-starts_at", "-id"), 25).get_page(
        request.GET.get("page")
    )
    return TemplateResponse(
        request, "forums/forum_list.html", {"upcoming": upcoming, "page": past, "now": now}
    )


@chapter_view(Permission.MANAGE_FORUMS)
@in_chapter_timezone
def forum_add(request: HttpRequest) -> HttpResponse:
    form = ForumForm(request.POST or None, chapter=request.chapter)
    if request.method == "POST" and form.is_valid():
        forum = services.add_forum(chapter=request.chapter, by=request.user, **form.cleaned_data)
        messages.success(
            request, f"{forum.title} added. Next: invite organizations and candidates."
        )
        return redirect(_forum_url(request, forum))
    return TemplateResponse(request, "forums/forum_form.html", {"form": form})


@chapter_view(Permission.MANAGE_FORUMS)
@in_chapter_timezone
def forum_edit(request: HttpRequest, pk: int) -> HttpResponse:
    forum = access.get_forum_for(request, pk)
    form = ForumForm(request.POST or None, instance=forum, chapter=request.chapter)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_forum(forum=forum, by=request.user, **form.cleaned_data)
        except services.ForumError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, "Forum saved.")
            return redirect(_forum_url(request, forum))
    forum.refresh_from_db()  # the form changed it in memory; the page shows what is stored
    return TemplateResponse(request, "forums/forum_form.html", {"form": form, "forum": forum})


@chapter_view(Permission.MANAGE_FORUMS)
@in_chapter_timezone
def forum_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Notes and the recording link, once the forum has started."""
    forum = access.get_forum_for(request, pk)
    started = services.has_started(forum)
    form = ReportForm(request.POST or None, instance=forum)
    if request.method == "POST" and started and form.is_valid():
        try:
            services.record_report(forum=forum, by=request.user, **form.cleaned_data)
        except services.ForumError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, "Notes and recording saved.")
            return redirect(_forum_url(request, forum, "report-h"))
    forum.refresh_from_db()
    return TemplateResponse(
        request, "forums/forum_report.html", {"forum": forum, "form": form, "started": started}
    )


def _detail_context(request: HttpRequest, forum: Forum) -> dict[str, Any]:
    role = request.chapter_role  # type: ignore[attr-defined]
    manage = role.has(Permission.MANAGE_FORUMS)
    # The office shown with each candidate (Candidate.office_label) is its race's office.
    invitations = forum.invitations.select_related("organization", "candidate__race__office")
    if manage:
        invitations = invitations.prefetch_related(
            Prefetch(
                "evaluations",
                queryset=SpeechEvaluation.objects.select_related("evaluator"),
            )
        )
    invitations = list(invitations)
    ctx: dict[str, Any] = {
        "forum": forum,
        "started": services.has_started(forum),
        "ended": forum.ends_at < timezone.now(),
        "candidate_invitations": sorted(
            (i for i in invitations if i.candidate_id), key=lambda i: i.candidate.name.lower()
        ),
        "organization_invitations": sorted(
            (i for i in invitations if i.organization_id),
            key=lambda i: i.organization.name.lower(),
        ),
        "rsvp_choices": Rsvp.choices,
    }
    if manage:
        # The committee's evaluations are its own deliberation: kept out of the context for
        # anyone else. Each evaluator edits only their own (one per invitation).
        ctx["evaluated_by_me"] = {
            e.invitation_id
            for i in invitations
            for e in i.evaluations.all()
            if e.evaluator_id == request.user.pk
        }
        # Two forms on one page: distinct ids for their fields (the names stay the same).
        ctx["invite_organization_form"] = InviteOrganizationForm(
            forum=forum, auto_id="invite-organization-%s"
        )
        ctx["invite_candidate_form"] = InviteCandidateForm(
            forum=forum, auto_id="invite-candidate-%s"
        )
    return ctx


@chapter_view(Permission.VIEW_CANDIDATES)
@in_chapter_timezone
def forum_detail(request: HttpRequest, pk: int) -> HttpResponse:
    forum = access.get_forum_for(request, pk)
    return TemplateResponse(request, "forums/forum_detail.html", _detail_context(request, forum))


@chapter_view(Permission.VIEW_CANDIDATES)
def forum_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The forum as an .ics file to add to a calendar."""
    forum = access.get_forum_for(request, pk)
    response = HttpResponse(
        services.forum_calendar(forum), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=services.calendar_filename(forum)
    )
    return response


# --- invitations ---------------------------------------------------------------------------


def _invite(request: HttpRequest, pk: int, form_class: type, guest: str) -> HttpResponse:
    forum = access.get_forum_for(request, pk)
    form = form_class(request.POST or None, forum=forum)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite(
                forum=forum,
                invited_on=form.cleaned_data["invited_on"],
                by=request.user,
                **{guest: form.cleaned_data[guest]},
            )
        except services.ForumError as e:
            form.add_error(guest, str(e))
        else:
            messages.success(request, f"{invitation.guest} invited.")
            return redirect(_forum_url(request, forum, f"invitation-{invitation.pk}"))
    return TemplateResponse(
        request, "forums/invitation_form.html", {"forum": forum, "form": form, "guest": guest}
    )


@chapter_view(Permission.MANAGE_FORUMS)
@in_chapter_timezone
def invite_organization(request: HttpRequest, pk: int) -> HttpResponse:
    return _invite(request, pk, InviteOrganizationForm, "organization")


@chapter_view(Permission.MANAGE_FORUMS)
@in_chapter_timezone
def invite_candidate(request: HttpRequest, pk: int) -> HttpResponse:
    return _invite(request, pk, InviteCandidateForm, "candidate")


@chapter_view(Permission.MANAGE_FORUMS)
@require_POST
@in_chapter_timezone
def invitation_rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the guest's answer. From htmx, answer with the invitation's RSVP section (and a
    message for screen readers); otherwise redirect back to the forum."""
    invitation = access.get_invitation_for(request, pk)
    form = RsvpForm(request.POST)
    error = ""
    if form.is_valid():
        services.set_rsvp(invitation=invitation, rsvp=form.cleaned_data["rsvp"], by=request.user)
    else:
        error = "Choose one of the answers listed."
    if getattr(request, "htmx", False):
        return TemplateResponse(
            request,
            "forums/forum_detail.html#rsvp_swap",
            {
                "forum": invitation.forum,
                "inv": invitation,
                "rsvp_choices": Rsvp.choices,
                "saved": not error,
                "rsvp_error": error,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request, f"RSVP saved: {invitation.guest}: {invitation.get_rsvp_display()}."
        )
    return redirect(_forum_url(request, invitation.forum, f"invitation-{invitation.pk}"))


@chapter_view(Permission.MANAGE_FORUMS)
@in_chapter_timezone
def invitation_speech(request: HttpRequest, pk: int) -> HttpResponse:
    """Who speaks for the guest, and whether they spoke on record."""
    invitation = access.get_invitation_for(request, pk)
    form = SpeechForm(request.POST or None, instance=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_speech(invitation=invitation, by=request.user, **form.cleaned_data)
        except services.ForumError as e:
            form.add_error("spoke", str(e))
        else:
            messages.success(request, f"Saved for {invitation.guest}.")
            return redirect(_forum_url(request, invitation.forum, f"invitation-{invitation.pk}"))
    invitation.refresh_from_db()
    return TemplateResponse(
        request,
        "forums/invitation_speech.html",
        {
            "forum": invitation.forum,
            "invitation": invitation,
            "form": form,
            "started": services.has_started(invitation.forum),
        },
    )


@chapter_view(Permission.MANAGE_FORUMS)
@require_POST
def invitation_remove(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = access.get_invitation_for(request, pk)
    forum = invitation.forum
    try:
        services.remove_invitation(invitation=invitation, by=request.user)
    except services.ForumError as e:
        messages.error(request, str(e))
        return redirect(_forum_url(request, forum, f"invitation-{invitation.pk}"))
    messages.info(request, f"Invitation to {invitation.guest} withdrawn.")
    return redirect(_forum_url(request, forum, "invitations-h"))


@chapter_view(Permission.MANAGE_FORUMS)
@in_chapter_timezone
def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The user's own evaluation of a candidate's speech (invitation `pk`): one per evaluator,
    written the first time and edited after that. Nobody edits another's."""
    invitation = access.get_invitation_for(request, pk)
    if invitation.candidate_id is None:
        messages.error(
            request,
            f"{invitation.organization} is an organization: only candidates' speeches "
            "are evaluated.",
        )
        return redirect(_forum_url(request, invitation.forum, f"invitation-{invitation.pk}"))
    if not invitation.spoke:
        messages.error(
            request,
            f"Record that {invitation.candidate} spoke at the forum before evaluating the speech.",
        )
        return redirect(_forum_url(request, invitation.forum, f"invitation-{invitation.pk}"))
    mine = invitation.evaluations.filter(evaluator=request.user).first()
    form = EvaluationForm(request.POST or None, instance=mine)
    if request.method == "POST" and form.is_valid():
        services.save_evaluation(invitation=invitation, evaluator=request.user, **form.cleaned_data)
        messages.success(request, f"Your evaluation of {invitation.candidate} is saved.")
        return redirect(_forum_url(request, invitation.forum, f"invitation-{invitation.pk}"))
    others = invitation.evaluations.exclude(evaluator=request.user).select_related("evaluator")
    return TemplateResponse(
        request,
        "forums/speechevaluation_form.html",
        {
            "forum": invitation.forum,
            "invitation": invitation,
            "form": form,
            "editing": mine is not None,
            "others": others,
        },
    )


# --- the organization directory ------------------------------------------------------------


@chapter_view(Permission.VIEW_CANDIDATES)
@in_chapter_timezone
def organization_list(request: HttpRequest) -> HttpResponse:
    form = OrganizationFilterForm(request.GET)
    organizations = (
        Organization.objects.for_chapter(request.chapter)
        .annotate(
            invitation_count=Count("invitations", distinct=True),
            spoke_count=Count("invitations", filter=Q(invitations__spoke=True), distinct=True),
        )
        .order_by("name", "id")
    )  # a query with aggregates drops Meta.ordering
    if form.is_valid():
        if form.cleaned_data["q"]:
            organizations = organizations.filter(name__icontains=form.cleaned_data["q"].strip())
        if form.cleaned_data["kind"]:
            organizations = organizations.filter(kind=form.cleaned_data["kind"])
    page = Paginator(organizations, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render_page_or_partial(
        request,
        "forums/organization_list.html",
        "results",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@chapter_view(Permission.MANAGE_FORUMS)
def organization_add(request: HttpRequest) -> HttpResponse:
    form = OrganizationForm(request.POST or None, chapter=request.chapter)
    if request.method == "POST" and form.is_valid():
        organization = services.add_organization(
            chapter=request.chapter, by=request.user, **form.cleaned_data
        )
        messages.success(request, f"{organization.name} added to the directory.")
        return redirect("forums:organization_detail", slug=request.chapter.slug, pk=organization.pk)
    return TemplateResponse(request, "forums/organization_form.html", {"form": form})


@chapter_view(Permission.MANAGE_FORUMS)
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = access.get_organization_for(request, pk)
    form = OrganizationForm(request.POST or None, instance=organization, chapter=request.chapter)
    if request.method == "POST" and form.is_valid():
        services.update_organization(
            organization=organization, by=request.user, **form.cleaned_data
        )
        messages.success(request, f"{organization.name} saved.")
        return redirect("forums:organization_detail", slug=request.chapter.slug, pk=organization.pk)
    organization.refresh_from_db()
    return TemplateResponse(
        request, "forums/organization_form.html", {"form": form, "organization": organization}
    )


@chapter_view(Permission.VIEW_CANDIDATES)
@in_chapter_timezone
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = access.get_organization_for(request, pk)
    role = request.chapter_role
    ctx: dict[str, Any] = {
        "organization": organization,
        "invitations": Invitation.objects.filter(organization=organization)
        .select_related("forum")
        .order_by("-forum__starts_at"),
    }
    # Contact people are private: only roles with VIEW_CONTACTS get them in the context.
    if role.has(Permission.VIEW_CONTACTS):
        ctx["contacts"] = organization.contacts.all()
        if role.has(Permission.MANAGE_FORUMS):
            ctx["contact_form"] = ContactForm()
    return TemplateResponse(request, "forums/organization_detail.html", ctx)


@chapter_view(Permission.MANAGE_FORUMS)
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, Permission.VIEW_CONTACTS)
    organization = access.get_organization_for(request, pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = services.add_contact(
            organization=organization, by=request.user, **form.cleaned_data
        )
        messages.success(request, f"{contact.name} added.")
        return redirect(
            reverse("forums:organization_detail", args=[request.chapter.slug, organization.pk])
            + "#contacts-h"
        )
    return TemplateResponse(
        request,
        "forums/organizationcontact_form.html",
        {"organization": organization, "form": form},
    )


@chapter_view(Permission.MANAGE_FORUMS)
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, Permission.VIEW_CONTACTS)
    contact = access.get_contact_for(request, pk)
    organization = contact.organization
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        services.update_contact(contact=contact, by=request.user, **form.cleaned_data)
        messages.success(request, f"{contact.name} saved.")
        return redirect(
            reverse("forums:organization_detail", args=[request.chapter.slug, organization.pk])
            + "#contacts-h"
        )
    contact.refresh_from_db()
    return TemplateResponse(
        request,
        "forums/organizationcontact_form.html",
        {"organization": organization, "contact": contact, "form": form},
    )


@chapter_view(Permission.MANAGE_FORUMS)
@require_POST
def contact_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, Permission.VIEW_CONTACTS)
    contact = access.get_contact_for(request, pk)
    organization = contact.organization
    services.remove_contact(contact=contact, by=request.user)
    messages.info(request, f"{contact.name} removed from {organization.name}'s contacts.")
    return redirect(
        reverse("forums:organization_detail", args=[request.chapter.slug, organization.pk])
        + "#contacts-h"
    )
