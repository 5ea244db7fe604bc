"""The real public campaign-finance files in ../shared/data (read there, never copied here)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = Path(os.environ.get("PLEDGEWATCH_SHARED_DATA", REPO.parent / "shared" / "data"))
EFILINGS = SHARED_DATA / "fec_efilings"
BULK = SHARED_DATA / "fec_bulk_2020cycle_snapshot_2019-03-17"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.fail(
            f"The real FEC files are expected in {SHARED_DATA} (the shared/ folder beside the "
            "repository); set PLEDGEWATCH_SHARED_DATA to their folder."
        )
    return SHARED_DATA
