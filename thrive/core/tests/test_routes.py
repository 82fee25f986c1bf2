"""Every route has a policy rule and a declared answer for every kind of user."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from thrive.accounts import services as account_services
from thrive.accounts.models import Role
from thrive.accounts.tests.factories import (
    InvitationFactory,
    MembershipFactory,
    UserFactory,
    staff_with_role,
)
from thrive.accounts.tokens import invitation_token
from thrive.organisations.tests.factories import OrganisationFactory
from thrive.testing.routes import (
    ACTORS,
    ANONYMOUS,
    PROVIDER_ADMIN,
    PROVIDER_MEMBER,
    PROVIDER_OTHER,
    Expect,
)

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


def route_modules() -> list[Any]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("thrive."):
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.tests.routes"))
        except ModuleNotFoundError:
            continue
    return modules


def all_expectations() -> dict[str, Expect]:
    expectations: dict[str, Expect] = {}
    for module in route_modules():
        expectations.update(module.ROUTES)
    return expectations


def test_every_route_has_a_policy_rule() -> None:
    missing = [name for name, view in all_routes() if not hasattr(view, "policy_action")]
    assert missing == [], f"Routes without a policy rule: {missing}"


def test_every_route_declares_what_each_user_gets() -> None:
    names = {name for name, _ in all_routes()}
    expectations = all_expectations()
    assert sorted(names - set(expectations)) == []
    assert sorted(set(expectations) - names) == []


@dataclass
class World:
    """The objects routes are tried against; an app's ``routes.prepare(world)`` adds its own."""

    organisation: Any
    other_organisation: Any
    users: dict[str, Any]
    token: Any
    invitation_token: str


@pytest.fixture
def world(db) -> World:
    organisation = OrganisationFactory()
    other = OrganisationFactory()
    users: dict[str, Any] = {ANONYMOUS: None}
    users[PROVIDER_ADMIN] = MembershipFactory(organisation=organisation, is_admin=True).user
    users[PROVIDER_MEMBER] = MembershipFactory(organisation=organisation).user
    users[PROVIDER_OTHER] = MembershipFactory(organisation=other, is_admin=True).user
    for role in Role:
        users[role.value] = staff_with_role(role.value)
    token, _ = account_services.create_api_token(user=users[PROVIDER_ADMIN], name="Test")
    invitation = InvitationFactory(organisation=organisation, invited_by=users[PROVIDER_ADMIN])
    world = World(organisation, other, users, token, invitation_token(invitation))
    for module in route_modules():
        if hasattr(module, "prepare"):
            module.prepare(world)
    return world


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
