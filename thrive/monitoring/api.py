"""API for monitoring plans and returns; a provider sees and submits only its own."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from thrive.accounts.api_auth import AUTH
from thrive.core import policy
from thrive.core.api.errors import ERRORS_READ, ERRORS_WRITE, ApiError
from thrive.core.api.types import BigInt, Id, Int, Page
from thrive.monitoring import selectors, services
from thrive.monitoring.models import MonitoringPlan, MonitoringReturn

router = Router(tags=["monitoring"])
PAGE_SIZE = 50


class PlanAwardOut(Schema):
    id: int
    title: str
    directorate: str
    amount_pence: int
    start_date: date
    end_date: date


class PlanOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    lead_directorate: str
    consolidated: bool
    tier: str
    tier_reason: str
    schedule: str
    return_size: str
    annual_review_meeting: bool
    start_date: date
    end_date: date
    status: str
    awards: list[PlanAwardOut]


class PlanPageOut(Schema):
    count: int
    page: int
    results: list[PlanOut]


class ProgressOut(Schema):
    target_id: int
    description: str
    unit: str
    target_value: Decimal
    achieved_value: Decimal | None
    comment: str


class PartOut(Schema):
    award_id: int
    award: str
    spend_pence: int | None
    progress: list[ProgressOut]


class ReturnOut(Schema):
    id: int
    plan_id: int
    organisation: str
    period_start: date
    period_end: date
    due_date: date
    final: bool
    status: str
    submitted_at: datetime | None
    accepted_at: datetime | None
    query_reason: str
    rating: str
    rating_reason: str
    spend_pence: int | None
    volunteers_count: int | None
    volunteer_hours: Decimal | None
    case_studies: str
    narrative: str
    parts: list[PartOut]


class ReturnPageOut(Schema):
    count: int
    page: int
    results: list[ReturnOut]


def _plan_out(plan: MonitoringPlan, user: object) -> PlanOut:
    return PlanOut(
        id=plan.pk,
        organisation_id=plan.organisation_id,
        organisation=plan.organisation.name,
        lead_directorate=plan.lead_directorate.name,
        consolidated=plan.consolidated,
        tier=plan.tier_name,
        tier_reason=plan.tier_reason,
        schedule=plan.schedule,
        return_size=plan.return_size,
        annual_review_meeting=plan.annual_review_meeting,
        start_date=plan.start_date,
        end_date=plan.end_date,
        status=plan.status,
        awards=[
            PlanAwardOut(
                id=a.pk,
                title=a.title,
                directorate=a.directorate.name,
                amount_pence=a.amount_pence,
                start_date=a.start_date,
                end_date=a.end_date,
            )
            for a in selectors.visible_awards(user, plan)
        ],
    )


def _return_out(item: MonitoringReturn, user: object, *, parts: bool = True) -> ReturnOut:
    awards = selectors.visible_awards(user, item.plan) if parts else []
    spend = getattr(item, "visible_spend_pence", None)
    if not hasattr(item, "visible_spend_pence"):
        spend = selectors.visible_spend(user, item)
    return ReturnOut(
        id=item.pk,
        plan_id=item.plan_id,
        organisation=item.plan.organisation.name,
        period_start=item.period_start,
        period_end=item.period_end,
        due_date=item.due_date,
        final=item.final,
        status=item.status,
        submitted_at=item.submitted_at,
        accepted_at=item.accepted_at,
        query_reason=item.query_reason,
        rating=item.rating,
        rating_reason=item.rating_reason,
        spend_pence=spend,
        volunteers_count=item.volunteers_count,
        volunteer_hours=item.volunteer_hours,
        case_studies=item.case_studies,
        narrative=item.narrative,
        parts=[
            PartOut(
                award_id=part.award.pk,
                award=part.award.title,
                spend_pence=part.spend_pence,
                progress=[
                    ProgressOut(
                        target_id=target.pk,
                        description=target.description,
                        unit=target.unit,
                        target_value=target.target_value,
                        achieved_value=progress.achieved_value if progress else None,
                        comment=progress.comment if progress else "",
                    )
                    for target, progress in part.rows
                ],
            )
            for part in selectors.return_parts(item, awards)
        ]
        if parts
        else [],
    )


@router.get(
    "/monitoring/plans",
    auth=AUTH,
    response={200: PlanPageOut, **ERRORS_READ},
    summary="Monitoring plans you may see",
)
def list_plans(request: HttpRequest, page: Page = 1) -> PlanPageOut:
    """Providers get their organisations' plans; staff their council's or directorates'."""
    plans = selectors.plans_for_user(request.auth).prefetch_related("awards__directorate")
    page = max(page, 1)
    items = list(plans.order_by("pk")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    return PlanPageOut(
        count=plans.count(), page=page, results=[_plan_out(p, request.auth) for p in items]
    )


@router.get(
    "/monitoring/plans/{plan_id}",
    auth=AUTH,
    response={200: PlanOut, **ERRORS_READ},
    summary="One monitoring plan, with the rule that applied and why",
)
def get_plan(request: HttpRequest, plan_id: Id) -> PlanOut:
    """403 if the plan is not yours to see; 404 if there is no such plan."""
    plan = selectors.get_plan(plan_id)
    policy.require(request.auth, "monitoring.plan.view", plan)
    return _plan_out(plan, request.auth)


class ReturnQuery(Schema):
    status: str = ""
    page: Page = 1


@router.get(
    "/monitoring/returns",
    auth=AUTH,
    response={200: ReturnPageOut, **ERRORS_READ},
    summary="Monitoring returns you may see",
)
def list_returns(request: HttpRequest, filters: Query[ReturnQuery]) -> ReturnPageOut:
    """Returns, soonest due first; ``status`` is due, submitted, queried or accepted."""
    rows = selectors.with_visible_spend(
        selectors.returns_for_user(request.auth), request.auth
    ).order_by("due_date", "pk")
    if filters.status:
        rows = rows.filter(status=filters.status)
    page = max(filters.page, 1)
    items = list(rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    return ReturnPageOut(
        count=rows.count(),
        page=page,
        results=[_return_out(i, request.auth, parts=False) for i in items],
    )


@router.get(
    "/monitoring/returns/{return_id}",
    auth=AUTH,
    response={200: ReturnOut, **ERRORS_READ},
    summary="One return, with the parts for the awards you fund or hold",
)
def get_return(request: HttpRequest, return_id: Id) -> ReturnOut:
    """A funder sees only its own awards' targets and spend in a consolidated return."""
    item = selectors.get_return(return_id)
    policy.require(request.auth, "monitoring.return.view", item)
    return _return_out(item, request.auth)


class SpendIn(Schema):
    award_id: Id
    spend_pence: BigInt


class ProgressIn(Schema):
    target_id: Id
    achieved_value: Decimal
    comment: str = ""


class ReturnIn(Schema):
    spends: list[SpendIn]
    progress: list[ProgressIn] = []
    volunteers_count: Int | None = None
    volunteer_hours: Decimal | None = None
    case_studies: str = ""
    narrative: str = ""


def _check_payload(payload: ReturnIn) -> None:
    errors: dict[str, list[str]] = {}
    if any(s.spend_pence < 0 for s in payload.spends):
        errors["spends"] = ["Spend cannot be negative"]
    if any(p.achieved_value < 0 for p in payload.progress):
        errors["progress"] = ["Progress cannot be negative"]
    if payload.volunteers_count is not None and payload.volunteers_count < 0:
        errors["volunteers_count"] = ["Volunteers cannot be negative"]
    if errors:
        raise ApiError(400, "invalid", "The return has errors.", errors)


@router.post(
    "/monitoring/returns/{return_id}/submit",
    auth=AUTH,
    response={200: ReturnOut, **ERRORS_WRITE},
    summary="Fill in and submit a return (or resubmit a queried one)",
)
def submit_return(request: HttpRequest, return_id: Id, payload: ReturnIn) -> ReturnOut:
    """Save the answers and submit. Repeating a submit changes nothing.

    Errors: 400 ``invalid`` with messages per field when something is missing for this size
    of return (``spend``, ``progress``, ``narrative``, ``volunteers_count``,
    ``volunteer_hours``, ``case_studies``) or names another plan's award or target, or
    when the return was already accepted; 403 unless you are a member of the organisation;
    404 for an unknown return; 422 for a body of the wrong shape.
    """
    item = selectors.get_return(return_id)
    policy.require(request.auth, "monitoring.return.edit", item)
    _check_payload(payload)
    if item.status in services.EDITABLE:
        item = services.save_return(
            monitoring_return=item,
            actor=request.auth,
            spends={s.award_id: s.spend_pence for s in payload.spends},
            progress={p.target_id: (p.achieved_value, p.comment) for p in payload.progress},
            volunteers_count=payload.volunteers_count,
            volunteer_hours=payload.volunteer_hours,
            case_studies=payload.case_studies,
            narrative=payload.narrative,
        )
    item = services.submit_return(monitoring_return=item, actor=request.auth)
    return _return_out(selectors.get_return(item.pk), request.auth)
