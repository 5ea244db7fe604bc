from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pledgewatch.finance import directory
from pledgewatch.finance.records import SourceError


def plain(text: str) -> str:
    return text  # progress is not an error: not in the error colour


class Command(BaseCommand):
    help = (
        "Load the FEC committee master (cm.txt, or the FEC's cmYY.zip) into the committee "
        "directory every chapter's screen reads connected organizations from. Safe to run "
        "again: committees are updated in place, never duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="cm.txt or cmYY.zip from the FEC's bulk data")
        parser.add_argument(
            "--rescreen",
            action="store_true",
            help="then screen every candidate with filings again, in every chapter",
        )

    def handle(self, *args, path: Path, rescreen: bool, **options):
        tty = self.stderr.isatty()

        def progress(done: int, total: int) -> None:
            line = f"{path.name}: {done:,} of {total:,} committees saved"
            if tty:
                self.stderr.write(f"\r{line}", ending="", style_func=plain)
            else:
                self.stderr.write(line, style_func=plain)

        try:
            result = directory.load_committee_master(path, progress=progress)
        except SourceError as exc:
            raise CommandError(f"{exc}. Nothing was loaded.") from None
        finally:
            if tty:
                self.stderr.write("", style_func=plain)
        self.stdout.write(
            f"{path}: {result.total:,} committees loaded ({result.created:,} new, "
            f"{result.updated:,} updated)."
        )
        if not rescreen:
            self.stdout.write(
                "Findings change at each candidate's next screen (its “Screen again” button, an "
                "import or a policy edit), or now with --rescreen."
            )
            return
        from pledgewatch.finance import services

        n = services.rescreen_everyone()
        self.stdout.write(f"{n:,} candidate{'' if n == 1 else 's'} with filings screened again.")
