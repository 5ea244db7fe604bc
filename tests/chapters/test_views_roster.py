from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from pledgewatch.chapters import fake_roster
from pledgewatch.chapters.models import ImportStatus, Member, MemberStatus, RosterImport


def dsa_file(n=25, seed=2, name="export.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    fake_roster.write_current(out, fake_roster.member_rows(n, seed=seed))
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


@pytest.fixture
def committee(committee_member, client_as, django_capture_on_commit_callbacks):
    client = client_as(committee_member)
    client.capture = django_capture_on_commit_callbacks
    return client


def post_upload(client, chapter, file, **fields):
    data = {"file": file, "encoding": "utf-8", "format": "", "full_snapshot": "on", **fields}
    with client.capture(execute=True):
        return client.post(f"/c/{chapter.slug}/members/imports/", data)


def test_committee_uploads_the_dsa_export_and_sees_what_it_did(committee, chapter):
    response = post_upload(committee, chapter, dsa_file())
    job = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/c/{chapter.slug}/members/imports/{job.pk}/"

    page = committee.get(response["Location"]).content.decode()
    assert "Finished" in page
    assert "<strong>25</strong> added" in page
    assert 'hx-trigger="every 2s"' not in page  # finished: no more polling
    assert chapter.members.count() == 25


def test_upload_errors_are_shown_on_the_form_and_nothing_is_stored(committee, chapter):
    empty = SimpleUploadedFile("empty.csv", b"", content_type="text/csv")
    page = post_upload(committee, chapter, empty)
    assert page.status_code == 200
    assert "The submitted file is empty" in page.content.decode()

    page = post_upload(committee, chapter, SimpleUploadedFile("x.xlsx", b"PK\x03\x04\x14\x00"))
    assert "single column" in page.content.decode()
    assert not RosterImport.objects.exists()


def test_a_50_mb_file_is_refused_with_its_size_and_the_limit(committee, chapter, settings):
    row = dsa_file(200).read()
    header, body = row.split(b"\r\n", 1)
    big = header + b"\r\n" + body * (50 * 1024 * 1024 // len(body) + 1)
    assert len(big) > 50 * 1024 * 1024
    page = post_upload(committee, chapter, SimpleUploadedFile("all.csv", big))
    content = page.content.decode()
    assert page.status_code == 200
    assert f"the limit is {settings.ROSTER_MAX_UPLOAD_MB} MB" in content
    assert "This file is 50.0 MB" in content
    assert not RosterImport.objects.exists()


def test_rows_with_problems_are_listed_by_row_and_column(committee, chapter):
    rows = fake_roster.member_rows(5, seed=4)
    rows[1]["email"] = "rosa at example.org"
    out = io.StringIO()
    fake_roster.write_current(out, rows)
    response = post_upload(committee, chapter, SimpleUploadedFile("e.csv", out.getvalue().encode()))

    page = committee.get(response["Location"]).content.decode()
    assert "Nothing was changed" in page
    assert "<td>3</td><td>email</td>" in page
    assert "“rosa at example.org” is not an email address" in page
    assert chapter.members.count() == 0


def test_generic_csv_goes_through_the_column_mapping_step(committee, chapter):
    data = b"Given Name,Surname,E-mail,Standing\nAna,Ruiz,ana@example.org,Member\n"
    response = post_upload(committee, chapter, SimpleUploadedFile("list.csv", data))
    url = response["Location"]
    page = committee.get(url).content.decode()
    assert "Which column holds what?" in page
    assert '<option value="E-mail" selected>' in page

    bad = committee.post(url, {"map_first_name": "Given Name", "map_last_name": "Surname",
                               "map_email": "Surname", "map_status": "Standing"})  # fmt: skip
    assert "already chosen for Last name" in bad.content.decode()

    with committee.capture(execute=True):
        done = committee.post(url, {"map_first_name": "Given Name", "map_last_name": "Surname",
                                    "map_email": "E-mail", "map_status": "Standing"})  # fmt: skip
    assert done.status_code == 302
    assert Member.objects.get().status == MemberStatus.MEMBER


def test_progress_partial_polls_while_the_job_runs(committee, chapter):
    job = RosterImport.objects.create(
        chapter=chapter, original_name="big.csv", format="dsa", status=ImportStatus.RUNNING,
        rows_total=10_000, rows_processed=2_500,
    )  # fmt: skip
    response = committee.get(f"/c/{chapter.slug}/members/imports/{job.pk}/", HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert 'hx-trigger="every 2s"' in fragment
    assert "Checked 2500 of about 10000 rows" in fragment
    assert 'value="25"' in fragment


# The worker closes its database connection between tasks: give it real transactions.
@pytest.mark.django_db(transaction=True)
def test_with_a_worker_backend_the_upload_is_queued_then_run_by_the_worker(
    committee, chapter, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = post_upload(committee, chapter, dsa_file(12))
    job = RosterImport.objects.get()
    assert job.status == ImportStatus.QUEUED
    assert "Queued" in committee.get(response["Location"]).content.decode()

    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)

    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED
    assert chapter.members.count() == 12


@pytest.mark.django_db(transaction=True)
def test_cancel_a_queued_import(committee, chapter, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    post_upload(committee, chapter, dsa_file(3))
    job = RosterImport.objects.get()
    committee.post(f"/c/{chapter.slug}/members/imports/{job.pk}/cancel/")
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert chapter.members.count() == 0


def test_member_list_searches_filters_and_serves_an_htmx_fragment(committee, chapter):
    from tests.factories import MemberFactory

    MemberFactory(chapter=chapter, first_name="Rosa", last_name="Parks", zip_code="60601")
    MemberFactory(chapter=chapter, first_name="Rosa", last_name="Luxemburg",
                  status=MemberStatus.LAPSED)  # fmt: skip
    MemberFactory(chapter=chapter, first_name="Eugene", last_name="Debs")

    page = committee.get(f"/c/{chapter.slug}/members/?q=rosa").content.decode()
    assert "2 members" in page and "Debs" not in page

    fragment = committee.get(
        f"/c/{chapter.slug}/members/?q=rosa&status=lapsed", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in fragment
    assert "1 member" in fragment and "Luxemburg" in fragment and "Parks" not in fragment


def test_member_detail_shows_history(committee, chapter):
    post_upload(committee, chapter, dsa_file(3))
    member = chapter.members.first()
    page = committee.get(f"/c/{chapter.slug}/members/{member.pk}/").content.decode()
    assert member.email in page
    assert "<strong>Added</strong>" in page
