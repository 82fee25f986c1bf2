"""Benchmarks for monitoring: the staff overview, the returns list and its export, the API.

Target: each page answers within 0.5 s, with a number of queries that does not grow with the
number of returns. The export of every return takes 1 s, or for more than 30,000 returns
(the ``large`` scale has about 90,000) no longer than 30,000 rows a second allows.
"""

from __future__ import annotations

from typing import Any

from thrive.monitoring.models import MonitoringReturn

EXPORT_ROWS_PER_SECOND = 30_000


def _export_target() -> float:
    return max(1.0, MonitoringReturn.objects.count() / EXPORT_ROWS_PER_SECOND)


def _get(username: str, path: str) -> Any:
    return lambda client_for: client_for(username).get(path)


CASES = [
    ("Monitoring overview, strategy group", 0.5, _get("strategy", "/monitoring/")),
    ("Monitoring overview, commissioner", 0.5, _get("commissioner", "/monitoring/")),
    (
        "Overdue returns, first page",
        0.5,
        _get("strategy", "/monitoring/all-returns/?status=overdue"),
    ),
    (
        "Returns export, CSV, every return",
        _export_target,
        _get("strategy", "/monitoring/all-returns/export/?format=csv"),
    ),
    ("Lead funders", 0.5, _get("strategy", "/monitoring/lead-funders/")),
    ("API returns, provider", 0.5, _get("provider", "/api/v1/monitoring/returns")),
]
