"""`pledgewatch screen PATH...`: screen campaign-finance files against a conflict policy.

No database and no Django: files in, findings out. Accepts .fec filings and zips of them,
FEC bulk files (itcont, itoth, itpas2; plain or zipped; a cm.txt beside them adds the
committees' connected organizations), and CSV/XLSX exports with --mapping.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from pledgewatch.finance.policy import Policy
from pledgewatch.finance.records import Contribution, SourceError
from pledgewatch.finance.screening import ScreenResult, screen

BULK_STEMS = ("itcont", "indiv", "itoth", "oth", "itpas2", "pas2")
TABLE_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx"}


class Progress:
    """A one-line progress display on stderr, for terminals only, at most 5 updates a second."""

    def __init__(self, stream: TextIO = sys.stderr, *, force: bool = False) -> None:
        self.stream = stream
        self.enabled = force or stream.isatty()
        self.last = 0.0

    def __call__(self, label: str, done: int, total: int | None = None) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.2 and done != total):
            return
        self.last = now
        if total:
            width = 30
            filled = width * done // total
            bar = "#" * filled + "-" * (width - filled)
            self.stream.write(f"\r{label} [{bar}] {done:,}/{total:,}")
        else:
            self.stream.write(f"\r{label}: {done:,} rows")
        self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\n")


def kind_of(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".fec"):
        return "fec"
    if name.endswith(".zip"):
        try:
            with zipfile.ZipFile(path) as zf:
                members = [m.lower() for m in zf.namelist()]
        except (zipfile.BadZipFile, OSError) as exc:
            raise SourceError(f"not a readable zip file ({exc})", path=str(path)) from None
        if any(m.endswith(".fec") for m in members):
            return "fec"
        if any(Path(m).name.startswith(BULK_STEMS) for m in members):
            return "bulk"
        if any(Path(m).name.startswith("cm") for m in members):
            return "committees"
        raise SourceError("a zip with neither .fec filings nor FEC bulk files", path=str(path))
    if name.startswith(BULK_STEMS) and path.suffix.lower() == ".txt":
        return "bulk"
    if name.startswith("cm") and path.suffix.lower() == ".txt":
        return "committees"
    if path.suffix.lower() in TABLE_SUFFIXES:
        return "table"
    raise SourceError(
        "unknown kind of file: give .fec filings (or a zip of them), FEC bulk files "
        "(itcont/itoth/itpas2, cm.txt), or a CSV/XLSX with --mapping",
        path=str(path),
    )


def load(
    paths: Iterable[Path], policy: Policy, *, mapping: str | None, progress: Progress
) -> tuple[list[Contribution], dict, list[str]]:
    """Every contribution the files hold (bulk files: only rows the policy could flag)."""
    # Each importer is loaded only when a file needs it (DuckDB is not needed for a .fec).
    from pledgewatch.finance.importers import fec

    contributions: list[Contribution] = []
    committees: dict = {}
    sources: list[str] = []
    kinds = [(p, kind_of(p)) for p in paths]
    for path, kind in kinds:
        if not path.exists():
            raise SourceError("no such file", path=str(path))
        if kind == "committees":
            from pledgewatch.finance.importers import bulk

            committees.update(bulk.read_committees(path))
    filings = []
    for path, kind in kinds:
        if kind == "fec":
            filings.extend(fec.read_fec(path))
        elif kind == "table":
            if not mapping:
                raise SourceError(
                    "a spreadsheet needs --mapping: a preset (nyc-cfb, cal-access, nys-boe, "
                    "candidate) or a JSON file mapping our fields to its columns",
                    path=str(path),
                )
            from pledgewatch.finance.importers import tabular

            table_mapping: str | dict = mapping
            if mapping.endswith(".json"):
                table_mapping = json.loads(Path(mapping).read_text(encoding="utf-8"))
            filings.extend(tabular.read_table(path, mapping=table_mapping))
        elif kind == "bulk":
            from pledgewatch.finance.importers import bulk

            prefilter = policy.prefilter()

            def report(done: int, total: int | None = None, _p: Path = path) -> None:
                progress(f"Scanning {_p.name}", done, total)

            contributions.extend(bulk.scan(path, prefilter, progress=report))
            progress.done()
        if kind != "committees":
            sources.append(str(path))
    for filing in fec.select_current(filings):
        contributions.extend(filing.contributions)
    return contributions, committees, sources


def render_table(result: ScreenResult, out: TextIO) -> None:
    summary = result.summary()
    if not result.findings:
        out.write(f"No findings in {summary['contributions_screened']:,} contributions.\n")
    else:
        header = ("tier", "date", "amount", "entity", "contributor", "rule", "filing/line")
        rows = [header]
        for f in result.findings:
            c = f.contribution
            amount = f"{f.net_amount:,.2f}" if f.counted else f"({c.amount:,.2f} memo)"
            rows.append((
                str(f.match.tier), c.date.isoformat() if c.date else "", amount,
                f.match.organization.name[:28], c.contributor_name[:32], f.match.rule,
                f"{c.filing_id}:{c.line or c.transaction_id}",
            ))  # fmt: skip
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        for n, r in enumerate(rows):
            out.write("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())
            out.write("\n")
            if n == 0:
                out.write("  ".join("-" * w for w in widths) + "\n")
    out.write(f"\n{summary['findings']} findings in {summary['contributions_screened']:,} "
              f"contributions screened.\n")  # fmt: skip
    for tier, total in summary["net_by_tier"].items():
        out.write(f"  tier {tier}: ${Decimal(total):,.2f} net\n")
    for entity, total in summary["net_by_entity"].items():
        out.write(f"  {entity}: ${Decimal(total):,.2f}\n")
    if summary["netted_out"] or summary["below_threshold"]:
        out.write(f"  ({summary['below_threshold']} matched rows under the thresholds, "
                  f"{summary['netted_out']} fully refunded: not reported)\n")  # fmt: skip


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="pledgewatch screen",
        description="Screen campaign-finance files for money from the organizations of a "
        "conflict policy (default: Medicare for All's opponents: insurers, PBMs, pharma and "
        "their trade groups).",
    )
    p.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help=".fec files, zips of them, FEC bulk files, or CSV/XLSX with --mapping",
    )
    p.add_argument("--policy", type=Path, help="a policy JSON file (default: the shipped one)")
    p.add_argument("--mapping", help="for CSV/XLSX: nyc-cfb, cal-access, nys-boe, candidate, "
                   "or a JSON file mapping fields to columns")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--progress", action="store_true", help="show progress even when piped")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    progress = Progress(force=args.progress)
    try:
        policy = Policy.from_json(args.policy) if args.policy else Policy.default()
        contributions, committees, sources = load(
            args.paths, policy, mapping=args.mapping, progress=progress
        )
        result = screen(contributions, policy, committees=committees)
    except SourceError as exc:
        progress.done()
        print(f"pledgewatch screen: {exc}", file=sys.stderr)
        return 2
    result.sources = sources
    if args.json:
        json.dump(result.as_dict(), sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        render_table(result, sys.stdout)
    return 0
