"""What the strategy's pages share: the council a page is about, years and export formats."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone

from thrive.accounts.models import Council
from thrive.core import policy
from thrive.core.exports import EXPORT_FORMATS
from thrive.strategy import selectors
from thrive.strategy.models import FinancialYear


def council_of(request: HttpRequest) -> Council:
    """The council the page is about: the user's own, or the one a system admin chose."""
    return selectors.council_for(request.user, request.GET.get("council"))


def council_allowed(request: HttpRequest, action: str) -> Council:
    """The council the page is about, once the policy lets the user do the action there."""
    council = council_of(request)
    policy.require(request.user, action, council)
    return council


def councils_for_admin(request: HttpRequest) -> list[Council]:
    """The councils a system administrator may switch between (none for council staff)."""
    if request.user.council_id:
        return []
    return list(Council.objects.order_by("name"))


def export_format(request: HttpRequest) -> str:
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        raise Http404("Unknown format")
    return fmt


def chosen_year(request: HttpRequest, years: list[Any]) -> Any:
    """The year asked for, else the current financial year, else the newest offered."""
    chosen = request.GET.get("year", "")
    current = FinancialYear.start_year_for(timezone.localdate())
    return next(
        (y for y in years if str(y.start_year) == chosen),
        next((y for y in years if y.start_year == current), years[0] if years else None),
    )
