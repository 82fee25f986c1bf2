"""Intentions: specification, term, EqIA, method, approval, publication, joint (§2.4–§2.10)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.audit.models import AuditEvent
from thrive.commissioning.models import Impact, IntentionStatus, Method, Route, ServiceType
from thrive.commissioning.services import equality, involvement, readiness
from thrive.commissioning.services import intentions as services
from thrive.commissioning.services import joint as joint_services
from thrive.commissioning.services import method as method_services
from thrive.commissioning.tests.factories import NeedFactory, commissioner_of
from thrive.core.models import BeneficiaryGroup
from thrive.strategy.models import Outcome
from thrive.strategy.tests.factories import DirectorateFactory, FundingPotFactory

pytestmark = pytest.mark.django_db


def outcome(council, code="PO3"):
    return Outcome.objects.get(council=council, code=code)


def start(commissioner, directorate, **kwargs):
    defaults = {
        "council": directorate.council,
        "directorate": directorate,
        "title": "Befriending older people",
        "summary": "A befriending service in rural villages.",
        "direction": "new",
        "outcomes": [outcome(directorate.council)],
        "needs": [],
        "actor": commissioner,
    }
    return services.create_intention(**(defaults | kwargs))


def all_neutral() -> dict[int, dict[str, str]]:
    groups = BeneficiaryGroup.objects.filter(protected_characteristic=True)
    return {g.pk: {"impact": Impact.NEUTRAL} for g in groups}


def make_ready(intention, commissioner, budget=400_000, years=3):
    """Fill an intention so that it can be approved (a small grant: no procurement agreement)."""
    start_day = date(2027, 4, 1)
    services.update_specification(
        intention=intention,
        fields={
            "aims": "Fewer lonely people",
            "outcomes_sought": "Weekly contact",
            "target_group": "Over 75s",
        },
        groups=[],
        areas=[],
        actor=commissioner,
    )
    services.update_funding(
        intention=intention,
        budget_pence=budget,
        pot=None,
        service_start=start_day,
        service_end=start_day.replace(year=start_day.year + years) - timedelta(days=1),
        procurement_start=date(2026, 6, 1),
        short_term_justification="",
        actor=commissioner,
    )
    equality.save_equality_assessment(
        intention=intention, impacts=all_neutral(), summary="", complete=True, actor=commissioner
    )
    decision = method_services.run_advisor(
        intention=intention,
        answers={"pilot": True},
        service_type=ServiceType.SOCIAL,
        actor=commissioner,
    )
    method_services.confirm_method(
        decision=decision,
        method=decision.recommended_method,
        route=decision.recommended_route,
        regime=decision.recommended_regime,
        reason="",
        actor=commissioner,
    )
    intention.refresh_from_db()
    return intention


def test_a_new_intention_gets_a_reference_and_is_a_draft(commissioner, directorate) -> None:
    first = start(commissioner, directorate)
    second = start(commissioner, directorate)
    year = timezone.localdate().year
    assert (first.reference, second.reference) == (f"CI-{year}-0001", f"CI-{year}-0002")
    assert first.status == IntentionStatus.DRAFT
    assert AuditEvent.objects.filter(action="commissioning.intention.created").count() == 2


def test_an_intention_needs_an_outcome_and_own_needs(commissioner, directorate) -> None:
    with pytest.raises(ValidationError, match="Select at least one outcome"):
        start(commissioner, directorate, outcomes=[])
    other_need = NeedFactory(council=directorate.council)
    with pytest.raises(
        ValidationError, match="Choose needs recorded by this intention's directorates"
    ):
        start(commissioner, directorate, needs=[other_need])


def test_a_decommissioning_intention_names_the_outcomes_it_stops(commissioner, directorate) -> None:
    with pytest.raises(
        ValidationError, match="Select the outcomes that will no longer be prioritised"
    ):
        start(commissioner, directorate, direction="decommissioning")


def test_specification_detail_is_proportionate_to_value(commissioner, directorate) -> None:
    intention = start(commissioner, directorate)
    intention.procurement_start = date(2026, 6, 1)
    intention.budget_pence = 500_000
    assert readiness.required_specification(intention=intention) == [
        "aims",
        "outcomes_sought",
        "target_group",
    ]
    intention.budget_pence = 500_001
    assert readiness.required_specification(intention=intention)[-2:] == [
        "activities",
        "monitoring",
    ]
    intention.budget_pence = 3_000_000
    assert readiness.required_specification(intention=intention)[-1] == "quality_standards"
    assert "Enter the quality standards" in readiness.specification_problems(intention=intention)


@pytest.mark.parametrize(
    ("years", "justification", "problem"),
    [
        (3, "", ""),
        (
            2,
            "",
            "The term is 24 months, less than the norm of 36 months: "
            "enter why a shorter term is right",
        ),
        (2, "A pilot year", ""),
    ],
)
def test_a_term_under_three_years_needs_a_justification(
    commissioner, directorate, years, justification, problem
) -> None:
    intention = start(commissioner, directorate)
    services.update_funding(
        intention=intention,
        budget_pence=100,
        pot=None,
        service_start=date(2027, 4, 1),
        service_end=date(2027 + years, 3, 31),
        procurement_start=None,
        short_term_justification=justification,
        actor=commissioner,
    )
    assert readiness.length_of_funding_problem(intention=intention) == problem


def test_the_service_must_end_after_it_starts(commissioner, directorate) -> None:
    intention = start(commissioner, directorate)
    with pytest.raises(ValidationError, match="The service must end after it starts"):
        services.update_funding(
            intention=intention,
            budget_pence=1,
            pot=None,
            service_start=date(2027, 4, 1),
            service_end=date(2027, 4, 1),
            procurement_start=None,
            short_term_justification="",
            actor=commissioner,
        )


def test_eqia_needs_every_characteristic_and_mitigation_of_negatives(
    commissioner, directorate
) -> None:
    intention = start(commissioner, directorate)
    with pytest.raises(ValidationError) as exc:
        equality.save_equality_assessment(
            intention=intention, impacts={}, summary="", complete=True, actor=commissioner
        )
    assert len(exc.value.message_dict) == 9
    assert "Select the impact on age" in exc.value.message_dict[next(iter(exc.value.message_dict))]
    impacts = all_neutral()
    disability = BeneficiaryGroup.objects.get(code="disability")
    impacts[disability.pk] = {"impact": Impact.NEGATIVE, "mitigation": ""}
    with pytest.raises(
        ValidationError, match="Enter how the negative impact on disability will be mitigated"
    ):
        equality.save_equality_assessment(
            intention=intention, impacts=impacts, summary="", complete=True, actor=commissioner
        )
    impacts[disability.pk]["mitigation"] = "Accessible venues and transport"
    equality.save_equality_assessment(
        intention=intention, impacts=impacts, summary="", complete=True, actor=commissioner
    )
    intention.refresh_from_db()
    assert intention.status == IntentionStatus.ASSESSED
    assert intention.eqia.impacts.count() == 9
    assert AuditEvent.objects.filter(action="commissioning.eqia.completed").exists()


def test_a_draft_eqia_can_be_saved_incomplete(commissioner, directorate) -> None:
    intention = start(commissioner, directorate)
    assessment = equality.save_equality_assessment(
        intention=intention, impacts={}, summary="Started", complete=False, actor=commissioner
    )
    assert not assessment.is_complete
    assert intention.status == IntentionStatus.DRAFT


def test_publishing_needs_the_impact_assessment_first(commissioner, directorate) -> None:
    intention = start(commissioner, directorate)
    with pytest.raises(
        ValidationError, match="Complete the equality impact assessment before publishing"
    ):
        services.publish_intention(intention=intention, actor=commissioner)
    with pytest.raises(
        ValidationError, match="Complete the equality impact assessment before approving"
    ):
        services.approve_intention(intention=intention, actor=commissioner)


def test_approval_lists_everything_missing(commissioner, directorate) -> None:
    intention = start(commissioner, directorate)
    equality.save_equality_assessment(
        intention=intention, impacts=all_neutral(), summary="", complete=True, actor=commissioner
    )
    intention.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.approve_intention(intention=intention, actor=commissioner)
    assert exc.value.messages == [
        "Enter the aims of the service",
        "Enter the outcomes sought",
        "Enter the target group",
        "Enter the budget",
        "Enter when the service starts and ends",
        "Run the method advisor and confirm the method",
    ]


def test_approve_then_publish_records_who_and_when(commissioner, directorate) -> None:
    intention = make_ready(start(commissioner, directorate), commissioner)
    with pytest.raises(ValidationError, match="Approve the intention before publishing it"):
        services.publish_intention(intention=intention, actor=commissioner)
    services.approve_intention(intention=intention, actor=commissioner)
    services.publish_intention(intention=intention, actor=commissioner)
    assert intention.status == IntentionStatus.PUBLISHED
    assert intention.published_by == commissioner and intention.is_public
    event = AuditEvent.objects.get(action="commissioning.intention.published")
    assert (event.before, event.after) == ({"status": "approved"}, {"status": "published"})
    services.mark_commissioned(intention=intention, actor=commissioner)
    assert intention.status == IntentionStatus.COMMISSIONED
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.update_specification(
            intention=intention, fields={"aims": "x"}, groups=[], areas=[], actor=commissioner
        )


def test_budget_beyond_the_pot_blocks_approval(commissioner, directorate) -> None:
    intention = make_ready(start(commissioner, directorate), commissioner)
    pot = FundingPotFactory(council=directorate.council, directorate=directorate, budget_pence=100)
    intention.pot = pot
    intention.save()
    assert any(
        "is more than the £1.00 that remains in" in p
        for p in readiness.approval_problems(intention=intention)
    )


def test_changing_an_approved_intention_needs_approval_again(commissioner, directorate) -> None:
    intention = make_ready(start(commissioner, directorate), commissioner)
    services.approve_intention(intention=intention, actor=commissioner)
    services.update_specification(
        intention=intention, fields={"aims": "New aims"}, groups=[], areas=[], actor=commissioner
    )
    assert intention.status == IntentionStatus.ASSESSED
    assert AuditEvent.objects.filter(action="commissioning.intention.reopened").exists()


def test_withdrawing_needs_a_reason(commissioner, directorate) -> None:
    intention = start(commissioner, directorate)
    with pytest.raises(ValidationError, match="Enter the reason for withdrawing the intention"):
        services.withdraw_intention(intention=intention, actor=commissioner, reason=" ")
    services.withdraw_intention(intention=intention, actor=commissioner, reason="Funding cut")
    assert (
        AuditEvent.objects.get(action="commissioning.intention.withdrawn").reason == "Funding cut"
    )


# --- method ------------------------------------------------------------------------------


def test_advisor_uses_the_thresholds_in_force_on_the_procurement_start(
    commissioner, directorate
) -> None:
    intention = start(commissioner, directorate)
    intention.budget_pence = 21_000_000
    intention.procurement_start = date(2025, 6, 1)
    intention.save()
    decision = method_services.run_advisor(
        intention=intention,
        answers={"contestable": True},
        service_type=ServiceType.GOODS_SERVICES,
        actor=commissioner,
    )
    assert decision.recommended_route == Route.RFQ
    assert decision.threshold_set.valid_from == date(2025, 2, 24)
    intention.procurement_start = date(2026, 1, 1)
    intention.save()
    decision = method_services.run_advisor(
        intention=intention,
        answers={"contestable": True},
        service_type=ServiceType.GOODS_SERVICES,
        actor=commissioner,
    )
    assert decision.recommended_route == Route.OPEN_TENDER
    assert AuditEvent.objects.filter(action="commissioning.method.advised").count() == 2


def test_advising_again_on_unchanged_answers_keeps_the_advice_and_its_date(
    commissioner, directorate
) -> None:
    intention = make_ready(start(commissioner, directorate), commissioner)
    advise = {
        "intention": intention,
        "answers": {"pilot": True},
        "service_type": ServiceType.SOCIAL,
        "actor": commissioner,
    }
    decision = intention.method
    advised_at = decision.advised_at
    method_services.run_advisor(**advise)
    decision.refresh_from_db()
    assert (decision.advised_at, decision.confirmed_at is not None) == (advised_at, True)
    assert AuditEvent.objects.filter(action="commissioning.method.advised").count() == 1
    method_services.run_advisor(**(advise | {"answers": {"pilot": True, "contestable": True}}))
    decision.refresh_from_db()
    assert decision.advised_at > advised_at and decision.confirmed_at is None


def test_soft_market_findings_feed_the_advisor(commissioner, directorate) -> None:
    intention = start(commissioner, directorate)
    test = involvement.start_market_test(
        intention=intention,
        questions="How?",
        closes_on=timezone.localdate() + timedelta(days=5),
        invited=[],
        actor=commissioner,
    )
    involvement.record_market_findings(
        test=test, findings="Only charities replied", no_commercial_market=True, actor=commissioner
    )
    decision = method_services.run_advisor(
        intention=intention, answers={}, service_type=ServiceType.SOCIAL, actor=commissioner
    )
    assert decision.reasons[0].endswith("found no commercial market.")


def test_override_needs_a_reason_and_is_audited_as_an_override(commissioner, directorate) -> None:
    intention = start(commissioner, directorate)
    decision = method_services.run_advisor(
        intention=intention,
        answers={"pilot": True},
        service_type=ServiceType.SOCIAL,
        actor=commissioner,
    )
    with pytest.raises(
        ValidationError,
        match="Enter the reason for choosing something other than the recommendation",
    ):
        method_services.confirm_method(
            decision=decision,
            method=Method.CONTRACT,
            route=Route.RFQ,
            regime="procurement_act",
            reason="",
            actor=commissioner,
        )
    method_services.confirm_method(
        decision=decision,
        method=Method.CONTRACT,
        route=Route.RFQ,
        regime="procurement_act",
        reason="A clearly defined service",
        actor=commissioner,
    )
    assert decision.is_overridden and decision.needs_agreement and not decision.is_settled
    event = AuditEvent.objects.get(action="commissioning.method.overridden")
    assert event.reason == "A clearly defined service"
    assert event.before["method"] == decision.recommended_method


def test_only_a_procurement_officer_agrees_a_confirmed_route(
    commissioner, directorate, procurement
) -> None:
    intention = start(commissioner, directorate)
    decision = method_services.run_advisor(
        intention=intention,
        answers={"contestable": True},
        service_type=ServiceType.SOCIAL,
        actor=commissioner,
    )
    with pytest.raises(
        ValidationError, match="The commissioner must confirm the method before it can be agreed"
    ):
        method_services.agree_route(decision=decision, actor=procurement)
    method_services.confirm_method(
        decision=decision,
        method=decision.recommended_method,
        route=decision.recommended_route,
        regime=decision.recommended_regime,
        reason="",
        actor=commissioner,
    )
    with pytest.raises(
        ValidationError, match="Only a procurement officer of this council can agree the route"
    ):
        method_services.agree_route(decision=decision, actor=commissioner)
    method_services.agree_route(decision=decision, actor=procurement, note="RFQ is right")
    assert decision.is_settled
    assert AuditEvent.objects.get(action="commissioning.method.agreed").reason == "RFQ is right"
    with pytest.raises(ValidationError, match="The route has already been agreed"):
        method_services.agree_route(decision=decision, actor=procurement)


def test_a_contract_waits_for_procurement_before_approval(
    commissioner, directorate, procurement
) -> None:
    intention = make_ready(start(commissioner, directorate), commissioner, budget=10_000_000)
    decision = method_services.run_advisor(
        intention=intention,
        answers={"contestable": True},
        service_type=ServiceType.SOCIAL,
        actor=commissioner,
    )
    method_services.confirm_method(
        decision=decision,
        method=decision.recommended_method,
        route=decision.recommended_route,
        regime=decision.recommended_regime,
        reason="",
        actor=commissioner,
    )
    intention.refresh_from_db()
    assert (
        "The procurement officer must agree the procurement route"
        in readiness.approval_problems(intention=intention)
    )


# --- joint commissioning ---------------------------------------------------------------------


def test_overlapping_intentions_combine_into_a_joint_one(commissioner, directorate) -> None:
    children = DirectorateFactory(council=directorate.council, code="children", name="Children")
    other = commissioner_of(children)
    mine = start(commissioner, directorate, title="Mine")
    theirs = start(
        other,
        children,
        title="Theirs",
        outcomes=[outcome(directorate.council), outcome(directorate.council, "PO2")],
    )
    from thrive.commissioning import selectors

    assert list(selectors.overlapping_intentions(intention=mine)) == [theirs]
    assert selectors.overlaps_in_council(council=directorate.council) == [
        (theirs, mine)
    ] or selectors.overlaps_in_council(council=directorate.council) == [(mine, theirs)]
    strategist = staff_with_role(Role.STRATEGY_GROUP, council=directorate.council)
    joint = joint_services.combine_intentions(
        intentions=[mine, theirs], lead=directorate, title="Joint befriending", actor=strategist
    )
    assert joint.directorate == directorate
    assert list(joint.partner_directorates.all()) == [children]
    assert {o.code for o in joint.outcomes.all()} == {"PO2", "PO3"}
    assert joint.scope_directorate_ids() == {directorate.pk, children.pk}
    mine.refresh_from_db()
    assert (mine.status, mine.combined_into) == (IntentionStatus.WITHDRAWN, joint)
    assert AuditEvent.objects.get(action="commissioning.intention.joint_created").after["from"] == [
        mine.reference,
        theirs.reference,
    ]


def test_a_commissioner_leads_a_joint_intention_only_with_their_own_directorate(
    commissioner, directorate
) -> None:
    children = DirectorateFactory(council=directorate.council, code="children", name="Children")
    mine = start(commissioner, directorate, title="Mine")
    theirs = start(commissioner_of(children), children, title="Theirs")
    with pytest.raises(ValidationError, match="Choose your own directorate as the lead"):
        joint_services.combine_intentions(
            intentions=[mine, theirs], lead=children, title="J", actor=commissioner
        )
    joint = joint_services.combine_intentions(
        intentions=[mine, theirs], lead=directorate, title="J", actor=commissioner
    )
    assert joint.directorate == directorate


def test_combining_needs_two_directorates(commissioner, directorate) -> None:
    a, b = start(commissioner, directorate), start(commissioner, directorate)
    with pytest.raises(ValidationError, match="Choose intentions of at least two directorates"):
        joint_services.combine_intentions(
            intentions=[a, b], lead=directorate, title="J", actor=commissioner
        )
    with pytest.raises(ValidationError, match="Select at least two intentions to combine"):
        joint_services.combine_intentions(
            intentions=[a], lead=directorate, title="J", actor=commissioner
        )
