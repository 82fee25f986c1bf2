"""Reads for approval: delegated limits, who may approve, the standstill period and the
risk information (track record, other funding) shown beside scores (§3.2, §4.4)."""

from __future__ import annotations

from typing import Any

from thrive.accounts.models import Role
from thrive.assessment.models import (
    DEFAULT_LIMITS_PENCE,
    AssessmentSettings,
    Decision,
    DecisionStatus,
    DelegatedLimit,
)
from thrive.assessment.selectors import panels
from thrive.core.money import format_pence


def standstill_days(council: Any) -> int:
    found = AssessmentSettings.objects.filter(council=council).first()
    return found.standstill_days if found else 10


def limits_for_council(council: Any) -> dict[str, int]:
    """Each role's delegated limit in pence: the council's own, else the defaults."""
    limits = dict(DEFAULT_LIMITS_PENCE)
    for row in DelegatedLimit.objects.filter(council=council):
        limits[row.role] = row.limit_pence
    return limits


def delegated_limit(user: Any, council: Any, limits: dict[str, int] | None = None) -> int:
    """The most this officer may approve alone: the highest limit among their roles."""
    limits = limits_for_council(council) if limits is None else limits
    return max((limits.get(role, 0) for role in user.role_codes() if role in Role), default=0)


def approval_refusal(decision: Decision, user: Any) -> str | None:
    """Why this officer may not approve the recommendation, or None when they may (§4.4)."""
    if decision.status != DecisionStatus.RECOMMENDED:
        return "Only a recommendation awaiting approval can be decided"
    if decision.recommended_by_id == user.pk:
        return "You cannot approve your own recommendation"
    if panels.membership(user, decision.opportunity) is not None:
        return "A member of the assessment panel cannot approve its recommendation"
    limit = delegated_limit(user, decision.opportunity.council)
    amount = decision.amount_pence
    if amount > limit:
        return (
            f"The recommendation is for {format_pence(amount)}, more than your delegated limit "
            f"of {format_pence(limit)}. Ask an officer with a higher limit to approve it."
        )
    return None
