"""Shared fixtures: two chapters, people with each role, and logged-in clients.

Alice is an admin of chapter A, Bob a member of chapter A, Charlie an admin of chapter B:
a test of any chapter-A page asks what Alice may do, what Bob may not, and that Charlie sees
nothing (the healthchecks Alice/Bob/Charlie pattern).
"""

from __future__ import annotations

import pytest
from django.test import Client

from pledgewatch.core.permissions import Role
from tests.factories import ChapterFactory, ChapterRoleFactory, UserFactory
from tests.smtp import smtp_server  # noqa: F401 (the fixture, for every test)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness is for attackers, not for the test suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path_factory):
    """Uploaded files (rosters, filings, pledges) go to a folder of this test run, never to the
    real PRIVATE_UPLOAD_DIR."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("uploads")


@pytest.fixture
def chapter(db):
    return ChapterFactory(name="Lakeshore DSA", slug="lakeshore")


@pytest.fixture
def other_chapter(db):
    return ChapterFactory(name="Harbor City DSA", slug="harbor-city")


def _person(chapter, role, email):
    user = UserFactory(email=email)
    ChapterRoleFactory(chapter=chapter, user=user, role=role)
    return user


@pytest.fixture
def alice(chapter):
    return _person(chapter, Role.ADMIN, "alice@example.org")


@pytest.fixture
def committee_member(chapter):
    return _person(chapter, Role.COMMITTEE, "cam@example.org")


@pytest.fixture
def canvass_lead(chapter):
    return _person(chapter, Role.CANVASS_LEAD, "lee@example.org")


@pytest.fixture
def bob(chapter):
    return _person(chapter, Role.MEMBER, "bob@example.org")


@pytest.fixture
def charlie(other_chapter):
    return _person(other_chapter, Role.ADMIN, "charlie@example.org")


@pytest.fixture
def client_as(db):
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
