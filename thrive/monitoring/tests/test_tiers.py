"""The proportionate tier rules, as a table (§4.2)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from thrive.monitoring import tiers
from thrive.monitoring.tiers import DEFAULT_TIERS, TierFacts, choose_tier

POUNDS = 100


@pytest.mark.parametrize(
    ("facts", "tier", "schedule", "size"),
    [
        (TierFacts(250 * POUNDS, 12), "Up to £5,000", "end_of_grant", "light"),
        (TierFacts(5_000 * POUNDS, 12), "Up to £5,000", "end_of_grant", "light"),
        (TierFacts(5_000 * POUNDS + 1, 36), "Up to £50,000", "six_monthly", "standard"),
        (TierFacts(50_000 * POUNDS, 36), "Up to £50,000", "six_monthly", "standard"),
        (TierFacts(50_000 * POUNDS + 1, 36), "Above £50,000", "quarterly", "full"),
        (
            TierFacts(20_000 * POUNDS, 36, new_organisation=True),
            "New organisation up to £50,000",
            "quarterly",
            "standard",
        ),
        (
            TierFacts(3_000 * POUNDS, 12, new_organisation=True),
            "Up to £5,000",
            "end_of_grant",
            "light",
        ),
        (
            TierFacts(20_000 * POUNDS, 36, past_red=True),
            "Past red rating",
            "quarterly",
            "full",
        ),
        (TierFacts(4_000 * POUNDS, 12, past_red=True), "Up to £5,000", "end_of_grant", "light"),
        (
            TierFacts(20_000 * POUNDS, 36, size_band="micro"),
            "Micro or small organisation up to £50,000",
            "six_monthly",
            "light",
        ),
        (
            TierFacts(200_000 * POUNDS, 36, size_band="micro"),
            "Above £50,000",
            "quarterly",
            "full",
        ),
    ],
)
def test_default_tiers_give_the_strategy_schedule(facts, tier, schedule, size) -> None:
    choice = choose_tier(DEFAULT_TIERS, facts)
    assert choice is not None
    assert (choice.tier.name, choice.tier.schedule, choice.tier.return_size) == (
        tier,
        schedule,
        size,
    )


def test_the_explanation_names_the_rule_and_the_facts_it_matched() -> None:
    choice = choose_tier(DEFAULT_TIERS, TierFacts(30_000 * POUNDS, 36))
    assert choice.explanation == (
        "Rule “Up to £50,000” applied: value £30,000.00 is up to £50,000.00."
    )


def test_above_fifty_thousand_has_an_annual_review_meeting() -> None:
    choice = choose_tier(DEFAULT_TIERS, TierFacts(80_000 * POUNDS, 36))
    assert choice.tier.annual_review_meeting is True


def _rule(**kwargs):
    base = dict(order=1, name="Rule", schedule="quarterly", return_size="full")
    return tiers.DefaultTier(**{**base, **kwargs})


@pytest.mark.parametrize(
    ("rule", "facts", "applies"),
    [
        (_rule(max_duration_months=12), TierFacts(1, 12), True),
        (_rule(max_duration_months=12), TierFacts(1, 13), False),
        (_rule(min_duration_months=24), TierFacts(1, 36), True),
        (_rule(min_duration_months=24), TierFacts(1, 12), False),
        (
            _rule(outcome_kinds=("priority",)),
            TierFacts(1, 1, outcome_kinds=frozenset({"priority"})),
            True,
        ),
        (
            _rule(outcome_kinds=("priority",)),
            TierFacts(1, 1, outcome_kinds=frozenset({"ambition"})),
            False,
        ),
        (_rule(size_bands=("large",)), TierFacts(1, 1, size_band="large"), True),
        (_rule(size_bands=("large",)), TierFacts(1, 1, size_band="micro"), False),
        (_rule(when_new_organisation=True), TierFacts(1, 1), False),
        (_rule(active=False), TierFacts(1, 1), False),
        (_rule(), TierFacts(1, 1), True),
    ],
)
def test_each_condition_decides_whether_a_rule_applies(rule, facts, applies) -> None:
    assert (choose_tier([rule], facts) is not None) is applies


def test_rules_are_tried_in_order() -> None:
    first = _rule(order=2, name="Second")
    second = _rule(order=1, name="First")
    assert choose_tier([first, second], TierFacts(1, 1)).tier.name == "First"


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2025, 4, 1), date(2028, 3, 31), 36),
        (date(2025, 4, 1), date(2025, 4, 30), 1),
        (date(2025, 4, 15), date(2025, 5, 14), 1),
        (date(2025, 1, 1), date(2025, 12, 31), 12),
    ],
)
def test_months_between_counts_whole_months(start, end, months) -> None:
    assert tiers.months_between(start, end) == months


@pytest.mark.parametrize(
    ("schedule", "count", "first_due", "last_due"),
    [
        ("end_of_grant", 1, date(2026, 4, 28), date(2026, 4, 28)),
        ("six_monthly", 2, date(2025, 10, 28), date(2026, 4, 28)),
        ("quarterly", 4, date(2025, 7, 28), date(2026, 4, 28)),
    ],
)
def test_schedule_periods_cover_the_term(schedule, count, first_due, last_due) -> None:
    periods = tiers.schedule_periods(
        start=date(2025, 4, 1), end=date(2026, 3, 31), schedule=schedule
    )
    assert len(periods) == count
    assert periods[0].start == date(2025, 4, 1)
    assert periods[-1].end == date(2026, 3, 31)
    assert (periods[0].due, periods[-1].due) == (first_due, last_due)
    assert [p.final for p in periods] == [False] * (count - 1) + [True]
    for before, after in itertools.pairwise(periods):
        assert (after.start - before.end).days == 1


def test_annual_reviews_fall_on_each_anniversary_within_the_term() -> None:
    assert tiers.annual_review_dates(start=date(2025, 4, 1), end=date(2028, 3, 31)) == [
        date(2026, 4, 1),
        date(2027, 4, 1),
    ]
