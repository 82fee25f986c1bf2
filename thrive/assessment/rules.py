"""Policy rules for assessment: who may do what. Registered with ``thrive.core.policy``.

Opportunity runners (commissioners of the directorate, procurement officers) manage panels,
open moderation and recommend; the strategy group and council administrators read results;
panel members see only the applications of their panels, after declaring, and never those of
an organisation they declared a conflict with (the views show that refusal as its own page).
Approvers are officers with a delegated limit; the service checks the amount.
"""

from __future__ import annotations

from typing import Any

from thrive.applications.rules import may_read_received
from thrive.applications.selectors import is_unsealed
from thrive.assessment.models import APPROVER_ROLES
from thrive.assessment.selectors import approval_refusal, membership, panel_of
from thrive.core import policy
from thrive.core.policy import (
    has_council_role,
    in_council,
    is_provider_user,
    is_staff_user,
    is_system_admin,
    membership_of,
)
from thrive.core.roles import Role
from thrive.opportunities.rules import may_manage_opportunity


def _member(user: Any, opportunity: Any) -> bool:
    return (
        has_council_role(user, Role.ASSESSOR, Role.COMMISSIONER)
        and in_council(user, opportunity)
        and membership(user, opportunity) is not None
    )


def _moderation_open(opportunity: Any) -> bool:
    panel = panel_of(opportunity)
    return bool(panel and panel.moderation_open)


@policy.register("assessment.home")
def _home(user: Any, obj: Any) -> bool:
    return is_staff_user(user)


@policy.register_object("assessment.panel.view")
def _panel_view(user: Any, opportunity: Any) -> bool:
    return may_read_received(user, opportunity) or _member(user, opportunity)


@policy.register_object("assessment.panel.manage")
def _panel_manage(user: Any, opportunity: Any) -> bool:
    return is_staff_user(user) and may_manage_opportunity(user, opportunity)


@policy.register_object("assessment.declare")
def _declare(user: Any, opportunity: Any) -> bool:
    return _member(user, opportunity)


@policy.register_object("assessment.score")
def _score(user: Any, application: Any) -> bool:
    """Panel members of the application's opportunity; conflicts are checked by the view."""
    return (
        _member(user, application.opportunity)
        and application.status != "draft"
        and is_unsealed(application)
    )


@policy.register_object("assessment.results.view")
def _results_view(user: Any, opportunity: Any) -> bool:
    if may_read_received(user, opportunity) and is_staff_user(user):
        return True
    return _member(user, opportunity) and _moderation_open(opportunity)


@policy.register_object("assessment.moderate")
def _moderate(user: Any, application: Any) -> bool:
    opportunity = application.opportunity
    runner = is_staff_user(user) and may_manage_opportunity(user, opportunity)
    return runner or _score(user, application)


@policy.register_object("assessment.decision.view")
def _decision_view(user: Any, decision: Any) -> bool:
    opportunity = decision.opportunity
    if may_read_received(user, opportunity) and is_staff_user(user):
        return True
    return has_council_role(user, *APPROVER_ROLES) and in_council(user, opportunity)


@policy.register_object("assessment.decision.approver")
def _decision_approver(user: Any, decision: Any) -> bool:
    """Officers of the council who approve recommendations, within their own limits."""
    return has_council_role(user, *APPROVER_ROLES) and in_council(user, decision.opportunity)


@policy.register_object("assessment.decision.approve")
def _decision_approve(user: Any, decision: Any) -> bool:
    """Decide this recommendation now: awaiting approval, not the officer's own nor their
    panel's, and within their delegated limit."""
    return _decision_approver(user, decision) and approval_refusal(decision, user) is None


@policy.register_object("assessment.award.make")
def _award_make(user: Any, winner: Any) -> bool:
    return _panel_manage(user, winner.decision.opportunity) or _decision_approver(
        user, winner.decision
    )


@policy.register_object("assessment.feedback")
def _feedback(user: Any, application: Any) -> bool:
    return is_provider_user(user) and membership_of(user, application.organisation) is not None


@policy.register("assessment.settings.manage")
def _settings_manage(user: Any, council: Any) -> bool:
    if is_system_admin(user):
        return True
    return has_council_role(user, Role.COUNCIL_ADMIN) and (
        council is None or council.pk == user.council_id
    )
