"""Who may read and keep the action plan and run and answer the NI 7 survey (§5.1).

Staff of a council read its action plan and the survey's aggregate results; the Corporate
Third Sector Group and council administrators keep the plan and run the survey. Provider
users answer the survey for organisations they administer and never see the results.
"""

from __future__ import annotations

from typing import Any

from thrive.accounts.models import Role
from thrive.core import policy
from thrive.core.policy import _in_council, has_council_role, is_staff_user, is_system_admin

PLAN_KEEPERS = (Role.STRATEGY_GROUP, Role.COUNCIL_ADMIN)


def _keeper(user: Any, obj: Any) -> bool:
    if is_system_admin(user):
        return True
    return has_council_role(user, *PLAN_KEEPERS) and _in_council(user, obj)


@policy.register("strategy.plan.view")
def _plan_view(user: Any, obj: Any) -> bool:
    return is_staff_user(user) and _in_council(user, obj)


@policy.register("strategy.plan.manage")
def _plan_manage(user: Any, obj: Any) -> bool:
    return _keeper(user, obj)


@policy.register("strategy.survey.results")
def _survey_results(user: Any, obj: Any) -> bool:
    return is_staff_user(user) and _in_council(user, obj)


@policy.register("strategy.survey.manage")
def _survey_manage(user: Any, obj: Any) -> bool:
    return _keeper(user, obj)


@policy.register("strategy.survey.take")
def _survey_take(user: Any, obj: Any) -> bool:
    """See the open surveys: any provider user."""
    return policy.is_provider_user(user)


@policy.register_object("strategy.survey.answer")
def _survey_answer(user: Any, organisation: Any) -> bool:
    """Answer for an organisation: its administrators, once per round."""
    return policy.is_provider_user(user) and policy.is_organisation_admin(user, organisation)
