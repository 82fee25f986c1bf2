"""Reads about awards: the whole picture of a council's investment in an organisation (§3.2)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404

from thrive.accounts.models import User
from thrive.audit.models import AuditEvent
from thrive.awards.models import Award, AwardKind, AwardStatus
from thrive.core import policy
from thrive.organisations.models import Identifier, Organisation


@dataclass
class FundingSummary:
    """Totals derived from the award records, never typed in; ``scope`` says what is shown."""

    scope: str
    total_pence: int = 0
    count: int = 0
    by_council: list[dict[str, Any]] = field(default_factory=list)
    by_year: list[dict[str, Any]] = field(default_factory=list)
    by_directorate: list[dict[str, Any]] = field(default_factory=list)
    by_kind: list[dict[str, Any]] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)
    funded_by_own_council: bool = False


def _totals(awards: QuerySet[Award], *fields: str) -> list[dict[str, Any]]:
    return list(
        awards.values(*fields)
        .annotate(total_pence=Sum("amount_pence"), count=Count("id"))
        .order_by(*fields)
    )


def funding_summary(*, organisation: Organisation, user: User) -> FundingSummary:
    """The organisation's awards as this user may see them.

    Members of the organisation and system administrators see every award in full.
    Council staff see their own council's awards in full and other councils' as totals.
    """
    awards = Award.objects.funded().filter(organisation=organisation)
    by_council = _totals(awards, "council__name")
    overall = awards.aggregate(total=Sum("amount_pence"), count=Count("id"))
    if policy.is_system_admin(user) or policy.membership_of(user, organisation) is not None:
        detail, scope = awards, "all"
    elif policy.is_staff_user(user):
        detail, scope = awards.for_council(user.council_id), "own_council"
    else:
        return FundingSummary(scope="none")
    summary = FundingSummary(
        scope=scope,
        total_pence=overall["total"] or 0,
        count=overall["count"],
        by_council=by_council,
        by_year=_totals(detail.annotate(year=ExtractYear("start_date")), "year"),
        by_directorate=_totals(detail, "council__name", "directorate__name"),
        by_kind=[{**row, "label": AwardKind(row["kind"]).label} for row in _totals(detail, "kind")],
        awards=list(detail.select_related("council", "directorate")),
    )
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
    if filters.q:
        awards = awards.filter(
            Q(title__icontains=filters.q)
            | Q(reference__iexact=filters.q)
            | Q(organisation__name__icontains=filters.q)
            | Q(organisation__identifiers__org_id__iexact=filters.q)
        ).distinct()
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
    return _with_details(awards).order_by("-start_date", "-pk")


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


def register_rows(awards: QuerySet[Award]) -> Iterator[list[Any]]:
    for award in awards.iterator(chunk_size=500):
        yield [
            award.reference,
            award.title,
            award.get_kind_display(),
            award.get_status_display(),
            award.organisation.name,
            org_ids(award),
            award.directorate.name,
            award.amount_pence / 100,
            award.start_date,
            award.end_date,
            route_label(award),
            str(award.pot) if award.pot_id else "",
            "; ".join(f"{o.code} {o.title}" for o in award.outcomes.all()),
        ]
