"""One problem with a published grant or contract award, and the report of them all."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

ERROR = "error"
WARNING = "warning"
REPORT_COLUMNS = ["severity", "location", "grant_id", "field", "kind", "message"]


class Problem(NamedTuple):
    """One problem: ``location`` is the grant's place, ``field`` the field within it.

    An OCDS problem (``ocds``) is of a contract award: its ``location`` is already the
    field's own place and ``grant_id`` holds the release's ocid.
    """

    location: str
    message: str
    grant_id: str = ""
    field: str = ""
    kind: str = ""
    severity: str = WARNING
    ocds: bool = False

    @property
    def place(self) -> str:
        if not self.field or self.ocds:
            return self.location
        if self.location.startswith("row "):
            return f"{self.location}, column {self.field}"
        return f"{self.location}/{self.field}"

    def __str__(self) -> str:
        noun = "" if self.ocds else "grant "
        ident = f" ({noun}{self.grant_id})" if self.grant_id else ""
        return f"{self.place}{ident}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        """The form ``ImportRun.problems`` keeps."""
        return {
            "severity": self.severity,
            "location": self.location,
            "grant_id": self.grant_id,
            "field": self.field,
            "kind": self.kind,
            "message": self.message,
        }


def counts_by_kind(problems: Iterable[Problem]) -> list[tuple[str, str, int, Problem]]:
    """(severity, kind, count, first example) for each sort of problem, most common first."""
    counts: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], Problem] = {}
    for problem in problems:
        key = (problem.severity, problem.kind)
        counts[key] += 1
        examples.setdefault(key, problem)
    ranked = sorted(counts.items(), key=lambda item: (item[0][0] != ERROR, -item[1], item[0][1]))
    return [
        (severity, kind, count, examples[(severity, kind)]) for (severity, kind), count in ranked
    ]


def write_report(problems: Iterable[Problem], path: Path) -> int:
    """Write every problem to a CSV file, one a row; return how many were written."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REPORT_COLUMNS)
        for problem in problems:
            writer.writerow(
                (
                    problem.severity,
                    problem.location,
                    problem.grant_id,
                    problem.field,
                    problem.kind,
                    problem.message,
                )
            )
            count += 1
    return count
