from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pledgewatch.accounts.models import User
from pledgewatch.chapters import fake_roster
from pledgewatch.chapters.models import ChapterRole, Member


def test_console_script_is_installed_and_lists_its_commands():
    script = Path(sys.executable).parent / "pledgewatch"
    result = subprocess.run([script, "--help"], capture_output=True, text=True, check=True)
    assert "import-roster" in result.stdout
    assert "load-demo" in result.stdout


def test_unknown_command_exits_with_usage(capsys):
    from pledgewatch.cli import main

    assert main(["nonsense"]) == 2
    assert "unknown command 'nonsense'" in capsys.readouterr().err


def write(tmp_path, rows, name="roster.csv") -> Path:
    path = tmp_path / name
    with path.open("w", newline="") as fh:
        fake_roster.write_current(fh, rows)
    return path


def test_import_roster_command_prints_a_summary(tmp_path, chapter):
    out = io.StringIO()
    call_command("import_roster", write(tmp_path, fake_roster.member_rows(8)),
                 chapter=chapter.slug, stdout=out)  # fmt: skip
    assert "8 added, 0 changed, 0 lapsed, 0 unchanged" in out.getvalue()
    assert Member.objects.count() == 8


def test_import_roster_command_names_the_bad_rows_and_changes_nothing(tmp_path, chapter):
    rows = fake_roster.member_rows(4)
    rows[2]["email"] = "broken"
    with pytest.raises(CommandError, match=r"row 4, email: email “broken” is not an email"):
        call_command("import_roster", write(tmp_path, rows), chapter=chapter.slug)
    assert Member.objects.count() == 0


def test_import_roster_command_unknown_chapter(tmp_path, db):
    with pytest.raises(CommandError, match="No chapter with slug 'nowhere'"):
        call_command("import_roster", tmp_path / "x.csv", chapter="nowhere")


def test_demo_data_loads_twice_without_duplicates(db):
    call_command("load_demo_data", stdout=io.StringIO())
    counts = (User.objects.count(), ChapterRole.objects.count(), Member.objects.count())
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    assert (User.objects.count(), ChapterRole.objects.count(), Member.objects.count()) == counts
    assert counts[2] == 420 + 160
    assert "admin@example.org" in out.getvalue()
    assert User.objects.get(email="admin@example.org").check_password("organize-the-unorganized")


def test_demo_data_shows_candidates_at_every_stage_with_their_gates(db):
    """The demo chapter's pipeline: one candidate at each stage, the one at the questionnaire
    stage ready for a vote (every gate met), and the conflict screen run for real."""
    from pledgewatch.endorsements import gates
    from pledgewatch.endorsements.models import Endorsement, Stage
    from pledgewatch.finance.models import Finding, FindingStatus

    call_command("load_demo_data", stdout=io.StringIO())
    call_command("load_demo_data", stdout=io.StringIO())  # twice: nothing duplicated
    stages = dict(
        Endorsement.objects.filter(candidate__chapter__slug="lakeshore").values_list(
            "candidate__name", "stage"
        )
    )
    assert set(stages.values()) == {
        Stage.CONSIDERING, Stage.VETTING, Stage.QUESTIONNAIRE, Stage.ENDORSED, Stage.DECLINED,
        Stage.RESCINDED,
    }  # fmt: skip
    assert len(stages) == 6
    ready = Endorsement.objects.get(candidate__name="Rosa Delgado")
    assert ready.stage == Stage.QUESTIONNAIRE and not gates.unmet(ready)
    vetting = Endorsement.objects.get(candidate__name="Marcus Bell")
    assert {g.gate for g in gates.unmet(vetting)} >= {"finance", "pledge", "ballot"}
    open_conflict = Finding.objects.get(candidate__name="Marcus Bell", tier=1)
    assert open_conflict.status == FindingStatus.OPEN
    assert Finding.objects.get(candidate__name="Gary Lund", tier=1).status == (
        FindingStatus.CONFIRMED
    )
