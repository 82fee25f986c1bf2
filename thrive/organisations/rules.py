"""Who reads and keeps the organisation register.

The register is shared between councils: staff of any council read it, editors add and
correct records, stewards import and merge. Provider users see only their own
organisations: admins keep the profile, members read it.
"""

from __future__ import annotations

from typing import Any

from thrive.core import policy
from thrive.core.roles import (
    Role,
    has_council_role,
    is_organisation_admin,
    is_provider_user,
    is_staff_user,
    is_system_admin,
    membership_of,
)

REGISTER_EDITORS = (Role.COMMISSIONER, Role.STRATEGY_GROUP, Role.COUNCIL_ADMIN)
REGISTER_STEWARDS = (Role.STRATEGY_GROUP, Role.COUNCIL_ADMIN)


def _register_editor(user: Any) -> bool:
    return is_system_admin(user) or has_council_role(user, *REGISTER_EDITORS)


def _register_steward(user: Any) -> bool:
    return is_system_admin(user) or has_council_role(user, *REGISTER_STEWARDS)


@policy.register("organisations.register.view")
def _register_view(user: Any, obj: Any) -> bool:
    return is_staff_user(user)


@policy.register("organisations.register.create")
def _register_create(user: Any, obj: Any) -> bool:
    return _register_editor(user)


@policy.register("organisations.register.import")
def _register_import(user: Any, obj: Any) -> bool:
    return _register_steward(user)


@policy.register("organisations.duplicates.review")
def _duplicates_review(user: Any, obj: Any) -> bool:
    return _register_steward(user)


@policy.register_object("organisations.organisation.view")
def _organisation_view(user: Any, organisation: Any) -> bool:
    return is_staff_user(user) or membership_of(user, organisation) is not None


@policy.register_object("organisations.organisation.edit", acts_for_organisation=True)
def _organisation_edit(user: Any, organisation: Any) -> bool:
    return _register_editor(user) or is_organisation_admin(user, organisation)


@policy.register_object("organisations.third_sector.review")
def _third_sector_review(user: Any, organisation: Any) -> bool:
    """Officers of any council review the shared register's Third Sector test answers."""
    return _register_editor(user)


@policy.register("organisations.self_service", acts_for_organisation=True)
def _organisation_self_service(user: Any, obj: Any) -> bool:
    """Register an organisation or ask to join one: anyone who is not council staff."""
    return not user.is_authenticated or is_provider_user(user)


@policy.register_object("organisations.join.decide", acts_for_organisation=True)
def _join_decide(user: Any, organisation: Any) -> bool:
    return is_organisation_admin(user, organisation)
