"""Small helpers shared by the reporting selectors."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import ExtractYear


def has_field(model: Any, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def model_or_none(label: str) -> Any:
    """The model if its app has built it yet, else None (monitoring lands in steps)."""
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def year_bounds(start_year: int) -> tuple[date, date]:
    """First and last day of the financial year starting in April of ``start_year``."""
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)


def financial_year_of(field: str) -> Case:
    """The financial year (its first calendar year) a date column falls in, in SQL."""
    return Case(
        When(
            **{f"{field}__month__gte": 4},
            then=ExtractYear(field),
        ),
        default=ExtractYear(field) - Value(1),
        output_field=IntegerField(),
    )


def year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


__all__ = [
    "financial_year_of",
    "has_field",
    "model_or_none",
    "year_bounds",
    "year_label",
]
