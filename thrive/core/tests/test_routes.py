"""Every route has a policy rule and a declared answer for every kind of user."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from thrive.accounts.tests.factories import UserFactory
from thrive.testing.routes import ACTORS, World, all_expectations

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
    for actor in ACTORS:
        answers[actor] = _client_for(world.users[actor]).get(url).status_code
    wanted = {actor: expect.status_for(actor) for actor in ACTORS}
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
