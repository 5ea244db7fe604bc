"""The analytical database: the only module that imports duckdb.

Connections are read-only by default (`read_connection`); `write_connection` is the one write
path. The bulk-file helpers read the FEC's pipe-delimited bulk files (plain `.txt` or the `.zip`
the FEC publishes) with every column as VARCHAR and quoting off, and turn DuckDB's errors into
`SourceError`s that name the file and line. SQL is always parameterised: file names, committee
ids and regular expressions travel as parameters, never inside the SQL text.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from pledgewatch.finance.records import SourceError

Connection = duckdb.DuckDBPyConnection

# --- FEC bulk layouts (research/finance.md 1.2) -------------------------------------------------

_ITEMIZED = (
    "CMTE_ID",
    "AMNDT_IND",
    "RPT_TP",
    "TRANSACTION_PGI",
    "IMAGE_NUM",
    "TRANSACTION_TP",
    "ENTITY_TP",
    "NAME",
    "CITY",
    "STATE",
    "ZIP_CODE",
    "EMPLOYER",
    "OCCUPATION",
    "TRANSACTION_DT",
    "TRANSACTION_AMT",
    "OTHER_ID",
    "TRAN_ID",
    "FILE_NUM",
    "MEMO_CD",
    "MEMO_TEXT",
    "SUB_ID",
)
_PAS2 = _ITEMIZED[:16] + ("CAND_ID",) + _ITEMIZED[16:]

COLUMNS: dict[str, tuple[str, ...]] = {
    "itcont": _ITEMIZED,
    "itoth": _ITEMIZED,
    "itpas2": _PAS2,
    "cm": (
        "CMTE_ID",
        "CMTE_NM",
        "TRES_NM",
        "CMTE_ST1",
        "CMTE_ST2",
        "CMTE_CITY",
        "CMTE_ST",
        "CMTE_ZIP",
        "CMTE_DSGN",
        "CMTE_TP",
        "CMTE_PTY_AFFILIATION",
        "CMTE_FILING_FREQ",
        "ORG_TP",
        "CONNECTED_ORG_NM",
        "CAND_ID",
    ),
    "cn": (
        "CAND_ID",
        "CAND_NAME",
        "CAND_PTY_AFFILIATION",
        "CAND_ELECTION_YR",
        "CAND_OFFICE_ST",
        "CAND_OFFICE",
        "CAND_OFFICE_DISTRICT",
        "CAND_ICI",
        "CAND_STATUS",
        "CAND_PCC",
        "CAND_ST1",
        "CAND_ST2",
        "CAND_CITY",
        "CAND_ST",
        "CAND_ZIP",
    ),
    "ccl": (
        "CAND_ID",
        "CAND_ELECTION_YR",
        "FEC_ELECTION_YR",
        "CMTE_ID",
        "CMTE_TP",
        "CMTE_DSGN",
        "LINKAGE_ID",
    ),
}
ITEMIZED_KINDS = ("itcont", "itoth", "itpas2")

# The member each FEC zip holds (indiv20.zip -> itcont.txt ...).
MEMBERS = {kind: f"{kind}.txt" for kind in COLUMNS}

# File stems: itcont.txt, indiv20.zip, itoth.txt, oth20.zip, itpas2.txt, pas220.zip, cm20.zip ...
_STEM_KIND = [
    (re.compile(r"^(itcont|indiv)"), "itcont"),
    (re.compile(r"^(itoth|oth)"), "itoth"),
    (re.compile(r"^(itpas2|pas2)"), "itpas2"),
    (re.compile(r"^ccl\d*$"), "ccl"),
    (re.compile(r"^cm\d*$"), "cm"),
    (re.compile(r"^cn\d*$"), "cn"),
]

# Transaction types the FEC lists for the individual-contributions file (finance.md 1.2).
_INDIV_TYPES = frozenset(
    {"10", "11", "15", "15C", "15E", "15I", "15T", "19", "22Y", "24I", "24T", "20Y", "21Y"}
)

_READ_CSV = (
    "read_csv(?, delim='|', header=false, quote='', escape='', auto_detect=false, "
    "strict_mode=true, null_padding=false, columns=?)"
)
_GLOB_CHARS = re.compile(r"[*?\[\]{}]")


# --- Connections --------------------------------------------------------------------------------


# What DuckDB may hold in memory per connection (PLEDGEWATCH_DUCKDB_MEMORY, e.g. "2GB").
DUCKDB_MEMORY_LIMIT = os.environ.get("PLEDGEWATCH_DUCKDB_MEMORY") or "1GB"


def read_connection(path: str | Path | None = None) -> Connection:
    """A connection for reading: in memory (for scanning files) or a database file, read-only."""
    try:
        if path is None:
            return _configure(duckdb.connect(":memory:"))
        return _configure(duckdb.connect(str(path), read_only=True))
    except duckdb.Error as exc:
        raise SourceError(_first_line(exc), path=str(path or ":memory:")) from None


def write_connection(path: str | Path) -> Connection:
    """The one write path: a read-write connection to a database file (created if missing)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        return _configure(duckdb.connect(str(path), read_only=False))
    except duckdb.Error as exc:
        raise SourceError(_first_line(exc), path=str(path)) from None


def _configure(con: Connection) -> Connection:
    # DuckDB draws a progress bar on the terminal for long queries; progress is reported
    # through callbacks instead (see fetch_batches).
    con.execute("SET enable_progress_bar_print = false")
    # Scans stream their results: rows need not come back in file order, and DuckDB's buffers
    # stay bounded (it spills to its temp directory rather than grow past the limit).
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET memory_limit = ?", [DUCKDB_MEMORY_LIMIT])
    return con


# --- Bulk files ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BulkFile:
    """A bulk file ready for DuckDB: `text_path` is the plain file (extracted from a zip)."""

    path: Path  # what the caller named: the .txt or the .zip
    text_path: Path
    kind: str  # itcont, itoth, itpas2, cm, cn, ccl
    member: str = ""  # the zip member read, "" for a plain file

    @property
    def columns(self) -> tuple[str, ...]:
        return COLUMNS[self.kind]

    @property
    def read_csv(self) -> str:
        """The `read_csv(...)` table expression; bind `read_csv_params` to its two `?`."""
        return _READ_CSV

    @property
    def read_csv_params(self) -> list[Any]:
        return [str(self.text_path), dict.fromkeys(self.columns, "VARCHAR")]


def kind_from_name(name: str) -> str | None:
    """The bulk file kind a file name stands for (indiv20.zip -> itcont), or None."""
    stem = Path(name).name.lower().split(".")[0]
    for pattern, kind in _STEM_KIND:
        if pattern.search(stem):
            return kind
    return None


def kind_from_first_line(path: Path) -> str | None:
    """Guess the kind from the first line's field count (and, where counts tie, its content)."""
    with path.open("rb") as fh:
        first = fh.readline(1 << 16).rstrip(b"\r\n")
    fields = first.split(b"|")
    count = len(fields)
    if count == 22:
        return "itpas2"
    if count == 7:
        return "ccl"
    if count == 21:
        tp = fields[5].decode("utf-8", "replace").strip().upper()
        return "itcont" if tp in _INDIV_TYPES else "itoth"
    if count == 15:
        # Committee ids are C + 8 digits; candidate ids start with H, S or P.
        return "cm" if re.fullmatch(rb"C\d{8}", fields[0].strip()) else "cn"
    return None


@contextmanager
def open_bulk(
    path: str | Path, *, kinds: Collection[str] = tuple(COLUMNS), kind: str | None = None
) -> Iterator[BulkFile]:
    """Make `path` readable by DuckDB, detecting its kind; zips are extracted to a temp dir.

    `kinds` are the kinds the caller can read; another kind raises SourceError. Only the top-level
    member is read from a zip: the `by_date/` members duplicate it and are ignored.
    """
    path = Path(path)
    if not path.exists():
        raise SourceError(
            "file not found. Check the path; FEC bulk files are downloaded from "
            "https://www.fec.gov/data/browse-data/?tab=bulk-data",
            path=str(path),
        )
    if not path.is_file():
        raise SourceError(
            "this is a folder, not a file: name the .txt or .zip file", path=str(path)
        )
    kind = kind or kind_from_name(path.name)
    with tempfile.TemporaryDirectory(prefix="pledgewatch-bulk-") as tmp:
        member = ""
        if zipfile.is_zipfile(path) or path.suffix.lower() == ".zip":
            member, kind = _extract(path, kind, Path(tmp))
            text_path = Path(tmp) / MEMBERS.get(kind or "", "member.txt")
        elif _GLOB_CHARS.search(str(path)):
            # DuckDB expands * ? [ ] { } in file names: read such a file through a plain link.
            text_path = Path(tmp) / "source.txt"
            text_path.symlink_to(path.resolve())
        else:
            text_path = path
        if kind is None:
            kind = kind_from_first_line(text_path)
        if kind is None:
            raise SourceError(
                "cannot tell which FEC bulk file this is from its name or its first line. "
                "FEC bulk files are pipe-delimited (|) with no header row and 21 fields "
                "(itcont, itoth), 22 (itpas2), 15 (cm, cn) or 7 (ccl); name the file after "
                "the FEC original (itcont.txt, indiv20.zip ...)",
                path=str(path),
                line=1,
            )
        if kind not in kinds:
            raise SourceError(
                f"this is an FEC {kind} file; expected {' or '.join(sorted(kinds))}",
                path=str(path),
            )
        yield BulkFile(path=path, text_path=text_path, kind=kind, member=member)


def _extract(path: Path, kind: str | None, tmp: Path) -> tuple[str, str | None]:
    """Stream the wanted member of an FEC zip into `tmp`; return its name and kind."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [info.filename for info in archive.infolist() if not info.is_dir()]
            top = [name for name in names if "/" not in name]  # not the by_date/ copies
            if kind is not None:
                wanted = [name for name in top if name.lower() == MEMBERS[kind]]
            else:
                wanted = [name for name in top if kind_from_name(name) is not None]
                if not wanted and len(top) == 1:
                    wanted = top
            if len(wanted) != 1:
                expected = MEMBERS[kind] if kind else "one FEC bulk file (itcont.txt ...)"
                raise SourceError(
                    f"the zip should hold {expected} at its top level but holds "
                    f"{', '.join(names[:8]) or 'nothing'}"
                    f"{' ...' if len(names) > 8 else ''}. Is this the right download?",
                    path=str(path),
                )
            member = wanted[0]
            kind = kind or kind_from_name(member)
            target = tmp / MEMBERS.get(kind or "", "member.txt")
            with archive.open(member) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            return member, kind
    except SourceError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise SourceError(
            f"the zip archive is damaged or incomplete ({exc}). Download it again; a partial "
            "download is the usual cause",
            path=str(path),
        ) from None


# --- Queries ------------------------------------------------------------------------------------


def fetch_all(con: Connection, sql: str, params: Sequence[Any], *, source: BulkFile) -> list[Any]:
    """Run a query over `source` and return all rows; DuckDB errors become SourceError."""
    try:
        return con.execute(sql, list(params)).fetchall()
    except duckdb.Error as exc:
        raise _source_error(exc, source) from None


def fetch_batches(
    con: Connection,
    sql: str,
    params: Sequence[Any],
    *,
    source: BulkFile,
    batch_size: int = 20_000,
    progress: Callable[[float], None] | None = None,
) -> Iterator[list[tuple[Any, ...]]]:
    """Stream a query's rows in batches of tuples (no Arrow, bounded memory).

    `progress`, if given, is called after the caller has taken each batch, with the fraction of
    the file read so far, and with 1.0 at the end.
    """
    try:
        if progress is not None:
            con.execute("SET enable_progress_bar = true")
        cursor = con.execute(sql, list(params))
        while batch := cursor.fetchmany(batch_size):
            yield batch
            if progress is not None:
                done = con.query_progress()
                progress(max(0.0, min(1.0, done / 100)) if done >= 0 else 0.0)
    except duckdb.Error as exc:
        raise _source_error(exc, source) from None
    if progress is not None:
        progress(1.0)


def execute(
    con: Connection,
    sql: str,
    params: Sequence[Any],
    *,
    source: BulkFile,
    progress: Callable[[float], None] | None = None,
) -> None:
    """Run a statement that reads `source` and returns nothing (an INSERT ... SELECT), and
    call `progress` with the fraction of the file read about five times a second, then with
    1.0. DuckDB errors become SourceError. The statement runs on a worker thread (DuckDB
    releases the GIL) while this one polls the connection's query progress."""
    if progress is None:
        try:
            con.execute(sql, list(params))
        except duckdb.Error as exc:
            raise _source_error(exc, source) from None
        return
    failed: list[BaseException] = []

    def run() -> None:
        try:
            con.execute(sql, list(params))
        except BaseException as exc:  # re-raised on the calling thread
            failed.append(exc)

    con.execute("SET enable_progress_bar = true")
    worker = threading.Thread(target=run, name="pledgewatch-duckdb", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.2)
            done = con.query_progress()
            if worker.is_alive() and done >= 0:
                progress(max(0.0, min(1.0, done / 100)))
    except BaseException:  # Ctrl-C: stop the query before leaving
        con.interrupt()
        worker.join()
        raise
    if failed:
        exc = failed[0]
        if isinstance(exc, duckdb.Error):
            raise _source_error(exc, source) from None
        raise exc
    progress(1.0)


def check_pattern(con: Connection, pattern: str) -> None:
    """Raise ValueError unless DuckDB's regular expression engine (RE2) accepts `pattern`."""
    try:
        con.execute("SELECT regexp_matches('', ?, 'i')", [pattern]).fetchall()
    except duckdb.Error as exc:
        raise ValueError(
            f"the prefilter pattern is not a valid RE2 regular expression: {_first_line(exc)}"
        ) from None


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _source_error(exc: duckdb.Error, source: BulkFile) -> SourceError:
    """A plain-English SourceError for a DuckDB error reading `source`."""
    text = str(exc)
    match = re.search(r"CSV Error on Line: (\d+)", text)
    line = int(match.group(1)) if match else 0
    where = f" (in its member {source.member})" if source.member else ""
    fields = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    if fields:
        expected, found = fields.groups()
        message = (
            f"this line has {found} field(s) separated by '|' where an FEC {source.kind} file "
            f"has {expected}{where}. FEC bulk files are pipe-delimited with no header row; a "
            "comma-separated export, a header file or a cut-off line will not load. Check "
            "that this is the FEC original and that the download finished"
        )
    elif "Invalid unicode" in text or "not utf-8" in text.lower():
        message = (
            f"this line is not valid UTF-8 text{where}. Convert the file to UTF-8 "
            "(for example: iconv -f latin1 -t utf-8) and import it again"
        )
    elif "No files found" in text or isinstance(exc, duckdb.IOException):
        message = f"the file could not be read ({_first_line(exc)}){where}"
    else:
        message = f"could not read this as an FEC {source.kind} file{where}: {_first_line(exc)}"
    return SourceError(message, path=str(source.path), line=line)
