from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

from pledgewatch.chapters import fake_roster
from pledgewatch.chapters.models import Chapter

CHUNK = 10_000


class Command(BaseCommand):
    help = "Benchmark: import a generated DSA-format roster, then a changed re-import of it."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)

    def handle(self, *args, rows: int, **options):
        with tempfile.TemporaryDirectory() as tmp:
            first, second = Path(tmp, "roster.csv"), Path(tmp, "roster-next.csv")
            with first.open("w", newline="") as a, second.open("w", newline="") as b:
                for start in range(0, rows, CHUNK):
                    chunk = fake_roster.member_rows(
                        min(CHUNK, rows - start), seed=start, id_start=1_000_000 + start
                    )
                    fake_roster.write_current(a, chunk, header=start == 0)
                    # next month: 2% left, 5% changed standing
                    kept = [r for i, r in enumerate(chunk) if i % 50 != 0]
                    for i, r in enumerate(kept):
                        if i % 20 == 0:
                            r["membership_status"] = "Lapsed"
                    fake_roster.write_current(b, kept, header=start == 0)
            slug = f"bench-{int(time.time())}"
            Chapter.objects.create(slug=slug, name=f"Benchmark {slug}")
            size = first.stat().st_size / 1024 / 1024
            self.stdout.write(f"roster import benchmark: {rows:,} rows, {size:.1f} MB file")
            for label, path in (("first import", first), ("re-import", second)):
                started = time.perf_counter()
                call_command("import_roster", str(path), chapter=slug, stdout=self.stdout)
                elapsed = time.perf_counter() - started
                self.stdout.write(f"  {label}: {elapsed:.1f} s ({rows / elapsed:,.0f} rows/s)")
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            self.stdout.write(f"  peak memory (whole process): {peak:.0f} MB")
