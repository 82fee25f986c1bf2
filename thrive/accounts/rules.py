"""Who keeps accounts, API tokens, organisation members, the council's details and its staff."""

from __future__ import annotations

from typing import Any

from thrive.core import policy
from thrive.core.roles import (
    Role,
    has_council_role,
    is_organisation_admin,
    is_provider_user,
    is_system_admin,
    membership_of,
)


@policy.register("account.view")
def _account_view(user: Any, obj: Any) -> bool:
    return user.is_authenticated


@policy.register("token.manage")
def _token_manage(user: Any, obj: Any) -> bool:
    if not user.is_authenticated:
        return False
    return obj is None or obj.user_id == user.pk


@policy.register_object("organisation.members.view")
def _org_members_view(user: Any, organisation: Any) -> bool:
    return membership_of(user, organisation) is not None or is_system_admin(user)


@policy.register_object("organisation.members.invite", acts_for_organisation=True)
def _org_members_invite(user: Any, organisation: Any) -> bool:
    return is_organisation_admin(user, organisation)


@policy.register_object("organisation.members.manage", acts_for_organisation=True)
def _org_members_manage(user: Any, organisation: Any) -> bool:
    """Withdraw invitations, remove members and change roles: the organisation's admins."""
    return is_organisation_admin(user, organisation)


@policy.register("invitation.accept")
def _invitation_accept(user: Any, obj: Any) -> bool:
    return not user.is_authenticated or is_provider_user(user)


@policy.register("council.details.edit")
def _council_details_edit(user: Any, council: Any) -> bool:
    if not has_council_role(user, Role.COUNCIL_ADMIN):
        return False
    return council is None or council.pk == user.council_id


@policy.register("staff.manage")
def _staff_manage(user: Any, council: Any) -> bool:
    return policy.council_admin_of(user, council)
