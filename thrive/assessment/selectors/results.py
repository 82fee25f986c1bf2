"""Results: agreed scores, weighted totals and the ranking of each lot (§3.3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from thrive.applications.models import Application
from thrive.assessment import scoring
from thrive.assessment.models import (
    ModeratedScore,
)
from thrive.assessment.selectors.panels import panel_applications
from thrive.opportunities.models import Criterion, CriterionKind, Lot, Opportunity


@dataclass
class Line:
    """One criterion's agreed result for one application, for pages and feedback."""

    criterion: Criterion
    agreed: ModeratedScore | None = None
    points: Decimal | None = None


@dataclass
class Result:
    application: Application
    lines: list[Line] = field(default_factory=list)
    complete: bool = False
    passed_gates: bool = True
    total: Decimal = Decimal(0)
    quality: Decimal = Decimal(0)
    position: int | None = None


def _budget(opportunity: Opportunity, lot: Lot | None) -> int:
    return (lot.value_pence if lot else 0) or opportunity.value_pence


def _price_points(criterion: Criterion, application: Application, lowest: int) -> Decimal:
    return scoring.price_points(
        bid_pence=application.amount_requested_pence or 0,
        lowest_pence=lowest,
        weight=criterion.weight,
        formula=criterion.price_formula,
        budget_pence=_budget(application.opportunity, application.lot),
    )


def _mark(line: Line) -> scoring.Mark:
    c, agreed = line.criterion, line.agreed
    if c.is_price:
        return scoring.Mark(weight=c.weight, points=line.points)
    return scoring.Mark(
        weight=c.weight,
        score=agreed.score if agreed else None,
        max_score=c.max_score,
        not_applicable=bool(agreed and agreed.not_applicable),
        is_quality=c.kind == CriterionKind.QUALITY,
    )


def _result(application: Application, criteria: list[Criterion], lowest: int) -> Result:
    agreed = {m.criterion_id: m for m in application.moderated_scores.all()}
    result = Result(application=application)
    for c in criteria:
        line = Line(criterion=c, agreed=agreed.get(c.pk))
        if c.is_price:
            line.points = _price_points(c, application, lowest)
        result.lines.append(line)
    result.complete = all(line.agreed for line in result.lines if not line.criterion.is_price)
    result.passed_gates = all(
        line.agreed is None or line.agreed.passed is not False
        for line in result.lines
        if line.criterion.is_gate
    )
    marks = [_mark(line) for line in result.lines if not line.criterion.is_gate]
    result.total = scoring.weighted_total(marks)
    result.quality = scoring.quality_total(marks)
    return result


def results_for_lot(opportunity: Opportunity, lot: Lot | None) -> list[Result]:
    """The lot's applications with agreed scores, totals and their place by the tie rule."""
    apps = [
        a
        for a in panel_applications(opportunity).prefetch_related("moderated_scores")
        if a.lot_id == (lot.pk if lot else None)
    ]
    criteria = [
        c
        for c in opportunity.criteria.select_related("lot")
        if c.lot_id is None or (lot and c.lot_id == lot.pk)
    ]
    prices = [a.amount_requested_pence for a in apps if a.amount_requested_pence]
    lowest = min(prices) if prices else 0
    results = [_result(a, criteria, lowest) for a in apps]
    entries = [
        scoring.Ranked(
            key=r.application.pk,
            total=r.total,
            quality=r.quality,
            submitted_at=r.application.submitted_at or timezone.now(),
            passed_gates=r.passed_gates,
        )
        for r in results
        if r.complete
    ]
    by_key = {r.application.pk: r for r in results}
    ordered = []
    for entry in scoring.rank(entries):
        by_key[entry.key].position = entry.position
        ordered.append(by_key[entry.key])
    return ordered + [r for r in results if not r.complete]


def lots_of(opportunity: Opportunity) -> list[Lot | None]:
    return list(opportunity.lots.all()) or [None]


def results_by_lot(opportunity: Opportunity) -> list[tuple[Lot | None, list[Result]]]:
    return [(lot, results_for_lot(opportunity, lot)) for lot in lots_of(opportunity)]
