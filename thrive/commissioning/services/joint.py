"""Joint commissioning: combining overlapping intentions of directorates into one (§4.3)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from thrive.accounts.models import Role, User
from thrive.audit.services import log_action
from thrive.commissioning.models import Intention, IntentionStatus
from thrive.commissioning.services.intentions import EDITABLE, create_intention, transition
from thrive.core import policy
from thrive.strategy.models import Directorate


def _check_combination(*, intentions: list[Intention], lead: Directorate, actor: User) -> set[int]:
    """Refuse a combination the rules do not allow; return the intentions' directorates."""
    if not policy.has_council_role(
        actor, Role.STRATEGY_GROUP, Role.COUNCIL_ADMIN
    ) and lead.pk not in set(actor.directorate_ids()):
        raise ValidationError({"lead": "Choose your own directorate as the lead"})
    if len(intentions) < 2:
        raise ValidationError({"intentions": "Select at least two intentions to combine"})
    councils = {i.council_id for i in intentions}
    directorates = {i.directorate_id for i in intentions}
    if len(councils) != 1:
        raise ValidationError({"intentions": "Choose intentions of one council"})
    if len(directorates) < 2:
        raise ValidationError({"intentions": "Choose intentions of at least two directorates"})
    if lead.pk not in directorates:
        raise ValidationError({"lead": "Choose the lead from the intentions' directorates"})
    if any(i.status not in EDITABLE for i in intentions):
        raise ValidationError(
            {"intentions": "Only draft, assessed or approved intentions can be combined"}
        )
    return directorates


def combine_intentions(
    *, intentions: list[Intention], lead: Directorate, title: str, actor: User
) -> Intention:
    """Combine overlapping intentions of different directorates into one joint intention.

    A commissioner leads with their own directorate; the strategy group and council
    administrators may choose any of the intentions' directorates.
    """
    directorates = _check_combination(intentions=intentions, lead=lead, actor=actor)
    first = intentions[0]
    outcomes = {o for i in intentions for o in i.outcomes.all()}
    needs = {n for i in intentions for n in i.needs.all()}
    with transaction.atomic():
        joint = create_intention(
            council=first.council,
            directorate=lead,
            title=title,
            summary="\n\n".join(f"{i.title}: {i.summary}" for i in intentions),
            direction=first.direction,
            outcomes=sorted(outcomes, key=lambda o: o.pk),
            needs=[],
            actor=actor,
        )
        joint.needs.set(needs)
        joint.partner_directorates.set(directorates - {lead.pk})
        joint.budget_pence = sum(i.budget_pence for i in intentions)
        joint.save()
        for intention in intentions:
            intention.combined_into = joint
            intention.withdrawn_reason = f"Combined into the joint intention {joint.reference}"
            transition(
                intention=intention,
                status=IntentionStatus.WITHDRAWN,
                actor=actor,
                action="commissioning.intention.combined",
                reason=f"Combined into {joint.reference}",
            )
        log_action(
            action="commissioning.intention.joint_created",
            actor=actor,
            obj=joint,
            after={
                "from": [i.reference for i in intentions],
                "lead": lead.pk,
                "budget_pence": joint.budget_pence,
            },
            council=joint.council,
        )
    return joint
