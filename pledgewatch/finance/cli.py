"""`pledgewatch screen PATH...`: screen campaign-finance files against a conflict policy.

No database and no Django: files in, findings out. Accepts .fec filings and zips of them,
FEC bulk files (itcont, itoth, itpas2; plain or zipped; a cm.txt beside them adds the
committees' connected organizations), and CSV/XLSX exports with --mapping.

Every problem with the input (a missing, empty, damaged or unknown file, a bad --mapping or
--policy) ends the command with one line on stderr that names the file, and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pledgewatch.cli import quiet_broken_pipe
from pledgewatch.finance.policy import TIERS, Policy
from pledgewatch.finance.records import Contribution, SourceError
from pledgewatch.finance.screening import ScreenResult, screen

if TYPE_CHECKING:  # DuckDB is imported only when a bulk file is screened
    from pledgewatch.finance.bulkscreen import BulkScreen


BULK_STEMS = ("itcont", "indiv", "itoth", "oth", "itpas2", "pas2")
TABLE_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx"}


class Progress:
    """A one-line progress display on stderr, for terminals only, at most 5 updates a second."""

    def __init__(self, stream: TextIO | None = None, *, force: bool = False) -> None:
        self.stream = stream or sys.stderr  # sys.stderr as it is now, not at import
        self.enabled = force or self.stream.isatty()
        self.last = 0.0
        self.shown = False

    def __call__(self, label: str, fraction: float, found: int) -> None:
        """Show `label`, a bar for the `fraction` (0 to 1) of the file read, and rows found."""
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.2 and fraction < 1):
            return
        self.last = now
        self.shown = True
        fraction = min(max(fraction, 0.0), 1.0)
        width = 30
        filled = round(width * fraction)
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{label} [{bar}] {fraction:4.0%}, {found:,} rows to screen")
        self.stream.flush()

    def done(self) -> None:
        """End the progress line, if one was shown."""
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False


def kind_of(path: Path) -> str:
    """fec, bulk, committees or table; SourceError for a path that is none of them."""
    if not path.exists():
        raise SourceError("no such file", path=str(path))
    if path.is_dir():
        raise SourceError("is a folder, not a file: name the files in it", path=str(path))
    name, suffix = path.name.lower(), path.suffix.lower()
    if name.endswith(".fec"):
        return "fec"  # the .fec importer explains an empty or damaged file itself
    if name.endswith(".zip"):
        try:
            with zipfile.ZipFile(path) as zf:
                sizes = {i.filename.lower(): i.file_size for i in zf.infolist() if not i.is_dir()}
        except (zipfile.BadZipFile, OSError) as exc:
            raise SourceError(f"not a readable zip file ({exc})", path=str(path)) from None
        members = list(sizes)
        if any(m.endswith(".fec") for m in members):
            return "fec"  # the .fec importer explains an empty or damaged member itself
        bulk_members = [m for m in members if Path(m).name.startswith(BULK_STEMS)]
        if bulk_members:
            if not any(sizes[m] for m in bulk_members):
                raise SourceError(f"{bulk_members[0]} in the zip is empty", path=str(path))
            return "bulk"
        if any(Path(m).name.startswith("cm") for m in members):
            return "committees"
        if not members:
            raise SourceError("the zip file is empty: it holds no files", path=str(path))
        raise SourceError("a zip with neither .fec filings nor FEC bulk files", path=str(path))
    if suffix == ".txt" and name.startswith(BULK_STEMS):
        kind = "bulk"
    elif suffix == ".txt" and name.startswith("cm"):
        kind = "committees"
    elif suffix in TABLE_SUFFIXES:
        return "table"  # the spreadsheet importer explains an empty file itself
    else:
        raise SourceError(
            "unknown kind of file: give .fec filings (or a zip of them), FEC bulk files "
            "(itcont/itoth/itpas2, cm.txt), or a CSV/XLSX with --mapping",
            path=str(path),
        )
    if path.stat().st_size == 0:
        raise SourceError("the file is empty: download it again from the FEC", path=str(path))
    return kind


def load_policy(path: Path | None) -> Policy:
    if path is None:
        return Policy.default()
    if path.is_dir():
        raise SourceError("is a folder, not a policy file", path=str(path))
    try:
        return Policy.from_json(path)
    except AttributeError:  # valid JSON, but not an object (Policy.from_dict calls data.get)
        raise SourceError(
            "not a conflict policy in Pledgewatch's format (it must be one JSON object)",
            path=str(path),
        ) from None


def load(
    kinds: Sequence[tuple[Path, str]],
    policy: Policy,
    *,
    mapping: str | None,
    progress: Progress,
) -> tuple[list[Contribution], dict[str, Any], list[str]]:
    """Every contribution the files hold (bulk files: only rows the policy could flag).

    The small files are read first, so that a bad one (or a bad --mapping) stops the command
    before a long bulk scan.
    """
    # Each importer is loaded only when a file needs it (DuckDB is not needed for a .fec).
    from pledgewatch.finance.importers import fec

    if all(kind == "committees" for _, kind in kinds):
        raise SourceError(
            "a committee master only adds the committees' connected organizations: "
            "give the filings or bulk files to screen with it",
            path=str(kinds[0][0]),
        )
    committees: dict[str, Any] = {}
    filings = []
    for path, kind in kinds:
        if kind == "committees":
            from pledgewatch.finance.importers import bulk

            committees.update(bulk.read_committees(path))
        elif kind == "fec":
            filings.extend(fec.read_fec(path))
        elif kind == "table":
            if not mapping:
                raise SourceError(
                    "a spreadsheet needs --mapping: a preset (nyc-cfb, cal-access, nys-boe, "
                    "candidate) or a JSON file mapping our fields to its columns",
                    path=str(path),
                )
            from pledgewatch.finance.importers import tabular

            # read_table resolves a preset name or a JSON file, and explains a bad one.
            try:
                filings.extend(tabular.read_table(path, mapping=mapping))
            except SourceError as exc:
                if exc.path or not Path(mapping).is_file():
                    raise
                # The JSON file read, but what it holds is wrong: say which file that is.
                raise SourceError(str(exc), path=mapping) from None
    contributions: list[Contribution] = []
    for path, kind in kinds:
        if kind == "bulk":
            from pledgewatch.finance.importers import bulk

            def report(fraction: float, found: int, _p: Path = path) -> None:
                progress(f"Scanning {_p.name}", fraction, found)

            scanned = bulk.scan(path, policy.prefilter(), progress=report, committees=committees)
            contributions.extend(scanned)
            progress.done()
    for filing in fec.select_current(filings):
        contributions.extend(filing.contributions)
    sources = [str(path) for path, kind in kinds if kind != "committees"]
    return contributions, committees, sources


def screen_bulk_files(
    kinds: Sequence[tuple[Path, str]], policy: Policy, *, progress: Progress
) -> BulkScreen:
    """FEC bulk files only (and committee masters): screened inside DuckDB (bulkscreen.py),
    with the same findings as load() and screen() would give, in a fraction of the time."""
    from pledgewatch.finance.bulkscreen import screen_bulk
    from pledgewatch.finance.importers import bulk

    committees: dict[str, Any] = {}
    for path, kind in kinds:
        if kind == "committees":
            committees.update(bulk.read_committees(path))

    def report(path: Path, fraction: float, found: int) -> None:
        progress(f"Scanning {path.name}", fraction, found)
        if fraction >= 1:
            progress.done()

    paths = [path for path, kind in kinds if kind == "bulk"]
    return screen_bulk(paths, policy, committees=committees, progress=report)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def render_table(result: ScreenResult | BulkScreen, out: TextIO, *, bulk: bool = False) -> None:
    """The findings as a table, then one summary: net totals by tier and by organization."""
    summary = result.summary()
    screened = _plural(summary["contributions_screened"], "contribution") + " screened"
    if bulk:
        screened += " (of a bulk file, only the rows that could match the policy are screened)"
    if result.findings:
        header = ("tier", "date", "amount", "organization", "contributor", "rule", "filing:line")
        rows = [header]
        for f in result.findings:
            c = f.contribution
            amount = f"{f.net_amount:,.2f}" if f.counted else f"({c.amount:,.2f} memo)"
            rows.append((
                str(f.match.tier), c.date.isoformat() if c.date else "", amount,
                _cut(f.match.organization.name, 28), _cut(c.contributor_name, 32), f.match.rule,
                f"{c.filing_id}:{c.line or c.transaction_id}",
            ))  # fmt: skip
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        for n, r in enumerate(rows):
            cells = [v.ljust(w) for v, w in zip(r, widths, strict=True)]
            cells[2] = r[2].rjust(widths[2])  # amounts line up on the decimal point
            out.write("  ".join(cells).rstrip() + "\n")
            if n == 0:
                out.write("  ".join("-" * w for w in widths) + "\n")
        out.write(f"\n{_plural(summary['findings'], 'finding')} in {screened}.\n")
        tiers = {
            f"tier {t} ({TIERS[int(t)]})": Decimal(v) for t, v in summary["net_by_tier"].items()
        }
        orgs = {name: Decimal(v) for name, v in summary["net_by_entity"].items()}
        amounts = [f"${v:,.2f}" for v in [*tiers.values(), *orgs.values()]]
        width = max(map(len, amounts))
        out.write("Net by tier:\n")
        for label, total in tiers.items():
            out.write(f"  {f'${total:,.2f}':>{width}}  {label}\n")
        out.write("Net by organization:\n")
        for name, total in orgs.items():
            out.write(f"  {f'${total:,.2f}':>{width}}  {name}\n")
    else:
        out.write(f"No findings in {screened}.\n")
    skipped = []
    if summary["below_threshold"]:
        under = _plural(summary["below_threshold"], "matched row")
        skipped.append(f"{under} whose donor stayed under the policy's thresholds")
    if summary["netted_out"]:
        skipped.append(f"{_plural(summary['netted_out'], 'matched row')} fully refunded")
    if skipped:
        out.write(f"Not reported: {'; '.join(skipped)}.\n")


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
        policy = load_policy(args.policy)
        kinds = [(path, kind_of(path)) for path in args.paths]
        if all(kind in ("bulk", "committees") for _, kind in kinds) and any(
            kind == "bulk" for _, kind in kinds
        ):
            result = screen_bulk_files(kinds, policy, progress=progress)
            sources = [str(path) for path, kind in kinds if kind == "bulk"]
        else:
            contributions, committees, sources = load(
                kinds, policy, mapping=args.mapping, progress=progress
            )
            result = screen(contributions, policy, committees=committees)
    except SourceError as exc:
        progress.done()
        print(f"pledgewatch screen: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # unreadable: permissions, a device, a file gone while reading
        progress.done()
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"pledgewatch screen: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    result.sources = sources
    try:
        if args.json:
            json.dump(result.as_dict(), sys.stdout, indent=1)
            sys.stdout.write("\n")
        else:
            render_table(result, sys.stdout, bulk=any(kind == "bulk" for _, kind in kinds))
        sys.stdout.flush()
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error to report
        return quiet_broken_pipe()
    finally:
        if close := getattr(result, "close", None):
            close()  # a BulkScreen's DuckDB connection
    return 0
