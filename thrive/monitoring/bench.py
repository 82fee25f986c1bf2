"""Benchmarks for monitoring: the staff overview, the returns list and its export, the API.

Target: each answers within 0.5 s at ``county`` scale (1 s for the export), with a number of
queries that does not grow with the number of returns.
"""

from __future__ import annotations

from typing import Any


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
    ("Returns export, CSV", 1.0, _get("strategy", "/monitoring/all-returns/export/?format=csv")),
    ("Lead funders", 0.5, _get("strategy", "/monitoring/lead-funders/")),
    ("API returns, provider", 0.5, _get("provider", "/api/v1/monitoring/returns")),
]
