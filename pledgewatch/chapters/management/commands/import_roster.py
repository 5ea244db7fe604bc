from __future__ import annotations

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from pledgewatch.chapters import roster, services
from pledgewatch.chapters.models import Chapter, ImportStatus


class Command(BaseCommand):
    help = "Import a roster CSV (DSA national export, current or older headers) into a chapter."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--chapter", required=True, help="the chapter's slug")
        parser.add_argument("--encoding", default="utf-8")
        parser.add_argument(
            "--partial",
            action="store_true",
            help="the file is not the complete list: do not lapse members missing from it",
        )

    def handle(self, *args, path: Path, chapter: str, encoding: str, partial: bool, **options):
        try:
            chapter_obj = Chapter.objects.get(slug=chapter)
        except Chapter.DoesNotExist:
            raise CommandError(f"No chapter with slug {chapter!r}.") from None
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        with path.open("rb") as fh:
            upload = File(fh, name=path.name)
            upload.size = path.stat().st_size
            try:
                job = services.start_import(
                    chapter=chapter_obj, upload=upload, encoding=encoding, fmt="",
                    full_snapshot=not partial, by=None,
                )  # fmt: skip
            except roster.RosterFileError as exc:
                raise CommandError(f"{path}: {exc}") from None
        if job.status == ImportStatus.NEEDS_MAPPING:
            services.cancel_import(job=job, by=None)
            raise CommandError(
                f"{path}: not a DSA export (no actionkit_id or AK_ID column); "
                "import other CSVs in the web app, where you choose the columns."
            )
        job.refresh_from_db()
        if job.status == ImportStatus.QUEUED:  # a worker backend: run it here and now
            job = services.run_import(job.pk)
        if job.status != ImportStatus.SUCCEEDED:
            lines = [f"{path}: import failed, nothing was changed ({job.error_count} problems)"]
            lines += [
                f"  row {e['row']}"
                + (f", {e['column']}" if e["column"] else "")
                + f": {e['message']}"
                for e in job.errors[:20]
            ]
            raise CommandError("\n".join(lines))
        self.stdout.write(
            f"{path}: {job.added} added, {job.changed} changed, {job.lapsed} lapsed, "
            f"{job.unchanged} unchanged"
        )
