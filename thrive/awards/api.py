"""API for awards: the register for council staff, a provider's own awards, and the
provider's acceptance of an offer."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from thrive.awards import selectors, services
from thrive.awards.models import Award, AwardKind, AwardStatus
from thrive.core import policy
from thrive.core.api.errors import ERRORS_READ, ERRORS_WRITE, ApiError
from thrive.core.api.types import Id, Page, PageSize, Year

router = Router(tags=["awards"])


class TargetOut(Schema):
    description: str
    unit: str
    target_value: float
    outcome: str | None


class InstalmentOut(Schema):
    number: int
    due_date: date
    amount_pence: int
    state: str
    requires_accepted_return: bool
    paid_at: datetime | None


class AwardYearOut(Schema):
    financial_year: str
    start_year: int
    amount_pence: int
    pot: str | None
    committed_pence: int | None


class SocialValueOut(Schema):
    theme: str
    description: str
    measure: str
    target_value: float


class VariationOut(Schema):
    kind: str
    status: str
    reason: str
    old_amount_pence: int | None
    new_amount_pence: int | None
    old_end_date: date | None
    new_end_date: date | None
    notice_given_on: date | None
    requested_at: datetime
    decided_at: datetime | None


class AwardSummaryOut(Schema):
    reference: str
    title: str
    kind: str
    status: str
    council: str
    directorate: str
    organisation_id: int
    organisation: str
    org_ids: list[str]
    amount_pence: int
    start_date: date
    end_date: date
    route: str
    opportunity: str | None
    outcomes: list[str]


class AwardOut(AwardSummaryOut):
    description: str
    pot: str | None
    committed_pence: int | None
    years: list[AwardYearOut]
    payment_timing: str
    conditions: str
    short_term_reason: str
    notice_period_days: int
    offered_at: datetime | None
    accepted_at: datetime | None
    accepted_name: str
    ended_on: date | None
    end_reason: str
    targets: list[TargetOut]
    instalments: list[InstalmentOut]
    social_value: list[SocialValueOut]
    variations: list[VariationOut]


class AwardPageOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[AwardSummaryOut]


class AwardQuery(Schema):
    q: str = ""
    kind: AwardKind | None = None
    status: AwardStatus | None = None
    directorate: Id | None = None
    year: Year | None = None
    page: Page = 1
    page_size: PageSize = 25


class AcceptIn(Schema):
    name: str


def _summary(award: Award) -> dict[str, Any]:
    return {
        "reference": award.reference,
        "title": award.title,
        "kind": award.kind,
        "status": award.status,
        "council": award.council.name,
        "directorate": award.directorate.name,
        "organisation_id": award.organisation_id,
        "organisation": award.organisation.name,
        "org_ids": [i.org_id for i in award.organisation.identifiers.all()],
        "amount_pence": award.amount_pence,
        "start_date": award.start_date,
        "end_date": award.end_date,
        "route": selectors.route_label(award),
        "opportunity": award.opportunity.reference if award.opportunity_id else None,
        "outcomes": [f"{o.code} {o.title}" for o in award.outcomes.all()],
    }


def _held(commitment: Any) -> int | None:
    return commitment.amount_pence if commitment and commitment.released_at is None else None


def _committed(award: Award) -> int | None:
    """What is still committed for the award, across its years, or None."""
    held = [_held(part.commitment) for part in award.years.all()] + [_held(award.commitment)]
    amounts = [amount for amount in held if amount is not None]
    return sum(amounts) if amounts else None


def _years(award: Award) -> list[dict[str, Any]]:
    return [
        {
            "financial_year": part.label,
            "start_year": part.start_year,
            "amount_pence": part.amount_pence,
            "pot": str(part.pot) if part.pot_id else None,
            "committed_pence": _held(part.commitment),
        }
        for part in award.years.all()
    ]


def _parts(award: Award) -> dict[str, list[dict[str, Any]]]:
    """The award's targets, instalments and social value commitments."""
    return {
        "targets": [
            {
                "description": t.description,
                "unit": t.unit,
                "target_value": float(t.target_value),
                "outcome": f"{t.outcome.code} {t.outcome.title}" if t.outcome_id else None,
            }
            for t in award.targets.all()
        ],
        "instalments": [
            {
                "number": i.number,
                "due_date": i.due_date,
                "amount_pence": i.amount_pence,
                "state": i.state,
                "requires_accepted_return": i.requires_accepted_return,
                "paid_at": i.paid_at,
            }
            for i in award.instalments.all()
        ],
        "social_value": [
            {
                "theme": s.theme,
                "description": s.description,
                "measure": s.measure,
                "target_value": float(s.target_value),
            }
            for s in award.social_value.all()
        ],
    }


VARIATION_FIELDS = (
    "kind",
    "status",
    "reason",
    "old_amount_pence",
    "new_amount_pence",
    "old_end_date",
    "new_end_date",
    "notice_given_on",
    "requested_at",
    "decided_at",
)


def _detail(award: Award) -> dict[str, Any]:
    return {
        **_summary(award),
        "description": award.description,
        "pot": str(award.pot) if award.pot_id else None,
        "committed_pence": _committed(award),
        "years": _years(award),
        "payment_timing": award.payment_timing,
        "conditions": award.conditions,
        "short_term_reason": award.short_term_reason,
        "notice_period_days": award.notice_period_days,
        "offered_at": award.offered_at,
        "accepted_at": award.accepted_at,
        "accepted_name": award.accepted_name,
        "ended_on": award.ended_on,
        "end_reason": award.end_reason,
        **_parts(award),
        "variations": [
            {name: getattr(v, name) for name in VARIATION_FIELDS} for v in award.variations.all()
        ],
    }


def _visible(request: HttpRequest, filters: AwardQuery) -> Any:
    user = request.auth
    if policy.can(user, "awards.register"):
        return selectors.register(
            user=user,
            filters=selectors.RegisterFilters(
                q=filters.q.strip(),
                kind=filters.kind or "",
                status=filters.status or "",
                directorate=filters.directorate,
                year=filters.year,
            ),
        )
    if policy.can(user, "awards.mine"):
        awards = selectors.provider_awards(user=user)
        if filters.kind:
            awards = awards.filter(kind=filters.kind)
        if filters.status:
            awards = awards.filter(status=filters.status)
        return awards
    raise ApiError(403, "forbidden", "You cannot see awards")


@router.get(
    "/awards",
    response={200: AwardPageOut, **ERRORS_READ},
    summary="List awards: staff see their council's, provider users their organisations'",
)
def list_awards(request: HttpRequest, filters: Query[AwardQuery]) -> dict[str, Any]:
    """The register of agreements, contracts and small grants, newest first, paginated.

    Staff who work with awards see their own council's; provider users see the awards
    offered to their own organisations (never drafts). 401 when not signed in, 403 for
    anyone else.
    """
    awards = _visible(request, filters)
    page_size = max(1, min(filters.page_size, 100))
    count = awards.count()
    pages = max(1, math.ceil(count / page_size))
    page = max(1, min(filters.page, pages))
    rows = list(awards[(page - 1) * page_size : page * page_size])
    return {
        "count": count,
        "page": page,
        "pages": pages,
        "page_size": page_size,
        "results": [_summary(a) for a in rows],
    }


def _get(request: HttpRequest, reference: str) -> Award:
    award = (
        Award.objects.filter(reference=reference)
        .select_related(
            "organisation", "council", "directorate", "pot", "commitment", "opportunity"
        )
        .prefetch_related(
            "outcomes",
            "organisation__identifiers",
            "targets__outcome",
            "years__pot__financial_year",
            "years__commitment",
            "instalments",
            "social_value",
            "variations",
        )
        .first()
    )
    if award is None or not policy.can(request.auth, "awards.view", award):
        # Another council's or organisation's award is not shown to exist.
        raise ApiError(404, "not_found", "No award with this reference")
    return award


@router.get(
    "/awards/{reference}",
    response={200: AwardOut, **ERRORS_READ},
    summary="One award with its targets, payment schedule, social value and variations",
)
def get_award(request: HttpRequest, reference: str) -> dict[str, Any]:
    """404 for an award the user may not see, as for one that does not exist."""
    return _detail(_get(request, reference))


@router.post(
    "/awards/{reference}/accept",
    response={200: AwardOut, **ERRORS_WRITE},
    summary="Accept an offered award (an admin of the organisation)",
)
def accept_award(request: HttpRequest, reference: str, payload: AcceptIn) -> dict[str, Any]:
    """The organisation's admin accepts the offer, typing their name. 400 when the award
    is not waiting for acceptance or the name is empty; 403 for a member who is not an
    admin."""
    award = _get(request, reference)
    if not policy.can(request.auth, "awards.respond", award):
        raise ApiError(403, "forbidden", "Only an admin of the organisation can accept")
    services.accept_offer(award=award, actor=request.auth, name=payload.name)
    return _detail(_get(request, reference))
