"""Roster import: both DSA header styles, generic CSV, re-import, and every kind of bad input.

Files are built with pledgewatch.chapters.fake_roster in DSA's real column layout.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile

from pledgewatch.chapters import fake_roster, roster, services
from pledgewatch.chapters.models import (
    ChangeKind,
    ImportStatus,
    Member,
    MemberChange,
    MemberStatus,
    RosterFormat,
    RosterImport,
)
from pledgewatch.core.models import AuditEvent


def dsa_csv(rows, *, legacy=False) -> bytes:
    out = io.StringIO()
    (fake_roster.write_legacy if legacy else fake_roster.write_current)(out, rows)
    return out.getvalue().encode()


def upload(data: bytes, name="export.csv") -> ContentFile:
    return ContentFile(data, name=name)


@pytest.fixture(autouse=True)
def _run_on_commit(django_capture_on_commit_callbacks):
    """Tests run inside a transaction: run the enqueue-on-commit callbacks as a commit would."""
    _run_on_commit.capture = django_capture_on_commit_callbacks


def run(chapter, data: bytes, *, encoding="utf-8", fmt="", full_snapshot=True, by=None):
    with _run_on_commit.capture(execute=True):
        job = services.start_import(
            chapter=chapter, upload=upload(data), encoding=encoding, fmt=fmt,
            full_snapshot=full_snapshot, by=by,
        )  # fmt: skip
    job.refresh_from_db()
    return job


def set_mapping(job, mapping, default_status=""):
    with _run_on_commit.capture(execute=True):
        services.set_mapping(job=job, mapping=mapping, default_status=default_status, by=None)
    job.refresh_from_db()


@pytest.fixture
def rows():
    return fake_roster.member_rows(30, seed=3)


def test_current_dsa_export_imports_every_member_with_their_details(chapter, alice, rows):
    job = run(chapter, dsa_csv(rows), by=alice)

    assert job.status == ImportStatus.SUCCEEDED
    assert job.format == RosterFormat.DSA
    assert (job.added, job.changed, job.lapsed) == (30, 0, 0)
    first = rows[0]
    member = Member.objects.get(chapter=chapter, external_id=first["actionkit_id"])
    assert member.email == first["email"]
    assert member.first_name == first["first_name"]
    assert member.zip_code == first["zip"]
    assert member.expiry_date.isoformat() == first["xdate"]
    assert member.get_status_display() == first["membership_status"]
    assert member.changes.get().kind == ChangeKind.ADDED


def test_legacy_ak_id_export_reads_the_same_members(chapter, rows):
    job = run(chapter, dsa_csv(rows, legacy=True))

    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert job.format == RosterFormat.DSA_LEGACY
    lapsed_in_file = {r["actionkit_id"] for r in rows if r["membership_status"] == "Lapsed"}
    assert lapsed_in_file  # the older lists said "Expired"
    assert (
        set(Member.objects.filter(status=MemberStatus.LAPSED).values_list("external_id", flat=True))
        == lapsed_in_file
    )
    member = Member.objects.get(external_id=rows[1]["actionkit_id"])
    assert member.address1 == rows[1]["address1"]
    assert member.join_date.isoformat() == rows[1]["join_date"]  # "YYYY-MM-DD 00:00:00" cut


def test_reimport_updates_in_place_and_records_added_changed_and_lapsed(chapter, rows):
    for r in rows[:3]:
        r["membership_status"] = "Member in Good Standing"
    run(chapter, dsa_csv(rows))
    before = Member.objects.count()
    moved, lapsing, leaving = rows[0], rows[1], rows[2]
    moved["email"] = "new.address@example.org"
    lapsing["membership_status"] = "Lapsed"
    lapsing["xdate"] = "2025-01-31"
    next_month = [r for r in rows if r is not leaving] + fake_roster.member_rows(
        2, seed=99, id_start=900_000
    )

    job = run(chapter, dsa_csv(next_month))

    assert job.status == ImportStatus.SUCCEEDED
    assert (job.added, job.changed, job.lapsed, job.unchanged) == (2, 1, 2, 27)
    assert Member.objects.count() == before + 2  # nobody deleted
    m = Member.objects.get(external_id=moved["actionkit_id"])
    assert m.email == "new.address@example.org"
    change = m.changes.get(roster_import=job)
    assert change.kind == ChangeKind.CHANGED
    assert change.fields["email"][1] == "new.address@example.org"
    gone = Member.objects.get(external_id=leaving["actionkit_id"])
    assert gone.on_latest_roster is False
    assert gone.status == MemberStatus.LAPSED
    assert gone.changes.filter(roster_import=job, kind=ChangeKind.LAPSED).exists()
    assert (
        Member.objects.get(external_id=lapsing["actionkit_id"]).changes.get(roster_import=job).kind
        == ChangeKind.LAPSED
    )


def test_reimporting_the_same_file_changes_nothing(chapter, rows):
    run(chapter, dsa_csv(rows))
    job = run(chapter, dsa_csv(rows))

    assert (job.added, job.changed, job.lapsed, job.unchanged) == (0, 0, 0, 30)
    assert Member.objects.count() == 30
    assert not MemberChange.objects.filter(roster_import=job).exists()


def test_partial_file_does_not_lapse_members_missing_from_it(chapter, rows):
    run(chapter, dsa_csv(rows))
    job = run(chapter, dsa_csv(rows[:5]), full_snapshot=False)

    assert job.lapsed == 0
    assert Member.objects.filter(on_latest_roster=True).count() == 30


def test_member_without_id_is_matched_on_email_and_gains_the_id(chapter, rows):
    from tests.factories import MemberFactory

    existing = MemberFactory(
        chapter=chapter, external_id="", email=rows[0]["email"], first_name="Old"
    )
    run(chapter, dsa_csv(rows))

    existing.refresh_from_db()
    assert existing.external_id == rows[0]["actionkit_id"]
    assert existing.first_name == rows[0]["first_name"]
    assert Member.objects.filter(email=rows[0]["email"]).count() == 1


def test_import_never_touches_another_chapter(chapter, other_chapter, rows):
    run(other_chapter, dsa_csv(rows))
    job = run(chapter, dsa_csv(rows[:3]))

    assert job.added == 3
    assert other_chapter.members.count() == 30
    assert other_chapter.members.filter(on_latest_roster=True).count() == 30


def test_generic_csv_waits_for_mapping_then_imports(chapter):
    data = (
        b"First Name,Last Name,Email Address,Standing,ZIP\r\n"
        b"Rosa,Luxemburg,rosa@example.org,Member in Good Standing,60601\r\n"
        b"Eugene,Debs,eugene@example.org,Lapsed,47807\r\n"
    )
    job = run(chapter, data)
    assert job.status == ImportStatus.NEEDS_MAPPING
    assert Member.objects.count() == 0
    guesses = roster.guess_mapping(job.headers)
    assert guesses["email"] == "Email Address"
    assert guesses["status"] == "Standing"

    set_mapping(job, guesses)

    assert job.status == ImportStatus.SUCCEEDED
    assert Member.objects.get(email="eugene@example.org").status == MemberStatus.LAPSED
    assert Member.objects.get(email="rosa@example.org").zip_code == "60601"


def test_generic_csv_without_status_column_uses_the_chosen_status(chapter):
    job = run(chapter, b"first,last,email\nAna,Ruiz,ana@example.org\n")
    mapping = {"first_name": "first", "last_name": "last", "email": "email"}
    with pytest.raises(roster.RosterFileError, match="Status"):
        set_mapping(job, mapping)

    set_mapping(job, mapping, MemberStatus.MEMBER)

    assert Member.objects.get().status == MemberStatus.MEMBER


def test_windows_1252_file_imports_when_that_encoding_is_chosen(chapter, rows):
    rows[0]["last_name"] = "Muñoz"
    data = dsa_csv(rows).decode().encode("cp1252")

    failed = run(chapter, data)
    assert failed.status == ImportStatus.FAILED
    assert "Windows-1252" in failed.errors[0]["message"]
    assert failed.errors[0]["row"] == 2

    job = run(chapter, data, encoding="cp1252")
    assert job.status == ImportStatus.SUCCEEDED
    assert Member.objects.get(external_id=rows[0]["actionkit_id"]).last_name == "Muñoz"


def test_utf8_byte_order_mark_from_excel_is_ignored(chapter, rows):
    job = run(chapter, b"\xef\xbb\xbf" + dsa_csv(rows))
    assert job.status == ImportStatus.SUCCEEDED
    assert job.format == RosterFormat.DSA


# --- bad input: a clear message naming row and column, and nothing changed ------------------


def failing(chapter, data: bytes, **kw) -> RosterImport:
    before = list(Member.objects.values_list("pk", "email", "status", "on_latest_roster"))
    job = run(chapter, data, **kw)
    assert job.status == ImportStatus.FAILED
    assert list(Member.objects.values_list("pk", "email", "status", "on_latest_roster")) == before
    assert not job.file  # the private file is not kept
    return job


def test_malformed_email_is_named_by_row_and_column_and_changes_nothing(chapter, rows):
    run(chapter, dsa_csv(rows))
    rows[4]["email"] = "not-an-email"
    rows[9]["email"] = "also@bad"
    rows[0]["membership_status"] = "Lapsed"  # a good change that must not be saved either

    job = failing(chapter, dsa_csv(rows))

    assert job.error_count == 2
    assert job.errors[0] == {
        "row": 6,
        "column": "email",
        "message": "email “not-an-email” is not an email address",
    }
    assert job.errors[1]["row"] == 11
    assert AuditEvent.objects.filter(action="roster.import_failed").exists()


def test_duplicate_ids_name_both_rows(chapter, rows):
    rows[7]["actionkit_id"] = rows[2]["actionkit_id"]
    job = failing(chapter, dsa_csv(rows))
    assert job.errors == [
        {
            "row": 9,
            "column": "actionkit_id",
            "message": f"id {rows[2]['actionkit_id']} is also on row 4: a member must appear once",
        }
    ]


def test_unknown_status_and_bad_date_are_reported(chapter, rows):
    rows[0]["membership_status"] = "Active"
    rows[1]["xdate"] = "31/31/2026"
    job = failing(chapter, dsa_csv(rows))
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (2, "membership_status"),
        (3, "xdate"),
    ]
    assert "Member in Good Standing" in job.errors[0]["message"]


def test_missing_required_column_is_refused_at_upload(chapter, rows):
    data = dsa_csv(rows).replace(b",membership_status,", b",status_of_membership,", 1)
    with pytest.raises(roster.RosterFileError, match="membership_status"):
        run(chapter, data)
    assert RosterImport.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\r\n\r\n", "empty"),
        (b"just one column\nvalue\n", "single column"),
    ],
)
def test_empty_or_non_csv_files_are_refused_at_upload(chapter, data, message):
    with pytest.raises(roster.RosterFileError, match=message):
        run(chapter, data)


def test_header_without_members_fails_rather_than_lapsing_everyone(chapter, rows):
    run(chapter, dsa_csv(rows))
    job = failing(chapter, dsa_csv([]))
    assert "no members" in job.errors[0]["message"]


def test_unclosed_quote_is_reported_with_its_row(chapter, rows):
    rows[2]["first_name"] = "Zelda"
    data = dsa_csv(rows[:5]).replace(b"Zelda", b'"Zelda', 1)
    job = failing(chapter, data)
    assert job.errors[0]["row"] == 4
    assert "quote" in job.errors[0]["message"]


def test_row_with_too_few_fields_is_named(chapter, rows):
    lines = dsa_csv(rows[:4]).split(b"\r\n")
    lines[3] = b",".join(lines[3].split(b",")[:10])
    job = failing(chapter, b"\r\n".join(lines))
    assert job.errors[0]["row"] == 4
    assert "has 10 fields where the header has 36" in job.errors[0]["message"]


def test_errors_are_capped_but_counted(chapter):
    rows = fake_roster.member_rows(150, seed=5)
    for r in rows:
        r["email"] = "nope"
    job = failing(chapter, dsa_csv(rows))
    assert job.error_count == 150
    assert len(job.errors) == roster.MAX_STORED_ERRORS


def test_a_database_failure_mid_save_rolls_back_everything(chapter, rows, monkeypatch):
    run(chapter, dsa_csv(rows[:10]))
    calls = {"n": 0}
    real = services._lapse_absent

    def explode(*args, **kwargs):
        calls["n"] += 1
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_lapse_absent", explode)
    job = failing(chapter, dsa_csv(rows))  # 20 new rows would be added before the failure

    assert calls["n"] == 1
    assert Member.objects.count() == 10
    assert (job.added, job.changed) == (0, 0)
    assert "nothing was changed" in job.errors[0]["message"]
    monkeypatch.setattr(services, "_lapse_absent", real)


def test_cancelled_import_never_runs(chapter):
    job = run(chapter, b"first,last,email\nAna,Ruiz,ana@example.org\n")
    services.cancel_import(job=job, by=None)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert services.run_import(job.pk).status == ImportStatus.FAILED
    assert Member.objects.count() == 0
