"""Every route has a policy rule and a declared answer for every kind of user."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Model
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from thrive.accounts.tests.factories import UserFactory
from thrive.audit.models import AuditEvent
from thrive.testing.forms import (
    changes,
    error_summary,
    own_post_form,
    snapshot,
    url_for,
)
from thrive.testing.routes import ACTORS, EVERY_ACTOR, Expect, World, all_expectations

SKIPPED_NAMESPACES = {"admin", "api"}


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> list[tuple[str, Any]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            if ns in SKIPPED_NAMESPACES:
                continue
            full_ns = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else ns
            found += _walk(pattern.url_patterns, prefix + str(pattern.pattern), full_ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            found.append((name, pattern.callback))
    return found


def all_routes() -> list[tuple[str, Any]]:
    return _walk(get_resolver().url_patterns)


def test_every_route_has_a_policy_rule() -> None:
    missing = [name for name, view in all_routes() if not hasattr(view, "policy_action")]
    assert missing == [], f"Routes without a policy rule: {missing}"


def test_every_route_declares_what_each_user_gets() -> None:
    names = {name for name, _ in all_routes()}
    expectations = all_expectations()
    assert sorted(names - set(expectations)) == []
    assert sorted(set(expectations) - names) == []


def _client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("name", sorted(all_expectations()))
def test_route_answers_each_kind_of_user_as_declared(name: str, world: World) -> None:
    expect = all_expectations()[name]
    url = reverse(name, kwargs=expect.kwargs(world) if expect.kwargs else None)
    answers = {}
    for actor in EVERY_ACTOR:
        answers[actor] = _client_for(world.users[actor]).get(url).status_code
    wanted = {actor: expect.status_for(actor) for actor in EVERY_ACTOR}
    assert answers == wanted


def test_unknown_user_is_not_given_a_page_by_an_unknown_action(db) -> None:
    from thrive.core import policy

    user = UserFactory()
    assert policy.can(user, "no.such.action") is False


def test_only_system_administrators_reach_the_admin_site(world: World) -> None:
    for actor in ACTORS:
        status = _client_for(world.users[actor]).get("/admin/").status_code
        assert status == (200 if actor == "system_admin" else 302), actor


def test_admin_role_grants_go_through_the_audited_service(world: World) -> None:
    from thrive.audit.models import AuditEvent

    admin_client = _client_for(world.users["system_admin"])
    staff = world.users["finance_officer"]
    response = admin_client.post(
        "/admin/accounts/roleassignment/add/", {"user": staff.pk, "role": "assessor"}
    )
    assert response.status_code == 302
    assert staff.role_assignments.filter(role="assessor").exists()
    assert AuditEvent.objects.filter(
        action="accounts.role.granted", object_id=str(staff.pk)
    ).exists()


# --- POST: who may post, and a refused post changes nothing ----------------------------


# Written by any request, refused or not: sessions, sign-in records, rate-limit counts.
REQUEST_BOOKKEEPING = ["django_session", "axes_", "thrive_rate_limit_counts"]


def _writes(queries: CaptureQueriesContext, response: Any) -> list[str]:
    """Statements that changed a table (besides bookkeeping and a download's audit record)."""
    ignored = list(REQUEST_BOOKKEEPING)
    if response.get("Content-Disposition", "").startswith("attachment"):
        ignored += ["audit_"]
    found = []
    for query in queries.captured_queries:
        sql = query["sql"].lstrip().upper()
        if sql.startswith(("INSERT", "UPDATE", "DELETE")) and not any(
            table.upper() in sql.split("(")[0].split(" SET ")[0] for table in ignored
        ):
            found.append(query["sql"][:120])
    return found


def _to_sign_in(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        resolve_url(settings.LOGIN_URL)
    )


def _refused(response: Any, actor: str, expect: Expect) -> bool:
    """Sent to sign in, forbidden, not found or not allowed; or answered as the GET is (a page
    that ignores the POST of someone who may only read it); what was written is checked apart."""
    status = response.status_code
    return status in (403, 404, 405) or _to_sign_in(response) or status == expect.status_for(actor)


def _error_summary(response: Any) -> list[str]:
    if response.streaming or not response["Content-Type"].startswith("text/html"):
        return []
    return error_summary(response.content.decode())


# What a browser sends for a form left empty: only the CSRF token (not checked in tests).
EMPTY_FORM = {"csrfmiddlewaretoken": "empty"}


def _own_form(url: str, viewers: list[str], clients: dict[str, Client]) -> dict | None:
    """The form the page posts to itself, filled in as the first viewer is shown it."""
    if not viewers:
        return None
    page = clients[viewers[0]].get(url)
    if not page["Content-Type"].startswith("text/html"):
        return None
    form = own_post_form(page.content.decode(), url)
    return form.submission() if form is not None else None


def _post_as(client: Client, url: str, data: dict) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    return response, _writes(queries, response)


# A POST answered as the GET is may be a download, recorded as one.
DOWNLOADS = ["core.file.downloaded", "organisations.register.exported"]


def _audit_count() -> int:
    """Audit events, besides the record of a file downloaded."""
    return AuditEvent.objects.exclude(action__in=DOWNLOADS).count()


def _post_problems(name: str, world: World) -> list[str]:
    """Everyone not allowed to post sends an empty form and the form an allowed user is shown;
    what was not refused, or wrote, or changed a table (the audit log included)."""
    expect = all_expectations()[name]
    url = url_for(name, world)
    clients = {actor: _client_for(world.users[actor]) for actor in EVERY_ACTOR}
    viewers = [a for a in EVERY_ACTOR if expect.status_for(a) == 200]
    for actor in viewers:
        clients[actor].get(url)  # records a page makes when first seen are not a change
    form = _own_form(url, viewers, clients)
    takes_post = form is not None or 405 in {expect.status_for(a) for a in ACTORS}
    if expect.post is None and takes_post:
        return [f"{name} takes a POST: declare post=..."]
    posters = expect.posters()
    audit_before, before = _audit_count(), snapshot()
    problems = []
    for actor in [a for a in EVERY_ACTOR if a not in posters]:
        for label, data in [("empty", EMPTY_FORM), ("form", form)]:
            if data is None:
                continue
            response, writes = _post_as(clients[actor], url, data)
            if writes or not _refused(response, actor, expect):
                problems.append(f"{actor} {label}: {response.status_code} {writes}")
    if _audit_count() != audit_before:
        problems.append("the audit log grew")
    return problems + changes(before, snapshot())


@pytest.mark.parametrize("name", sorted(all_expectations()))
def test_route_refuses_posts_from_everyone_not_allowed_and_changes_nothing(
    name: str, world: World
) -> None:
    assert _post_problems(name, world) == []


def test_a_view_that_lets_anyone_post_is_caught(world: World, monkeypatch) -> None:
    """The check above fails for a page whose rule lets everyone in (a hole made on purpose)."""
    from thrive.core import policy

    monkeypatch.setitem(policy._RULES, "strategy.framework.manage", lambda user, obj: True)
    problems = _post_problems("strategy:outcome_edit", world)
    assert any(p.startswith("provider_other form: 302") for p in problems), problems


@pytest.mark.parametrize(
    "name", sorted(name for name, expect in all_expectations().items() if expect.post)
)
def test_an_empty_post_from_an_allowed_user_is_answered_without_a_server_error(
    name: str, world: World
) -> None:
    """A page (again, with an error summary), or a move on: never refused, never a server
    error. (Not found is an answer too: an earlier user may have removed the record.)"""
    url = url_for(name, world)
    answers = {}
    for actor in sorted(all_expectations()[name].posters()):
        response = _client_for(world.users[actor]).post(url, EMPTY_FORM)
        answered = response.status_code in (200, 302, 303, 404) and not _to_sign_in(response)
        answers[actor] = "ok" if answered else response.status_code
    assert answers == {actor: "ok" for actor in answers}


# --- object routes: their objects are the first council's or organisation's -------------


class _Recording:
    """The world, noting every object a route's ``kwargs`` reads from it."""

    def __init__(self, inner: Any, used: list[Any]) -> None:
        self._inner, self._used = inner, used

    def __getattr__(self, name: str) -> Any:
        return self._wrap(getattr(self._inner, name))

    def __getitem__(self, key: Any) -> Any:
        return self._wrap(self._inner[key])

    def _wrap(self, value: Any) -> Any:
        if isinstance(value, dict):
            return _Recording(value, self._used)
        self._used.append(value)
        return value


def _owners(obj: Any, depth: int = 4) -> set[tuple[str, int]]:
    """The councils and organisations an object belongs to, through its foreign keys."""
    from thrive.accounts.models import Council, User
    from thrive.organisations.models import Organisation

    if not isinstance(obj, Model):
        return set()
    found: set[tuple[str, int]] = set()
    if isinstance(obj, Council):
        found.add(("council", obj.pk))
    if isinstance(obj, Organisation):
        found.add(("organisation", obj.pk))
    if isinstance(obj, User):
        found |= {("organisation", m.organisation_id) for m in obj.memberships.all()}
    for field in obj._meta.concrete_fields if depth else []:
        if field.many_to_one and getattr(obj, field.attname) is not None:
            found |= _owners(getattr(obj, field.name), depth - 1)
    return found


def test_every_object_route_is_tried_on_an_object_of_the_first_council_or_organisation(
    world: World,
) -> None:
    """So that the other council's staff and the other organisation are refused a real object."""
    first = {("council", world.council.pk), ("organisation", world.organisation.pk)}
    others = {("council", world.other_council.pk), ("organisation", world.other_organisation.pk)}
    wrong = {}
    for name, expect in sorted(all_expectations().items()):
        if not expect.is_council_object():
            continue
        used: list[Any] = []
        expect.kwargs(_Recording(world, used))
        owners = set().union(*(_owners(obj) for obj in used))
        if not owners & first or owners & others:
            wrong[name] = sorted(owners)
    assert wrong == {}
