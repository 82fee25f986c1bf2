"""Reads for approval: delegated limits, who may approve, the standstill period and the
risk information (track record, other funding) shown beside scores (§3.2, §4.4)."""

from __future__ import annotations

from typing import Any

from thrive.accounts.models import Role
from thrive.accounts.selectors import staff_who_may
from thrive.assessment import rules
from thrive.assessment.models import (
    DEFAULT_LIMITS_PENCE,
    AssessmentSettings,
    Decision,
    DecisionStatus,
    DelegatedLimit,
    PanelMember,
)
from thrive.assessment.selectors import panels
from thrive.core.money import format_pence
from thrive.monitoring import selectors as monitoring_selectors
from thrive.monitoring.selectors import TrackRecord
from thrive.opendata import selectors as opendata_selectors
from thrive.opendata.selectors import OtherFunding
from thrive.organisations.models import Organisation


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


def approvers_for(decision: Decision) -> list[Any]:
    """The officers who may approve the recommendation, by the rules ``approve`` applies.

    The policy's approvers of the council, less the recommender and the panel's members,
    whose delegated limit covers the amount.
    """
    council = decision.opportunity.council
    limits = limits_for_council(council)
    on_panel = set(
        PanelMember.objects.filter(panel__opportunity_id=decision.opportunity_id).values_list(
            "user_id", flat=True
        )
    )
    amount = decision.amount_pence
    return [
        person
        for person in staff_who_may(
            council=council,
            roles=rules.APPROVER_ROLES,
            # The officers who approve for the council; the rest of ``approval_refusal`` is
            # applied below for all of them at once.
            action="assessment.decision.approver",
            obj=decision,
        )
        if decision.status == DecisionStatus.RECOMMENDED
        and person.pk != decision.recommended_by_id
        and person.pk not in on_panel
        and delegated_limit(person, council, limits) >= amount
    ]


def track_record(*, organisation: Organisation) -> TrackRecord:
    """The organisation's monitoring record, as risk information beside its scores."""
    return monitoring_selectors.track_record(organisation)


def other_funding(*, organisation: Organisation) -> OtherFunding:
    """Other funders' grants and other buyers' contracts of the organisation, as risk
    information: who else funds it, how much, in which years (§3.2)."""
    return opendata_selectors.other_funding_of(organisation)
