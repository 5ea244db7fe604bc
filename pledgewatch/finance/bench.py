"""Benchmarks for the finance import, used by `make bench`: real FEC rows, repeated.

* `build_itcont` writes an itcont file of N rows by repeating the real rows of the 2020-cycle
  snapshot (indiv20.zip's itcont.txt), streamed, never held in memory;
  `time_bulk_scan` times a bare `count_rows` against a full `scan` with a realistic prefilter
  (the 129 seed health-industry PAC ids and ~60 insurer/pharma/hospital names) that consumes
  every Contribution, and reports peak memory.
* `build_fec` writes a large `.fec` filing by repeating the Schedule A lines of a real v8.3
  filing (Klobuchar for Minnesota, F3N Q3 2021) after its header and form lines.

Everything is written under a directory the caller owns (a temporary one by default).
"""

from __future__ import annotations

import csv
import os
import resource
import shutil
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pledgewatch.finance.importers import bulk
from pledgewatch.finance.records import Prefilter

# The real files beside the repository (as tests/finance/conftest.py finds them).
SHARED_DATA = Path(
    os.environ.get(
        "PLEDGEWATCH_SHARED_DATA", Path(__file__).resolve().parents[3] / "shared" / "data"
    )
)
BULK = SHARED_DATA / "fec_bulk_2020cycle_snapshot_2019-03-17"
INDIV_ZIP = BULK / "indiv20.zip"
SEED_COMMITTEES = SHARED_DATA / "seed_conflict_committees_from_cm20_2019-03.csv"
KLOBUCHAR_FEC = SHARED_DATA / "fec_efilings" / "fastfec__1544132.fec"

# Insurers, PBMs, pharma and hospital systems (and their trade groups), as they appear in
# contributor and employer fields. Word-bounded, case-insensitive, RE2- and `re`-compatible.
HEALTH_NAMES = (
    "UNITEDHEALTH",
    "UNITED HEALTHCARE",
    "UNITEDHEALTHCARE",
    "OPTUM",
    "AETNA",
    "CIGNA",
    "HUMANA",
    "ANTHEM",
    "ELEVANCE",
    "CENTENE",
    "MOLINA",
    "WELLCARE",
    "KAISER PERMANENTE",
    "BLUE CROSS",
    "BLUE SHIELD",
    "BLUECROSS",
    "BCBS",
    "HIGHMARK",
    "FLORIDA BLUE",
    "HEALTH CARE SERVICE CORP",
    "EXPRESS SCRIPTS",
    "CAREMARK",
    "CVS HEALTH",
    "WALGREENS",
    "MCKESSON",
    "CARDINAL HEALTH",
    "AMERISOURCEBERGEN",
    "CENCORA",
    "PFIZER",
    "MERCK",
    "ABBVIE",
    "AMGEN",
    "GILEAD",
    "BRISTOL-MYERS",
    "BRISTOL MYERS",
    "JOHNSON & JOHNSON",
    "JOHNSON AND JOHNSON",
    "ELI LILLY",
    "NOVARTIS",
    "SANOFI",
    "GLAXOSMITHKLINE",
    "GSK",
    "ASTRAZENECA",
    "BAYER",
    "BIOGEN",
    "REGENERON",
    "MYLAN",
    "VIATRIS",
    "TEVA",
    "ALLERGAN",
    "NOVO NORDISK",
    "GENENTECH",
    "BOEHRINGER",
    "TAKEDA",
    "CELGENE",
    "PHRMA",
    "AHIP",
    "HCA HEALTHCARE",
    "TENET HEALTH",
    "COMMUNITY HEALTH SYSTEMS",
    "UNIVERSAL HEALTH SERVICES",
)
HEALTH_PATTERN = r"\b(" + "|".join(HEALTH_NAMES) + r")\b"


def seed_committee_ids(path: Path = SEED_COMMITTEES) -> frozenset[str]:
    """The CMTE_IDs of the seed list of health-industry PACs (129 in the 2019 snapshot)."""
    with path.open(newline="", encoding="utf-8") as fh:
        return frozenset(row["CMTE_ID"] for row in csv.DictReader(fh) if row["CMTE_ID"])


def realistic_prefilter() -> Prefilter:
    return Prefilter(committee_ids=seed_committee_ids(), pattern=HEALTH_PATTERN)


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports KB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024


# --- itcont at scale ----------------------------------------------------------------------------


def build_itcont(rows: int, directory: Path, *, source: Path = INDIV_ZIP) -> Path:
    """Write `directory/itcont.txt` with exactly `rows` rows: the real rows, repeated.

    Streams the zip member once into the directory, then appends copies of it (and a final
    partial copy) chunk by chunk; memory stays flat whatever `rows` is.
    """
    if rows < 0:
        raise ValueError("rows must be >= 0")
    directory.mkdir(parents=True, exist_ok=True)
    original = directory / "itcont-original.txt"
    with zipfile.ZipFile(source) as archive, archive.open("itcont.txt") as src:
        with original.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    with original.open("rb") as fh:
        per_copy = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    target = directory / "itcont.txt"
    full, rest = divmod(rows, per_copy)
    with target.open("wb") as out:
        for _ in range(full):
            with original.open("rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)
        with original.open("rb") as src:
            for _, line in zip(range(rest), src, strict=False):
                out.write(line)
    original.unlink()
    return target


@dataclass(frozen=True, slots=True)
class BulkBench:
    rows: int
    megabytes: float
    count_seconds: float  # best of the runs
    scan_seconds: float  # best of the runs
    matched: int
    matched_amount: Decimal
    peak_rss_mb: float
    count_runs: tuple[float, ...]
    scan_runs: tuple[float, ...]

    @property
    def ratio(self) -> float:
        return self.scan_seconds / self.count_seconds if self.count_seconds else float("inf")

    def summary(self) -> str:
        return (
            f"itcont bulk scan: {self.rows:,} rows ({self.megabytes:,.0f} MB); "
            f"count {self.count_seconds:.2f} s; screen {self.scan_seconds:.2f} s "
            f"({self.matched:,} rows pass the prefilter, ${self.matched_amount:,}); "
            f"ratio {self.ratio:.2f}; peak RSS {self.peak_rss_mb:,.0f} MB"
        )


def time_bulk_scan(path: Path, prefilter: Prefilter, *, repeats: int = 3) -> BulkBench:
    """Time `count_rows` and a full `scan` of `path`, alternating, best of `repeats` each.

    Alternating and taking the best run keeps a noisy shared machine from favouring either.
    """
    count_runs: list[float] = []
    scan_runs: list[float] = []
    rows = matched = 0
    amount = Decimal(0)
    for _ in range(max(1, repeats)):
        started = time.perf_counter()
        rows = bulk.count_rows(path)
        count_runs.append(time.perf_counter() - started)

        started = time.perf_counter()
        matched, amount = 0, Decimal(0)
        for contribution in bulk.scan(path, prefilter):
            matched += 1
            amount += contribution.amount
        scan_runs.append(time.perf_counter() - started)
    return BulkBench(
        rows=rows,
        megabytes=path.stat().st_size / 1e6,
        count_seconds=min(count_runs),
        scan_seconds=min(scan_runs),
        matched=matched,
        matched_amount=amount,
        peak_rss_mb=peak_rss_mb(),
        count_runs=tuple(count_runs),
        scan_runs=tuple(scan_runs),
    )


def run_bulk_bench(
    rows: int = 5_000_000,
    *,
    directory: Path | None = None,
    repeats: int = 3,
    echo: Callable[[str], object] = print,
) -> BulkBench:
    """Build the itcont file (in a temporary directory unless given), time it, print a line."""
    with tempfile.TemporaryDirectory(prefix="pledgewatch-bench-") as tmp:
        started = time.perf_counter()
        path = build_itcont(rows, directory or Path(tmp))
        echo(f"built {path} ({rows:,} rows) in {time.perf_counter() - started:.1f} s")
        result = time_bulk_scan(path, realistic_prefilter(), repeats=repeats)
        echo(result.summary())
        if directory is not None:
            path.unlink()
        return result


# --- A large .fec filing ------------------------------------------------------------------------


def build_fec(
    target_bytes: int = 100_000_000, directory: Path | None = None, *, source: Path = KLOBUCHAR_FEC
) -> Path:
    """Write a `.fec` of at least `target_bytes`: `source`'s header and form lines, then its
    Schedule A lines repeated (each copy's transaction ids and back references get a suffix,
    `.R2`, `.R3` ..., so ids stay unique and earmark memos still point at their donor rows).

    Splits on b"\\n" only: 0x1C, the field separator, is a line break to str.splitlines().
    Returns the path (`directory/bench-<source name>`; a new temporary directory if none given,
    which the caller then removes).
    """
    lines = source.read_bytes().split(b"\n")
    first_schedule = next(
        i for i, line in enumerate(lines) if line[:2] in (b"SA", b"SB", b"SC", b"SD", b"SE")
    )
    head = [line + b"\n" for line in lines[:first_schedule]]
    schedule_a = [line for line in lines if line.startswith(b"SA")]
    if not schedule_a:
        raise ValueError(f"{source} has no Schedule A lines to repeat")
    directory = directory or Path(tempfile.mkdtemp(prefix="pledgewatch-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"bench-{source.name}"
    with target.open("wb") as out:
        written = sum(out.write(line) for line in head)
        copy = 0
        while written < target_bytes:
            copy += 1
            suffix = b"" if copy == 1 else b".R%d" % copy
            block = b"".join(_with_suffix(line, suffix) + b"\n" for line in schedule_a)
            written += out.write(block)
    return target


@contextmanager
def large_fec(target_bytes: int = 100_000_000) -> Iterator[Path]:
    """`build_fec` in a temporary directory that is removed afterwards: `with large_fec() as p:`."""
    with tempfile.TemporaryDirectory(prefix="pledgewatch-bench-") as tmp:
        yield build_fec(target_bytes, Path(tmp))


def _with_suffix(line: bytes, suffix: bytes) -> bytes:
    """Append `suffix` to a v8 Schedule A line's transaction id and back reference (fields 3, 4)."""
    if not suffix:
        return line
    sep = b"\x1c" if b"\x1c" in line else b","
    fields = line.split(sep)
    for index in (2, 3):
        if index < len(fields) and fields[index].strip(b'"'):
            value = fields[index]
            quoted = value.startswith(b'"') and value.endswith(b'"') and len(value) > 1
            fields[index] = value[:-1] + suffix + b'"' if quoted else value + suffix
    return sep.join(fields)


# --- `pledgewatch bench-finance` ----------------------------------------------------------------


def _best(runs: int, work: Callable[[], object]) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(max(1, runs)):
        result = None  # free the last run's result before the next: peak memory is one run's
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def main(argv: list[str] | None = None) -> int:
    """Print the finance benchmark figures: bulk scan vs bare count, and single filings."""
    import argparse

    from pledgewatch.finance.bulkscreen import BulkScreen, screen_bulk
    from pledgewatch.finance.importers import fec
    from pledgewatch.finance.policy import Policy
    from pledgewatch.finance.screening import screen

    parser = argparse.ArgumentParser(prog="pledgewatch bench-finance")
    parser.add_argument("--rows", type=int, default=5_000_000, help="itcont rows (default 5M)")
    parser.add_argument("--fec-mb", type=int, default=100, help="size of the large .fec (MB)")
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs")
    args = parser.parse_args(argv)
    policy = Policy.default()
    prefilter = policy.prefilter()

    def full_screen(path: Path) -> BulkScreen:
        result = screen_bulk([path], policy)
        result.summary()  # the totals by tier and organization
        result.close()
        return result

    def screen_and_build(path: Path) -> BulkScreen:
        result = screen_bulk([path], policy)
        result.findings  # noqa: B018 (every finding as a Python object, as the CLI prints them)
        result.close()
        return result

    print("finance benchmark (default Medicare for All policy, real FEC rows repeated)")
    with tempfile.TemporaryDirectory(prefix="pledgewatch-bench-") as tmp:
        path = build_itcont(args.rows, Path(tmp))
        mb = path.stat().st_size / 1e6
        count_s, rows = _best(args.repeats, lambda: bulk.count_rows(path))
        screen_s, result = _best(args.repeats, lambda: full_screen(path))
        print(f"  bulk itcont: {rows:,} rows, {mb:,.0f} MB")
        print(f"    bare DuckDB count(*): {count_s:.2f} s")
        print(f"    full screen (prefilter, rules per distinct donor, refunds, totals, findings "
              f"and summary, in DuckDB): {screen_s:.2f} s, {result.screened:,} candidate rows, "
              f"{result.count:,} findings")  # fmt: skip
        print(f"    ratio screen / count: {screen_s / count_s:.2f}x (target: within 2x)")
        build_s, _ = _best(1, lambda: screen_and_build(path))
        print(f"    the same, then every finding built as a Python object (as the command "
              f"line prints them): {build_s:.2f} s")  # fmt: skip
        print(f"    peak memory so far: {peak_rss_mb():,.0f} MB (target: under 2,048 MB)")
        python_s, python_result = _best(1, lambda: screen(bulk.scan(path, prefilter), policy))
        print(f"    the same screen row by row in Python (screening.screen over bulk.scan): "
              f"{python_s:.2f} s, {len(python_result.findings):,} findings")  # fmt: skip
        del python_result

    largest = max((SHARED_DATA / "fec_efilings").glob("*.fec"), key=lambda p: p.stat().st_size)
    seconds, result = _best(
        args.repeats, lambda: screen(_contributions(fec.read_fec(largest)), policy)
    )
    print(f"  largest real .fec: {largest.name} ({largest.stat().st_size / 1e6:.2f} MB): "
          f"parse + screen {seconds:.3f} s (target: under 1 s), "
          f"{len(result.findings)} findings")  # fmt: skip

    with large_fec(args.fec_mb * 1_000_000) as big:
        size = big.stat().st_size / 1e6
        seconds, result = _best(1, lambda: screen(_contributions(fec.read_fec(big)), policy))
        print(f"  {size:,.0f} MB .fec made of real rows: parse + screen {seconds:.1f} s, "
              f"{size / seconds:.1f} MB/s, {result.screened:,} receipts")  # fmt: skip
    print(f"  peak memory: {peak_rss_mb():,.0f} MB")
    return 0


def _contributions(filings) -> list:
    from pledgewatch.finance.importers import fec

    return [c for f in fec.select_current(filings) for c in f.contributions]
