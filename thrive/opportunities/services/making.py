"""Making an opportunity: create and change the draft, check it, publish it, cancel it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from thrive.audit.services import log_action
from thrive.core.tasks import enqueue_with_transaction
from thrive.opportunities import tasks
from thrive.opportunities.intentions import check_intention
from thrive.opportunities.models import (
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    kind_is_sealed,
    weight_problems,
)

if TYPE_CHECKING:
    from thrive.accounts.models import Council, User
    from thrive.core.models import Area
    from thrive.strategy.models import Directorate, Outcome

EDITABLE_FIELDS = (
    "title",
    "summary",
    "description",
    "process",
    "kind",
    "value_pence",
    "max_award_pence",
    "form_template",
    "opens_at",
    "clarification_deadline",
    "closes_at",
    "decision_expected",
)


def _snapshot(opportunity: Opportunity) -> dict[str, Any]:
    data = {f: getattr(opportunity, f) for f in EDITABLE_FIELDS if f != "form_template"}
    data["form_template"] = opportunity.form_template_id
    data["intention"] = opportunity.intention_id
    data["status"] = opportunity.status
    data["sealed"] = opportunity.sealed
    return data


def next_reference(*, now: datetime) -> str:
    """OPP-2026-0007: the year and a running number."""
    prefix = f"OPP-{now.year}-"
    last = Opportunity.objects.filter(reference__startswith=prefix).aggregate(m=Max("reference"))
    number = int(last["m"].rsplit("-", 1)[1]) + 1 if last["m"] else 1
    return f"{prefix}{number:04d}"


def create_opportunity(
    *,
    council: Council,
    directorate: Directorate | None,
    actor: User,
    outcomes: list[Outcome] | None = None,
    areas: list[Area] | None = None,
    now: datetime | None = None,
    **fields: Any,
) -> Opportunity:
    """Create a draft opportunity with its reference."""
    now = now or timezone.now()
    with transaction.atomic():
        opportunity = Opportunity(
            council=council,
            directorate=directorate,
            reference=next_reference(now=now),
            created_by=actor,
            **fields,
        )
        opportunity.sealed = kind_is_sealed(opportunity.kind)
        if directorate is not None and directorate.council_id != council.pk:
            raise ValidationError({"directorate": "Choose a directorate of this council"})
        if opportunity.intention is not None:
            check_intention(intention=opportunity.intention, council=council, kind=opportunity.kind)
        opportunity.full_clean()
        opportunity.save()
        opportunity.outcomes.set(outcomes or [])
        opportunity.areas.set(areas or [])
        log_action(
            action="opportunities.opportunity.created",
            actor=actor,
            obj=opportunity,
            after=_snapshot(opportunity),
            council=council,
        )
    return opportunity


def update_opportunity(
    *,
    opportunity: Opportunity,
    actor: User,
    outcomes: list[Outcome] | None = None,
    areas: list[Area] | None = None,
    reason: str = "",
    **fields: Any,
) -> Opportunity:
    """Change a draft opportunity, audited; a published one changes only by amendment."""
    if opportunity.status == OpportunityStatus.CANCELLED:
        raise ValidationError("A cancelled opportunity cannot be changed")
    if opportunity.status != OpportunityStatus.DRAFT:
        raise ValidationError(
            "A published opportunity changes only by an amendment, with the reason published"
        )
    with transaction.atomic():
        before = _snapshot(opportunity)
        for name, value in fields.items():
            setattr(opportunity, name, value)
        opportunity.sealed = kind_is_sealed(opportunity.kind)
        if fields.get("intention") is not None:
            check_intention(
                intention=opportunity.intention, council=opportunity.council, kind=opportunity.kind
            )
        opportunity.full_clean()
        opportunity.save()
        if outcomes is not None:
            opportunity.outcomes.set(outcomes)
        if areas is not None:
            opportunity.areas.set(areas)
        log_action(
            action="opportunities.opportunity.changed",
            actor=actor,
            obj=opportunity,
            before=before,
            after=_snapshot(opportunity),
            reason=reason,
            council=opportunity.council,
        )
    return opportunity


def publication_problems(*, opportunity: Opportunity, now: datetime) -> list[str]:
    """What stops the opportunity being published, in words a commissioner can act on."""
    problems = []
    if opportunity.form_template_id is None:
        problems.append("Choose the application form")
    elif opportunity.form_template.current_version() is None:
        problems.append("The chosen application form has no version yet")
    if opportunity.opens_at is None:
        problems.append("Enter the opening date and time")
    if opportunity.closes_at is None and opportunity.kind != OpportunityKind.SMALL_GRANTS:
        problems.append("Enter the closing date and time")
    if opportunity.closes_at is not None and opportunity.closes_at <= now:
        problems.append("The closing time must be in the future")
    if not opportunity.process.strip():
        problems.append("Describe the process and its timescales")
    criteria = list(opportunity.criteria.all())
    if opportunity.kind != OpportunityKind.SMALL_GRANTS and not criteria:
        problems.append("Add the criteria and weights applicants will be judged on")
    if criteria:
        problems += weight_problems(criteria, list(opportunity.lots.all()))
    return problems


def publish_opportunity(
    *, opportunity: Opportunity, actor: User, now: datetime | None = None
) -> Opportunity:
    """Publish the advert, fix whether its bids are sealed, and queue alerts.

    Sealing is decided here once, from the kind being published (quotations and tenders);
    from now on ``sealed`` is a stored fact that no form, API or admin page changes.
    """
    now = now or timezone.now()
    if opportunity.status != OpportunityStatus.DRAFT:
        raise ValidationError("Only a draft opportunity can be published")
    problems = publication_problems(opportunity=opportunity, now=now)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        opportunity.status = OpportunityStatus.PUBLISHED
        opportunity.sealed = kind_is_sealed(opportunity.kind)
        opportunity.published_at = now
        opportunity.published_by = actor
        opportunity.full_clean()
        opportunity.save()
        log_action(
            action="opportunities.opportunity.published",
            actor=actor,
            obj=opportunity,
            before={"status": OpportunityStatus.DRAFT},
            after={
                "status": opportunity.status,
                "closes_at": opportunity.closes_at,
                "sealed": opportunity.sealed,
            },
            council=opportunity.council,
        )
        enqueue_with_transaction(tasks.send_opportunity_alerts, opportunity.pk)
    return opportunity


def cancel_opportunity(*, opportunity: Opportunity, actor: User, reason: str) -> Opportunity:
    """Cancel an opportunity, with the reason applicants will read."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the opportunity is cancelled"})
    with transaction.atomic():
        before = opportunity.status
        opportunity.status = OpportunityStatus.CANCELLED
        opportunity.cancelled_reason = reason.strip()
        opportunity.save()
        log_action(
            action="opportunities.opportunity.cancelled",
            actor=actor,
            obj=opportunity,
            before={"status": before},
            after={"status": opportunity.status},
            reason=reason,
            council=opportunity.council,
        )
    return opportunity
