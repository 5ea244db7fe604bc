"""Reminder emails before ballot filing deadlines: who gets them, when (in the chapter's
timezone), what they say, and that each goes once: through the captured outbox, the command
and a real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from pledgewatch.core.models import AuditEvent
from pledgewatch.core.permissions import Role
from pledgewatch.endorsements import tasks
from pledgewatch.endorsements.models import BallotReminder, BallotStatus, Stage
from pledgewatch.endorsements.services_evidence import reminder_due, send_ballot_reminders
from tests.endorsements.factories import BallotAccessFactory, EndorsementFactory
from tests.factories import ChapterRoleFactory, UserFactory
from tests.finance.factories import CandidateFactory
from tests.smtp import free_port

DEADLINE = dt.date(2026, 12, 14)


def chicago(day: dt.date, hour: int = 12) -> dt.datetime:
    """`hour` o'clock on `day` in Chicago (the test chapter's timezone; UTC-6 in winter)."""
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC) + dt.timedelta(hours=6)


def days_before(n: int) -> dt.datetime:
    return chicago(DEADLINE - dt.timedelta(days=n))


@pytest.fixture
def access(chapter):
    candidate = CandidateFactory(chapter=chapter, name="Dee Alvarez")
    return BallotAccessFactory(
        candidate=candidate,
        signatures_required=473,
        signatures_gathered=120,
        filing_deadline=DEADLINE,
        fee=None,
    )


@pytest.fixture
def people(alice, committee_member, bob, canvass_lead, charlie):
    """An admin and a committee member (who get reminders), a member and a canvass lead (who
    do not), and another chapter's admin."""
    return alice, committee_member


def send(now: dt.datetime):
    with time_machine.travel(now, tick=False):
        return send_ballot_reminders()


@pytest.mark.parametrize(
    ("days_left", "due"),
    [(15, None), (14, 14), (13, 14), (8, 14), (7, 7), (2, 7), (1, 1), (0, 1), (-1, None)],
)
def test_which_reminder_is_due(days_left, due):
    assert reminder_due(days_left) == due


def test_fourteen_days_before_the_committee_and_admins_are_emailed(access, people, settings):
    settings.SITE_URL = "https://pledgewatch.example.org"
    sent = send(days_before(14))

    assert [(s.candidate, s.days_before, s.days_left, s.recipients) for s in sent] == [
        ("Dee Alvarez", 14, 14, 2)
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "cam@example.org"]
    assert all(len(m.to) == 1 for m in mail.outbox)  # one message each: no shared address list
    message = mail.outbox[0]
    assert message.subject == "In 14 days: Dee Alvarez's filing deadline (Lakeshore DSA)"
    link = f"https://pledgewatch.example.org/c/lakeshore/pipeline/candidates/{access.candidate.pk}/ballot/"
    html = message.alternatives[0].content
    for part in (message.body, html):
        assert "Monday 14 December 2026" in part
        assert "120 of 473 gathered (25%), 353 to go" in part
        assert link in part
    reminder = BallotReminder.objects.get()
    assert (reminder.ballot_access, reminder.deadline, reminder.days_before) == (
        access,
        DEADLINE,
        14,
    )
    assert reminder.recipients == 2
    event = AuditEvent.objects.get(action="endorsement.ballot_reminder_sent")
    assert event.chapter == access.candidate.chapter
    assert event.data == {
        "deadline": "2026-12-14",
        "days_before": 14,
        "days_left": 14,
        "recipients": 2,
    }


def test_a_second_run_sends_nothing(access, people):
    assert len(send(days_before(14))) == 1
    assert len(send(days_before(14) + dt.timedelta(hours=3))) == 0
    assert len(mail.outbox) == 2
    assert BallotReminder.objects.count() == 1


def test_reminders_go_fourteen_seven_and_one_day_before_and_not_between(access, people):
    sent_on = {}
    for n in range(20, -3, -1):
        for s in send(days_before(n)):
            sent_on[n] = s.days_before
    assert sent_on == {14: 14, 7: 7, 1: 1}
    assert len(mail.outbox) == 6
    assert [m.subject.split(":")[0] for m in mail.outbox[-2:]] == ["Tomorrow", "Tomorrow"]


def test_the_days_are_counted_in_the_chapters_timezone(access, people):
    # 03:00 UTC on 30 November (14 days before in UTC) is still the evening of the 29th in
    # Chicago: 15 days before the deadline there.
    assert send(dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)) == []
    sent = send(dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC))  # 01:00 in Chicago
    assert [s.days_left for s in sent] == [14]


def test_a_missed_reminder_is_sent_late_once_with_the_real_days_left(access, people):
    [late] = send(days_before(5))  # cron was down on the 7th day before
    assert (late.days_before, late.days_left) == (7, 5)
    assert mail.outbox[0].subject.startswith("In 5 days:")
    assert send(days_before(4)) == []


@pytest.mark.parametrize("status", [BallotStatus.ON_BALLOT, BallotStatus.FAILED])
def test_no_reminders_once_the_status_is_settled(access, people, status):
    access.status = status
    access.save()
    assert send(days_before(7)) == []
    assert mail.outbox == []


@pytest.mark.parametrize("stage", [Stage.DECLINED, Stage.RESCINDED])
def test_no_reminders_for_a_candidate_the_chapter_turned_down(access, people, stage):
    EndorsementFactory(candidate=access.candidate, stage=stage)
    assert send(days_before(7)) == []


def test_a_record_without_a_deadline_or_after_it_gets_nothing(access, people):
    assert send(days_before(-1)) == []
    access.filing_deadline = None
    access.save()
    assert send(days_before(7)) == []
    assert mail.outbox == []


def test_a_new_deadline_gets_its_own_reminders(access, people):
    send(days_before(7))
    access.filing_deadline = DEADLINE + dt.timedelta(days=7)
    access.save()
    [again] = send(days_before(7))  # the new deadline is 14 days away now
    assert (again.deadline, again.days_before) == ("2026-12-21", 14)
    assert BallotReminder.objects.count() == 2


def test_each_chapter_emails_only_its_own_people(access, people, other_chapter, charlie):
    other = BallotAccessFactory(candidate__chapter=other_chapter, filing_deadline=DEADLINE)
    sent = send(days_before(1))
    assert sorted((s.chapter, s.recipients) for s in sent) == [("harbor-city", 1), ("lakeshore", 2)]
    to_other = [m.to[0] for m in mail.outbox if other.candidate.name in m.subject]
    assert to_other == ["charlie@example.org"]


def test_inactive_users_get_no_reminder(access, chapter, alice):
    retired = UserFactory(email="gone@example.org", is_active=False)
    ChapterRoleFactory(chapter=chapter, user=retired, role=Role.COMMITTEE)
    send(days_before(14))
    assert [m.to[0] for m in mail.outbox] == ["alice@example.org"]


def test_the_task_sends_them_and_returns_plain_data(access, people):
    with time_machine.travel(days_before(14), tick=False):
        result = tasks.send_ballot_reminders.enqueue()
    assert result.return_value == [
        {
            "chapter": "lakeshore",
            "candidate": "Dee Alvarez",
            "deadline": "2026-12-14",
            "days_before": 14,
            "days_left": 14,
            "recipients": 2,
            "error": "",
        }
    ]
    assert len(mail.outbox) == 2


def test_the_command_prints_what_was_sent_and_nothing_the_second_time(access, people):
    out = io.StringIO()
    with time_machine.travel(days_before(7), tick=False):
        call_command("send_reminders", stdout=out)
        call_command("send_reminders", stdout=out)
    assert out.getvalue().splitlines() == [
        "lakeshore: Dee Alvarez, deadline 2026-12-14 (7 days left, the 7-day reminder): sent to 2",
        "1 ballot reminder sent.",
        "0 ballot reminders sent.",
    ]


def test_pledgewatch_send_reminders_runs_the_command(access, people, capsys):
    from pledgewatch.cli import main

    with time_machine.travel(days_before(1), tick=False):
        assert main(["send-reminders"]) == 0
    assert "1 ballot reminder sent." in capsys.readouterr().out
    assert len(mail.outbox) == 2


# --- through a real SMTP server on loopback -------------------------------------------------


def use_smtp(settings, host: str, port: int) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": host, "port": port, "timeout": 5},
        }
    }


def test_reminders_are_delivered_over_smtp_once(access, people, settings, smtp_server):
    controller, inbox = smtp_server
    use_smtp(settings, controller.hostname, controller.port)
    out = io.StringIO()

    with time_machine.travel(days_before(7), tick=False):
        call_command("send_reminders", stdout=out)
        call_command("send_reminders", stdout=out)

    assert sorted(m["To"] for m in inbox.messages) == ["alice@example.org", "cam@example.org"]
    message = inbox.messages[0]
    assert message["Subject"] == "In 7 days: Dee Alvarez's filing deadline (Lakeshore DSA)"
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    assert "120 of 473 gathered (25%)" in text.get_payload(decode=True).decode()
    assert out.getvalue().splitlines()[-1] == "0 ballot reminders sent."


def test_a_failed_send_is_reported_and_tried_again_next_run(access, people, settings):
    use_smtp(settings, "127.0.0.1", free_port())  # nothing listens there
    err = io.StringIO()
    with time_machine.travel(days_before(7), tick=False):
        call_command("send_reminders", stdout=io.StringIO(), stderr=err)
    assert "NOT SENT" in err.getvalue()
    assert not BallotReminder.objects.exists()

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with time_machine.travel(days_before(6), tick=False):
        [sent] = send_ballot_reminders()
    assert (sent.days_before, sent.recipients, sent.error) == (7, 2, "")
    assert len(mail.outbox) == 2


def test_the_command_can_hand_the_work_to_the_worker(access, people):
    out = io.StringIO()
    with time_machine.travel(days_before(14), tick=False):
        call_command("send_reminders", "--enqueue", stdout=out)
    assert out.getvalue().startswith("Ballot reminders queued (task ")
    assert len(mail.outbox) == 2  # the immediate backend (tests, development) ran it at once
