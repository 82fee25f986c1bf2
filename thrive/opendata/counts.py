"""How many grants and contracts each council publishes, kept instead of counted each time.

The open data page shows every council's count of published grants and when its latest
award was made; at national scale that is a million awards grouped on every view. The
counts are kept (``PublishedCounts``, in the database, so every web process and the worker
share them) with the version of the council's awards they were made at, and served only
while that version is still the council's.

Any saved or deleted award (``connect``) moves its council's version on once its
transaction commits, before the request that made the change answers, so the next page
counts again; the task worker then counts that council again (``tasks.keep_counts``), so
the page seldom waits. A page finding a council's counts out of date counts that council
alone and keeps the result. The version is read before counting, so counts kept at a
version include every change that moved the version to it. Inside the transaction that made
a change, nothing is kept or served from the kept counts for that council: its own change
is read straight from the awards. Bulk loads that bypass the model's signals end by
saying so: the seed by ``changed`` (inside its transaction), the benchmark's top-up by
``recount``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypedDict

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.db.models.signals import post_delete, post_save

from thrive.awards.models import Award
from thrive.opendata.models import PublishedCounts


class Counts(TypedDict):
    grants: int
    contracts: int
    updated: datetime | None


NOTHING: Counts = {"grants": 0, "contracts": 0, "updated": None}


def _pending() -> set[int]:
    """Councils whose awards this transaction has changed, not yet committed."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return set()
    return {
        getattr(func, "published_counts", None)
        for _, func, _ in connection.run_on_commit
        if not getattr(func, "done", False)
    } - {None}


def changed(council_ids: Iterable[int]) -> None:
    """The councils' awards have changed: move their versions on when the transaction
    commits, once each however many awards change."""
    pending = _pending()
    for council_id in council_ids:
        if council_id and council_id not in pending:
            transaction.on_commit(_bumper(council_id))
            pending.add(council_id)


def _move_on(council_id: int) -> None:
    versions = PublishedCounts.objects.filter(council_id=council_id)
    if not versions.update(version=F("version") + 1):
        try:
            with transaction.atomic():
                PublishedCounts.objects.create(council_id=council_id, version=1)
        except IntegrityError:  # made at the same moment by a page keeping counts
            versions.update(version=F("version") + 1)


def _bumper(council_id: int) -> Callable[[], None]:
    def bump() -> None:
        _move_on(council_id)
        bump.done = True  # type: ignore[attr-defined]
        from thrive.opendata.tasks import keep_counts  # lazy: tasks import this module

        keep_counts.enqueue(council_id)

    bump.published_counts = council_id  # type: ignore[attr-defined]  # found by _pending
    return bump


def count(council_ids: Iterable[int]) -> dict[int, Counts]:
    """The councils' counts, from the awards themselves (councils without any are absent)."""
    from thrive.opendata.publishing import GRANT_KINDS  # lazy: the export libraries, not at start

    return {
        row.pop("council"): row
        for row in Award.objects.funded()
        .filter(council_id__in=list(council_ids))
        .values("council")
        .annotate(
            grants=Count("pk", filter=Q(kind__in=GRANT_KINDS)),
            contracts=Count("pk", filter=~Q(kind__in=GRANT_KINDS)),
            updated=Max("created_at"),
        )
        .order_by()
    }


def _keep(council_ids: list[int], kept: dict[int, PublishedCounts]) -> dict[int, Counts]:
    """Count the councils and keep their counts at the versions read before (``kept``)."""
    found = count(council_ids)
    missing = []
    for council_id in council_ids:
        counts = found.get(council_id, NOTHING)
        row = kept.get(council_id)
        if row is None:
            missing.append(PublishedCounts(council_id=council_id, counted=0, **counts))
        else:
            PublishedCounts.objects.filter(council_id=council_id).filter(
                Q(counted__isnull=True) | Q(counted__lt=row.version)
            ).update(counted=row.version, **counts)
    if missing:  # a change committed meanwhile made its row first: that row stays
        PublishedCounts.objects.bulk_create(missing, ignore_conflicts=True)
    return found


def keep(council_ids: Iterable[int]) -> None:
    """Count the councils again and keep their counts (the task, and bulk loads)."""
    ids = list(council_ids)
    _keep(ids, {row.council_id: row for row in PublishedCounts.objects.filter(council_id__in=ids)})


def recount(council_ids: Iterable[int]) -> None:
    """Count the councils again now, after a bulk load that saved awards without their
    signals (the benchmark's top-up): versions moved on, then counted and kept."""
    ids = list(council_ids)
    for council_id in ids:
        _move_on(council_id)
    keep(ids)


def published(council_ids: Iterable[int]) -> dict[int, Counts]:
    """Each council's counts: kept ones while current, the others counted and kept."""
    ids = list(council_ids)
    pending = _pending()
    kept = {row.council_id: row for row in PublishedCounts.objects.filter(council_id__in=ids)}
    answer: dict[int, Counts] = {}
    stale = []
    for council_id in ids:
        row = kept.get(council_id)
        if council_id in pending:
            continue
        if row is not None and row.counted == row.version:
            answer[council_id] = {
                "grants": row.grants,
                "contracts": row.contracts,
                "updated": row.updated,
            }
        else:
            stale.append(council_id)
    if stale:
        found = _keep(stale, kept)
        answer.update({council_id: found.get(council_id, NOTHING) for council_id in stale})
    if pending & set(ids):
        found = count(pending & set(ids))
        answer.update({c: found.get(c, NOTHING) for c in pending & set(ids)})
    return answer


def _award_changed(sender: Any, instance: Award, **kwargs: Any) -> None:
    if not kwargs.get("raw"):  # loading fixtures
        changed([instance.council_id])


def connect() -> None:
    post_save.connect(_award_changed, sender=Award, dispatch_uid="published-counts-save")
    post_delete.connect(_award_changed, sender=Award, dispatch_uid="published-counts-delete")
