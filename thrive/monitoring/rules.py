"""Policy rules for monitoring: who may do what. Registered with ``thrive.core.policy``.

Provider users see their own organisations' plans and returns and fill them in.
Commissioners see the plans covering their directorates' awards (a funder sees only its
own awards' parts of a consolidated return); the lead directorate's commissioners
accept, query and rate returns and co-ordinate visits (§4.3). The strategy group, council
administrators and finance officers read all of their council's monitoring.
"""

from __future__ import annotations

from typing import Any

from thrive.core.policy import (
    has_council_role,
    in_council,
    in_directorates,
    is_provider_user,
    is_system_admin,
    membership_of,
    register,
    register_object,
)
from thrive.core.roles import Role

READERS = (Role.COMMISSIONER, Role.STRATEGY_GROUP, Role.COUNCIL_ADMIN, Role.FINANCE_OFFICER)
COUNCIL_WIDE = (Role.STRATEGY_GROUP, Role.COUNCIL_ADMIN, Role.FINANCE_OFFICER)


def _staff_reader(user: Any) -> bool:
    return is_system_admin(user) or has_council_role(user, *READERS)


def _staff_may_read_plan(user: Any, plan: Any) -> bool:
    if is_system_admin(user):
        return True
    if has_council_role(user, *COUNCIL_WIDE):
        return in_council(user, plan)
    return (
        has_council_role(user, Role.COMMISSIONER)
        and in_council(user, plan)
        and in_directorates(user, plan)
    )


def _is_lead_officer(user: Any, plan: Any) -> bool:
    return (
        has_council_role(user, Role.COMMISSIONER)
        and in_council(user, plan)
        and plan.lead_directorate_id in user.directorate_ids()
    )


@register("monitoring.staff")
def _monitoring_staff(user: Any, obj: Any) -> bool:
    return _staff_reader(user)


@register("monitoring.provider")
def _monitoring_provider(user: Any, obj: Any) -> bool:
    return is_provider_user(user)


@register_object("monitoring.plan.view")
def _plan_view(user: Any, plan: Any) -> bool:
    if is_provider_user(user):
        return membership_of(user, plan.organisation) is not None
    return _staff_may_read_plan(user, plan)


@register_object("monitoring.return.view")
def _return_view(user: Any, item: Any) -> bool:
    return _plan_view(user, item.plan)


@register_object("monitoring.return.edit", acts_for_organisation=True)
def _return_edit(user: Any, item: Any) -> bool:
    return is_provider_user(user) and membership_of(user, item.plan.organisation) is not None


@register_object("monitoring.return.decide")
def _return_decide(user: Any, item: Any) -> bool:
    return _is_lead_officer(user, item.plan)


@register_object("monitoring.visits.record")
def _visits_record(user: Any, plan: Any) -> bool:
    return _is_lead_officer(user, plan)


@register("monitoring.tiers.view")
def _tiers_view(user: Any, obj: Any) -> bool:
    return _staff_reader(user) or has_council_role(user, Role.ASSESSOR, Role.PROCUREMENT_OFFICER)


@register("monitoring.tiers.manage")
def _tiers_manage(user: Any, obj: Any) -> bool:
    """Council administrators keep their council's tiers (system administrators use /admin/)."""
    return has_council_role(user, Role.COUNCIL_ADMIN) and (
        obj is None or obj.council_id == user.council_id
    )


@register("monitoring.lead.view")
def _lead_view(user: Any, obj: Any) -> bool:
    return has_council_role(user, *READERS)


@register("monitoring.lead.appoint")
def _lead_appoint(user: Any, obj: Any) -> bool:
    return has_council_role(user, Role.STRATEGY_GROUP, Role.COUNCIL_ADMIN)
