"""The pure scoring rules: price formulas, "not applicable", totals and the tie rule."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from thrive.assessment.scoring import (
    Mark,
    Ranked,
    mean_score,
    price_points,
    quality_total,
    rank,
    weighted_total,
)
from thrive.opportunities.models import PriceFormula

PENCE = st.integers(min_value=1, max_value=10_000_000_00)
WEIGHT = st.integers(min_value=1, max_value=100)


def test_lowest_price_formula_is_lowest_over_bid_times_weight() -> None:
    assert price_points(bid_pence=200_00, lowest_pence=100_00, weight=30) == Decimal("15.00")
    assert price_points(bid_pence=100_00, lowest_pence=100_00, weight=30) == Decimal("30.00")
    assert price_points(bid_pence=300_00, lowest_pence=100_00, weight=40) == Decimal("13.33")


def test_relative_to_budget_formula_loses_marks_by_share_of_budget_and_stops_at_zero() -> None:
    def points(bid: int) -> Decimal:
        return price_points(
            bid_pence=bid,
            lowest_pence=100_00,
            weight=40,
            formula=PriceFormula.RELATIVE_TO_BUDGET,
            budget_pence=200_00,
        )

    assert points(100_00) == Decimal("40.00")
    assert points(150_00) == Decimal("30.00")
    assert points(900_00) == Decimal("0.00")


@given(bid=PENCE, lowest=PENCE, weight=WEIGHT, budget=PENCE, relative=st.booleans())
def test_price_points_stay_between_zero_and_the_weight(
    bid: int, lowest: int, weight: int, budget: int, relative: bool
) -> None:
    formula = PriceFormula.RELATIVE_TO_BUDGET if relative else PriceFormula.LOWEST_PRICE
    points = price_points(
        bid_pence=bid, lowest_pence=lowest, weight=weight, formula=formula, budget_pence=budget
    )
    assert Decimal(0) <= points <= Decimal(weight)


@given(lowest=PENCE, extra_a=PENCE, extra_b=PENCE, weight=WEIGHT)
def test_a_cheaper_bid_never_scores_less_on_price(
    lowest: int, extra_a: int, extra_b: int, weight: int
) -> None:
    cheap, dear = sorted([lowest + extra_a, lowest + extra_b])
    assert price_points(bid_pence=cheap, lowest_pence=lowest, weight=weight) >= price_points(
        bid_pence=dear, lowest_pence=lowest, weight=weight
    )


@given(lowest=PENCE, weight=WEIGHT)
def test_the_lowest_bid_gets_the_full_weight(lowest: int, weight: int) -> None:
    assert price_points(bid_pence=lowest, lowest_pence=lowest, weight=weight) == weight


def test_not_applicable_is_left_out_of_the_denominator_never_scored_zero() -> None:
    marks = [
        Mark(weight=60, score=Decimal(4), max_score=5),
        Mark(weight=40, not_applicable=True),
    ]
    assert weighted_total(marks) == Decimal("80.00")
    as_zero = [Mark(weight=60, score=Decimal(4)), Mark(weight=40, score=Decimal(0))]
    assert weighted_total(as_zero) == Decimal("48.00")


@given(
    scores=st.lists(
        st.tuples(WEIGHT, st.integers(min_value=0, max_value=5), st.booleans()),
        min_size=1,
        max_size=8,
    )
)
def test_total_is_out_of_100_over_the_criteria_that_apply(
    scores: list[tuple[int, int, bool]],
) -> None:
    marks = [Mark(weight=w, score=Decimal(s), not_applicable=na) for w, s, na in scores]
    total = weighted_total(marks)
    assert Decimal(0) <= total <= Decimal(100)
    applying = [m for m in marks if not m.not_applicable]
    if applying and all(m.score == 5 for m in applying):
        assert total == Decimal("100.00")


def test_price_points_count_as_they_are() -> None:
    marks = [
        Mark(weight=70, score=Decimal(5), is_quality=True),
        Mark(weight=30, points=Decimal(15)),
    ]
    assert weighted_total(marks) == Decimal("85.00")
    assert quality_total(marks) == Decimal("100.00")


def test_mean_ignores_not_applicable() -> None:
    assert mean_score([3, None, 4]) == Decimal("3.50")
    assert mean_score([None]) is None


def test_tie_rule_higher_quality_then_earlier_submission() -> None:
    start = datetime(2026, 5, 1, 12, 0)
    a = Ranked(key=1, total=Decimal(80), quality=Decimal(70), submitted_at=start)
    b = Ranked(key=2, total=Decimal(80), quality=Decimal(75), submitted_at=start)
    c = Ranked(key=3, total=Decimal(80), quality=Decimal(70), submitted_at=start - timedelta(1))
    d = Ranked(key=4, total=Decimal(90), quality=Decimal(10), submitted_at=start)
    failed = Ranked(key=5, total=Decimal(99), quality=Decimal(99), submitted_at=start)
    failed.passed_gates = False
    ordered = rank([a, b, c, d, failed])
    assert [e.key for e in ordered] == [4, 2, 3, 1, 5]
    assert [e.position for e in ordered] == [1, 2, 3, 4, None]
