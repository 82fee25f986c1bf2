"""The whole picture of the council's investment in the Third Sector (§3.2).

An award's money counts in the financial years (April to March) it is paid in: each
figure sums the awards' parts by year (``awards.AwardYear``), so one year's figures hold
only that year's parts, and an award counts in every year it has money in.
Awards serving several outcomes, or organisations working in several areas or for several
beneficiary groups, count in each of those rows, so those tables add up to more than the
total; every other table adds up to the total exactly.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import connections
from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce

from thrive.accounts.models import Council
from thrive.awards.models import (
    FUNDED_STATUSES,
    Award,
    AwardKind,
    AwardYear,
    is_shorter_than_three_years,
)
from thrive.organisations.models import SizeBand
from thrive.reporting import kept
from thrive.reporting.selectors.common import current_year, has_field, year_label
from thrive.reporting.selectors.monitoring import (
    Compliance,
    LeadFunder,
    compliance,
    lead_funder_coverage,
)

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
    """The council's funded awards inside the filters: with money in the year unless
    ``any_year``."""
    awards = Award.objects.funded().for_council(filters.council.pk)
    if filters.directorate_id is not None:
        awards = awards.filter(directorate_id=filters.directorate_id)
    if filters.year is not None and not any_year:
        in_year = AwardYear.objects.filter(start_year=filters.year).values("award_id")
        awards = awards.filter(pk__in=in_year)
    return awards


def year_parts(filters: Filters, *, any_year: bool = False) -> QuerySet[AwardYear]:
    """The parts by year of the funded awards inside the filters (the year's only unless
    ``any_year``); every money figure is a sum of these."""
    # The award's own columns on the join every figure makes anyway, not a second join
    # through a list of the funded awards' ids.
    parts = AwardYear.objects.filter(
        award__council_id=filters.council.pk, award__status__in=FUNDED_STATUSES
    )
    if filters.directorate_id is not None:
        parts = parts.filter(award__directorate_id=filters.directorate_id)
    if filters.year is not None and not any_year:
        parts = parts.filter(start_year=filters.year)
    return parts


def long_term_pence(parts: QuerySet[AwardYear]) -> int:
    """Money on terms of three years or more (§2.10), summed in the database by term.

    Parts are grouped by their award's start and end dates (a county has a few hundred
    distinct terms however many awards share them); each term is then judged once by the
    award rule itself, ``awards.models.is_shorter_than_three_years``, so the report and the
    award form can never disagree, and no date arithmetic runs for every row in SQL.
    """
    terms = (
        parts.order_by()
        .values(start=F("award__start_date"), end=F("award__end_date"))
        .annotate(amount=Sum("amount_pence"))
    )
    return sum(
        int(term["amount"] or 0)
        for term in terms
        if not is_shorter_than_three_years(term["start"], term["end"])
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


def _grouped(parts: QuerySet[AwardYear], group: Any, label_of: Any, total: int) -> list[Row]:
    if isinstance(group, str) and group in LINKED:
        return _rows(_linked(parts, group), label_of, total)
    values = (
        parts.order_by()
        .values(group=F(f"award__{group}") if isinstance(group, str) else group)
        .annotate(amount=Sum("amount_pence"), awards=Count("award", distinct=True))
    )
    return _rows(values, label_of, total)


# Tables grouped by a name an award, or its organisation, has several of: the table's
# group path, and where the link is (the award or its organisation, the many-to-many field)
# and the name's field on the linked model.
LINKED = {
    "outcomes__title": ("", "outcomes", "title"),
    "organisation__areas__name": ("organisation", "areas", "name"),
    "organisation__beneficiary_groups__name": ("organisation", "beneficiary_groups", "name"),
}


def _linked(parts: QuerySet[AwardYear], group: str) -> list[dict[str, Any]]:
    """Money and awards by a name linked many to many, in one query: the parts are added
    up per award first, and only those sums are joined to the links and the names, so the
    database neither joins every part to every link nor sorts them all to count awards."""
    owner, field_name, label_name = LINKED[group]
    holder = Award._meta.get_field(owner).related_model if owner else Award
    links = holder._meta.get_field(field_name)
    label = links.related_model._meta
    per_award = (
        parts.order_by()
        .values(award_ref=F("award_id"), owner_ref=F(f"award__{owner or 'id'}"))
        .annotate(amount=Sum("amount_pence"))
    )
    inner, params = per_award.query.sql_with_params()
    connection = connections[parts.db]
    q = connection.ops.quote_name
    named = f"named.{q(label.get_field(label_name).column)}"
    # Only names quoted from the models and Django's own SQL for the parts go in.
    sql = (
        f"SELECT {named}, SUM(part.{q('amount')}), COUNT(DISTINCT part.{q('award_ref')})"  # noqa: S608  # nosec B608
        f" FROM ({inner}) part LEFT JOIN {q(links.m2m_db_table())} link"
        f" ON link.{q(links.m2m_column_name())} = part.{q('owner_ref')}"
        f" LEFT JOIN {q(label.db_table)} named"
        f" ON named.{q(label.pk.column)} = link.{q(links.m2m_reverse_name())}"
        f" GROUP BY {named}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [{"group": g, "amount": amount, "awards": awards} for g, amount, awards in cursor]


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
        ("pot", "By funding pot", "Pot", Coalesce("pot__name", "award__pot__name"),
         _or("No pot recorded"), ""),
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
        field = group.split("__")[0] if isinstance(group, str) else key
        if field in ("outcomes", "pot") and not has_field(Award, field):
            continue
        available.append((key, title, heading, group, label_of, note))
    return available


def headline(parts: QuerySet[AwardYear]) -> dict[str, int]:
    """Total, awards, organisations, money on long terms and money to small organisations."""
    totals = parts.aggregate(
        total=Sum("amount_pence"),
        awards=Count("award", distinct=True),
        organisations=Count("award__organisation", distinct=True),
        small=Sum("amount_pence", filter=Q(award__organisation__size_band__in=SMALL_BANDS)),
    )
    figures = {key: int(value or 0) for key, value in totals.items()}
    figures["long_term"] = long_term_pence(parts)
    return figures


def by_year(filters: Filters) -> Table:
    """The series over the years up to the chosen year (every year without one; keeps the
    directorate): each year the money paid in it and the awards with money in it. A year's
    report never shows the years after it."""
    parts = year_parts(filters, any_year=True)
    if filters.year is not None:
        parts = parts.filter(start_year__lte=filters.year)
    values = (
        parts.order_by()
        .values(group=F("start_year"))
        .annotate(amount=Sum("amount_pence"), awards=Count("award", distinct=True))
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
    """Every dashboard figure for the filters, kept until what they count changes: the money
    and its tables (awards and names only), apart from the lead funder coverage and return
    compliance, which monitoring records change too."""
    result = kept.figures(
        filters.council.pk,
        f"investment:{filters.year}:{filters.directorate_id}",
        lambda: count_investment(filters),
        dump=_dump,
        load=lambda data: _load(filters, data),
        counts=(kept.GENERAL,),
    )
    result.lead_funder, result.compliance = kept.figures(
        filters.council.pk,
        f"monitoring:{filters.year}:{filters.directorate_id}",
        lambda: count_monitoring(filters),
        dump=lambda found: [asdict(figure) for figure in found],
        load=lambda data: (LeadFunder(**data[0]), Compliance(**data[1])),
        counts=(kept.GENERAL, kept.MONITORING),
    )
    return result


HEADLINE = ("total_pence", "awards", "organisations", "long_term_pence", "small_pence")


def _dump(result: Investment) -> dict[str, Any]:
    return {
        **{name: getattr(result, name) for name in HEADLINE},
        "tables": [asdict(table) for table in result.tables],
        "years": asdict(result.years) if result.years else None,
    }


def _table(data: dict[str, Any]) -> Table:
    return Table(**{**data, "rows": [Row(**row) for row in data["rows"]]})


def _load(filters: Filters, data: Any) -> Investment:
    return Investment(
        filters=filters,
        **{name: data[name] for name in HEADLINE},
        tables=[_table(table) for table in data["tables"]],
        years=_table(data["years"]) if data["years"] else None,
    )


def count_investment(filters: Filters) -> Investment:
    """The money and its tables for the filters, counted afresh in about a dozen queries
    (the monitoring figures are ``count_monitoring``'s)."""
    parts = year_parts(filters)
    figures = headline(parts)
    result = Investment(
        filters=filters,
        total_pence=figures["total"],
        awards=figures["awards"],
        organisations=figures["organisations"],
        long_term_pence=figures["long_term"],
        small_pence=figures["small"],
    )
    for key, title, heading, group, label_of, note in _breakdowns():
        rows = _grouped(parts, group, label_of, result.total_pence)
        result.tables.append(Table(key, title, heading, rows, note))
    result.years = by_year(filters)
    return result


def count_monitoring(filters: Filters) -> tuple[LeadFunder, Compliance]:
    """Lead funder coverage of the funded awards and return compliance, in three queries."""
    return lead_funder_coverage(funded_awards(filters)), compliance(filters)


def financial_years(council: Council) -> list[int]:
    """Financial years that have started (1 April) in which the council's funded awards have
    money, newest first: a year is reported on only once it has begun."""
    return kept.figures(
        council.pk,
        "years",
        lambda: _financial_years(council),
        dump=list,
        load=list,
        counts=(kept.GENERAL,),
    )


def _financial_years(council: Council) -> list[int]:
    values = (
        AwardYear.objects.filter(
            award__in=Award.objects.funded().for_council(council.pk),
            start_year__lte=current_year(),
        )
        .order_by()
        .values_list("start_year", flat=True)
        .distinct()
    )
    return sorted(set(values), reverse=True)
