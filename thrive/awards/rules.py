"""Policy rules for awards: who may do what. Registered with ``thrive.core.policy``.

Council staff who work with awards (commissioners, procurement and finance officers,
the Corporate Third Sector Group and council administrators) read their own council's
awards; assessors do not. Commissioners set the terms of their directorates' draft
awards and issue offers; finance officers record payments; finance officers and council
administrators decide variations. Provider users see their own organisation's awards
once offered, and its admins accept or decline them.
"""

from __future__ import annotations

from typing import Any

from thrive.awards.models import AwardStatus
from thrive.core import policy
from thrive.core.policy import (
    has_council_role,
    in_council,
    in_directorates,
    is_organisation_admin,
    is_provider_user,
    is_system_admin,
    membership_of,
)
from thrive.core.roles import Role

READERS = (
    Role.COMMISSIONER,
    Role.PROCUREMENT_OFFICER,
    Role.FINANCE_OFFICER,
    Role.STRATEGY_GROUP,
    Role.COUNCIL_ADMIN,
)
DECIDERS = (Role.FINANCE_OFFICER, Role.COUNCIL_ADMIN)


def _staff_reader(user: Any, award: Any = None) -> bool:
    if is_system_admin(user):
        return True
    return has_council_role(user, *READERS) and in_council(user, award)


def _commissions(user: Any, award: Any) -> bool:
    """Commissioners of the award's directorate, council administrators, system admins."""
    if is_system_admin(user):
        return True
    if has_council_role(user, Role.COUNCIL_ADMIN) and in_council(user, award):
        return True
    return (
        has_council_role(user, Role.COMMISSIONER)
        and in_council(user, award)
        and (award is None or in_directorates(user, award))
    )


@policy.register("awards.register")
def _register(user: Any, obj: Any) -> bool:
    return _staff_reader(user)


@policy.register_object("awards.staff_view")
def _staff_view(user: Any, award: Any) -> bool:
    return _staff_reader(user, award)


@policy.register_object("awards.view")
def _view(user: Any, award: Any) -> bool:
    """Staff readers of the council, or members of the organisation once it is offered."""
    return _staff_reader(user, award) or _provider_view(user, award)


@policy.register("awards.mine")
def _mine(user: Any, obj: Any) -> bool:
    return is_provider_user(user)


@policy.register_object("awards.provider_view")
def _provider_view(user: Any, award: Any) -> bool:
    return (
        award is not None
        and award.status != AwardStatus.DRAFT
        and membership_of(user, award.organisation) is not None
    )


@policy.register_object("awards.respond", acts_for_organisation=True)
def _respond(user: Any, award: Any) -> bool:
    return award is not None and is_organisation_admin(user, award.organisation)


@policy.register_object("awards.edit")
def _edit(user: Any, award: Any) -> bool:
    return _commissions(user, award)


@policy.register_object("awards.pay")
def _pay(user: Any, award: Any) -> bool:
    return has_council_role(user, Role.FINANCE_OFFICER) and in_council(user, award)


@policy.register_object("awards.vary")
def _vary(user: Any, award: Any) -> bool:
    if has_council_role(user, Role.FINANCE_OFFICER) and in_council(user, award):
        return True
    return _commissions(user, award)


@policy.register_object("awards.vary.decide")
def _vary_decide(user: Any, award: Any) -> bool:
    if is_system_admin(user):
        return False
    return has_council_role(user, *DECIDERS) and in_council(user, award)
