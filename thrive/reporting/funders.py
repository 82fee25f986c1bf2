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

from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet, Sum

from thrive.accounts.models import Council
from thrive.awards.models import Award, AwardYear
from thrive.core.models import Area
from thrive.opendata import areas as open_areas
from thrive.organisations.models import Organisation
from thrive.reporting import kept
from thrive.reporting.selectors.common import financial_year_of, year_bounds, year_label, year_span

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
    working_here = Organisation.objects.filter(areas__in=serving).values("pk")
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


def _years(sources: _Sources, councils: dict[str, Any]) -> list[int]:
    spans = councils["span"]
    found: set[int] = set()
    if spans["first"] is not None:
        found.update(range(spans["first"], spans["last"] + 1))
    found.update(year_span(sources.grants, "award_date"))
    found.update(year_span(sources.contracts, "award_date"))
    return sorted(found, reverse=True)


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


def _rows(
    sources: _Sources, councils: dict[str, Any], years: range, *, by_year: bool
) -> list[FunderRow]:
    """One row a funder (and a year, when ``by_year``): the councils' kept, then two grouped
    queries."""
    year_key: list[str] = ["fy"] if by_year else []
    rows = [FunderRow(**row) for row in councils["by_year" if by_year else "totals"]]
    grants = sources.grants.annotate(fy=financial_year_of("award_date", years))
    grants = (
        grants.values("funder_org_id", *year_key)
        .order_by()
        .annotate(
            name=Max("funder_name"),
            amount=Sum("amount_awarded"),
            organisations=Count("recipient_org_id", distinct=True),
            count=Count("pk"),
        )
    )
    rows += [
        FunderRow(
            r["name"],
            GRANT_MAKER,
            r.get("fy"),
            _pence(r["amount"]),
            r["organisations"],
            r["count"],
        )
        for r in grants
    ]
    contracts = sources.contracts.annotate(fy=financial_year_of("award_date", years))
    contracts = (
        contracts.values("buyer_name", *year_key)
        .order_by()
        .annotate(
            amount=Sum("value"),
            organisations=Count("supplier_name", distinct=True),
            count=Count("pk"),
        )
    )
    rows += [
        FunderRow(
            r["buyer_name"], BUYER, r.get("fy"), _pence(r["amount"]), r["organisations"], r["count"]
        )
        for r in contracts
    ]
    return rows


@dataclass
class Scope:
    """An area's sources before any year, and the financial years with funding there."""

    chosen: list[Area]
    codes: list[str]
    sources: _Sources
    councils: dict[str, Any]  # the councils' figures for every year
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
    return Scope(chosen, codes, sources, councils, _years(sources, councils))


def who_funds_whom(filters: FunderFilters, *, scope: Scope | None = None) -> WhoFundsWhom:
    """Every funder of the organisations in the area (the whole council's by default);
    ``scope``, the filters' area's from ``scope_for``, when already worked out."""
    scope = scope or scope_for(filters.council, filters.area)
    chosen, codes, years = scope.chosen, scope.codes, scope.years
    sources = replace(scope.sources)
    councils = scope.councils
    if filters.year is not None:
        councils = _council_figures(sources, filters)
        sources.grants = _in_year(sources.grants, filters.year)
        sources.contracts = _in_year(sources.contracts, filters.year)
    span = range(min(years), max(years) + 1) if years else range(0)
    by_year = _rows(sources, councils, span, by_year=True)
    by_year.sort(key=lambda r: (-(r.year if r.year is not None else -1), -r.amount_pence))
    totals = _rows(sources, councils, span, by_year=False)
    totals.sort(key=lambda r: (-r.amount_pence, r.funder))
    return WhoFundsWhom(
        by_year=by_year,
        totals=totals,
        codes=codes,
        areas=chosen,
        years=years,
        other_currency=sum(queryset.count() for queryset in sources.other),
        areas_without_code=open_areas.without_code(chosen),
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
