from __future__ import annotations

import factory

from pledgewatch.accounts.models import User
from pledgewatch.chapters.models import Chapter, ChapterRole, Member, MemberStatus
from pledgewatch.core.permissions import Role

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chapter
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Chapter {n} DSA")
    slug = factory.Sequence(lambda n: f"chapter-{n}")
    timezone = "America/Chicago"


class ChapterRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChapterRole

    chapter = factory.SubFactory(ChapterFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    chapter = factory.SubFactory(ChapterFactory)
    external_id = factory.Sequence(lambda n: str(200_000 + n))
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"member{n}@example.org")
    status = MemberStatus.GOOD_STANDING
