"""Reads for the open data pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery

from thrive.accounts.models import Council, User
from thrive.core import policy
from thrive.core.money import format_pence
from thrive.opendata import counts, ocds, transparency
from thrive.opendata.models import ExternalGrant, FundingKind, FundingTotal


def council_for_slug(slug: str | None) -> Council | None:
    """The council named in a request, or the installation's first council."""
    councils = Council.objects.order_by("pk")
    return councils.filter(slug=slug).first() if slug else councils.first()


def publications() -> list[dict[str, Any]]:
    """Each council with how many grants and contracts it publishes and when they changed
    (kept counts: ``thrive.opendata.counts``)."""
    councils = list(Council.objects.order_by("name"))
    stats = counts.published(council.pk for council in councils)
    return [
        {
            "council": council,
            **stats[council.pk],
            "contracting_updated": ocds.last_updated(council),
            "datasets": [(key, title) for key, (title, _, _) in transparency.DATASETS.items()],
        }
        for council in councils
    ]


# --- other funders' grants and other buyers' contracts, for the pages that show them ----


@dataclass
class Source:
    """The import run a total came from: its file and when it was read."""

    pk: int
    source_name: str
    imported_at: Any


@dataclass
class FunderYear:
    """One funder's (or buyer's) grants (or contracts) to one organisation in one year."""

    org_id: str
    name: str
    year: int | None
    currency: str
    count: int = 0
    total: Decimal = Decimal(0)
    sources: list[Source] = field(default_factory=list)

    @property
    def amount(self) -> str:
        """The total as people read it: £30,000.00, or 1,500.00 EUR in another currency."""
        if self.currency in ("GBP", ""):
            return format_pence(int(self.total * 100))
        return f"{self.total:,.2f} {self.currency}"


@dataclass
class OtherFunding:
    """An organisation's grants from other funders and contracts from other buyers."""

    grants: list[FunderYear] = field(default_factory=list)
    contracts: list[FunderYear] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.grants or self.contracts)

    @property
    def funders(self) -> list[FunderYear]:
        """Each funder once, with its count and total over every year (in each currency)."""
        return _over_years(self.grants)

    @property
    def buyers(self) -> list[FunderYear]:
        return _over_years(self.contracts)

    @property
    def grants_by_funder(self) -> list[tuple[FunderYear, list[FunderYear]]]:
        """Each funder's totals over the years, with its years."""
        return [
            (f, [r for r in self.grants if (r.org_id, r.currency) == (f.org_id, f.currency)])
            for f in self.funders
        ]


def funders_in_words(funding: OtherFunding | None) -> str:
    """Each other funder with its total, for a table cell of an export: "Oak Trust: £30.00"."""
    return "; ".join(f"{f.name}: {f.amount}" for f in (funding.funders if funding else []))


def _over_years(rows: list[FunderYear]) -> list[FunderYear]:
    merged: dict[tuple[str, str], FunderYear] = {}
    for row in rows:
        total = merged.setdefault(
            (row.org_id, row.currency), FunderYear(row.org_id, row.name, None, row.currency)
        )
        total.count += row.count
        total.total += row.total
        total.sources += [s for s in row.sources if s not in total.sources]
    return sorted(merged.values(), key=lambda r: (-r.total, r.name))


def _by_year(rows: Iterable[dict[str, Any]]) -> dict[int, list]:
    """The grouped rows as each recipient's totals by funder (or buyer) and year, with sources."""
    found: dict[tuple, FunderYear] = {}
    for row in rows:
        key = (row["recipient_id"], row["who"], row["year"], row["currency"])
        entry = found.setdefault(key, FunderYear(row["who"], row["name"], *key[2:]))
        entry.count += row["count"]
        entry.total += row["total"] or Decimal(0)
        entry.sources.append(
            Source(
                row["import_run_id"],
                row["import_run__source_name"],
                row["import_run__imported_at"],
            )
        )
    grouped: dict[int, list[FunderYear]] = {}
    ordered = sorted(found.items(), key=lambda kv: (-(kv[0][2] or 0), kv[1].name))
    for (recipient_id, *_), entry in ordered:
        entry.sources.sort(key=lambda s: s.imported_at, reverse=True)
        grouped.setdefault(recipient_id, []).append(entry)
    return grouped


def other_funding(organisation_ids: Iterable[int]) -> dict[int, OtherFunding]:
    """For each organisation, other funders' grants and other buyers' contracts by year.

    One query whatever the number of organisations, over the totals kept by funder, year
    and import (``thrive.opendata.totals``) rather than the grants themselves; grants and
    contracts held for review (no recipient yet) are left out. Organisations with neither
    are absent from the answer.
    """
    ids = list(organisation_ids)
    rows = list(
        FundingTotal.objects.filter(recipient_id__in=ids)
        .values(
            "recipient_id",
            "kind",
            "currency",
            "year",
            "name",
            "count",
            "total",
            "import_run_id",
            "import_run__source_name",
            "import_run__imported_at",
            "who",
        )
        .order_by()
    )
    by_grants = _by_year(row for row in rows if row["kind"] == FundingKind.GRANT)
    by_contracts = _by_year(row for row in rows if row["kind"] == FundingKind.CONTRACT)
    return {
        pk: OtherFunding(by_grants.get(pk, []), by_contracts.get(pk, []))
        for pk in ids
        if pk in by_grants or pk in by_contracts
    }


def other_funding_of(organisation: Any) -> OtherFunding:
    """One organisation's other funding (empty when there is none)."""
    return other_funding([organisation.pk]).get(organisation.pk, OtherFunding())


# Each funder once by reading the (funder_org_id, award_date) index: one probe a funder for
# the next org-id and one for its latest grant's name, not a pass over a million grants.
_FUNDERS_SQL = """
WITH RECURSIVE funders(org_id) AS (
    (SELECT funder_org_id FROM opendata_externalgrant
     WHERE recipient_id IS NOT NULL ORDER BY funder_org_id LIMIT 1)
    UNION ALL
    SELECT (SELECT g.funder_org_id FROM opendata_externalgrant g
            WHERE g.funder_org_id > f.org_id AND g.recipient_id IS NOT NULL
            ORDER BY g.funder_org_id LIMIT 1)
    FROM funders f WHERE f.org_id IS NOT NULL
)
SELECT f.org_id,
       (SELECT g.funder_name FROM opendata_externalgrant g
        WHERE g.funder_org_id = f.org_id AND g.recipient_id IS NOT NULL
        ORDER BY g.award_date DESC LIMIT 1) AS name
FROM funders f WHERE f.org_id IS NOT NULL
"""


def funders_in_imported_data() -> list[tuple[str, str]]:
    """Each funder of an imported grant with a recipient on the register, once: (org-id, name),
    named as in its latest grant."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_FUNDERS_SQL)
            found = {(org_id, name) for org_id, name in cursor.fetchall()}
        return sorted(found, key=lambda row: (row[1], row[0]))
    latest = ExternalGrant.objects.filter(
        funder_org_id=OuterRef("funder_org_id"), recipient__isnull=False
    ).order_by("-award_date", "-pk")
    rows = (
        ExternalGrant.objects.filter(recipient__isnull=False)
        .values("funder_org_id")
        .annotate(name=Subquery(latest.values("funder_name")[:1]))
        .distinct()
    )
    found = {(row["funder_org_id"], row["name"]) for row in rows}
    return sorted(found, key=lambda row: (row[1], row[0]))


def external_grants_for(user: User) -> QuerySet[ExternalGrant]:
    """The imported grants a user may read: staff all (it is public data), providers their own.

    Grants held for review have no recipient yet; staff see them, providers do not.
    """
    grants = ExternalGrant.objects.select_related("import_run")
    if policy.is_staff_user(user):
        return grants
    if not user.is_authenticated:
        return grants.none()
    return grants.filter(recipient__memberships__user=user)
