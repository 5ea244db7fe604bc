from __future__ import annotations

from django.tasks import task


@task
def run_finance_import(import_id: int) -> str:
    from pledgewatch.finance.services import run_import

    return run_import(import_id).status


@task
def rescreen_chapter(chapter_id: int) -> int:
    """After a policy edit: screen every candidate of the chapter again."""
    from pledgewatch.finance.services import rescreen_chapter as rescreen

    return rescreen(chapter_id)


@task
def rescreen_candidate(candidate_id: int, user_id: int | None = None) -> int:
    from django.contrib.auth import get_user_model

    from pledgewatch.candidates.models import Candidate
    from pledgewatch.finance.services import rescreen

    by = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return rescreen(Candidate.objects.get(pk=candidate_id), by=by).findings
