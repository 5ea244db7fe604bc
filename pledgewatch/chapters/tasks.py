from __future__ import annotations

from django.tasks import task


@task
def run_roster_import(import_id: int) -> str:
    from pledgewatch.chapters.services import run_import

    return run_import(import_id).status
