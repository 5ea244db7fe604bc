from __future__ import annotations

import re

from django.core import mail

from pledgewatch.accounts.models import User
from pledgewatch.chapters.models import ChapterRole, Threshold
from pledgewatch.core.models import AuditEvent
from pledgewatch.core.permissions import Role


def settings_data(chapter, **overrides):
    data = {
        "name": chapter.name,
        "timezone": chapter.timezone,
        "endorsement_threshold": chapter.endorsement_threshold,
        "abstention_rule": chapter.abstention_rule,
        "quorum_percent": "10",
        "rescission_petition_size": "5",
    }
    return {**data, **overrides}


def test_admin_changes_by_law_settings_and_the_change_is_audited(client_as, alice, chapter):
    url = f"/c/{chapter.slug}/settings/"
    response = client_as(alice).post(
        url, settings_data(chapter, endorsement_threshold=Threshold.SIXTY, quorum_percent="5")
    )
    assert response.status_code == 302
    chapter.refresh_from_db()
    assert chapter.endorsement_threshold == Threshold.SIXTY
    event = AuditEvent.objects.get(action="chapter.settings_changed")
    assert event.actor == alice and event.chapter == chapter
    assert event.data["endorsement_threshold"] == ["two_thirds", "sixty"]


def test_settings_form_rejects_impossible_values(client_as, alice, chapter):
    page = client_as(alice).post(
        f"/c/{chapter.slug}/settings/",
        settings_data(chapter, quorum_percent="150", rescission_petition_size="0",
                      timezone="Mars/Olympus"),
    )  # fmt: skip
    content = page.content.decode()
    assert page.status_code == 200
    assert "less than or equal to 100" in content
    assert "greater than or equal to 1" in content
    assert "Select a valid choice" in content
    chapter.refresh_from_db()
    assert chapter.quorum_percent == 10


def test_admin_adds_a_new_person_who_gets_a_link_to_choose_a_password(
    client_as, alice, chapter, client
):
    response = client_as(alice).post(
        f"/c/{chapter.slug}/people/",
        {"email": "New.Person@Example.org", "name": "New Person", "role": Role.COMMITTEE},
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert not user.has_usable_password()
    assert ChapterRole.objects.get(user=user, chapter=chapter).role == Role.COMMITTEE
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert "Committee" in message.body and chapter.name in message.subject
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/password/reset/\S+/)", message.body)
    page = client.get(link.group(1), follow=True).content.decode()
    assert "Choose a new password" in page


def test_admin_changes_a_role_but_never_removes_the_last_admin(client_as, alice, bob, chapter):
    client = client_as(alice)
    bob_role = ChapterRole.objects.get(user=bob)
    client.post(f"/c/{chapter.slug}/people/{bob_role.pk}/role/", {"role": Role.COMMITTEE})
    bob_role.refresh_from_db()
    assert bob_role.role == Role.COMMITTEE

    alice_role = ChapterRole.objects.get(user=alice)
    page = client.post(
        f"/c/{chapter.slug}/people/{alice_role.pk}/role/", {"role": Role.MEMBER}, follow=True
    )
    assert "at least one admin" in page.content.decode()
    alice_role.refresh_from_db()
    assert alice_role.role == Role.ADMIN
    assert AuditEvent.objects.filter(action="chapter.role_set", chapter=chapter).count() == 1


def test_audit_log_lists_this_chapters_events_only(client_as, alice, chapter, charlie,
                                                    other_chapter):  # fmt: skip
    from pledgewatch.core.audit import record

    record("roster.import_uploaded", by=alice, chapter=chapter, data={"file": "ours.csv"})
    record("roster.import_uploaded", by=charlie, chapter=other_chapter, data={"file": "theirs.csv"})
    page = client_as(alice).get(f"/c/{chapter.slug}/audit/").content.decode()
    assert "ours.csv" in page
    assert "theirs.csv" not in page
    filtered = client_as(alice).get(f"/c/{chapter.slug}/audit/?action=chapter.nothing")
    assert "ours.csv" not in filtered.content.decode()


def test_member_role_sees_the_dashboard_without_roster_links(client_as, bob, chapter):
    page = client_as(bob).get(f"/c/{chapter.slug}/").content.decode()
    assert chapter.name in page
    assert "Roster imports" not in page
    assert "Audit log" not in page


def test_user_of_several_chapters_picks_one(client_as, alice, chapter, other_chapter):
    ChapterRole.objects.create(user=alice, chapter=other_chapter, role=Role.MEMBER)
    page = client_as(alice).get("/").content.decode()
    assert f'href="/c/{chapter.slug}/"' in page
    assert f'href="/c/{other_chapter.slug}/"' in page


def test_dashboard_shows_the_pipeline_and_what_is_coming_up(client_as, bob, chapter, other_chapter):
    import datetime as dt

    from django.utils import timezone

    from pledgewatch.endorsements.models import Stage
    from tests.endorsements.factories import (
        BallotAccessFactory,
        EndorsementFactory,
        ForumFactory,
        RescissionBylawFactory,
    )

    EndorsementFactory(candidate__chapter=chapter, stage=Stage.VETTING)
    EndorsementFactory(candidate__chapter=other_chapter, stage=Stage.VETTING)
    soon = timezone.localdate() + dt.timedelta(days=6)
    BallotAccessFactory(candidate__chapter=chapter, candidate__name="Rosa <Delgado>",
                        filing_deadline=soon)  # fmt: skip
    BallotAccessFactory(candidate__chapter=chapter, filing_deadline=soon + dt.timedelta(days=60))
    start = timezone.now() + dt.timedelta(days=3)
    ForumFactory(chapter=chapter, title="Town hall", starts_at=start)
    ForumFactory(chapter=other_chapter, title="Their forum", starts_at=start)
    RescissionBylawFactory(chapter=chapter, adopted_on=dt.date(2026, 9, 20))
    page = client_as(bob).get(f"/c/{chapter.slug}/").content.decode()
    assert "Vetting: 1" in page  # the other chapter's candidate is not counted
    assert "Town hall" in page and "Their forum" not in page
    assert "Rosa &lt;Delgado&gt;" in page  # deadline in 6 days; the one in 66 days is not listed
    assert page.count("of 473 signatures") == 1
    assert "Adopted Sep 20, 2026" in page
