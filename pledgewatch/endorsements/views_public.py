"""The chapter's public pages (/p/<slug>/): no login, and only what the chapter publishes.

What is shown, per endorsement that is endorsed or rescinded (states.PUBLIC_STAGES): the
candidate's name, office, party and website; the chapter's public statement; the date of each
public decision (the transitions into "endorsed" and "rescinded") with the vote count when one was
recorded; the gates waived for the candidate with their reasons (waivers are written to be shown
publicly); and the candidate's pledge (text, date, link). Then the chapter's adopted rescission
by-law, and its upcoming public forums with an .ics file each.

Never shown: candidates at any other stage, transition reasons, contact details and the contact
log, members, findings and donors, evaluations, invitations and RSVPs, non-public forums, drafts
of the by-law, and the pledge's uploaded copy (an uploaded file is not served publicly).

Every query starts from the chapter found by the slug, so one chapter's page never shows
another's records. Responses set nothing per visitor (no session, no CSRF cookie), so they are
sent with a short public Cache-Control.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from pledgewatch.chapters.models import Chapter
from pledgewatch.endorsements import states
from pledgewatch.endorsements.models import Endorsement, GateWaiver, Pledge, Stage, Transition
from pledgewatch.endorsements.services_bylaw import bylaw_history, bylaw_of
from pledgewatch.forums import services as forum_services
from pledgewatch.forums.models import Forum

# Published records change rarely; a short lifetime lets a correction show within minutes.
PUBLIC_MAX_AGE = 300


@dataclass
class PublicEndorsement:
    endorsement: Endorsement
    decisions: list[Transition]  # into endorsed / rescinded, oldest first
    waivers: list[GateWaiver]
    pledge: Pledge | None

    @property
    def candidate(self):
        return self.endorsement.candidate

    @property
    def has_statements(self) -> bool:
        """Each decision carries its own statement (records from before statements were kept
        per decision show the endorsement's latest one instead)."""
        return any(t.statement for t in self.decisions)


def _public_endorsements(chapter: Chapter) -> list[PublicEndorsement]:
    endorsements = (
        Endorsement.objects.for_chapter(chapter)
        .filter(stage__in=states.PUBLIC_STAGES)
        .select_related("candidate", "candidate__race", "candidate__race__office")
        .prefetch_related(
            Prefetch(
                "transitions",
                queryset=Transition.objects.filter(to_stage__in=states.PUBLIC_STAGES).order_by(
                    "at", "id"
                ),
                to_attr="public_decisions",
            ),
            Prefetch(
                "waivers",
                queryset=GateWaiver.objects.filter(withdrawn_at__isnull=True).order_by("gate"),
                to_attr="active_waivers",
            ),
        )
        .order_by("candidate__name", "id")
    )
    pledges = {
        p.candidate_id: p
        for p in Pledge.objects.filter(candidate__in=[e.candidate for e in endorsements])
    }
    return [
        PublicEndorsement(
            endorsement=e,
            decisions=e.public_decisions,
            waivers=e.active_waivers,
            pledge=pledges.get(e.candidate_id),
        )
        for e in endorsements
    ]


@login_not_required
@require_safe
@cache_control(public=True, max_age=PUBLIC_MAX_AGE)
def chapter_page(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    published = _public_endorsements(chapter)
    bylaw = bylaw_of(chapter)
    if bylaw is not None and not bylaw.adopted:
        bylaw = None  # a draft is the committee's, not the public's
    forums = (
        Forum.objects.for_chapter(chapter)
        .filter(is_public=True, ends_at__gte=timezone.now())
        .order_by("starts_at", "id")
    )
    context = {
        "chapter": chapter,
        "endorsed": [p for p in published if p.endorsement.stage == Stage.ENDORSED],
        "rescinded": [p for p in published if p.endorsement.stage == Stage.RESCINDED],
        "bylaw": bylaw,
        "bylaw_history": bylaw_history(chapter) if bylaw is not None else [],
        "forums": forums,
    }
    # Rendered now, inside the chapter's time zone: every date and time is the chapter's.
    with timezone.override(ZoneInfo(chapter.timezone)):
        return render(request, "public/chapter.html", context)


@login_not_required
@require_safe
@cache_control(public=True, max_age=PUBLIC_MAX_AGE)
def forum_ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A public forum of this chapter as an .ics file (404 for a non-public forum)."""
    chapter = get_object_or_404(Chapter, slug=slug)
    forum = get_object_or_404(
        Forum.objects.for_chapter(chapter).filter(is_public=True).select_related("chapter"), pk=pk
    )
    response = HttpResponse(
        forum_services.forum_calendar(forum), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=forum_services.calendar_filename(forum)
    )
    return response
