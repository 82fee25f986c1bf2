"""The officers who may approve a recommendation (§4.4).

Imported by module, not re-exported from ``thrive.assessment.selectors``: it reads the staff
through the accounts app, which the policy rules (loaded at start-up) need not load.
"""

from __future__ import annotations

from thrive.accounts.models import User
from thrive.accounts.selectors import staff_who_may
from thrive.assessment.models import APPROVER_ROLES, Decision, DecisionStatus, PanelMember
from thrive.assessment.selectors.approval import delegated_limit, limits_for_council


def approvers_for(decision: Decision) -> list[User]:
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
            roles=APPROVER_ROLES,
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
