"""Finance services: imports are all-or-nothing, the screen keeps reviews, policy edits are
audited and refuse to flag health-worker unions."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from pledgewatch.core.models import AuditEvent
from pledgewatch.finance import services
from pledgewatch.finance.models import (
    FinanceImport,
    Finding,
    FindingStatus,
    ImportStatus,
    StoredContribution,
    StoredFiling,
)
from pledgewatch.finance.services import FinanceError, PolicyError
from tests.finance.conftest import EFILINGS
from tests.finance.factories import (
    CandidateFactory,
    CommitteeFactory,
    FindingFactory,
    finance_test_settings,
)

MERCK_PAC_FILING = EFILINGS / "fecfile__27789.fec"  # Merck's employee PAC, F3XA YE 2001
SHIPPED_DEFAULT = services.default_policy_data  # before the fixture swaps in the small policy


@pytest.fixture(autouse=True)
def _finance(settings, tmp_path, monkeypatch):
    finance_test_settings(settings, tmp_path, monkeypatch)


def import_file(candidate, path, by, capture, mapping="fec"):
    with capture(execute=True):
        job = services.start_upload_import(
            candidate=candidate,
            upload=ContentFile(path.read_bytes(), name=path.name),
            mapping=mapping,
            by=by,
        )
    job.refresh_from_db()
    return job


def test_the_shipped_default_policy_finds_merck_executives_in_merck_pac_receipts(
    chapter, alice, django_capture_on_commit_callbacks, monkeypatch, shared_data
):
    from pledgewatch.finance.policy import DEFAULT_POLICY_PATH

    if not DEFAULT_POLICY_PATH.exists():
        pytest.skip("the default policy is not in the repository yet")
    monkeypatch.setattr(services, "default_policy_data", SHIPPED_DEFAULT)
    candidate = CandidateFactory(chapter=chapter)
    CommitteeFactory(candidate=candidate, committee_id="C00097485")  # the filer: Merck's PAC
    job = import_file(candidate, MERCK_PAC_FILING, alice, django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    summary = candidate.findings.summary()
    assert [e["entity_name"] for e in summary["by_entity"]] == ["Merck & Co."]
    assert candidate.findings.filter(rule="employer_executive").exists()


def test_the_policy_is_copied_once_and_audited(chapter, alice):
    policy = services.get_or_create_policy(chapter, by=alice)
    assert services.get_or_create_policy(chapter, by=alice) == policy
    [event] = AuditEvent.objects.filter(action="finance.policy_created")
    assert event.data == {
        "name": "test policy",
        "version": "test",
        "organizations": 5,
        "never_flag": 1,
    }
    assert event.actor == alice and event.chapter == chapter


def test_an_import_that_breaks_while_saving_changes_nothing(
    chapter, alice, django_capture_on_commit_callbacks, monkeypatch, settings, shared_data
):
    candidate = CandidateFactory(chapter=chapter)
    CommitteeFactory(candidate=candidate, committee_id="C00215905")  # DeFazio for Congress

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "rescreen", broken)
    job = import_file(
        candidate, EFILINGS / "fecfile__1229017.fec", alice, django_capture_on_commit_callbacks
    )
    assert job.status == ImportStatus.FAILED
    assert "Something went wrong on our side" in job.errors[0]["message"]
    assert not StoredFiling.objects.exists() and not StoredContribution.objects.exists()
    assert (job.filings_added, job.contributions_added) == (0, 0)
    assert not job.file


def test_a_mapping_that_is_not_a_preset_is_never_read_as_a_path(chapter, alice):
    candidate = CandidateFactory(chapter=chapter)
    job = FinanceImport.objects.create(
        candidate=candidate,
        kind="upload",
        original_name="x.csv",
        mapping="/etc/passwd",
        status=ImportStatus.QUEUED,
    )
    job.file.save("x.csv", ContentFile(b"Name,Amount\nA,1\n"), save=True)
    services.run_import(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.errors[0]["message"] == "Choose which column holds what before importing."


def test_a_finished_import_is_not_run_twice(chapter):
    job = FinanceImport.objects.create(
        candidate=CandidateFactory(chapter=chapter),
        kind="upload",
        original_name="x.fec",
        status=ImportStatus.SUCCEEDED,
    )
    assert services.run_import(job.pk).status == ImportStatus.SUCCEEDED
    assert not AuditEvent.objects.exists()


def test_the_api_import_needs_a_key(chapter, alice):
    with pytest.raises(FinanceError, match="OPENFEC_API_KEY"):
        services.start_api_import(
            candidate=CandidateFactory(chapter=chapter),
            committee_id="C00215905",
            cycle=2018,
            by=alice,
        )
    assert not FinanceImport.objects.exists()


def test_a_review_needs_a_reason_and_a_live_finding(chapter, alice):
    finding = FindingFactory(candidate__chapter=chapter)
    with pytest.raises(FinanceError, match="reason"):
        services.review_finding(finding=finding, status="dismissed", reason=" ", by=alice)
    with pytest.raises(FinanceError, match="confirm, dismiss or reopen"):
        services.review_finding(finding=finding, status="withdrawn", reason="x", by=alice)
    Finding.objects.filter(pk=finding.pk).update(status=FindingStatus.WITHDRAWN)
    with pytest.raises(FinanceError, match="withdrawn"):
        services.review_finding(finding=finding, status="confirmed", reason="x", by=alice)
    assert not finding.reviews.exists()


def test_rescreen_withdraws_and_reinstates_with_the_last_review(chapter, alice):
    # A stored PAC receipt from UnitedHealth's PAC (C00274431, on the small policy).
    finding = FindingFactory(candidate__chapter=chapter)
    candidate = finding.candidate
    first = services.rescreen(candidate, by=alice)
    assert (first.findings, first.new, first.withdrawn) == (1, 0, 0)
    finding.refresh_from_db()
    assert "UNITEDHEALTH GROUP INC PAC (C00274431) gave $1,000.00" in finding.explanation
    services.review_finding(finding=finding, status="dismissed", reason="A test.", by=alice)
    services.review_finding(finding=finding, status="confirmed", reason="Second look.", by=alice)

    policy = chapter.conflict_policy
    org = policy.organizations.get(name="UnitedHealth Group")
    services.update_organization(organization=org, values={"fec_committee_ids": []}, by=alice)
    outcome = services.rescreen(candidate)
    finding.refresh_from_db()
    assert (outcome.withdrawn, finding.status) == (1, FindingStatus.WITHDRAWN)
    # Its name still names UnitedHealth: a new finding, by another rule.
    assert outcome.new == 1

    services.update_organization(
        organization=org, values={"fec_committee_ids": ["C00274431"]}, by=alice
    )
    outcome = services.rescreen(candidate)
    finding.refresh_from_db()
    assert (outcome.reinstated, finding.status) == (1, FindingStatus.CONFIRMED)
    assert set(Finding.objects.values_list("rule", "status")) == {
        ("committee_id", "confirmed"),
        ("organization_name", "withdrawn"),
    }


def test_policy_edits_rescreen_every_candidate_of_the_chapter_only(
    chapter, other_chapter, alice, django_capture_on_commit_callbacks
):
    mine = FindingFactory(candidate__chapter=chapter).candidate
    theirs = FindingFactory(candidate__chapter=other_chapter).candidate
    policy = services.get_or_create_policy(chapter)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_policy(policy=policy, values={"version": "2"}, by=alice)
    screened = AuditEvent.objects.filter(action="finance.rescreened")
    assert [e.object_id for e in screened] == [str(mine.pk)]
    assert theirs.findings.get().status == FindingStatus.OPEN


def test_services_refuse_a_never_flagged_union_whatever_the_form_says(chapter, alice):
    policy = services.get_or_create_policy(chapter)
    with pytest.raises(PolicyError, match="National Nurses United"):
        services.add_organization(
            policy=policy,
            by=alice,
            values={"name": "X", "tier": 1, "fec_committee_ids": ["C00280388"]},
        )
    org = policy.organizations.get(name="Pfizer")
    with pytest.raises(PolicyError, match="never flags"):
        services.add_alias(organization=org, alias="California Nurses Association", by=alice)
    with pytest.raises(PolicyError, match="already a name"):
        services.add_alias(organization=org, alias="pfizer", by=alice)
    with pytest.raises(PolicyError, match="listed as a PAC of Pfizer"):
        services.add_never_flag(
            policy=policy, by=alice, values={"name": "Y", "fec_committee_ids": ["C00016683"]}
        )
    assert not AuditEvent.objects.filter(action__startswith="finance.organization").exists()


def test_a_corrected_spreadsheet_replaces_the_earlier_one(
    chapter, alice, django_capture_on_commit_callbacks
):
    candidate = CandidateFactory(chapter=chapter)
    header = "contributor_name,contributor_type,employer,date,amount\n"
    rows = "PFIZER INC PAC,committee,,2024-03-01,500\nDOE JANE,individual,ACME,2024-03-02,50\n"

    def sheet(text):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.start_upload_import(
                candidate=candidate,
                upload=ContentFile(text.encode(), name="donors.csv"),
                mapping="auto",
                by=alice,
            )
        job.refresh_from_db()
        return job

    first = sheet(header + rows)
    assert first.status == ImportStatus.SUCCEEDED, first.errors
    assert sheet(header + rows).filings_skipped == 1  # the very same rows: skipped
    corrected = sheet(header + rows.replace("500", "5000"))
    assert corrected.filings_superseded == 1
    current = candidate.filings.current().get()
    assert current.finance_import == corrected
    assert [str(a) for a in current.contributions.values_list("amount", flat=True)] == [
        "5000.00",
        "50.00",
    ]
    pfizer = Finding.objects.get(status=FindingStatus.OPEN)
    assert (pfizer.entity_name, str(pfizer.amount)) == ("Pfizer", "5000.00")
    assert Finding.objects.get(status=FindingStatus.WITHDRAWN).amount == 500
