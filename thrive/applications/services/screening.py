"""Eligibility screening after close: automatic checks plus an officer's confirmation."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from thrive.applications.models import Application, ApplicationStatus, Screening, ScreeningResult
from thrive.applications.services.small_grants import Check, application_checks
from thrive.applications.services.submission import amount_problem, errors_by_section
from thrive.audit.services import log_action
from thrive.core.dates import format_deadline
from thrive.opportunities.models import OpportunityKind
from thrive.organisations.models import TestAnswer, TestOutcome

if TYPE_CHECKING:
    from thrive.accounts.models import User

PARTS = {
    "independent": "independent of government",
    "value_driven": "value-driven",
    "reinvests_surpluses": "reinvests its surpluses",
}


def _third_sector_check(organisation: Any) -> Check:
    """The test as kept on the register: met, not met (naming the parts), or not answered."""
    label = "The organisation meets the Third Sector test"
    outcome = organisation.third_sector_outcome
    if outcome == TestOutcome.MEETS:
        return Check("third_sector", label, True)
    if outcome == TestOutcome.DOES_NOT_MEET:
        failed = [PARTS[name] for name in PARTS if getattr(organisation, name) == TestAnswer.NO]
        reason = "The register records that it does not"
        if failed:
            reason = "The organisation answered no to: " + "; ".join(failed)
        return Check("third_sector", label, False, reason)
    return Check(
        "third_sector",
        label,
        False,
        "The organisation has not answered the Third Sector test",
        unanswered=True,
    )


def automatic_checks(*, application: Application, now: datetime) -> list[Check]:
    """The checks the system can make itself, each with its reason when not met."""
    opportunity = application.opportunity
    on_time = bool(
        application.submitted_at
        and (opportunity.closes_at is None or application.submitted_at < opportunity.closes_at)
    )
    incomplete = errors_by_section(application=application)
    amount = amount_problem(application=application)
    checks = [
        Check(
            "on_time",
            "Submitted before the deadline",
            on_time,
            "" if on_time else f"The deadline was {format_deadline(opportunity.closes_at)}",
        ),
        Check(
            "complete",
            "Every required question is answered",
            not incomplete,
            "Incomplete: " + ", ".join(p.title for p in incomplete) if incomplete else "",
        ),
        _third_sector_check(application.organisation),
        Check("amount", "The amount asked for is within the limit", amount is None, amount or ""),
    ]
    if opportunity.kind == OpportunityKind.SMALL_GRANTS:
        known = {c.code for c in checks}
        checks += [
            c for c in application_checks(application=application, now=now) if c.code not in known
        ]
    return checks


def may_screen(*, application: Application, now: datetime) -> bool:
    """Screening happens after close; a rolling small grants scheme screens as bids arrive."""
    return application.opportunity.closes_at is None or now >= application.opportunity.closes_at


def screen_application(
    *,
    application: Application,
    actor: User,
    eligible: bool,
    reason: str,
    now: datetime | None = None,
) -> Screening:
    """Record the officer's confirmation of eligibility beside the checks; a "not eligible"
    needs reasons, which the applicant reads."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not eligible and not reason:
        raise ValidationError({"reason": "Enter the reasons the application is not eligible"})
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError("Only a submitted application waiting for screening can be screened")
    if not may_screen(application=application, now=now):
        raise ValidationError(
            "Applications are screened after the deadline, "
            f"{format_deadline(application.opportunity.closes_at)}"
        )
    checks = automatic_checks(application=application, now=now)
    with transaction.atomic():
        screening, _ = Screening.objects.update_or_create(
            application=application,
            defaults={
                "checks": [c.as_dict() for c in checks],
                "checks_passed": all(c.passed for c in checks),
                "result": ScreeningResult.ELIGIBLE if eligible else ScreeningResult.INELIGIBLE,
                "reason": reason.strip(),
                "decided_by": actor,
                "decided_at": now,
                "checked_at": now,
            },
        )
        before = application.status
        application.status = (
            ApplicationStatus.ELIGIBLE if eligible else ApplicationStatus.INELIGIBLE
        )
        application.save(update_fields=["status", "updated_at"])
        log_action(
            action="applications.application.screened",
            actor=actor,
            obj=application,
            before={"status": before},
            after={
                "status": application.status,
                "checks": screening.checks,
                "checks_passed": screening.checks_passed,
            },
            reason=reason,
            council=application.opportunity.council,
        )
    return screening
