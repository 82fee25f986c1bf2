"""Who funds whom in a council's area: every funder of the organisations working there.

Three sources, each a kind of funder:

- councils on this service: their funded awards (active, completed or ended early) to
  organisations working in the area, counted by the money in each financial year
  (``awards.AwardYear``), as the investment dashboard counts them;
- grant-makers whose 360Giving grants name a beneficiary location in the area (its GSS
  code), counted in the financial year of the award date;
- other buyers whose OCDS contract awards name the area's GSS code in their published data,
  counted in the financial year of the award date (those without one under "Date not given").

Amounts are in pounds sterling; grants and contracts published in another currency are
counted apart and left out of the totals. A funder's organisations and grants are counted
once for all the years shown, so a funder's total row is not the sum of its years' rows.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
)

from thrive.accounts.models import Council
from thrive.awards.models import Award, AwardYear
from thrive.core.models import Area
from thrive.opendata import areas as open_areas
from thrive.organisations.models import Organisation
from thrive.reporting import kept
from thrive.reporting.selectors.common import year_bounds, year_label

COUNCIL = "Council on this service"
GRANT_MAKER = "Grant-maker (360Giving)"
BUYER = "Buyer (OCDS)"
NO_DATE = "Date not given"
HEADERS = ["Funder", "Kind", "Financial year", "Amount (£)", "Organisations", "Grants or awards"]


@dataclass(frozen=True)
class FunderFilters:
    council: Council
    area: Area | None = None
    year: int | None = None

    def query(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.area is not None:
            params["area"] = self.area.pk
        if self.year is not None:
            params["year"] = self.year
        return params


@dataclass
class FunderRow:
    funder: str
    kind: str
    year: int | None
    amount_pence: int
    organisations: int
    grants: int

    @property
    def year_label(self) -> str:
        return year_label(self.year) if self.year is not None else NO_DATE


@dataclass
class WhoFundsWhom:
    by_year: list[FunderRow]
    totals: list[FunderRow]
    codes: list[str]
    areas: list[Area]
    years: list[int]
    other_currency: int = 0
    areas_without_code: list[str] = field(default_factory=list)

    @property
    def total_pence(self) -> int:
        return sum(row.amount_pence for row in self.totals)


def _pence(amount: Decimal | int | None) -> int:
    return round(Decimal(amount or 0) * 100)


STERLING = Q(currency__in=("GBP", ""))


@dataclass
class _Sources:
    parts: QuerySet
    grants: QuerySet
    contracts: QuerySet
    other: tuple[QuerySet, QuerySet]  # grants and contracts in another currency


def _scope(
    filters: FunderFilters, chosen: list[Area], codes: list[str], every: list[Area] | None
) -> _Sources:
    """The awards' parts by year, grants and contracts in the areas, before any year."""
    county_wide = (
        [a for a in every if a.county_wide]
        if every is not None
        else Area.objects.filter(council_id=filters.council.pk, county_wide=True)
    )
    serving = list(chosen) + list(county_wide)
    # the organisations' areas alone, not joined to the organisations: a quarter less time
    working_here = Organisation.areas.through.objects.filter(area__in=serving)
    working_here = working_here.values("organisation_id")
    parts = AwardYear.objects.filter(
        award__in=Award.objects.funded().filter(organisation__in=working_here)
    )
    grants = open_areas.grants_in(codes)
    contracts = open_areas.contracts_in(codes)
    return _Sources(
        parts=parts,
        grants=grants.filter(STERLING),
        contracts=contracts.filter(STERLING).exclude(value=None),
        other=(grants.exclude(STERLING), contracts.exclude(STERLING)),
    )


def _in_year(queryset: QuerySet, year: int) -> QuerySet:
    first, last = year_bounds(year)
    return queryset.filter(award_date__gte=first, award_date__lte=last)


def _council_figures(sources: _Sources, filters: FunderFilters) -> dict[str, Any]:
    """The span of years and the councils' rows by year and in total, kept: every council's
    awards count, so any council's change drops them."""

    def count() -> dict[str, Any]:
        parts = sources.parts
        if filters.year is not None:
            span = parts.order_by().aggregate(first=Min("start_year"), last=Max("start_year"))
            parts = parts.filter(start_year=filters.year)
        rows = {key: [asdict(row) for row in _award_rows(parts, by_year=by_year)]
                for key, by_year in (("by_year", True), ("totals", False))}  # fmt: skip
        if filters.year is None:  # every year's parts are among the rows by year
            years = [row["year"] for row in rows["by_year"]]
            span = {"first": min(years, default=None), "last": max(years, default=None)}
        return {"span": span, **rows}

    area = filters.area.pk if filters.area else None
    return kept.figures(
        filters.council.pk,
        f"funders:{area}:{filters.year}",
        count,
        dump=dict,
        load=dict,
        shared=True,
        counts=(kept.GENERAL,),  # awards, councils, areas and organisations
    )


def _award_rows(parts: QuerySet, *, by_year: bool) -> list[FunderRow]:
    awards = parts.values("award__council__name", *(["start_year"] if by_year else []))
    awards = awards.order_by().annotate(
        amount=Sum("amount_pence"),
        organisations=Count("award__organisation", distinct=True),
        count=Count("award", distinct=True),
    )
    return [
        FunderRow(
            r["award__council__name"],
            COUNCIL,
            r.get("start_year"),
            int(r["amount"] or 0),
            r["organisations"],
            r["count"],
        )
        for r in awards
    ]


def _imported_figures(
    sources: _Sources, filters: FunderFilters, codes: list[str]
) -> dict[str, Any]:
    """Other publishers' grants and contracts in the areas: their financial years, their
    rows by year and in total, and how many are in another currency, kept. Only an import
    changes them (``kept.OPEN_DATA``) and the areas' codes are in the key, so a change to
    an award or an area's code does not count a million grants again."""

    def count() -> dict[str, Any]:
        grants, contracts = sources.grants, sources.contracts
        if filters.year is not None:
            grants, contracts = _in_year(grants, filters.year), _in_year(contracts, filters.year)
        rows = _imported_rows(grants, contracts)
        found = [row["year"] for row in rows["by_year"] if row["year"] is not None]
        years = range(min(found), max(found) + 1) if found else range(0)
        return {
            "years": sorted(years, reverse=True),
            "other_currency": _other_currency(sources) if filters.year is None else None,
            **rows,
        }

    digest = hashlib.sha256(",".join(codes).encode()).hexdigest()[:16]
    return kept.figures(
        filters.council.pk,
        f"funders-imported:{digest}:{filters.year}",
        count,
        dump=dict,
        load=dict,
        counts=(kept.OPEN_DATA,),  # every council's moves on with each import
    )


# What each imported source is grouped by and counts: its funder (or buyer), the funder's
# name, the amount, and who received it.
_GRANTS = ("funder_org_id", "funder_name", "amount_awarded", "recipient_org_id", GRANT_MAKER)
_CONTRACTS = ("buyer_name", "buyer_name", "value", "supplier_name", BUYER)


class FinancialYear(Func):
    """The financial year (its first calendar year) a date falls in, worked out by the
    database itself: no pass to find the earliest and latest dates first, as the range
    comparisons of ``financial_year_of`` need, over a million grants."""

    output_field = IntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "(EXTRACT(YEAR FROM %(expressions)s - INTERVAL '3 months'))::integer"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # the % doubled twice: once for this template, once for the parameters' placeholders
        template = "CAST(strftime('%%%%Y', %(expressions)s, '-3 months') AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)


def _grouped(queryset: QuerySet, source: tuple[str, ...]) -> QuerySet:
    """The source's totals for each funder, year and recipient: one pass over its grants,
    from which the rows by year and in total are both added up."""
    who, name, amount, recipient, kind = source
    return (
        queryset.order_by()
        .annotate(
            row_kind=Value(kind),
            row_who=F(who),
            row_year=FinancialYear("award_date"),
            row_recipient=F(recipient),
        )
        .values("row_kind", "row_who", "row_year", "row_recipient")
        .annotate(name=Max(name), amount=Sum(amount), count=Count("pk"))
    )


def _other_currency(sources: _Sources) -> int:
    """How many grants and contracts in the areas are in another currency: one query."""
    grants, contracts = (queryset.order_by().values("pk") for queryset in sources.other)
    return grants.union(contracts, all=True).count()


@dataclass
class _Funder:
    """A funder's (or a year of its) grants as they are added up, recipient by recipient."""

    name: str = ""
    amount: Decimal = Decimal(0)
    grants: int = 0
    recipients: set[str] = field(default_factory=set)

    def add(self, row: dict[str, Any]) -> None:
        self.name = max(self.name, row["name"])
        self.amount += row["amount"] or 0
        self.grants += row["count"]
        self.recipients.add(row["row_recipient"])


def _imported_rows(grants: QuerySet, contracts: QuerySet) -> dict[str, list[dict[str, Any]]]:
    """One row a grant-maker and one a buyer, by year and in total: one query, grouped by
    recipient too, so that a funder's organisations are counted once over all its years."""
    found: dict[tuple, _Funder] = defaultdict(_Funder)
    for r in _grouped(grants, _GRANTS).union(_grouped(contracts, _CONTRACTS), all=True):
        funder = (r["row_kind"], r["row_who"])
        found[(*funder, True, r["row_year"])].add(r)
        found[(*funder, False, None)].add(r)
    rows: dict[str, list[dict[str, Any]]] = {"by_year": [], "totals": []}
    for (kind, _, by_year, year), each in found.items():
        row = FunderRow(
            each.name, kind, year, _pence(each.amount), len(each.recipients), each.grants
        )
        rows["by_year" if by_year else "totals"].append(asdict(row))
    return rows


def _rows(councils: dict[str, Any], imported: dict[str, Any], *, by_year: bool) -> list[FunderRow]:
    """One row a funder (and a year, when ``by_year``): the councils' kept, then the
    imported grants' and contracts' kept."""
    key = "by_year" if by_year else "totals"
    return [FunderRow(**row) for row in councils[key] + imported[key]]


@dataclass
class Scope:
    """An area's sources before any year, and the financial years with funding there."""

    chosen: list[Area]
    codes: list[str]
    sources: _Sources
    councils: dict[str, Any]  # the councils' figures for every year
    imported: dict[str, Any]  # the imported grants' and contracts' for every year
    years: list[int]


def scope_for(
    council: Council, area: Area | None = None, *, every: list[Area] | None = None
) -> Scope:
    """The area's scope (the whole council's without one); ``every`` area of the council,
    when the caller has read them, saves reading them again."""
    if every is None:
        chosen = open_areas.council_areas(council.pk, [area] if area else [])
    else:
        chosen = [area] if area is not None and not area.county_wide else list(every)
    codes = open_areas.gss_codes(chosen)
    filters = FunderFilters(council, area)
    sources = _scope(filters, chosen, codes, every)
    councils = _council_figures(sources, filters)
    imported = _imported_figures(sources, filters, codes)
    found = set(imported["years"])
    if councils["span"]["first"] is not None:
        found.update(range(councils["span"]["first"], councils["span"]["last"] + 1))
    return Scope(chosen, codes, sources, councils, imported, sorted(found, reverse=True))


def who_funds_whom(filters: FunderFilters, *, scope: Scope | None = None) -> WhoFundsWhom:
    """Every funder of the organisations in the area (the whole council's by default);
    ``scope``, the filters' area's from ``scope_for``, when already worked out."""
    scope = scope or scope_for(filters.council, filters.area)
    councils, imported = scope.councils, scope.imported
    if filters.year is not None:
        councils = _council_figures(scope.sources, filters)
        imported = _imported_figures(scope.sources, filters, scope.codes)
    by_year = _rows(councils, imported, by_year=True)
    by_year.sort(key=lambda r: (-(r.year if r.year is not None else -1), -r.amount_pence))
    totals = _rows(councils, imported, by_year=False)
    totals.sort(key=lambda r: (-r.amount_pence, r.funder))
    return WhoFundsWhom(
        by_year=by_year,
        totals=totals,
        codes=scope.codes,
        areas=scope.chosen,
        years=scope.years,
        other_currency=scope.imported["other_currency"],
        areas_without_code=open_areas.without_code(scope.chosen),
    )


def export_rows(result: WhoFundsWhom) -> list[list[Any]]:
    """The by-year table as export rows: amounts in pounds, as numbers."""
    return [
        [
            row.funder,
            row.kind,
            row.year_label,
            Decimal(row.amount_pence) / 100,
            row.organisations,
            row.grants,
        ]
        for row in result.by_year
    ]
