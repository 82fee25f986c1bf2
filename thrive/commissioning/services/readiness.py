"""Whether an intention is ready for approval and publishing, in plain words (§2.5, §2.10)."""

from __future__ import annotations

from django.utils import timezone

from thrive.commissioning.models import Direction, Intention
from thrive.commissioning.selectors import settings_for
from thrive.core.money import format_pence
from thrive.strategy import services as strategy_services

SPEC_LABELS = {
    "aims": "Enter the aims of the service",
    "outcomes_sought": "Enter the outcomes sought",
    "target_group": "Enter the target group",
    "activities": "Enter the activities",
    "monitoring": "Enter how the service will be monitored",
    "quality_standards": "Enter the quality standards",
}


NOT_FOR_DECOMMISSIONING = ("aims", "target_group")


def length_of_funding_problem(*, intention: Intention) -> str:
    """Say what is missing about the term (§2.10), or ''."""
    months = intention.term_months
    if months is None:
        return "Enter when the service starts and ends"
    minimum = settings_for(council=intention.council).minimum_term_months
    if months < minimum and not intention.short_term_justification.strip():
        return (
            f"The term is {months} months, less than the norm of {minimum} months: "
            "enter why a shorter term is right"
        )
    return ""


def specification_fields(*, intention: Intention) -> list[str]:
    """The specification sections asked of this intention.

    A decommissioning intention seeks no service, so it has no aims or target group.
    """
    if intention.direction == Direction.DECOMMISSIONING:
        return [name for name in SPEC_LABELS if name not in NOT_FOR_DECOMMISSIONING]
    return list(SPEC_LABELS)


def required_specification(*, intention: Intention) -> list[str]:
    """The specification sections this intention needs, in proportion to its value (§2.5)."""
    asked = specification_fields(intention=intention)
    required = [name for name in ("aims", "outcomes_sought", "target_group") if name in asked]
    thresholds = strategy_services.thresholds_on(
        day=intention.procurement_start or timezone.localdate(), council=intention.council
    )
    if intention.budget_pence > thresholds.small_grant_limit_pence:
        required += ["activities", "monitoring"]
    if intention.budget_pence >= thresholds.below_threshold_notice_pence:
        required.append("quality_standards")
    return required


def specification_problems(*, intention: Intention) -> list[str]:
    """The required specification sections still empty, as things to do."""
    return [
        SPEC_LABELS[name]
        for name in required_specification(intention=intention)
        if not getattr(intention, name).strip()
    ]


def approval_problems(
    *, intention: Intention, specification: list[str] | None = None, term: str | None = None
) -> list[str]:
    """Everything that stands between this intention and approval, in plain words.

    ``specification`` and ``term``, when given, are ``specification_problems`` and
    ``length_of_funding_problem`` already worked out for the intention.
    """
    problems = list(
        specification_problems(intention=intention) if specification is None else specification
    )
    if not intention.outcomes.exists():
        problems.append("Link the intention to at least one outcome")
    if intention.budget_pence <= 0 and intention.direction != Direction.DECOMMISSIONING:
        problems.append("Enter the budget")
    pot = intention.pot
    if pot is not None and intention.budget_pence > pot.remaining_pence:
        problems.append(
            f"The budget, {format_pence(intention.budget_pence)}, is more than the "
            f"{format_pence(pot.remaining_pence)} that remains in {pot.name}"
        )
    if term is None:
        term = length_of_funding_problem(intention=intention)
    if term and intention.direction != Direction.DECOMMISSIONING:
        problems.append(term)
    eqia = getattr(intention, "eqia", None)
    if eqia is None or not eqia.is_complete:
        problems.append("Complete the equality impact assessment")
    method = getattr(intention, "method", None)
    if intention.direction != Direction.DECOMMISSIONING:
        if method is None or not method.is_confirmed:
            problems.append("Run the method advisor and confirm the method")
        elif not method.is_settled:
            problems.append("The procurement officer must agree the procurement route")
    return problems


def consultation_still_open(*, intention: Intention) -> str:
    """Why the intention cannot be published yet because its consultation has not closed.

    Publishing decides what the consultation is still asking about (§1.5), so it waits
    until the last of the intention's consultations has closed. Empty when none is open.
    """
    today = timezone.localdate()
    running = intention.consultations.filter(closes_on__gte=today).order_by("-closes_on").first()
    if running is None:
        return ""
    return (
        f"The consultation “{running.title}” closes on {running.closes_on:%-d %B %Y}. "
        "Publish the intention after it closes and you have considered the responses"
    )
