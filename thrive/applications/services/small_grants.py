"""The Small Grants Scheme (§3.1): the eligibility checker, screening checks and the decision
by one officer within a delegated limit, which creates the award."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from thrive.applications import tasks
from thrive.applications.defaults import active_purposes, scheme_settings
from thrive.applications.models import (
    Application,
    ApplicationStatus,
    GrantDecision,
    SmallGrantDecision,
)
from thrive.audit.services import log_action
from thrive.awards.models import Award, AwardKind, AwardStatus
from thrive.awards.small_grants import create_small_grant_award
from thrive.core.dates import LONDON
from thrive.core.money import format_pence
from thrive.core.tasks import enqueue_with_transaction
from thrive.opportunities.models import OpportunityKind

if TYPE_CHECKING:
    from thrive.accounts.models import Council, User
    from thrive.organisations.models import Organisation


@dataclass(frozen=True)
class Check:
    """One eligibility rule: its question, whether it is met, and why not when it is not."""

    code: str
    label: str
    passed: bool
    reason: str = ""
    unanswered: bool = False  # not failed: nothing is known yet ("Not answered")

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "passed": self.passed,
            "reason": self.reason,
            "unanswered": self.unanswered,
        }


@dataclass
class EligibilityAnswers:
    """What a group tells the checker before applying."""

    third_sector: str  # "yes" / "no"
    income_pence: int
    local_benefit: str
    purpose: str  # a purpose code or "other"
    amount_pence: int
    current_grant: str


def has_current_small_grant(*, organisation: Organisation, council: Council, today: date) -> bool:
    return Award.objects.filter(
        organisation=organisation,
        council=council,
        kind=AwardKind.SMALL_GRANT,
        status=AwardStatus.ACTIVE,
        end_date__gte=today,
    ).exists()


def _income_check(income_pence: int | None, limit: int) -> Check:
    label = "Your organisation is small"
    if income_pence is None:
        return Check("small", label, False, "No annual income is recorded for the organisation")
    if income_pence > limit:
        return Check(
            "small",
            label,
            False,
            f"The scheme is for organisations with an annual income of "
            f"{format_pence(limit, whole_pounds=True)} or less; yours is "
            f"{format_pence(income_pence, whole_pounds=True)}",
        )
    return Check("small", label, True)


def _amount_check(amount_pence: int | None, limit: int) -> Check:
    label = f"You ask for {format_pence(limit, whole_pounds=True)} or less"
    if amount_pence is None or amount_pence <= 0:
        return Check("amount", label, False, "Enter how much you want to ask for")
    if amount_pence > limit:
        return Check(
            "amount",
            label,
            False,
            f"Small grants are for {format_pence(limit, whole_pounds=True)} or less; you asked "
            f"for {format_pence(amount_pence)}",
        )
    return Check("amount", label, True)


def check_eligibility(*, council: Council, answers: EligibilityAnswers) -> list[Check]:
    """Answer the checker: each rule met or not, and each "no" with its reason (§3.1)."""
    scheme = scheme_settings(council=council)
    purposes = active_purposes(council=council)
    checks = [
        Check(
            "third_sector",
            "Your organisation is part of the Third Sector",
            answers.third_sector == "yes",
            ""
            if answers.third_sector == "yes"
            else "The scheme is for organisations that are independent of government, "
            "value-driven and reinvest any surplus in their aims (§1.4)",
        ),
        _income_check(answers.income_pence, scheme.max_income_pence),
        Check(
            "local_benefit",
            "Your work benefits the local community",
            answers.local_benefit == "yes",
            ""
            if answers.local_benefit == "yes"
            else f"The scheme funds work that benefits communities in {council.name}'s area",
        ),
        Check(
            "purpose",
            "The grant is for a purpose the scheme funds",
            answers.purpose in purposes,
            ""
            if answers.purpose in purposes
            else "The scheme funds: " + "; ".join(purposes.values()),
        ),
        _amount_check(answers.amount_pence, scheme.limit_pence),
    ]
    if scheme.one_current_grant:
        has_grant = answers.current_grant == "yes"
        checks.append(
            Check(
                "no_current_grant",
                "You do not have a current small grant from us",
                not has_grant,
                "An organisation can hold one small grant at a time; apply when your current "
                "one ends"
                if has_grant
                else "",
            )
        )
    return checks


def application_checks(*, application: Application, now: datetime) -> list[Check]:
    """The Small Grants Scheme's automatic checks on a submitted application."""
    council = application.opportunity.council
    scheme = scheme_settings(council=council)
    organisation = application.organisation
    checks = [
        _income_check(organisation.latest_income_pence, scheme.max_income_pence),
        _amount_check(application.amount_requested_pence, scheme.limit_pence),
    ]
    purpose = (application.answers or {}).get("purpose")
    if purpose is not None:
        funded = purpose in active_purposes(council=council)
        checks.append(
            Check(
                "purpose",
                "The grant is for a purpose the scheme funds",
                funded,
                "" if funded else "The purpose chosen is not one the scheme funds",
            )
        )
    if scheme.one_current_grant:
        current = has_current_small_grant(
            organisation=organisation, council=council, today=timezone.localdate(now, LONDON)
        )
        checks.append(
            Check(
                "no_current_grant",
                "No current small grant from this council",
                not current,
                "The organisation already holds a current small grant" if current else "",
            )
        )
    return checks


def _check_decision(
    application: Application, actor: User, approve: bool, amount_pence: int, reason: str
) -> None:
    if application.opportunity.kind != OpportunityKind.SMALL_GRANTS:
        raise ValidationError("Only small grants are decided by one officer")
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reasons for the decision"})
    if hasattr(application, "small_grant_decision"):
        raise ValidationError("This small grant has already been decided")
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.ELIGIBLE):
        raise ValidationError(
            "Only a submitted application that has not been found ineligible can be decided"
        )
    if not approve:
        return
    scheme = scheme_settings(council=application.opportunity.council)
    if amount_pence <= 0:
        raise ValidationError({"amount": "Enter the amount to award"})
    requested = application.amount_requested_pence or 0
    if amount_pence > requested:
        raise ValidationError(
            {"amount": f"The amount must be no more than the {format_pence(requested)} asked for"}
        )
    if amount_pence > scheme.limit_pence:
        raise ValidationError(
            {
                "amount": "The amount must be "
                f"{format_pence(scheme.limit_pence, whole_pounds=True)} or less"
            }
        )
    if amount_pence > scheme.delegated_limit_pence:
        raise ValidationError(
            {
                "amount": "The amount is more than the delegated limit of "
                f"{format_pence(scheme.delegated_limit_pence, whole_pounds=True)} for one officer"
            }
        )


def _award(
    locked: Application, amount_pence: int, now: datetime, actor: User, reason: str
) -> Award:
    """The small grant award an approval makes, starting today."""
    return create_small_grant_award(
        organisation=locked.organisation,
        council=locked.opportunity.council,
        directorate=locked.opportunity.directorate,
        title="Small grant: " + ((locked.answers or {}).get("project_title") or locked.reference),
        amount_pence=amount_pence,
        start_date=timezone.localdate(now, LONDON),
        actor=actor,
        reason=reason,
        application=locked,
    )


def decide_small_grant(
    *,
    application: Application,
    actor: User,
    approve: bool,
    amount_pence: int,
    reason: str,
    now: datetime | None = None,
) -> SmallGrantDecision:
    """Record one officer's decision; an approval creates the small grant award (§3.1)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("opportunity__council", "opportunity__directorate", "organisation")
            .get(pk=application.pk)
        )
        _check_decision(locked, actor, approve, amount_pence, reason)
        award = _award(locked, amount_pence, now, actor, reason) if approve else None
        decision = SmallGrantDecision.objects.create(
            application=locked,
            decision=GrantDecision.APPROVED if approve else GrantDecision.DECLINED,
            amount_pence=amount_pence if approve else 0,
            reason=reason.strip(),
            decided_by=actor,
            decided_at=now,
            award=award,
        )
        before = locked.status
        locked.status = ApplicationStatus.SUCCESSFUL if approve else ApplicationStatus.UNSUCCESSFUL
        locked.save(update_fields=["status", "updated_at"])
        log_action(
            action="applications.small_grant.decided",
            actor=actor,
            obj=locked,
            before={"status": before},
            after={
                "status": locked.status,
                "decision": decision.decision,
                "amount_pence": decision.amount_pence,
                "award": award.pk if award else None,
            },
            reason=reason,
            council=locked.opportunity.council,
        )
        enqueue_with_transaction(tasks.send_decision, decision.pk)
    application.refresh_from_db()
    return decision
