"""Choosing the commissioning method (§2.7–§2.9, §4.4): advise, confirm or override, agree."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from thrive.accounts.models import Role, User
from thrive.audit.services import log_action
from thrive.commissioning import advisor
from thrive.commissioning.models import (
    Intention,
    Method,
    MethodDecision,
    Regime,
    Route,
    ServiceType,
    SoftMarketTest,
)
from thrive.commissioning.services.intentions import check_editable, reopen_if_approved
from thrive.strategy import services as strategy_services
from thrive.strategy.models import ThresholdSet


def market_test_finding(*, intention: Intention) -> SoftMarketTest | None:
    """The latest soft market test with recorded findings, which feed the advisor."""
    return (
        intention.market_tests.filter(findings_recorded_at__isnull=False)
        .order_by("-findings_recorded_at")
        .first()
    )


def _same_advice(
    decision: MethodDecision,
    answers: dict[str, bool],
    service_type: str,
    advice: advisor.Advice,
    thresholds: ThresholdSet,
    value_pence: int,
) -> bool:
    """Whether advising again would record exactly the advice already given."""
    return (
        decision.answers,
        decision.service_type,
        decision.recommended_method,
        decision.recommended_route,
        decision.recommended_regime,
        decision.reasons,
        decision.duties,
        decision.threshold_set_id,
        decision.value_pence,
    ) == (
        answers,
        service_type,
        advice.method,
        advice.route,
        advice.regime,
        advice.reasons,
        advice.duties,
        getattr(thresholds, "pk", None),
        value_pence,
    )


def _advise(
    *, intention: Intention, answers: dict[str, bool], service_type: str
) -> tuple[advisor.Advice, ThresholdSet]:
    """The advisor's recommendation at the intention's value, led by what soft market
    testing found, and the thresholds it used."""
    finding = market_test_finding(intention=intention)
    day = intention.procurement_start or timezone.localdate()
    thresholds = strategy_services.thresholds_on(day=day, council=intention.council)
    advice = advisor.advise(
        answers=answers,
        service_type=service_type,
        value_pence=intention.budget_pence,
        thresholds=thresholds,
    )
    if finding is not None:
        advice.reasons.insert(
            0,
            f"Soft market testing ({finding.findings_recorded_at:%-d %B %Y}) "
            + (
                "found no commercial market."
                if finding.no_commercial_market
                else "found a commercial market."
            ),
        )
    return advice, thresholds


def _replace_advice(
    decision: MethodDecision,
    *,
    answers: dict[str, bool],
    advice: advisor.Advice,
    thresholds: ThresholdSet,
) -> None:
    """Put new advice on the decision, clearing what was confirmed or agreed on the old."""
    decision.answers = answers
    decision.recommended_method = advice.method
    decision.recommended_route = advice.route
    decision.recommended_regime = advice.regime
    decision.reasons = advice.reasons
    decision.duties = advice.duties
    decision.threshold_set = thresholds
    decision.method = decision.route = decision.regime = ""
    decision.override_reason = ""
    decision.confirmed_at = decision.confirmed_by = None
    decision.agreed_at = decision.agreed_by = None
    decision.agreement_note = ""


def run_advisor(
    *, intention: Intention, answers: dict[str, bool], service_type: str, actor: User
) -> MethodDecision:
    """Answer the questionnaire and record the advisor's recommendation with its reasons."""
    check_editable(intention=intention)
    if service_type not in ServiceType.values:
        raise ValidationError({"service_type": "Select the kind of service"})
    answers = {code: bool(answers.get(code)) for code in advisor.RULES_BY_CODE}
    advice, thresholds = _advise(intention=intention, answers=answers, service_type=service_type)
    with transaction.atomic():
        decision, created = MethodDecision.objects.select_for_update().get_or_create(
            intention=intention,
            defaults={
                "service_type": service_type,
                "recommended_method": advice.method,
                "recommended_route": advice.route,
                "recommended_regime": advice.regime,
            },
        )
        if not created and _same_advice(
            decision, answers, service_type, advice, thresholds, intention.budget_pence
        ):
            return decision
        _replace_advice(decision, answers=answers, advice=advice, thresholds=thresholds)
        decision.service_type = service_type
        decision.value_pence = intention.budget_pence
        decision.advised_at, decision.advised_by = timezone.now(), actor
        decision.full_clean()
        decision.save()
        reopen_if_approved(intention=intention, actor=actor)
        intention.save()
        log_action(
            action="commissioning.method.advised",
            actor=actor,
            obj=intention,
            after={
                "answers": answers,
                "service_type": service_type,
                "method": advice.method,
                "route": advice.route,
                "regime": advice.regime,
                "reasons": advice.reasons,
                "thresholds_from": thresholds.valid_from,
            },
            council=intention.council,
        )
    return decision


def confirm_method(
    *, decision: MethodDecision, method: str, route: str, regime: str, reason: str, actor: User
) -> MethodDecision:
    """The commissioner confirms the recommendation or overrides it with a reason."""
    intention = decision.intention
    check_editable(intention=intention)
    errors: dict[str, str] = {}
    if method not in Method.values:
        errors["method"] = "Select the method"
    if route not in Route.values:
        errors["route"] = "Select the route"
    if regime not in Regime.values:
        errors["regime"] = "Select the regime"
    if errors:
        raise ValidationError(errors)
    recommended = (
        decision.recommended_method,
        decision.recommended_route,
        decision.recommended_regime,
    )
    overriding = (method, route, regime) != recommended
    if overriding and not reason.strip():
        raise ValidationError(
            {"reason": "Enter the reason for choosing something other than the recommendation"}
        )
    with transaction.atomic():
        decision.method, decision.route, decision.regime = method, route, regime
        decision.override_reason = reason.strip() if overriding else ""
        decision.confirmed_at, decision.confirmed_by = timezone.now(), actor
        decision.agreed_at = decision.agreed_by = None
        decision.full_clean()
        decision.save()
        reopen_if_approved(intention=intention, actor=actor)
        intention.save()
        log_action(
            action="commissioning.method.overridden"
            if overriding
            else "commissioning.method.confirmed",
            actor=actor,
            obj=intention,
            before={"method": recommended[0], "route": recommended[1], "regime": recommended[2]},
            after={"method": method, "route": route, "regime": regime},
            reason=decision.override_reason,
            council=intention.council,
        )
    return decision


def agree_route(*, decision: MethodDecision, actor: User, note: str = "") -> MethodDecision:
    """The procurement officer agrees the procurement route (§2.9)."""
    if not decision.is_confirmed:
        raise ValidationError("The commissioner must confirm the method before it can be agreed")
    if not (
        actor.council_id == decision.intention.council_id
        and actor.has_role(Role.PROCUREMENT_OFFICER)
    ):
        raise ValidationError("Only a procurement officer of this council can agree the route")
    if decision.agreed_at:
        raise ValidationError("The route has already been agreed")
    with transaction.atomic():
        decision.agreed_at, decision.agreed_by = timezone.now(), actor
        decision.agreement_note = note.strip()
        decision.save()
        log_action(
            action="commissioning.method.agreed",
            actor=actor,
            obj=decision.intention,
            after={"method": decision.method, "route": decision.route, "regime": decision.regime},
            reason=decision.agreement_note,
            council=decision.intention.council,
        )
    return decision
