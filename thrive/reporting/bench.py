"""Benchmarks for reporting: every reporting page, the investment API and the annual report.

Targets (server time, p95, at ``large`` scale and with a million awards on PostgreSQL): the
investment dashboard and the annual report page 300 ms, every other reporting page 200 ms,
the annual report PDF 2 s. The figures are added up once and kept until a record they count
changes (``thrive.reporting.kept``); ``measure()`` also times the first dashboard after a
change, which adds them up again.
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
    ("Investment dashboard, all years", 0.3, _get("/reports/")),
    ("Investment dashboard, one year", 0.3, _with_year("/reports/?year={year}")),
    ("API investment totals, all years", 0.2, _get("/api/v1/reports/investment")),
    ("API investment totals, one year", 0.2, _with_year("/api/v1/reports/investment?year={year}")),
    ("Investment table export (CSV)", 0.2, _get("/reports/export/directorate/")),
    ("Outcomes report", 0.2, _get("/reports/outcomes/")),
    ("Indicators (NI 6, NI 7)", 0.2, _get("/reports/indicators/")),
    ("Who funds whom", 0.2, _get("/reports/funders/")),
    ("Annual reports index", 0.2, _get("/reports/annual/")),
    ("Annual report page", 0.3, _with_year("/reports/annual/{year}/")),
    ("Annual report PDF", 2.0, _with_year("/reports/annual/{year}/pdf/")),
    ("Applicants' comments", 0.2, _get("/reports/feedback/")),
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

    _change_a_figure(user.council, year)
    start = time.perf_counter()
    client.get("/reports/")  # the figures added up again, then kept
    recount = time.perf_counter() - start
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
        (
            "Investment dashboard, the first request after a change (figures added up again)",
            f"{recount * 1000:.0f} ms",
            "none (the next requests are served as kept)",
            True,
        ),
    ]
