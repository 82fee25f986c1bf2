"""Reads about awards: the whole picture of a council's investment in an organisation (§3.2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from thrive.awards.models import Award, AwardKind
from thrive.core import policy


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


def _totals(awards: Any, *fields: str) -> list[dict[str, Any]]:
    return list(
        awards.values(*fields)
        .annotate(total_pence=Sum("amount_pence"), count=Count("id"))
        .order_by(*fields)
    )


def funding_summary(*, organisation: Any, user: Any) -> FundingSummary:
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
