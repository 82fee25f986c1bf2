"""Route expectations: what each kind of user gets from every page, by GET and by POST.

Each app lists its routes in ``<app>/tests/routes.py`` as ``ROUTES = {url_name: Expect(...)}``;
``thrive/core/tests/test_routes.py`` fails for any route that has no expectation or
no policy rule, so every new page declares who may see it and who may post to it.

Staff of a second council (one actor per council role) get what the same role gets in the
first council from pages without an object, and are refused (403) every object of the
first council; routes whose object every council shares (the organisation register, public
pages) say ``shared=True``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps

from thrive.accounts import services as account_services
from thrive.accounts.models import Role, RoleAssignment
from thrive.accounts.tests.factories import (
    CouncilFactory,
    InvitationFactory,
    MembershipFactory,
    staff_with_role,
)
from thrive.accounts.tokens import invitation_token
from thrive.organisations.tests.factories import OrganisationFactory
from thrive.strategy.models import Directorate

ANONYMOUS = "anonymous"
PROVIDER_ADMIN = "provider_admin"
PROVIDER_MEMBER = "provider_member"
PROVIDER_OTHER = "provider_other"
STAFF_ROLES = [r.value for r in Role]
ACTORS = [ANONYMOUS, PROVIDER_ADMIN, PROVIDER_MEMBER, PROVIDER_OTHER, *STAFF_ROLES]
SIGNED_IN = tuple(actor for actor in ACTORS if actor != ANONYMOUS)
OTHER_COUNCIL = "other_council_"
OTHER_COUNCIL_STAFF = [OTHER_COUNCIL + r.value for r in Role if r != Role.SYSTEM_ADMIN]
EVERY_ACTOR = [*ACTORS, *OTHER_COUNCIL_STAFF]

LOGIN = 302
DENIED = 403


@dataclass
class Expect:
    """Expected GET status per actor; ``default`` covers anyone not named.

    ``post`` says who may POST: ``AS_GET`` for the actors given the page (a form posting to
    itself), a tuple of actors (a route that only takes POST), or ``None`` for a page that
    takes no POST. Everyone else is refused and changes nothing. ``shared`` marks an object
    route whose object is not one council's (the shared register, a public page).
    """

    default: int
    statuses: dict[str, int] = field(default_factory=dict)
    kwargs: Callable[[Any], dict[str, Any]] | None = None
    post: tuple[str, ...] | None = None
    shared: bool = False

    def status_for(self, actor: str) -> int:
        if actor in self.statuses or not actor.startswith(OTHER_COUNCIL):
            return self.statuses.get(actor, self.default)
        status = self.status_for(actor.removeprefix(OTHER_COUNCIL))
        return DENIED if status == 200 and self.is_council_object() else status

    def is_council_object(self) -> bool:
        return self.kwargs is not None and not self.shared

    def posters(self) -> set[str]:
        """The actors who may POST to the route."""
        if self.post is None:
            return set()
        if self.post == AS_GET:
            first = {a for a in ACTORS if self.status_for(a) == 200}
        else:
            first = set(self.post)
        if self.is_council_object():
            return first
        return first | {OTHER_COUNCIL + a for a in first if OTHER_COUNCIL + a in EVERY_ACTOR}


AS_GET: tuple[str, ...] = ("(the actors given the page)",)


def public(**kwargs: Any) -> Expect:
    return Expect(200, **kwargs)


def signed_in(**kwargs: Any) -> Expect:
    return Expect(200, {ANONYMOUS: LOGIN}, **kwargs)


def only(
    *actors: str,
    kwargs: Callable[[Any], dict[str, Any]] | None = None,
    post: tuple[str, ...] | None = None,
    shared: bool = False,
) -> Expect:
    """200 for the named actors, sign-in for anonymous, 403 for everyone else."""
    statuses = {actor: 200 for actor in actors}
    statuses.setdefault(ANONYMOUS, LOGIN)
    return Expect(403, statuses, kwargs, post, shared)


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
    """The objects routes are tried against; an app's ``routes.prepare(world)`` adds its own.

    Every object a route is tried against belongs to ``council`` (or ``organisation``);
    ``other_council`` has its own staff, one per role, to be refused them.
    """

    organisation: Any
    other_organisation: Any
    users: dict[str, Any]
    token: Any
    invitation_token: str
    council: Any = None
    other_council: Any = None


def make_world() -> World:
    """Make the objects routes are tried against: two organisations and a user per actor."""
    organisation = OrganisationFactory()
    other = OrganisationFactory()
    users: dict[str, Any] = {ANONYMOUS: None}
    users[PROVIDER_ADMIN] = MembershipFactory(organisation=organisation, is_admin=True).user
    users[PROVIDER_MEMBER] = MembershipFactory(organisation=organisation).user
    users[PROVIDER_OTHER] = MembershipFactory(organisation=other, is_admin=True).user
    for role in Role:
        users[role.value] = staff_with_role(role.value)
    other_council = CouncilFactory(name="Eastvale District Council", slug="eastvale")
    for actor in OTHER_COUNCIL_STAFF:
        users[actor] = staff_with_role(actor.removeprefix(OTHER_COUNCIL), council=other_council)
    _give_directorate(users[OTHER_COUNCIL + Role.COMMISSIONER], other_council)
    token, _ = account_services.create_api_token(user=users[PROVIDER_ADMIN], name="Test")
    invitation = InvitationFactory(organisation=organisation, invited_by=users[PROVIDER_ADMIN])
    world = World(organisation, other, users, token, invitation_token(invitation))
    world.council = users[Role.COMMISSIONER].council
    world.other_council = other_council
    world.invitation = invitation
    for module in route_modules():
        if hasattr(module, "prepare"):
            module.prepare(world)
    return world


def _give_directorate(commissioner: Any, council: Any) -> None:
    """Tie a commissioner to a directorate of their council, so only the council differs."""
    directorate, _ = Directorate.objects.get_or_create(
        council=council, code="adults", defaults={"name": "Adult Social Care"}
    )
    RoleAssignment.objects.filter(user=commissioner, role=Role.COMMISSIONER).update(
        directorate=directorate
    )
