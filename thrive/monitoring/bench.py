"""Benchmarks for monitoring: the staff overview, the returns list and its export, the API.

Target: each page answers within 0.5 s, with a number of queries that does not grow with the
number of returns. The export of every return (more than 50,000 at the ``large`` scale,
so made in the background) is timed with every other export by ``thrive/core/bench.py``.
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
    ("Lead funders", 0.5, _get("strategy", "/monitoring/lead-funders/")),
    ("API returns, provider", 0.5, _get("provider", "/api/v1/monitoring/returns")),
]
