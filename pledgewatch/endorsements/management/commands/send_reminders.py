from __future__ import annotations

from django.core.management.base import BaseCommand

from pledgewatch.endorsements import tasks


class Command(BaseCommand):
    help = (
        "Email each chapter's committee and admins 14, 7 and 1 days before a pending ballot "
        "filing deadline (in the chapter's timezone). Safe to rerun: each reminder goes once. "
        "Run it daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="hand the work to the task worker (TASKS_BACKEND=db) instead of sending now",
        )

    def handle(self, *args, enqueue: bool, **options):
        if enqueue:
            result = tasks.send_ballot_reminders.enqueue()
            self.stdout.write(f"Ballot reminders queued (task {result.id}).")
            return
        sent = tasks.send_ballot_reminders.call()
        failed = [s for s in sent if s["error"]]
        for s in sent:
            line = (
                f"{s['chapter']}: {s['candidate']}, deadline {s['deadline']} "
                f"({s['days_left']} day{'s' if s['days_left'] != 1 else ''} left, "
                f"the {s['days_before']}-day reminder)"
            )
            if s["error"]:
                self.stderr.write(f"{line}: NOT SENT, {s['error']} (tried again next run)")
            else:
                self.stdout.write(f"{line}: sent to {s['recipients']}")
        done = len(sent) - len(failed)
        self.stdout.write(
            f"{done} ballot reminder{'s' if done != 1 else ''} sent"
            + (f", {len(failed)} failed." if failed else ".")
        )
