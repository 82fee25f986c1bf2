"""Benchmarks for reporting: the investment dashboard, its API, the annual report page and PDF.

Targets: the dashboard and the API answer within 1 s at p95 at ``large`` scale (20,000
organisations, 10 years of awards), with a number of queries that does not grow with data.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import transaction
from django.test import Client

from thrive.accounts.models import Council, User
from thrive.awards.models import AwardYear
from thrive.reporting import documents, selectors


def _latest_year() -> int:
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


def _change_a_figure(council: Council, year: int) -> None:
    """Move a penny between two of the year's awards, as a variation would (saved, so the
    background build is queued as it is for any change)."""
    parts = list(
        AwardYear.objects.filter(award__council=council, start_year=year).order_by("pk")[:2]
    )
    with transaction.atomic():
        for part, step in zip(parts, (1, -1), strict=False):
            part.amount_pence += step
            part.save(update_fields=["amount_pence"])
        if len(parts) == 1:
            parts[0].amount_pence -= 1  # a lone award: put it back, still a saved change
            parts[0].save(update_fields=["amount_pence"])


def measure() -> list[tuple[str, str, str, bool]]:
    """The annual report PDF after its figures change: built by the worker, then downloaded."""
    user = User.objects.get(username="strategy")
    year = _latest_year()
    client = Client()
    client.force_login(user)
    path = f"/reports/annual/{year}/pdf/"

    client.get(path)  # a server that has answered before: templates loaded, session made
    _change_a_figure(user.council, year)
    start = time.perf_counter()
    documents.build_annual_pdf.call(user.council_id, year)  # what the worker runs
    build = time.perf_counter() - start
    start = time.perf_counter()
    response = client.get(path)
    served = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"The annual report PDF answered HTTP {response.status_code}")

    _change_a_figure(user.council, year)
    start = time.perf_counter()
    client.get(path)  # asked for before the worker has built it
    cold = time.perf_counter() - start
    return [
        (
            "Annual report PDF after a change, once the worker has built it",
            f"{served * 1000:.0f} ms (the build took {build:.1f} s in the worker)",
            "1 s",
            served <= 1.0,
        ),
        (
            "Annual report PDF after a change, asked for before the worker built it",
            f"{cold:.1f} s",
            "none (laid out while the user waits)",
            True,
        ),
    ]
