"""The annual report as a PDF, kept and built ahead of being asked for (§5.1).

Laying out the report's PDF takes seconds at county scale, so it is built in the background
whenever its figures may have changed (an award, its years or instalments, a pot, a
monitoring return) and when someone opens the report's page; the download then serves the
kept PDF at once. The figures are always read afresh: the kept PDF is found by a digest of
what it says, so a changed figure is never served from an old one.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django_tasks import task

from thrive.accounts.models import Council
from thrive.awards.models import Award, AwardYear, Instalment, Variation
from thrive.monitoring.models import MonitoringReturn
from thrive.strategy.models import FundingPot

# The report's figures and layout are imported where used: this module is loaded at every
# start-up (it watches the records the report counts), and they would slow each command.

TEMPLATE = "reporting/annual_pdf.html"


def annual_pdf(council: Council, year: int, report: Any = None) -> bytes:
    """The council's annual report for the year starting April ``year``, as a PDF: from
    ``report`` (``selectors.annual_report``'s, read already for the council and year) when
    given, so its figures are not read twice."""
    from thrive.core.pdf import render_pdf  # lazy: start-up (PDF layout is heavy)
    from thrive.reporting import presentation, selectors  # lazy: start-up

    if report is None:
        report = selectors.annual_report(council, year)
    context = presentation.annual_context(report)
    undated = {**context, "report": dataclasses.replace(report, generated_at=None)}
    return render_pdf(TEMPLATE, context, council=council, keep=True, key_context=undated)


@task()
def build_annual_pdf(council_id: int, year: int) -> None:
    """Lay out and keep one year's annual report PDF (nothing to do if it is kept already)."""
    council = Council.objects.filter(pk=council_id).first()
    if council is not None:
        annual_pdf(council, year)


def prebuild_enabled() -> bool:
    return getattr(settings, "THRIVE_PREBUILD_REPORTS", True)


def queue_build(council_id: int, years: list[int] | None = None) -> None:
    """Queue the build of the council's annual report PDFs once the change commits.

    The year running now and the one before are built (the ones being reported on); each
    council and year is queued once a transaction, however many records it changes (a
    transaction rolled back queues nothing).
    """
    if not prebuild_enabled() or not council_id:
        return
    connection = transaction.get_connection()
    queued = {getattr(func, "annual_pdf", None) for _, func, _ in connection.run_on_commit}
    for year in years or _years_in_question():
        key = (council_id, year)
        if key not in queued:
            build = _enqueuer(key)
            transaction.on_commit(build)
            queued.add(key)


def _enqueuer(key: tuple[int, int]) -> Any:
    def build() -> None:
        build_annual_pdf.enqueue(*key)

    build.annual_pdf = key  # type: ignore[attr-defined]  # found again by queue_build
    return build


def _years_in_question() -> list[int]:
    from thrive.reporting.selectors.common import current_year  # lazy: start-up

    year = current_year()
    return [year, year - 1]


# --- what changes the figures -----------------------------------------------------


def _council_of(instance: Any) -> int | None:
    """The council a changed record counts for, itself or through its award."""
    for path in ("council_id", "award.council_id"):
        value: Any = instance
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        if value:
            return value
    return None


def _changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures
    council_id = _council_of(instance)
    if council_id:
        queue_build(council_id)


WATCHED: tuple[type[Model], ...] = (
    Award,
    AwardYear,
    Instalment,
    Variation,
    FundingPot,
    MonitoringReturn,
)


def connect() -> None:
    """Rebuild the annual report PDFs when any record they count changes."""
    for model in WATCHED:
        label = model._meta.label
        post_save.connect(_changed, sender=model, dispatch_uid=f"annual-pdf-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"annual-pdf-del-{label}")
