"""Template filters for reports."""

from __future__ import annotations

from django import template

from thrive.reporting.presentation import percent as format_percent

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    """A share from 0 to 1 as a percentage with one decimal: 0.125 -> '12.5%'."""
    return format_percent(share or 0.0)
