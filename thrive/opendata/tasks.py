"""Background work for open data: count a council's published awards again after a change."""

from __future__ import annotations

from django_tasks import task

from thrive.opendata import counts


@task()
def keep_counts(council_id: int) -> None:
    """Count and keep the council's published grants and contracts, so the open data page
    after a change reads them kept."""
    counts.keep([council_id])
