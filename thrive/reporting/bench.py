"""Benchmarks for reporting: the investment dashboard, its API, the annual report page and PDF.

Targets: the dashboard and the API answer within 1 s at p95 at ``large`` scale (20,000
organisations, 10 years of awards), with a number of queries that does not grow with data.
"""

from __future__ import annotations

from typing import Any


def _latest_year() -> int:
    from thrive.accounts.models import User
    from thrive.reporting import selectors

    council = User.objects.get(username="strategy").council
    years = selectors.financial_years(council)
    return years[1] if len(years) > 1 else years[0]


def _get(path: str) -> Any:
    return lambda client_for: client_for("strategy").get(path)


def _with_year(template: str) -> Any:
    return lambda client_for: client_for("strategy").get(template.format(year=_latest_year()))


CASES = [
    ("Investment dashboard, all years", 1.0, _get("/reports/")),
    ("Investment dashboard, one year", 1.0, _with_year("/reports/?year={year}")),
    ("API investment totals, one year", 1.0, _with_year("/api/v1/reports/investment?year={year}")),
    ("Outcomes report", 1.0, _get("/reports/outcomes/")),
    ("Annual report page", 2.0, _with_year("/reports/annual/{year}/")),
    ("Annual report PDF", 1.0, _with_year("/reports/annual/{year}/pdf/")),
]
