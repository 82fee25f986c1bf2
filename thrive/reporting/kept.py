"""Report figures worked out once and served again until what they count changes.

The investment figures, the years with awards, the outcomes' progress and NI 6 add up every
award, part by year and return of a council: seconds at national scale. They are kept
(``KeptFigures``, in the database so every web process and the worker share them) under the
council's version (``FiguresVersion``) and the day, and a kept figure is served only while
both are the ones it was made at.

Any saved or deleted record they count (``receivers.py``) moves its council's version on
once its transaction commits, before the request that made the change answers, so the next
page shows the change. The version has parts: monitoring records (plans, returns, progress,
lead funders) and the sector survey move their own, everything else the general one, and a
figure is kept under the sum of the parts it counts (``counts``), so a monitoring return
does not make the investment tables again, nor an award NI 6 or NI 7. The task worker then
adds up the figures the reports open with again (``tasks.keep_figures``; after an import
of other publishers' grants, which moves every council's ``OPEN_DATA`` part on, each
council's who funds whom), so that page seldom waits for them. Figures are read after
the version they are kept under, so figures kept under the current version include every
change whose version is older. Inside the transaction that made a change, nothing is kept
or served from the kept figures: its own change is read straight from the tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from thrive.reporting.models import FiguresVersion, KeptFigures

T = TypeVar("T")
ALL = "all"  # every council: a change to an organisation or other shared record
KEPT_DAYS = 2  # figures made before then are dropped when new ones are kept
# The parts of a council's version (``FiguresVersion`` columns): what a change moves on.
GENERAL = "version"  # awards, their parts and targets, names, organisations, councils
MONITORING = "monitoring_version"  # monitoring plans, returns, progress, lead funders
SURVEY = "survey_version"  # the sector survey's rounds and responses (NI 7)
OPEN_DATA = "open_data_version"  # other publishers' grants and contracts, imported
EVERYTHING = (GENERAL, MONITORING, SURVEY, OPEN_DATA)


def _pending() -> set[object]:
    """Councils (or ``ALL``) whose figures this transaction has changed, not yet committed."""
    return {council for council, _ in _pending_parts()}


def _pending_parts() -> set[tuple[object, str]]:
    """The councils and parts of their versions this transaction has yet to move on: only
    the moves (other work waits for the commit too), not those run already, where tests
    run them by hand."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return set()
    return {
        (func.kept_figures, func.kept_part)
        for _, func, _ in connection.run_on_commit
        if hasattr(func, "kept_part") and not getattr(func, "done", False)
    }


def changed(council_ids: Iterable[int] | None, part: str = GENERAL) -> None:
    """What the councils' reports count has changed (every council's when ``None``): move
    their versions' ``part`` on when the transaction commits, once each however many
    records change."""
    pending = _pending_parts()
    for council_id in [ALL] if council_ids is None else council_ids:
        if council_id and (council_id, part) not in pending:
            transaction.on_commit(_bumper(council_id, part))
            pending.add((council_id, part))


def _bumper(council_id: int | str, part: str) -> Callable[[], None]:
    def bump() -> None:
        versions = FiguresVersion.objects.all()
        if council_id != ALL:
            versions = versions.filter(council_id=council_id)
        if not versions.update(**{part: F(part) + 1}) and council_id != ALL:
            try:  # its first change: figures of every council count it (``shared``)
                with transaction.atomic():
                    FiguresVersion.objects.create(council_id=council_id, **{part: 1})
            except IntegrityError:  # made at the same moment by a reader
                versions.update(**{part: F(part) + 1})
        bump.done = True  # type: ignore[attr-defined]
        if getattr(settings, "THRIVE_PREBUILD_REPORTS", True):
            _prebuild(council_id, part)

    bump.kept_figures = council_id  # type: ignore[attr-defined]  # found by _pending
    bump.kept_part = part  # type: ignore[attr-defined]
    return bump


def _prebuild(council_id: int | str, part: str) -> None:
    """Queue the figures the reports open with to be added up again: the council's after
    its own change, every council's who funds whom after an import."""
    from thrive.reporting.tasks import keep_figures, keep_funders  # lazy: start-up

    if council_id != ALL:
        keep_figures.enqueue(council_id)
    elif part == OPEN_DATA:
        for each in FiguresVersion.objects.values_list("council_id", flat=True):
            keep_funders.enqueue(each)


def _sum(counts: tuple[str, ...]) -> Any:
    """The sum of the version's parts a figure counts: it moves on whenever one of them does,
    as each only ever grows."""
    total: Any = F(counts[0])
    for part in counts[1:]:
        total = total + F(part)
    return total


def _versions(council_id: int, shared: bool, counts: tuple[str, ...]) -> Any:
    """The council's version as a query, or with ``shared`` the sum of every council's
    (which any council's change moves on)."""
    if shared:
        return FiguresVersion.objects.aggregate(total=Sum(_sum(counts)))["total"]
    return (
        FiguresVersion.objects.filter(council_id=council_id)
        .annotate(total=_sum(counts))
        .values("total")[:1]
    )


def _version(council_id: int, shared: bool, counts: tuple[str, ...]) -> int:
    versions = FiguresVersion.objects.filter(council_id=council_id)
    version = versions.annotate(total=_sum(counts)).values_list("total").first()
    if version is not None:
        if shared:
            return FiguresVersion.objects.aggregate(total=Sum(_sum(counts)))["total"]
        return version[0]
    try:
        with transaction.atomic():
            FiguresVersion.objects.create(council_id=council_id)
    except IntegrityError:  # made at the same moment by another reader
        pass
    return _version(council_id, shared, counts)


def figures(
    council_id: int,
    key: str,
    compute: Callable[[], T],
    *,
    dump: Callable[[T], object],
    load: Callable[[object], T],
    shared: bool = False,
    counts: tuple[str, ...] = EVERYTHING,
) -> T:
    """``compute()``'s figures for the council, kept under ``key``; ``dump`` makes them JSON
    and ``load`` makes them again from it. ``counts`` names the parts of the version whose
    records they count (all unless said); ``shared`` figures count other councils' records
    too, so any council's change drops them."""
    pending = _pending()
    if council_id in pending or ALL in pending or (shared and pending):
        return compute()  # this transaction's own changes are not kept yet
    # The parts are in the key, so figures kept under another sum are never compared.
    key = f"{key}[{'+'.join(sorted(counts))}]@{timezone.localdate().isoformat()}"
    kept = (
        KeptFigures.objects.filter(
            council_id=council_id,
            key=key,
            version=_versions(council_id, shared, counts),
        )
        .values_list("data", flat=True)
        .first()
    )
    if kept is not None:
        return load(kept)
    version = _version(council_id, shared, counts)
    value = compute()
    _keep(council_id, key, version, dump(value))
    return value


def _keep(council_id: int, key: str, version: int, data: object) -> None:
    now = timezone.now()
    with transaction.atomic():
        KeptFigures.objects.filter(
            council_id=council_id, made_at__lt=now - timedelta(days=KEPT_DAYS)
        ).delete()
        KeptFigures.objects.bulk_create(
            [KeptFigures(council_id=council_id, key=key, version=version, data=data, made_at=now)],
            update_conflicts=True,
            unique_fields=["council", "key"],
            update_fields=["version", "data", "made_at"],
        )
