"""When an amendment replaces a report, the committee's decisions on the report's findings carry
over to the amendment's findings for the same receipt (recipient committee and transaction id)
and the same organization, with a review by Pledgewatch saying where each came from; the
replaced report's findings are withdrawn as before. The report is DeFazio's real F3N (file
1229017); the amendment is the same report filed again as an F3A naming FEC-1229017."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pledgewatch.core.models import AuditEvent
from pledgewatch.finance import services
from pledgewatch.finance.models import (
    FinanceImport,
    Finding,
    FindingReview,
    FindingStatus,
    ImportStatus,
)
from tests.finance.conftest import EFILINGS
from tests.finance.factories import (
    CandidateFactory,
    CommitteeFactory,
    OrganizationFactory,
    finance_test_settings,
)

DEFAZIO = EFILINGS / "fecfile__1229017.fec"  # DeFazio for Congress (C00215905), F3N 12P 2018
# Four PAC receipts in it, by transaction id.
PACS = {
    "Kirby Corporation": ("C00250027", "C11233021"),
    "AECOM": ("C00374447", "C11233012"),
    "Crowley Maritime": ("C00147231", "C11233011"),
    "Parsons Corporation": ("C00103549", "C11233010"),
}


@pytest.fixture(autouse=True)
def _finance(settings, tmp_path, monkeypatch, shared_data):
    finance_test_settings(settings, tmp_path, monkeypatch)


@pytest.fixture
def committee(committee_member, client_as, django_capture_on_commit_callbacks):
    client = client_as(committee_member)
    client.capture = django_capture_on_commit_callbacks
    return client


@pytest.fixture
def candidate(chapter):
    candidate = CandidateFactory(chapter=chapter, name="Peter DeFazio")
    CommitteeFactory(candidate=candidate, committee_id="C00215905", name="DeFazio for Congress")
    for name, (pac, _tran) in PACS.items():
        OrganizationFactory(policy__chapter=chapter, name=name, fec_committee_ids=[pac])
    return candidate


def upload(client, candidate, name: str, data: bytes) -> FinanceImport:
    with client.capture(execute=True):
        client.post(
            f"/c/lakeshore/candidates/{candidate.pk}/imports/",
            {"file": SimpleUploadedFile(name, data), "mapping": "fec"},
        )
    job = FinanceImport.objects.first()
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    return job


def amendment(*, renumber: dict[str, str] | None = None) -> bytes:
    """DeFazio's report filed again as an amendment of FEC-1229017 (optionally with some
    transaction ids changed)."""
    hdr, rest = DEFAZIO.read_bytes().split(b"\n", 1)
    data = hdr.replace(b"\x1c\x1c0\x1c", b"\x1cFEC-1229017\x1c1\x1c") + b"\n" + b"F3A" + rest[3:]
    for old, new in (renumber or {}).items():
        sep_old, sep_new = b"\x1c" + old.encode() + b"\x1c", b"\x1c" + new.encode() + b"\x1c"
        assert data.count(sep_old) == 1
        data = data.replace(sep_old, sep_new)
    return data


def finding(entity: str, filing_id: str) -> Finding:
    return Finding.objects.get(entity_name=entity, contribution__stored_filing__filing_id=filing_id)


def test_decisions_carry_over_to_the_amendment_and_the_originals_are_withdrawn(
    committee, committee_member, candidate
):
    upload(committee, candidate, DEFAZIO.name, DEFAZIO.read_bytes())
    assert Finding.objects.count() == 4

    def review(entity, status, reason):
        services.review_finding(
            finding=finding(entity, "1229017"), status=status, reason=reason, by=committee_member
        )

    review("Kirby Corporation", "confirmed", "Kirby's PAC gave to the campaign.")
    review("AECOM", "dismissed", "An engineering firm: not a health-industry conflict.")
    review("Crowley Maritime", "confirmed", "First look.")
    review("Crowley Maritime", "open", "Needs another look.")  # reopened: nothing to carry
    review("Parsons Corporation", "confirmed", "Parsons' PAC.")
    original_reviews = FindingReview.objects.count()

    # The amendment renumbers Parsons' receipt: no longer "the same receipt".
    job = upload(
        committee, candidate, "fecfile__1229999.fec", amendment(renumber={"C11233010": "C11299990"})
    )
    assert job.filings_superseded == 1

    # The replaced report's findings are withdrawn, their reviews untouched.
    assert set(
        Finding.objects.filter(contribution__stored_filing__filing_id="1229017").values_list(
            "status", flat=True
        )
    ) == {FindingStatus.WITHDRAWN}
    assert FindingReview.objects.filter(finding__contribution__stored_filing__filing_id="1229017")\
        .count() == original_reviews  # fmt: skip

    kirby = finding("Kirby Corporation", "1229999")
    assert kirby.status == FindingStatus.CONFIRMED
    [carried] = kirby.reviews.all()
    assert carried.by is None and carried.status == "confirmed"
    assert carried.carried_from == finding("Kirby Corporation", "1229017").reviews.get()
    assert carried.reason.startswith(
        "Carried over from filing 1229017, which filing 1229999 replaces: the same receipt "
        "(transaction C11233021) was confirmed there by "
    )
    assert carried.reason.endswith(": Kirby's PAC gave to the campaign.")
    assert carried.reviewer == "Pledgewatch (carried over)"

    aecom = finding("AECOM", "1229999")
    assert aecom.status == FindingStatus.DISMISSED
    assert aecom.reviews.get().carried_from.reason.startswith("An engineering firm")
    # Reopened, and renumbered: the committee looks again.
    for entity in ("Crowley Maritime", "Parsons Corporation"):
        new = finding(entity, "1229999")
        assert (new.status, new.reviews.count()) == (FindingStatus.OPEN, 0), entity

    # Totals follow the carried decisions: the dismissed AECOM receipt is not counted.
    summary = candidate.findings.summary()
    assert "AECOM" not in {e["entity_name"] for e in summary["by_entity"]}
    assert summary["counts"]["confirmed"] == 1 and summary["counts"]["dismissed"] == 1

    screened = AuditEvent.objects.filter(action="finance.rescreened").latest("id")
    assert screened.data["carried_over"] == 2
    event = AuditEvent.objects.get(action="finance.reviews_carried_over")
    assert event.actor is None and event.data["count"] == 2
    assert {r["to_finding"] for r in event.data["reviews"]} == {kirby.pk, aecom.pk}

    # Screening again carries nothing twice.
    outcome = services.rescreen(candidate)
    assert (outcome.carried_over, outcome.new) == (0, 0)
    assert kirby.reviews.count() == 1


def test_a_carried_decision_is_carried_again_by_a_second_amendment(
    committee, committee_member, candidate
):
    upload(committee, candidate, DEFAZIO.name, DEFAZIO.read_bytes())
    services.review_finding(
        finding=finding("Kirby Corporation", "1229017"), status="dismissed", reason="Not ours.",
        by=committee_member,
    )  # fmt: skip
    upload(committee, candidate, "fecfile__1229998.fec", amendment())
    upload(committee, candidate, "fecfile__1229999.fec", amendment())
    latest = finding("Kirby Corporation", "1229999")
    assert latest.status == FindingStatus.DISMISSED
    review = latest.reviews.get()
    assert "Carried over from filing 1229998, which filing 1229999 replaces" in review.reason
    # Back to the person's decision, through the first carried review.
    assert review.carried_from.carried_from.by == committee_member
