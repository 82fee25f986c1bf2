"""Reads about awards: the whole picture of a council's investment in an organisation (§3.2)."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, F, Max, Min, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.shortcuts import get_object_or_404

from thrive.accounts.models import User
from thrive.audit.models import AuditEvent
from thrive.awards.models import Award, AwardKind, AwardStatus
from thrive.awards.search import search
from thrive.core import policy
from thrive.core.streaming import stream_rows
from thrive.organisations.models import Identifier, Organisation


@dataclass
class FundingSummary:
    """Totals derived from the award records, never typed in; ``scope`` says what is shown.

    ``awards`` are the latest ``awards_shown`` of the ``detail_count`` awards in the detail
    (all of them unless the caller asked for fewer).
    """

    scope: str
    total_pence: int = 0
    count: int = 0
    by_council: list[dict[str, Any]] = field(default_factory=list)
    by_year: list[dict[str, Any]] = field(default_factory=list)
    by_directorate: list[dict[str, Any]] = field(default_factory=list)
    by_kind: list[dict[str, Any]] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)
    detail_count: int = 0
    funded_by_own_council: bool = False


def _totals(rows: list[dict[str, Any]], *fields: str) -> list[dict[str, Any]]:
    """Sum grouped rows again by ``fields``, in their order (as one GROUP BY each would)."""
    totals: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        key = tuple(row[name] for name in fields)
        total = totals.setdefault(
            key, {**dict(zip(fields, key, strict=True)), "total_pence": 0, "count": 0}
        )
        total["total_pence"] += row["total_pence"]
        total["count"] += row["count"]
    return [totals[key] for key in sorted(totals, key=lambda k: [(v is None, v) for v in k])]


FEW_AWARDS = 200  # an organisation with no more than this many is summed from its list


def _grouped(awards: QuerySet[Award]) -> list[dict[str, Any]]:
    """Totals by council, directorate, year and kind: one grouped query."""
    return list(
        awards.values("council_id", "council__name", "directorate__name", "kind")
        .annotate(
            year=ExtractYear("start_date"), total_pence=Sum("amount_pence"), count=Count("id")
        )
        .order_by()
    )


def _as_rows(awards: list[Award]) -> list[dict[str, Any]]:
    """The same rows as ``_grouped``, one an award, from awards already read."""
    return [
        {
            "council_id": a.council_id,
            "council__name": a.council.name,
            "directorate__name": a.directorate.name,
            "kind": a.kind,
            "year": a.start_date.year,
            "total_pence": a.amount_pence,
            "count": 1,
        }
        for a in awards
    ]


def funding_summary(
    *, organisation: Organisation, user: User, latest: int | None = None
) -> FundingSummary:
    """The organisation's awards as this user may see them: the latest ``latest`` of them.

    Members of the organisation and system administrators see every award in full.
    Council staff see their own council's awards in full and other councils' as totals.
    Most organisations have few awards: one query reads them all and the totals are summed
    from them; an organisation with more is totalled by one grouped query.
    """
    if policy.is_system_admin(user) or policy.membership_of(user, organisation) is not None:
        scope, council_id = "all", None
    elif policy.is_staff_user(user):
        scope, council_id = "own_council", user.council_id
    else:
        return FundingSummary(scope="none")
    awards = Award.objects.funded().filter(organisation=organisation)
    every = list(awards.select_related("council", "directorate")[: FEW_AWARDS + 1])
    few = len(every) <= FEW_AWARDS
    grouped = _as_rows(every) if few else _grouped(awards)
    detail = [row for row in grouped if scope == "all" or row["council_id"] == council_id]
    by_council = _totals(grouped, "council__name")
    summary = FundingSummary(
        scope=scope,
        total_pence=sum(row["total_pence"] for row in by_council),
        count=sum(row["count"] for row in by_council),
        by_council=by_council,
        by_year=_totals(detail, "year"),
        by_directorate=_totals(detail, "council__name", "directorate__name"),
        by_kind=[{**row, "label": AwardKind(row["kind"]).label} for row in _totals(detail, "kind")],
        detail_count=sum(row["count"] for row in detail),
    )
    shown = [a for a in every if scope == "all" or a.council_id == council_id]
    # the latest are among the awards read already unless there are more and too few of them
    if not few and (latest is None or len(shown) < latest) and summary.detail_count:
        more = awards.select_related("council", "directorate")
        more = more if council_id is None else more.for_council(council_id)
        shown = list(more[:latest] if latest else more)
    summary.awards = shown[:latest] if latest else shown
    summary.funded_by_own_council = scope == "own_council" and bool(summary.awards)
    return summary


# --- the register of agreements and contracts ------------------------------------------


@dataclass
class RegisterFilters:
    q: str = ""
    kind: str = ""
    directorate: int | None = None
    status: str = ""
    year: int | None = None  # financial year starting in April of this year
    organisation: int | None = None


def _with_details(awards: QuerySet[Award]) -> QuerySet[Award]:
    return awards.select_related(
        "organisation", "council", "directorate", "pot", "opportunity", "lot"
    ).prefetch_related(
        "outcomes",
        Prefetch(
            "organisation__identifiers",
            queryset=Identifier.objects.order_by("org_id"),
        ),
    )


def register(*, user: User, filters: RegisterFilters | None = None) -> QuerySet[Award]:
    """The council's agreements, contracts and small grants as this user may see them."""
    filters = filters or RegisterFilters()
    awards = Award.objects.all()
    if not policy.is_system_admin(user):
        awards = awards.for_council(user.council_id)
    by_id = False
    if filters.q:
        awards, by_id = search(awards, filters.q)
    if filters.kind:
        awards = awards.filter(kind=filters.kind)
    if filters.directorate:
        awards = awards.filter(directorate_id=filters.directorate)
    if filters.status:
        awards = awards.filter(status=filters.status)
    if filters.year:
        awards = awards.filter(
            start_date__gte=date(filters.year, 4, 1), start_date__lte=date(filters.year + 1, 3, 31)
        )
    if filters.organisation:
        awards = awards.filter(organisation_id=filters.organisation)
    # Matches read by id are sorted, not met by walking the order index: the planner takes
    # them to be spread evenly through it, but one provider's may all be old.
    newest = Coalesce("start_date", "start_date") if by_id else F("start_date")
    return _with_details(awards).order_by(newest.desc(), "-pk")


def register_page(awards: QuerySet[Award], *, start: int, stop: int) -> list[Award]:
    """Rows ``start`` to ``stop`` of the register with what the page shows of each: the
    later pages skip ids only, not the providers, pots and opportunities of every row before.
    """
    ids = awards.values("pk")[start:stop]
    return list(
        _with_details(Award.objects.filter(pk__in=Subquery(ids))).order_by("-start_date", "-pk")
    )


def register_years(*, council_id: int | None) -> set[int]:
    """The calendar years from the council's first award's start to its last's (two index
    reads, however many awards there are)."""
    span = Award.objects.filter(council_id=council_id).aggregate(
        first=Min("start_date"), last=Max("start_date")
    )
    if span["first"] is None:
        return set()
    return set(range(span["first"].year, span["last"].year + 1))


def provider_awards(*, user: User) -> QuerySet[Award]:
    """Awards offered to the organisations the user belongs to (never drafts)."""
    ids = list(user.memberships.values_list("organisation_id", flat=True))
    return (
        _with_details(Award.objects.filter(organisation_id__in=ids))
        .exclude(status=AwardStatus.DRAFT)
        .order_by("-start_date", "-pk")
    )


def route_label(award: Award) -> str:
    """How the award was made: through an opportunity, the Small Grants Scheme or directly."""
    if award.opportunity_id:
        return f"Opportunity {award.opportunity.reference}"
    if award.kind == AwardKind.SMALL_GRANT:
        return "Small Grants Scheme"
    return "Direct award"


def org_ids(award: Award) -> str:
    return "; ".join(i.org_id for i in award.organisation.identifiers.all())


def award_for_page(reference: str) -> Award:
    return get_object_or_404(
        _with_details(Award.objects.all()).prefetch_related(
            "targets__outcome", "social_value", "instalments", "variations__requested_by"
        ),
        reference=reference,
    )


def history(award: Award) -> list[AuditEvent]:
    """The award's audit events, oldest first."""
    return list(
        AuditEvent.objects.filter(object_type=award._meta.label_lower, object_id=str(award.pk))
        .select_related("actor")
        .order_by("sequence")
    )


def schedule_totals(award: Award) -> dict[str, int]:
    """Money paid, due, held and scheduled, from the instalments."""
    totals = {"paid": 0, "due": 0, "held": 0, "scheduled": 0}
    for instalment in award.instalments.all():
        totals[instalment.state] += instalment.amount_pence
    return totals


REGISTER_HEADERS = [
    "Reference",
    "Title",
    "Kind",
    "Status",
    "Provider",
    "Org-id",
    "Directorate",
    "Value (£)",
    "Start date",
    "End date",
    "Route",
    "Pot",
    "Outcomes",
]


_REGISTER_FIELDS = (
    "pk",
    "reference",
    "title",
    "kind",
    "status",
    "organisation__name",
    "organisation_id",
    "directorate__name",
    "amount_pence",
    "start_date",
    "end_date",
    "opportunity__reference",
    "pot__name",
    "pot__financial_year__start_year",
)


def register_rows(awards: QuerySet[Award]) -> Iterator[list[Any]]:
    """The register's export rows, streamed as plain values: no row costs a query or a model.

    Three queries however many rows: the org-ids of every provider, the awards, and their
    outcomes in the register's order, read side by side with the awards (a merge, so a
    million awards' outcomes are never held at once).
    """
    awards = awards.prefetch_related(None).select_related(None)
    ids: dict[int, list[str]] = {}
    for organisation_id, org_id in (
        Identifier.objects.filter(organisation_id__in=awards.order_by().values("organisation_id"))
        .order_by("org_id")
        .values_list("organisation_id", "org_id")
    ):
        ids.setdefault(organisation_id, []).append(org_id)
    outcomes = _outcomes_in_order(awards)
    next(outcomes)
    try:
        yield from _register_rows(
            stream_rows(awards.values_list(*_REGISTER_FIELDS)), ids=ids, outcomes=outcomes
        )
    finally:
        outcomes.close()


def _register_rows(
    rows: Iterator[tuple[Any, ...]],
    *,
    ids: dict[int, list[str]],
    outcomes: Generator[list[str], tuple[date, int], None],
) -> Iterator[list[Any]]:
    kinds, statuses = dict(AwardKind.choices), dict(AwardStatus.choices)
    for pk, ref, title, kind, status, org, org_pk, directorate, pence, start, end, *rest in rows:
        opportunity, pot, pot_year = rest
        route = (
            f"Opportunity {opportunity}"
            if opportunity
            else "Small Grants Scheme"
            if kind == AwardKind.SMALL_GRANT
            else "Direct award"
        )
        yield [
            ref,
            title,
            kinds.get(kind, kind),
            statuses.get(status, status),
            org,
            "; ".join(ids.get(org_pk, ())),
            directorate,
            pence / 100,
            start,
            end,
            route,
            f"{pot} ({pot_year}/{(pot_year + 1) % 100:02d})" if pot else "",
            "; ".join(outcomes.send((start, pk))),
        ]


def _outcomes_in_order(awards: QuerySet[Award]) -> Generator[list[str], tuple[date, int], None]:
    """Each award's outcomes, "code title", for the awards in the register's order (latest
    start first): send an award's ``(start_date, pk)`` and have its outcomes back. The
    outcomes stream in the same order, so each is read once, and one of an award the
    register no longer holds (added since) is passed over."""
    links = (
        Award.outcomes.through.objects.filter(award_id__in=awards.order_by().values("pk"))
        .order_by(
            "-award__start_date",
            "-award_id",
            "outcome__council_id",
            "outcome__order",
            "outcome__code",
        )
        .values_list("award__start_date", "award_id", "outcome__code", "outcome__title")
    )
    stream = stream_rows(links)
    try:
        pending = next(stream, None)
        found: list[str] = []
        while True:
            key = yield found
            found = []
            # latest first: a link sorting above this award's key is of an award passed over
            while pending is not None and (pending[0], pending[1]) > key:
                pending = next(stream, None)
            while pending is not None and (pending[0], pending[1]) == key:
                found.append(f"{pending[2]} {pending[3]}")
                pending = next(stream, None)
    finally:
        stream.close()
