"""The method advisor, row by row from the strategy's lists (§2.7, §2.8, §4.4)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thrive.commissioning import advisor
from thrive.commissioning.models import Method, Regime, Route, ServiceType
from thrive.strategy.models import ThresholdSet

THRESHOLDS_2026 = ThresholdSet(
    valid_from=date(2026, 1, 1),
    goods_services_pence=20_772_000,
    works_pence=519_300_000,
    light_touch_pence=66_354_000,
    below_threshold_notice_pence=3_000_000,
    small_grant_limit_pence=500_000,
)
MID_VALUE = 10_000_000  # £100,000: above small grants, below every threshold


def advise(
    answers=None, service_type=ServiceType.SOCIAL, value=MID_VALUE, thresholds=THRESHOLDS_2026
):
    return advisor.advise(
        answers=answers or {}, service_type=service_type, value_pence=value, thresholds=thresholds
    )


def test_the_table_holds_every_line_of_the_strategy_lists() -> None:
    by_section = {}
    for rule in advisor.RULES:
        by_section.setdefault(rule.section, []).append(rule.code)
    assert len(by_section["§2.8"]) == 13  # nine circumstances and four "most appropriate"
    assert len(by_section["§4.4"]) == 3
    assert len(by_section["§2.7"]) == 4
    assert len({r.code for r in advisor.RULES}) == len(advisor.RULES)


@pytest.mark.parametrize(
    "rule",
    [r for r in advisor.RULES if r.points_to == Method.FUNDING_AGREEMENT],
    ids=lambda r: r.code,
)
def test_each_funding_agreement_line_alone_recommends_a_funding_agreement(rule) -> None:
    advice = advise({rule.code: True})
    assert advice.method == Method.FUNDING_AGREEMENT
    assert (advice.route, advice.regime) == (Route.GRANT_ROUND, Regime.GRANT)
    assert f"{rule.question} ({rule.section}): points to a funding agreement." in advice.reasons


@pytest.mark.parametrize(
    "rule", [r for r in advisor.RULES if r.points_to == Method.CONTRACT], ids=lambda r: r.code
)
def test_each_contract_line_alone_recommends_a_contract(rule) -> None:
    advice = advise({rule.code: True})
    assert advice.method == Method.CONTRACT
    assert advice.regime == Regime.PROCUREMENT_ACT
    assert f"{rule.question} ({rule.section}): points to a contract." in advice.reasons


def test_no_answers_suggest_a_funding_agreement_and_procurement_advice() -> None:
    advice = advise({})
    assert advice.method == Method.FUNDING_AGREEMENT
    assert "seek the Procurement Category Manager's advice (§2.7)" in advice.reasons[-2]


def test_a_tie_favours_a_funding_agreement_and_says_so() -> None:
    advice = advise({"contestable": True, "local_knowledge": True})
    assert advice.method == Method.FUNDING_AGREEMENT
    assert any("1 answers point each way" in r for r in advice.reasons)


def test_small_value_without_a_contract_case_is_a_small_grant() -> None:
    advice = advise({"pilot": True}, value=500_000)
    assert (advice.method, advice.route, advice.regime) == (
        Method.SMALL_GRANT,
        Route.SMALL_GRANTS_SCHEME,
        Regime.GRANT,
    )
    assert "within the small grants limit of £5,000.00 (§3.1)" in advice.reasons[-1]


def test_small_value_with_a_contract_case_is_still_a_contract_by_quotation() -> None:
    advice = advise({"statutory_obligation": True, "clearly_defined": True}, value=400_000)
    assert (advice.method, advice.route) == (Method.CONTRACT, Route.RFQ)


@pytest.mark.parametrize(
    ("service_type", "value", "route", "days"),
    [
        (ServiceType.SOCIAL, 66_353_999, Route.RFQ, None),
        (ServiceType.SOCIAL, 66_354_000, Route.LIGHT_TOUCH, 120),
        (ServiceType.GOODS_SERVICES, 20_771_999, Route.RFQ, None),
        (ServiceType.GOODS_SERVICES, 20_772_000, Route.OPEN_TENDER, 30),
        (ServiceType.WORKS, 519_299_999, Route.RFQ, None),
        (ServiceType.WORKS, 519_300_000, Route.OPEN_TENDER, 30),
    ],
)
def test_route_by_value_against_the_threshold(service_type, value, route, days) -> None:
    advice = advise({"contestable": True}, service_type=service_type, value=value)
    assert advice.route == route
    if days:
        assert (
            f"Publish a contract details notice (UK7) within {days} days of the contract."
            in advice.duties
        )
        assert any("8-working-day standstill" in d for d in advice.duties)
    else:
        assert "Publish a contract details notice (UK7)." in advice.duties


def test_thresholds_of_2025_apply_to_a_procurement_started_then() -> None:
    old = ThresholdSet(
        valid_from=date(2025, 2, 24),
        goods_services_pence=21_490_400,
        works_pence=537_260_900,
        light_touch_pence=66_354_000,
        below_threshold_notice_pence=3_000_000,
        small_grant_limit_pence=500_000,
    )
    value = 21_000_000  # between the 2026 and 2025 goods thresholds
    assert advise({"contestable": True}, ServiceType.GOODS_SERVICES, value, old).route == Route.RFQ
    assert (
        advise({"contestable": True}, ServiceType.GOODS_SERVICES, value).route == Route.OPEN_TENDER
    )


def test_below_threshold_notice_duty_from_thirty_thousand_pounds() -> None:
    at = advise({"contestable": True}, value=3_000_000)
    below = advise({"contestable": True}, value=2_999_999)
    assert any("below-threshold tender notice" in d for d in at.duties)
    assert not any("below-threshold tender notice" in d for d in below.duties)


def test_public_health_care_contracts_use_the_provider_selection_regime() -> None:
    advice = advise({"contestable": True}, service_type=ServiceType.HEALTH_CARE)
    assert (advice.route, advice.regime) == (Route.PSR, Regime.PSR)


@settings(max_examples=60, deadline=None)
@given(
    value=st.integers(min_value=0, max_value=1_000_000_000),
    service_type=st.sampled_from(ServiceType.values),
    answers=st.dictionaries(st.sampled_from([r.code for r in advisor.RULES]), st.booleans()),
)
def test_every_answer_gets_a_method_route_regime_and_reasons(value, service_type, answers) -> None:
    advice = advise(answers, service_type=service_type, value=value)
    assert advice.method in Method.values
    assert advice.route in Route.values
    assert advice.regime in Regime.values
    assert advice.reasons
    if advice.method == Method.SMALL_GRANT:
        assert value <= THRESHOLDS_2026.small_grant_limit_pence
