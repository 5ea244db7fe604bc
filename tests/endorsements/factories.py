"""factory_boy factories for offices, races, endorsements and the gates' evidence, and for the
forums app. Candidates come from tests.finance.factories.CandidateFactory."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from pledgewatch.candidates.models import (
    ContactKind,
    ContactLogEntry,
    ElectionKind,
    Office,
    OfficeLevel,
    Race,
)
from pledgewatch.endorsements.models import (
    BallotAccess,
    BallotStatus,
    Endorsement,
    Pledge,
    QuestionnaireRecord,
    RescissionBylaw,
    Resource,
)
from pledgewatch.forums.models import Forum, Invitation, Organization, OrganizationKind, Rsvp
from tests.factories import ChapterFactory
from tests.finance.factories import CandidateFactory


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    chapter = factory.SubFactory(ChapterFactory)
    name = "City Council"
    level = OfficeLevel.MUNICIPAL
    district = factory.Sequence(lambda n: f"District {n + 1}")
    state = "IL"


class RaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Race

    chapter = factory.SubFactory(ChapterFactory)
    office = factory.SubFactory(OfficeFactory, chapter=factory.SelfAttribute("..chapter"))
    kind = ElectionKind.PRIMARY
    party = "Democratic"
    election_date = dt.date(2027, 3, 16)
    filing_deadline = dt.date(2026, 12, 14)


class EndorsementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Endorsement
        django_get_or_create = ["candidate"]

    candidate = factory.SubFactory(CandidateFactory)


class ContactLogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactLogEntry

    candidate = factory.SubFactory(CandidateFactory)
    kind = ContactKind.CALL
    happened_at = factory.LazyFunction(timezone.now)
    people = "Dana (committee), the campaign manager"
    summary = "Asked about their position on single payer."


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    candidate = factory.SubFactory(CandidateFactory)
    text = (
        "I will not accept contributions from health insurers, pharmaceutical companies or "
        "their trade groups and PACs."
    )
    made_on = dt.date(2026, 10, 1)
    url = "https://example.org/pledge"


class BallotAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BallotAccess

    candidate = factory.SubFactory(CandidateFactory)
    signatures_required = 473
    signatures_gathered = 120
    filing_deadline = dt.date(2026, 12, 14)
    source_url = (
        "https://ballotpedia.org/Ballot_access_requirements_for_political_candidates_in_Illinois"
    )
    status = BallotStatus.PENDING


class RescissionBylawFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RescissionBylaw
        django_get_or_create = ["chapter"]

    chapter = factory.SubFactory(ChapterFactory)
    text = "No less than five members in good standing may petition to rescind an endorsement."


class QuestionnaireRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionnaireRecord

    candidate = factory.SubFactory(CandidateFactory)
    sent_on = dt.date(2026, 10, 5)


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    chapter = factory.SubFactory(ChapterFactory)
    title = "Medicare for All and nothing less"
    url = "https://medicareforall.dsausa.org/blog/medicare-for-all-and-nothing-less"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    chapter = factory.SubFactory(ChapterFactory)
    name = factory.Sequence(lambda n: f"SEIU Local {100 + n}")
    kind = OrganizationKind.UNION_LOCAL


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum

    chapter = factory.SubFactory(ChapterFactory)
    title = "Medicare for All town hall"
    starts_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    place = "Union hall"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    forum = factory.SubFactory(ForumFactory)
    candidate = factory.SubFactory(
        CandidateFactory, chapter=factory.SelfAttribute("..forum.chapter")
    )
    invited_on = dt.date(2026, 10, 1)
    rsvp = Rsvp.INVITED
