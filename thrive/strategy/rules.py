"""Who reads and keeps the framework, funding pots, thresholds, the action plan and the NI 7
survey (§5.1).

Staff of a council read its framework, thresholds, action plan and the survey's aggregate
results; council administrators keep the framework and thresholds; finance officers keep the
pots, which commissioners see for their directorates (and every ring-fenced or merged pot).
The Corporate Third Sector Group and council administrators keep the plan and run the survey.
Provider users answer the survey for organisations they administer and never see the results.
"""

from __future__ import annotations

from typing import Any

from thrive.core import policy
from thrive.core.policy import in_council, in_directorates, reads_all_of_council
from thrive.core.roles import (
    Role,
    has_council_role,
    is_organisation_admin,
    is_provider_user,
    is_staff_user,
    is_system_admin,
)

PLAN_KEEPERS = (Role.STRATEGY_GROUP, Role.COUNCIL_ADMIN)


@policy.register("strategy.framework.view")
def _framework_view(user: Any, obj: Any) -> bool:
    return is_staff_user(user) and in_council(user, obj)


@policy.register("strategy.framework.manage")
def _framework_manage(user: Any, obj: Any) -> bool:
    if is_system_admin(user):
        return True
    return has_council_role(user, Role.COUNCIL_ADMIN) and in_council(user, obj)


@policy.register("strategy.pots.view")
def _pots_view(user: Any, pot: Any) -> bool:
    if reads_all_of_council(user) or has_council_role(
        user, Role.FINANCE_OFFICER, Role.PROCUREMENT_OFFICER
    ):
        return in_council(user, pot)
    if not has_council_role(user, Role.COMMISSIONER) or not in_council(user, pot):
        return False
    return pot is None or pot.kind in ("ring_fenced", "merged") or in_directorates(user, pot)


@policy.register("strategy.pots.manage")
def _pots_manage(user: Any, pot: Any) -> bool:
    return has_council_role(user, Role.FINANCE_OFFICER) and in_council(user, pot)


@policy.register("strategy.thresholds.view")
def _thresholds_view(user: Any, obj: Any) -> bool:
    return is_staff_user(user)


@policy.register("strategy.thresholds.manage")
def _thresholds_manage(user: Any, threshold_set: Any) -> bool:
    if is_system_admin(user):
        return True
    if not has_council_role(user, Role.COUNCIL_ADMIN):
        return False
    return threshold_set is None or threshold_set.council_id == user.council_id


def _keeper(user: Any, obj: Any) -> bool:
    if is_system_admin(user):
        return True
    return has_council_role(user, *PLAN_KEEPERS) and in_council(user, obj)


@policy.register("strategy.plan.view")
def _plan_view(user: Any, obj: Any) -> bool:
    return is_staff_user(user) and in_council(user, obj)


@policy.register("strategy.plan.manage")
def _plan_manage(user: Any, obj: Any) -> bool:
    return _keeper(user, obj)


@policy.register("strategy.survey.results")
def _survey_results(user: Any, obj: Any) -> bool:
    return is_staff_user(user) and in_council(user, obj)


@policy.register("strategy.survey.manage")
def _survey_manage(user: Any, obj: Any) -> bool:
    return _keeper(user, obj)


@policy.register("strategy.survey.take")
def _survey_take(user: Any, obj: Any) -> bool:
    """See the open surveys: any provider user."""
    return is_provider_user(user)


@policy.register_object("strategy.survey.answer", acts_for_organisation=True)
def _survey_answer(user: Any, organisation: Any) -> bool:
    """Answer for an organisation: its administrators, once per round."""
    return is_provider_user(user) and is_organisation_admin(user, organisation)
