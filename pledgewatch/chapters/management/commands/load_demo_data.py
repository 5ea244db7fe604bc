from __future__ import annotations

import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction

from pledgewatch.accounts.models import User
from pledgewatch.chapters import fake_roster, services
from pledgewatch.chapters.models import Chapter, ChapterRole, Threshold
from pledgewatch.core.permissions import Role

DEMO_PASSWORD = "organize-the-unorganized"

CHAPTERS = [
    {"slug": "lakeshore", "name": "Lakeshore DSA", "timezone": "America/Chicago",
     "endorsement_threshold": Threshold.TWO_THIRDS, "quorum_percent": 5,
     "roster": {"n": 420, "seed": 7, "chapter": "Lakeshore", "city": "Chicago", "state": "IL",
                "zip_prefix": "606", "id_start": 310_000}},
    {"slug": "harbor-city", "name": "Harbor City DSA", "timezone": "America/Los_Angeles",
     "endorsement_threshold": Threshold.SIXTY, "quorum_percent": 10,
     "roster": {"n": 160, "seed": 11, "chapter": "Harbor City", "city": "Long Beach",
                "state": "CA", "zip_prefix": "908", "id_start": 520_000}},
]  # fmt: skip
USERS = [
    ("admin@example.org", "Alex Organizer", {"lakeshore": Role.ADMIN, "harbor-city": Role.MEMBER}),
    ("committee@example.org", "Cam Committee", {"lakeshore": Role.COMMITTEE}),
    ("lead@example.org", "Lee Canvass", {"lakeshore": Role.CANVASS_LEAD}),
    ("member@example.org", "Morgan Member", {"lakeshore": Role.MEMBER}),
    ("harbor@example.org", "Harper Harbor", {"harbor-city": Role.ADMIN}),
]


class Command(BaseCommand):
    help = "Create the demo chapters, users and rosters. Safe to run again: nothing is duplicated."

    def handle(self, *args, **options):
        with transaction.atomic():
            chapters = {}
            for spec in CHAPTERS:
                fields = {k: v for k, v in spec.items() if k not in {"slug", "roster"}}
                chapters[spec["slug"]], _ = Chapter.objects.get_or_create(
                    slug=spec["slug"], defaults=fields
                )
            users = {}
            for email, name, roles in USERS:
                user, created = User.objects.get_or_create(email=email, defaults={"name": name})
                if created:
                    user.set_password(DEMO_PASSWORD)
                    user.save()
                users[email] = user
                for slug, role in roles.items():
                    ChapterRole.objects.get_or_create(
                        chapter=chapters[slug], user=user, defaults={"role": role}
                    )
        for spec in CHAPTERS:
            chapter = chapters[spec["slug"]]
            if chapter.roster_imports.exists():
                continue
            out = io.StringIO()
            fake_roster.write_current(out, fake_roster.member_rows(**spec["roster"]))
            upload = ContentFile(out.getvalue().encode(), name=f"{chapter.slug}-export.csv")
            admin = next(u for e, _, r in USERS if r.get(chapter.slug) == Role.ADMIN
                         for u in [users[e]])  # fmt: skip
            job = services.start_import(
                chapter=chapter, upload=upload, encoding="utf-8", fmt="",
                full_snapshot=True, by=admin,
            )  # fmt: skip
            job = services.run_import(job.pk)  # no-op if the in-process backend already ran it
            self.stdout.write(f"{chapter}: roster imported, {job.added} members")
        from pledgewatch.endorsements import demo

        lakeshore = chapters["lakeshore"]
        if demo.load(lakeshore, admin=users["admin@example.org"],
                     committee=users["committee@example.org"]):  # fmt: skip
            self.stdout.write(f"{lakeshore}: races, candidates at every stage, a forum, the by-law")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Log in at {settings.SITE_URL} with:")
        )
        for email, _name, roles in USERS:
            described = ", ".join(f"{r.label} of {chapters[s].name}" for s, r in roles.items())
            self.stdout.write(f"  {email:<24} password: {DEMO_PASSWORD}   ({described})")
