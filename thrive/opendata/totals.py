"""Each organisation's imported grants and contracts, added up by funder (or buyer), year,
currency and import (``FundingTotal``), for the pages that show other funding.

Adding up an organisation's grants when a page asks means reading every one of them: the
lead funders download read 60,000 grants scattered over a table of a million for its 328
organisations, 0.5 s a time. The totals are made again from the grants by what moves
grants between organisations, in the same transaction:

- an import of 360Giving grants or OCDS contracts: the organisations it wrote to and
  those it moved re-read grants from, or every organisation's when they are many
  (``refresh_imported``);
- a review decision giving held grants their organisation (``refresh`` of that one);
- a merge of two organisations: both (``connect``, on the merged record's save);
- a grant or contract saved or deleted one at a time (``connect``).

An import writes its rows with SQL of its own, so it sends no signals: it refreshes.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.apps import apps as django_apps
from django.db import connection, transaction
from django.db.models import Count, F, Max, Model, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.db.models.signals import post_delete, post_save

from thrive.opendata.models import ExternalContract, ExternalGrant, FundingKind
from thrive.organisations.models import Organisation

# What each kind is read from: its model, the funder's (buyer's) org-id and name, the amount.
SOURCES: dict[str, tuple[str, str, str, str]] = {
    FundingKind.GRANT: ("ExternalGrant", "funder_org_id", "funder_name", "amount_awarded"),
    FundingKind.CONTRACT: ("ExternalContract", "buyer_org_id", "buyer_name", "value"),
}
BATCH = 2_000
MANY_RECIPIENTS = 2_000  # an import writing to more adds up every organisation's totals
# The advisory locks ``refresh`` takes: a number for the totals, then one for each kind.
LOCK_SPACE = 360_360
LOCKS = {FundingKind.GRANT: 1, FundingKind.CONTRACT: 2}


def refresh(
    kind: str, recipient_ids: Iterable[int | None] | None = None, *, apps: Any = django_apps
) -> None:
    """Add up the ``kind`` of the organisations again (of every organisation when None);
    ``apps`` is a migration's, when one adds up the grants already imported."""
    name_of_model, who, name, amount = SOURCES[kind]
    model = apps.get_model("opendata", name_of_model)
    totals = apps.get_model("opendata", "FundingTotal")
    kept = totals.objects.filter(kind=kind)
    rows = model._default_manager.filter(recipient__isnull=False)
    if recipient_ids is not None:
        ids = sorted({pk for pk in recipient_ids if pk is not None})
        if not ids:
            return
        kept = kept.filter(recipient_id__in=ids)
        rows = rows.filter(recipient_id__in=ids)
    grouped = (
        rows.values(
            "recipient_id",
            "currency",
            "import_run_id",
            who_id=F(who),
            year=ExtractYear("award_date"),
        )
        .annotate(
            count=Count("pk"),
            total=Coalesce(Sum(amount), Value(Decimal(0))),
            name=Max(name),
        )
        .values_list(
            "recipient_id", "currency", "import_run_id", "year", "who_id", "name", "count", "total"
        )
        .order_by()
    )
    with transaction.atomic():
        _one_at_a_time(kind)
        kept.delete()
        batch: list[Any] = []
        for recipient_id, currency, run_id, year, org_id, funder, count, total in grouped.iterator(
            chunk_size=BATCH
        ):
            batch.append(
                totals(
                    recipient_id=recipient_id,
                    kind=kind,
                    who=org_id or "",
                    name=funder or "",
                    year=year,
                    currency=currency or "",
                    import_run_id=run_id,
                    count=count,
                    total=total,
                )
            )
            if len(batch) == BATCH:
                totals.objects.bulk_create(batch)
                batch = []
        totals.objects.bulk_create(batch)


def refresh_imported(kind: str, recipients: set[int | None]) -> None:
    """Add up again the organisations an import wrote to (or moved grants from): one by one
    when they are few, every organisation's at once when they are many, which is then
    quicker. A grant in a file of one took 5 s to add up every total again at 543,000
    grants."""
    many = len(recipients) > MANY_RECIPIENTS
    refresh(kind, None if many else recipients)


def _one_at_a_time(kind: str) -> None:
    """Wait for any other transaction adding up this kind to commit (PostgreSQL).

    Two imports at once each delete every total and add them up again: without waiting,
    the second's delete would not see the first's new totals, and both sets would stay. A
    review decision waiting for an import likewise reads the grants it committed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_SPACE, LOCKS[kind]])


def _one_saved(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures
    kind = FundingKind.GRANT if sender is ExternalGrant else FundingKind.CONTRACT
    refresh(kind, [instance.recipient_id])


def _merged(sender: type[Model], instance: Organisation, **kwargs: Any) -> None:
    """A merge has moved the merged record's grants and contracts to the one it joined."""
    fields = kwargs.get("update_fields") or ()
    if "merged_into" in fields and instance.merged_into_id:
        for kind in SOURCES:
            refresh(kind, [instance.pk, instance.merged_into_id])


def connect() -> None:
    for model in (ExternalGrant, ExternalContract):
        post_save.connect(_one_saved, sender=model, dispatch_uid=f"totals-save-{model.__name__}")
        post_delete.connect(
            _one_saved, sender=model, dispatch_uid=f"totals-delete-{model.__name__}"
        )
    post_save.connect(_merged, sender=Organisation, dispatch_uid="totals-merged")
