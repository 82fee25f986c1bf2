"""The whole picture of the council's investment in the Third Sector (§3.2).

An award counts in the financial year it starts (April to March), with its whole amount.
Awards serving several outcomes, or organisations working in several areas or for several
beneficiary groups, count in each of those rows, so those tables add up to more than the
total; every other table adds up to the total exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
    Sum,
)

from thrive.accounts.models import Council
from thrive.awards.models import Award, AwardKind, is_shorter_than_three_years
from thrive.organisations.models import SizeBand
from thrive.reporting.selectors.common import (
    financial_year_of,
    has_field,
    year_bounds,
    year_label,
    year_span,
)
from thrive.reporting.selectors.monitoring import compliance, lead_funder_coverage

SMALL_BANDS = (SizeBand.MICRO, SizeBand.SMALL)
MULTI_COUNTED = {"outcome", "area", "beneficiary_group"}


@dataclass(frozen=True)
class Filters:
    council: Council
    year: int | None = None
    directorate_id: int | None = None

    def query(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.year is not None:
            params["year"] = self.year
        if self.directorate_id is not None:
            params["directorate"] = self.directorate_id
        return params


@dataclass
class Row:
    label: str
    amount_pence: int
    awards: int
    share: float = 0.0  # of the total amount, 0..1


@dataclass
class Table:
    key: str
    title: str
    heading: str
    rows: list[Row]
    note: str = ""

    @property
    def chart_rows(self) -> list[tuple[str, float]]:
        return [(row.label, row.amount_pence) for row in self.rows]


@dataclass
class Investment:
    filters: Filters
    total_pence: int = 0
    awards: int = 0
    organisations: int = 0
    long_term_pence: int = 0
    small_pence: int = 0
    tables: list[Table] = field(default_factory=list)
    years: Table | None = None
    lead_funder: Any = None
    compliance: Any = None

    @property
    def long_term_share(self) -> float:
        return self.long_term_pence / self.total_pence if self.total_pence else 0.0

    @property
    def small_share(self) -> float:
        return self.small_pence / self.total_pence if self.total_pence else 0.0

    def table(self, key: str) -> Table | None:
        everything = [*self.tables, *([self.years] if self.years else [])]
        return next((t for t in everything if t.key == key), None)


def funded_awards(filters: Filters, *, any_year: bool = False) -> QuerySet[Award]:
    """The council's funded awards inside the filters (the year unless ``any_year``)."""
    awards = Award.objects.funded().for_council(filters.council.pk)
    if filters.directorate_id is not None:
        awards = awards.filter(directorate_id=filters.directorate_id)
    if filters.year is not None and not any_year:
        first, last = year_bounds(filters.year)
        awards = awards.filter(start_date__gte=first, start_date__lte=last)
    return awards


def long_term_pence(awards: QuerySet[Award]) -> int:
    """Money on terms of three years or more (§2.10), summed in the database by term.

    Awards are grouped by their start and end dates (a county has a few hundred distinct
    terms however many awards share them); each term is then judged once by the award
    rule itself, ``awards.models.is_shorter_than_three_years``, so the report and the
    award form can never disagree, and no date arithmetic runs for every row in SQL.
    """
    terms = awards.order_by().values("start_date", "end_date").annotate(amount=Sum("amount_pence"))
    return sum(
        int(term["amount"] or 0)
        for term in terms
        if not is_shorter_than_three_years(term["start_date"], term["end_date"])
    )


def _rows(values: Any, label_of: Any, total: int) -> list[Row]:
    rows = [
        Row(
            label=label_of(item["group"]),
            amount_pence=int(item["amount"] or 0),
            awards=item["awards"],
            share=(int(item["amount"] or 0) / total) if total else 0.0,
        )
        for item in values
    ]
    return sorted(rows, key=lambda r: (-r.amount_pence, r.label))


def _grouped(awards: QuerySet[Award], group: Any, label_of: Any, total: int) -> list[Row]:
    values = (
        awards.order_by()
        .values(group=F(group) if isinstance(group, str) else group)
        .annotate(amount=Sum("amount_pence"), awards=Count("pk", distinct=True))
    )
    return _rows(values, label_of, total)


def _or(missing: str) -> Any:
    return lambda value: value if value not in (None, "") else missing


def _breakdowns() -> list[tuple[str, str, str, str, Any, str]]:
    """(key, title, column heading, group field, label function, note) for each table."""
    kinds = dict(AwardKind.choices)
    bands = dict(SizeBand.choices)
    tables = [
        ("outcome", "By priority outcome", "Outcome", "outcomes__title",
         _or("No outcome recorded"), "An award serving several outcomes counts in each."),
        ("directorate", "By directorate", "Directorate", "directorate__name", _or("None"), ""),
        ("pot", "By funding pot", "Pot", "pot__name", _or("No pot recorded"), ""),
        ("method", "By method", "Method", "kind", lambda v: kinds.get(v, v), ""),
        ("size_band", "By organisation size", "Size band", "organisation__size_band",
         lambda v: bands.get(v, "Not known"), ""),
        ("area", "By area", "Area", "organisation__areas__name", _or("No area recorded"),
         "An organisation working in several areas counts in each."),
        ("beneficiary_group", "By beneficiary group", "Beneficiary group",
         "organisation__beneficiary_groups__name", _or("No group recorded"),
         "An organisation serving several groups counts in each."),
    ]  # fmt: skip
    available = []
    for key, title, heading, group, label_of, note in tables:
        if group.split("__")[0] in ("outcomes", "pot") and not has_field(
            Award, group.split("__")[0]
        ):
            continue
        available.append((key, title, heading, group, label_of, note))
    return available


def headline(awards: QuerySet[Award]) -> dict[str, int]:
    """Total, awards, organisations, money on long terms and money to small organisations."""
    totals = awards.aggregate(
        total=Sum("amount_pence"),
        awards=Count("pk"),
        organisations=Count("organisation", distinct=True),
        small=Sum("amount_pence", filter=Q(organisation__size_band__in=SMALL_BANDS)),
    )
    figures = {key: int(value or 0) for key, value in totals.items()}
    figures["long_term"] = long_term_pence(awards)
    return figures


def by_year(filters: Filters) -> Table:
    """The series over the years (ignores the year filter, keeps the directorate)."""
    awards = funded_awards(filters, any_year=True)
    values = (
        awards.order_by()
        .values(group=financial_year_of("start_date", year_span(awards, "start_date")))
        .annotate(amount=Sum("amount_pence"), awards=Count("pk"))
        .order_by("group")
    )
    rows = [
        Row(
            label=year_label(item["group"]), amount_pence=int(item["amount"]), awards=item["awards"]
        )
        for item in values
        if item["group"] is not None
    ]
    total = sum(row.amount_pence for row in rows)
    for row in rows:
        row.share = row.amount_pence / total if total else 0.0
    return Table("year", "Over the years", "Financial year", rows)


def investment(filters: Filters) -> Investment:
    """Every dashboard figure for the filters, in about a dozen queries."""
    awards = funded_awards(filters)
    figures = headline(awards)
    result = Investment(
        filters=filters,
        total_pence=figures["total"],
        awards=figures["awards"],
        organisations=figures["organisations"],
        long_term_pence=figures["long_term"],
        small_pence=figures["small"],
    )
    for key, title, heading, group, label_of, note in _breakdowns():
        rows = _grouped(awards, group, label_of, result.total_pence)
        result.tables.append(Table(key, title, heading, rows, note))
    result.years = by_year(filters)
    result.lead_funder = lead_funder_coverage(awards)
    result.compliance = compliance(filters)
    return result


def financial_years(council: Council) -> list[int]:
    """Financial years in which the council's funded awards start, newest first."""
    awards = Award.objects.funded().for_council(council.pk)
    values = (
        awards.order_by()
        .values_list(financial_year_of("start_date", year_span(awards, "start_date")), flat=True)
        .distinct()
    )
    return sorted({value for value in values if value is not None}, reverse=True)
