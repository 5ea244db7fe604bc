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
