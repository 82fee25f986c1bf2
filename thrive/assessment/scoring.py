"""Pure scoring rules: price formulas, weighted totals with "not applicable", ranking (§4.4).

No database here: the functions take plain values so the rules can be proved with
hypothesis and explained on the pages word for word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from statistics import fmean

from thrive.opportunities.models import PriceFormula

TWO_PLACES = Decimal("0.01")
TIE_RULE = (
    "Applications are ranked by weighted total. When totals are equal, the higher quality "
    "score ranks first; when those are equal too, the earlier submission ranks first."
)


def price_points(
    *,
    bid_pence: int,
    lowest_pence: int,
    weight: int,
    formula: str = PriceFormula.LOWEST_PRICE,
    budget_pence: int | None = None,
) -> Decimal:
    """Marks out of ``weight`` for a bid's price under the opportunity's price formula.

    Lowest price: lowest ÷ bid × weight (the lowest bid gets the full weight).
    Relative to budget: weight × (1 − (bid − lowest) ÷ budget), never below 0.
    """
    if bid_pence <= 0 or lowest_pence <= 0:
        return Decimal(weight) if bid_pence == lowest_pence else Decimal(0)
    lowest = Decimal(min(lowest_pence, bid_pence))
    bid = Decimal(bid_pence)
    if formula == PriceFormula.RELATIVE_TO_BUDGET and budget_pence:
        share = 1 - (bid - lowest) / Decimal(budget_pence)
        points = Decimal(weight) * max(Decimal(0), share)
    else:
        points = lowest / bid * Decimal(weight)
    return points.quantize(TWO_PLACES, ROUND_HALF_UP)


@dataclass(frozen=True)
class Mark:
    """One criterion's agreed result for one application.

    ``score`` is on the criterion's scale (``max_score`` its top); price criteria carry
    ``points`` already out of ``weight``. ``not_applicable`` leaves it out of the denominator.
    """

    weight: int
    score: Decimal | None = None
    max_score: int = 5
    points: Decimal | None = None
    not_applicable: bool = False
    is_quality: bool = False

    def earned(self) -> Decimal:
        if self.points is not None:
            return self.points
        if self.score is None or not self.max_score:
            return Decimal(0)
        return Decimal(self.score) / Decimal(self.max_score) * Decimal(self.weight)


def weighted_total(marks: list[Mark]) -> Decimal:
    """The total out of 100 over the criteria that apply: "not applicable" is never a 0.

    When criteria are not applicable their weight leaves the denominator, so the total is
    rescaled over the weights that remain.
    """
    counted = [m for m in marks if not m.not_applicable and m.weight]
    possible = sum(Decimal(m.weight) for m in counted)
    if not possible:
        return Decimal(0)
    earned = sum((m.earned() for m in counted), Decimal(0))
    return (earned / possible * 100).quantize(TWO_PLACES, ROUND_HALF_UP)


def quality_total(marks: list[Mark]) -> Decimal:
    """The quality criteria's own total out of 100 (used to break ties)."""
    return weighted_total([m for m in marks if m.is_quality])


def mean_score(scores: list[int | None]) -> Decimal | None:
    """The mean of the assessors' scores, ignoring "not applicable"; None if none scored."""
    given = [s for s in scores if s is not None]
    if not given:
        return None
    return Decimal(str(fmean(given))).quantize(TWO_PLACES, ROUND_HALF_UP)


@dataclass
class Ranked:
    """An application's place in its lot's ranking."""

    key: int
    total: Decimal
    quality: Decimal
    submitted_at: datetime
    passed_gates: bool = True
    position: int | None = None
    extra: dict = field(default_factory=dict)


def rank(entries: list[Ranked]) -> list[Ranked]:
    """Order by total, then quality, then earlier submission; gate failures come last, unranked."""
    passed = sorted(
        (e for e in entries if e.passed_gates),
        key=lambda e: (-e.total, -e.quality, e.submitted_at, e.key),
    )
    for position, entry in enumerate(passed, start=1):
        entry.position = position
    failed = [e for e in entries if not e.passed_gates]
    for entry in failed:
        entry.position = None
    return passed + sorted(failed, key=lambda e: e.key)
