"""Walk every URL pattern: nobody reaches a chapter's data without a role in that chapter.

For each URL: an anonymous visitor is sent to log in; a user of another chapter gets 404
(even with the right object id in their own chapter's URL); a plain member gets 403 unless the
view's declared permission is one a member has. A new view must declare its permission
(chapter_view) or be listed here as public or user-level, or this test fails.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from pledgewatch.core.permissions import Role, role_has
from tests.factories import MemberFactory

# Views anyone may open: the log-in and password-reset flow, and the health check.
PUBLIC = {
    "healthz",
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    # A chapter's public pages (endorsements, by-law, public forums): endorsements/views_public.
    "public:chapter",
    "public:forum_ics",
}
# Views about the logged-in user themself, not about a chapter.
USER_LEVEL = {
    "home",
    "accounts:logout",
    "accounts:password_change",
    "accounts:password_change_done",
}


URL_OBJECT_MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(["tests"], "tests.")
    if m.name.rsplit(".", 1)[-1].startswith("url_objects")
)


def all_patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from all_patterns(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield f"{namespace}{p.name}", prefix + str(p.pattern), p.callback


def app_patterns():
    return [p for p in all_patterns() if not p[0].startswith("admin:")]


def make_kwargs(name, chapter):
    """An object of `chapter` for every kind of id a URL takes."""
    from pledgewatch.chapters.models import ImportStatus, RosterImport
    from tests.finance.factories import (
        CandidateFactory,
        CommitteeFactory,
        FinanceImportFactory,
        FindingFactory,
        NeverFlagFactory,
        OrganizationFactory,
    )

    kwargs = {}
    if name.split(":")[0] in {
        "chapters", "candidates", "finance", "campaigns", "endorsements", "forums", "public"
    }:  # fmt: skip
        kwargs["slug"] = chapter.slug
    objects = {
        "chapters:member_detail": lambda: MemberFactory(chapter=chapter),
        "chapters:import_detail": lambda: RosterImport.objects.create(
            chapter=chapter, original_name="x.csv", format="dsa", status=ImportStatus.QUEUED
        ),
        "chapters:import_cancel": lambda: RosterImport.objects.create(
            chapter=chapter, original_name="x.csv", format="dsa", status=ImportStatus.QUEUED
        ),
        "chapters:change_role": lambda: chapter.roles.first(),
        "candidates:candidate_detail": lambda: CandidateFactory(chapter=chapter),
        "candidates:committee_add": lambda: CandidateFactory(chapter=chapter),
        "candidates:committee_remove": lambda: CommitteeFactory(candidate__chapter=chapter),
        "finance:import_list": lambda: CandidateFactory(chapter=chapter),
        "finance:import_fetch": lambda: CandidateFactory(chapter=chapter),
        "finance:rescreen": lambda: CandidateFactory(chapter=chapter),
        "finance:finding_list": lambda: CandidateFactory(chapter=chapter),
        "finance:alias_proposals": lambda: CandidateFactory(chapter=chapter),
        "finance:import_detail": lambda: FinanceImportFactory(candidate__chapter=chapter),
        "finance:import_cancel": lambda: FinanceImportFactory(candidate__chapter=chapter),
        "finance:finding_detail": lambda: FindingFactory(candidate__chapter=chapter),
        "finance:finding_review": lambda: FindingFactory(candidate__chapter=chapter),
        "finance:organization_edit": lambda: OrganizationFactory(policy__chapter=chapter),
        "finance:alias_add": lambda: OrganizationFactory(policy__chapter=chapter),
        "finance:neverflag_edit": lambda: NeverFlagFactory(policy__chapter=chapter),
    }
    # Each area lists the objects its URLs take in tests/<app>/url_objects*.py: objects(chapter).
    for module in URL_OBJECT_MODULES:
        objects.update(importlib.import_module(module).objects(chapter))
    if name in objects:
        kwargs["pk"] = objects[name]().pk
    return kwargs


def url_for(route: str, kwargs: dict) -> str:
    path = route
    for key, value in kwargs.items():
        for conv in ("slug", "int", "str", ""):
            token = f"<{conv}:{key}>" if conv else f"<{key}>"
            path = path.replace(token, str(value))
    assert "<" not in path, f"no test value for a parameter of {route}: add one to make_kwargs"
    return "/" + path


def test_every_view_is_public_by_choice_user_level_or_declares_a_chapter_permission():
    for name, route, view in app_patterns():
        public = getattr(view, "login_required", True) is False
        assert public == (name in PUBLIC), f"{name} ({route}): public={public}, update PUBLIC"
        if name not in PUBLIC | USER_LEVEL:
            assert hasattr(view, "chapter_permission"), f"{name} has no @chapter_view permission"


@pytest.mark.parametrize("name", sorted(n for n, _r, _v in app_patterns() if n not in PUBLIC))
def test_anonymous_visitor_is_sent_to_log_in(name, client, chapter, alice):
    route = dict((n, r) for n, r, _v in app_patterns())[name]
    url = url_for(route, make_kwargs(name, chapter))
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302, (name, method.__name__, response.status_code)
        assert response["Location"].startswith("/accounts/login/")


CHAPTER_VIEWS = sorted((n, r, v) for n, r, v in app_patterns() if hasattr(v, "chapter_permission"))


@pytest.mark.parametrize(
    ("name", "route", "view"), CHAPTER_VIEWS, ids=[c[0] for c in CHAPTER_VIEWS]
)
def test_user_of_another_chapter_sees_nothing(
    name, route, view, chapter, alice, charlie, other_chapter, client_as
):
    client = client_as(charlie)  # admin of the other chapter: every permission there
    kwargs = make_kwargs(name, chapter)
    for method in (client.get, client.post):
        assert method(url_for(route, kwargs)).status_code == 404, name
    if "pk" in kwargs:  # chapter A's object id inside Charlie's own chapter's URL
        own = url_for(route, {**kwargs, "slug": other_chapter.slug})
        assert client.post(own).status_code == 404, f"{name}: object of another chapter leaked"
        # 405 is fine: a POST-only view refuses GET before it looks anything up.
        assert client.get(own).status_code in (404, 405), name


@pytest.mark.parametrize(
    ("name", "route", "view"), CHAPTER_VIEWS, ids=[c[0] for c in CHAPTER_VIEWS]
)
def test_plain_member_is_refused_what_members_may_not_do(
    name, route, view, chapter, alice, bob, client_as
):
    client = client_as(bob)
    url = url_for(route, make_kwargs(name, chapter))
    response = client.get(url)
    if role_has(Role.MEMBER, view.chapter_permission):
        assert response.status_code in (200, 405), name
    else:
        assert response.status_code == 403, name
        assert client.post(url).status_code == 403, name


def test_admin_site_refuses_non_staff(client_as, alice):
    response = client_as(alice).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
