"""The FEC committee directory: who a donor committee is, shared by every chapter.

The screen's connected-organization rule (matching.py, rule 2) needs each donor committee's
connected organization, which only the FEC's committee master (cm.txt, or the cmYY.zip the FEC
publishes) and its API know. `load_committee_master` upserts a committee master into
`FecCommittee` (`pledgewatch load-committees PATH`); `save_committees` stores rows the OpenFEC
client's `committees()` returned; `for_candidate` is the one query the re-screen makes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models.functions import Trim, Upper
from django.utils import timezone

from pledgewatch.finance.models import FecCommittee, StoredContribution
from pledgewatch.finance.records import SourceError

COMMITTEE_ID = re.compile(r"^C\d{8}$")
BATCH = 1000
API_SOURCE = "OpenFEC"
# At most this many donor committees are looked up in the API per fetch (100 per call): the
# free key allows 1,000 calls an hour, and the receipts themselves need most of them.
MAX_API_LOOKUPS = 1000

Progress = Callable[[int, int], Any]


@dataclass(frozen=True)
class LoadResult:
    total: int
    created: int
    updated: int


def _clean(value: Any, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


def _row(values: Mapping[str, Any], *, source: str, now: Any) -> FecCommittee:
    field = FecCommittee._meta.get_field
    row = FecCommittee(
        committee_id=_clean(values.get("committee_id"), 20).upper(),
        source=_clean(source, field("source").max_length),
        loaded_at=now,
    )
    for name in ("name", "connected_org", "committee_type", "designation", "org_type",
                 "candidate_id"):  # fmt: skip
        setattr(row, name, _clean(values.get(name), field(name).max_length))
    return row


def save_committees(
    rows: Iterable[Mapping[str, Any]], *, source: str, progress: Progress | None = None
) -> LoadResult:
    """Insert or update directory rows, keyed by FEC committee id, in one transaction.

    Each mapping has committee_id, name, connected_org, committee_type, designation, org_type
    and candidate_id. Running it twice with the same rows duplicates nothing: it only refreshes
    `source` and `loaded_at`."""
    now = timezone.now()
    objs = {}
    for values in rows:
        obj = _row(values, source=source, now=now)
        if obj.committee_id:
            objs[obj.committee_id] = obj  # the last row of an id wins, as in a dict
    ordered = [objs[k] for k in sorted(objs)]
    with transaction.atomic():
        existing = _known([o.committee_id for o in ordered])
        done = 0
        for start in range(0, len(ordered), BATCH):
            chunk = ordered[start : start + BATCH]
            FecCommittee.objects.bulk_create(
                chunk,
                update_conflicts=True,
                unique_fields=["committee_id"],
                update_fields=list(FecCommittee.LOADED),
            )
            done += len(chunk)
            if progress is not None:
                progress(done, len(ordered))
    created = sum(1 for o in ordered if o.committee_id not in existing)
    return LoadResult(total=len(ordered), created=created, updated=len(ordered) - created)


def _known(ids: list[str]) -> set[str]:
    """Which of these ids the directory holds (in batches: SQLite limits a query's
    parameters)."""
    known: set[str] = set()
    for start in range(0, len(ids), BATCH):
        known |= set(
            FecCommittee.objects.filter(committee_id__in=ids[start : start + BATCH]).values_list(
                "committee_id", flat=True
            )
        )
    return known


def load_committee_master(path: str | Path, *, progress: Progress | None = None) -> LoadResult:
    """Upsert the FEC committee master (cm.txt, or cmYY.zip) into the directory.

    Raises SourceError, naming the file, when it cannot be read or is not a committee master;
    nothing is then stored."""
    from pledgewatch.finance.importers.bulk import read_committees  # DuckDB: only when needed

    path = Path(path)
    committees = read_committees(path)
    if not committees:
        raise SourceError(
            "holds no committees: expected the FEC committee master (cm.txt, or cmYY.zip from "
            "https://www.fec.gov/data/browse-data/?tab=bulk-data)",
            path=str(path),
        )
    odd = [cid for cid in committees if not COMMITTEE_ID.match(cid.strip().upper())]
    if len(odd) * 2 > len(committees):
        raise SourceError(
            f"this is not an FEC committee master: its first column holds {odd[0]!r} and "
            f"{len(odd) - 1:,} other values that are not committee ids (C and eight digits). "
            "Is it the candidate master (cn.txt)? Load cm.txt, or the FEC's cmYY.zip",
            path=str(path),
        )
    rows = (
        {
            "committee_id": info.id,
            "name": info.name,
            "connected_org": info.connected_org,
            "committee_type": info.cmte_tp,
            "designation": info.cmte_dsgn,
            "org_type": info.org_tp,
            "candidate_id": info.cand_id,
        }
        for info in committees.values()
    )
    return save_committees(rows, source=path.name, progress=progress)


def _donor_ids(contributions: Any) -> Any:
    """The donors' FEC ids, upper-cased and trimmed, as a subquery."""
    return (
        contributions.exclude(contributor_fec_id="")
        .annotate(_donor=Upper(Trim("contributor_fec_id")))
        .values("_donor")
    )


def for_contributions(contributions: Any) -> dict[str, FecCommittee]:
    """The directory entries of the donor committees among `contributions` (a QuerySet of
    StoredContribution), keyed by upper-case FEC id: one query, whatever the number of rows."""
    return {
        c.committee_id: c
        for c in FecCommittee.objects.filter(committee_id__in=_donor_ids(contributions))
    }


def for_candidate(candidate: Any) -> dict[str, FecCommittee]:
    """The directory entries of the donor committees in the candidate's current filings."""
    return for_contributions(
        StoredContribution.objects.filter(
            stored_filing__candidate=candidate, stored_filing__superseded_by__isnull=True
        )
    )


def missing(ids: Iterable[str]) -> list[str]:
    """The well-formed FEC committee ids among `ids` that the directory does not hold."""
    cleaned = {(i or "").strip().upper() for i in ids}
    wanted = sorted(i for i in cleaned if COMMITTEE_ID.match(i))
    known = _known(wanted)
    return [i for i in wanted if i not in known]
