"""Proportionate monitoring tiers (§4.2): which rule applies to an award, and why.

Pure functions over tier rules and the facts of an award, so the rules can be tested
as a table and explained to officers and providers in plain words.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from thrive.core.money import format_pence

SCHEDULE_MONTHS = {"end_of_grant": None, "six_monthly": 6, "quarterly": 3}


@dataclass(frozen=True)
class TierFacts:
    """What the tier rules look at for one award (or the awards of a consolidated plan)."""

    value_pence: int
    duration_months: int
    new_organisation: bool = False
    past_red: bool = False
    outcome_kinds: frozenset[str] = field(default_factory=frozenset)
    size_band: str = "unknown"


@dataclass(frozen=True)
class TierChoice:
    tier: Any
    reasons: list[str]

    @property
    def explanation(self) -> str:
        return f"Rule “{self.tier.name}” applied: " + "; ".join(self.reasons) + "."


def months_between(start: date, end: date) -> int:
    """Whole months covered from ``start`` to ``end`` inclusive (a year's award is 12)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day >= start.day:
        months += 1
    return max(months, 1)


def _value_reasons(tier: Any, facts: TierFacts) -> list[str] | None:
    reasons = []
    value = format_pence(facts.value_pence)
    if tier.min_value_pence is not None:
        if facts.value_pence <= tier.min_value_pence:
            return None
        reasons.append(f"value {value} is above {format_pence(tier.min_value_pence)}")
    if tier.max_value_pence is not None:
        if facts.value_pence > tier.max_value_pence:
            return None
        reasons.append(f"value {value} is up to {format_pence(tier.max_value_pence)}")
    return reasons


def _duration_reasons(tier: Any, facts: TierFacts) -> list[str] | None:
    reasons = []
    months = facts.duration_months
    if tier.min_duration_months is not None:
        if months < tier.min_duration_months:
            return None
        reasons.append(f"it runs {months} months, at least {tier.min_duration_months}")
    if tier.max_duration_months is not None:
        if months > tier.max_duration_months:
            return None
        reasons.append(f"it runs {months} months, no more than {tier.max_duration_months}")
    return reasons


def _risk_reasons(tier: Any, facts: TierFacts) -> list[str] | None:
    reasons = []
    if tier.when_new_organisation:
        if not facts.new_organisation:
            return None
        reasons.append("the organisation is new to the council's funding")
    if tier.when_past_red:
        if not facts.past_red:
            return None
        reasons.append("the organisation has had a red rating before")
    return reasons


def _profile_reasons(tier: Any, facts: TierFacts) -> list[str] | None:
    reasons = []
    kinds = set(tier.outcome_kinds or [])
    if kinds:
        matched = sorted(kinds & set(facts.outcome_kinds))
        if not matched:
            return None
        reasons.append("it works to " + ", ".join(k.replace("_", " ") for k in matched))
    bands = set(tier.size_bands or [])
    if bands:
        if facts.size_band not in bands:
            return None
        reasons.append(f"the organisation's size is {facts.size_band}")
    return reasons


def tier_reasons(tier: Any, facts: TierFacts) -> list[str] | None:
    """The reasons the tier's conditions hold for these facts, or None when one fails."""
    reasons: list[str] = []
    for check in (_value_reasons, _duration_reasons, _risk_reasons, _profile_reasons):
        found = check(tier, facts)
        if found is None:
            return None
        reasons += found
    return reasons or ["it applies to every award not caught by an earlier rule"]


def choose_tier(tiers: Iterable[Any], facts: TierFacts) -> TierChoice | None:
    """The first active tier, in order, whose conditions all hold, with the reasons."""
    for tier in sorted(tiers, key=lambda t: (t.order, t.pk or 0)):
        if not tier.active:
            continue
        reasons = tier_reasons(tier, facts)
        if reasons is not None:
            return TierChoice(tier, reasons)
    return None


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    due: date
    final: bool


def schedule_periods(
    *, start: date, end: date, schedule: str, days_to_report: int = 28
) -> list[Period]:
    """The reporting periods from ``start`` to ``end`` for a schedule, each due after it ends."""
    step = SCHEDULE_MONTHS[schedule]
    if step is None or end < start:
        return [Period(start, end, end + timedelta(days=days_to_report), True)]
    periods: list[Period] = []
    period_start = start
    while period_start <= end:
        period_end = min(_add_months(period_start, step) - timedelta(days=1), end)
        periods.append(
            Period(
                period_start,
                period_end,
                period_end + timedelta(days=days_to_report),
                period_end == end,
            )
        )
        period_start = period_end + timedelta(days=1)
    return periods


def annual_review_dates(*, start: date, end: date) -> list[date]:
    """One review meeting a year, on each anniversary of the start within the term."""
    dates = []
    day = _add_months(start, 12)
    while day <= end:
        dates.append(day)
        day = _add_months(day, 12)
    return dates


@dataclass(frozen=True)
class DefaultTier:
    order: int
    name: str
    schedule: str
    return_size: str
    annual_review_meeting: bool = False
    min_value_pence: int | None = None
    max_value_pence: int | None = None
    min_duration_months: int | None = None
    max_duration_months: int | None = None
    when_new_organisation: bool = False
    when_past_red: bool = False
    outcome_kinds: Sequence[str] = ()
    size_bands: Sequence[str] = ()
    explanation: str = ""
    active: bool = True
    pk: int | None = None


# The strategy's defaults (§4.2): proportionate to money, relationship, outcomes and organisation.
DEFAULT_TIERS: list[DefaultTier] = [
    DefaultTier(
        10,
        "Past red rating",
        "quarterly",
        "full",
        annual_review_meeting=True,
        min_value_pence=5_000_00,
        when_past_red=True,
        explanation="Closer monitoring after a red rating, whatever the value.",
    ),
    DefaultTier(
        20,
        "Up to £5,000",
        "end_of_grant",
        "light",
        max_value_pence=5_000_00,
        explanation="Small grants: one short report at the end.",
    ),
    DefaultTier(
        30,
        "New organisation up to £50,000",
        "quarterly",
        "standard",
        max_value_pence=50_000_00,
        when_new_organisation=True,
        explanation="A new relationship is watched more closely in its first award.",
    ),
    DefaultTier(
        40,
        "Micro or small organisation up to £50,000",
        "six_monthly",
        "light",
        max_value_pence=50_000_00,
        size_bands=("micro", "small"),
        explanation="Small organisations are asked for the minimum.",
    ),
    DefaultTier(
        50,
        "Up to £50,000",
        "six_monthly",
        "standard",
        max_value_pence=50_000_00,
        explanation="Six-monthly returns on progress against targets.",
    ),
    DefaultTier(
        60,
        "Above £50,000",
        "quarterly",
        "full",
        annual_review_meeting=True,
        explanation="Quarterly returns and an annual review meeting.",
    ),
]
