"""Route expectations: what each kind of user gets from every page (GET).

Each app lists its routes in ``<app>/tests/routes.py`` as ``ROUTES = {url_name: Expect(...)}``;
``thrive/core/tests/test_routes.py`` fails for any route that has no expectation or
no policy rule, so every new page declares who may see it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps

from thrive.accounts.models import Role

ANONYMOUS = "anonymous"
PROVIDER_ADMIN = "provider_admin"
PROVIDER_MEMBER = "provider_member"
PROVIDER_OTHER = "provider_other"
STAFF_ROLES = [r.value for r in Role]
ACTORS = [ANONYMOUS, PROVIDER_ADMIN, PROVIDER_MEMBER, PROVIDER_OTHER, *STAFF_ROLES]

LOGIN = 302


@dataclass
class Expect:
    """Expected status per actor; ``default`` covers anyone not named."""

    default: int
    statuses: dict[str, int] = field(default_factory=dict)
    kwargs: Callable[[Any], dict[str, Any]] | None = None

    def status_for(self, actor: str) -> int:
        return self.statuses.get(actor, self.default)


def public(**kwargs: Any) -> Expect:
    return Expect(200, **kwargs)


def signed_in(**kwargs: Any) -> Expect:
    return Expect(200, {ANONYMOUS: LOGIN}, **kwargs)


def only(*actors: str, kwargs: Callable[[Any], dict[str, Any]] | None = None) -> Expect:
    """200 for the named actors, sign-in for anonymous, 403 for everyone else."""
    statuses = {actor: 200 for actor in actors}
    statuses.setdefault(ANONYMOUS, LOGIN)
    return Expect(403, statuses, kwargs)


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


@dataclass
class World:
    """The objects routes are tried against; an app's ``routes.prepare(world)`` adds its own."""

    organisation: Any
    other_organisation: Any
    users: dict[str, Any]
    token: Any
    invitation_token: str


def make_world() -> World:
    """Make the objects routes are tried against: two organisations and a user per actor."""
    from thrive.accounts import services as account_services
    from thrive.accounts.tests.factories import (
        InvitationFactory,
        MembershipFactory,
        staff_with_role,
    )
    from thrive.accounts.tokens import invitation_token
    from thrive.organisations.tests.factories import OrganisationFactory

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
