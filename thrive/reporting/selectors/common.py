"""Small helpers shared by the reporting selectors."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Case, IntegerField, Max, Min, QuerySet, Value, When
from django.utils import timezone

from thrive.strategy.models import FinancialYear


def has_field(model: Any, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def year_bounds(start_year: int) -> tuple[date, date]:
    """First and last day of the financial year starting in April of ``start_year``."""
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)


def year_span(queryset: QuerySet, field: str) -> range:
    """The financial years from the earliest to the latest date in ``field`` (one query)."""
    span = queryset.order_by().aggregate(first=Min(field), last=Max(field))
    if span["first"] is None:
        return range(0)
    start = span["first"].year if span["first"].month >= 4 else span["first"].year - 1
    end = span["last"].year if span["last"].month >= 4 else span["last"].year - 1
    return range(start, end + 1)


def financial_year_of(field: str, years: range) -> Case | Value:
    """The financial year (its first calendar year) a date column falls in, in SQL.

    Plain range comparisons, one per year, rather than date functions: SQLite would call
    Python for every row to extract a month or a year.
    """
    if not years:
        return Value(None, output_field=IntegerField())
    return Case(
        *[
            When(
                **{f"{field}__gte": date(year, 4, 1), f"{field}__lte": date(year + 1, 3, 31)},
                then=Value(year),
            )
            for year in years
        ],
        default=Value(None),
        output_field=IntegerField(),
    )


def year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def current_year() -> int:
    """The financial year today falls in (its first calendar year), in Europe/London."""
    return FinancialYear.start_year_for(timezone.localdate())


__all__ = [
    "current_year",
    "financial_year_of",
    "has_field",
    "year_bounds",
    "year_label",
    "year_span",
]
