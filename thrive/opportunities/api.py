"""API for opportunities (public) and their clarification questions and answers."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from thrive.accounts.api_auth import AUTH, PUBLIC_AUTH
from thrive.core import policy
from thrive.core.api.errors import ERRORS_READ, ERRORS_WRITE, ApiError, ErrorOut
from thrive.core.api.types import BigInt, Id, Page
from thrive.opportunities import selectors, services
from thrive.opportunities.models import Amendment, Criterion, Opportunity, OpportunityKind
from thrive.organisations.models import Organisation

router = Router(tags=["opportunities"])


class LotOut(Schema):
    number: int
    title: str
    description: str
    value_pence: int


class CriterionOut(Schema):
    title: str
    description: str
    weight: int
    kind: str
    lot: int | None
    gate: bool
    price_formula: str | None
    scale: list[dict]


def _criterion(c: Criterion) -> CriterionOut:
    """A criterion as applicants see it: kind, lot, weight or gate, price formula, scale."""
    return CriterionOut(
        title=c.title,
        description=c.description,
        weight=c.weight,
        kind=c.kind,
        lot=c.lot.number if c.lot_id else None,
        gate=c.is_gate,
        price_formula=c.price_formula if c.is_price else None,
        scale=[] if c.is_gate or c.is_price else c.scale_points,
    )


class ClarificationOut(Schema):
    id: int
    question: str
    answer: str
    published_at: datetime


class AmendmentChangeOut(Schema):
    field: str
    label: str
    before: str
    after: str


class AmendmentOut(Schema):
    number: int
    made_at: datetime
    reason: str
    changes: list[AmendmentChangeOut]


def _amendment(a: Amendment) -> AmendmentOut:
    """A published amendment: when, why, and each term before and after."""
    return AmendmentOut(
        number=a.number,
        made_at=a.made_at,
        reason=a.reason,
        changes=[AmendmentChangeOut(field=name, **change) for name, change in a.changes.items()],
    )


class OpportunityOut(Schema):
    id: int
    reference: str
    title: str
    summary: str
    council: str
    directorate: str
    intention: str | None
    kind: str
    kind_label: str
    sealed: bool
    value_pence: int
    max_award_pence: int | None
    opens_at: datetime | None
    clarification_deadline: datetime | None
    closes_at: datetime | None
    decision_expected: date | None
    process: str
    outcomes: list[str]
    areas: list[str]
    lots: list[LotOut]
    criteria: list[CriterionOut]
    amendments: list[AmendmentOut]


class OpportunityPageOut(Schema):
    count: int
    page: int
    results: list[OpportunityOut]


def _out(item: Opportunity, *, full: bool = False) -> OpportunityOut:
    return OpportunityOut(
        id=item.pk,
        reference=item.reference,
        title=item.title,
        summary=item.summary,
        council=item.council.name,
        directorate=item.directorate.name,
        intention=item.intention.reference if item.intention_id else None,
        kind=item.kind,
        kind_label=item.get_kind_display(),
        sealed=item.is_sealed,
        value_pence=item.value_pence,
        max_award_pence=item.max_award_pence,
        opens_at=item.opens_at,
        clarification_deadline=item.clarification_deadline,
        closes_at=item.closes_at,
        decision_expected=item.decision_expected,
        process=item.process,
        outcomes=[o.title for o in item.outcomes.all()],
        areas=[a.name for a in item.areas.all()],
        lots=[LotOut.from_orm(lot) for lot in item.lots.all()],
        criteria=[_criterion(c) for c in item.criteria.all()] if full else [],
        amendments=[_amendment(a) for a in item.amendments.all()],
    )


class OpportunityQuery(Schema):
    q: str = ""
    council: Id | None = None
    outcome: Id | None = None
    area: Id | None = None
    kind: OpportunityKind | None = None
    min_value_pence: BigInt | None = None
    max_value_pence: BigInt | None = None
    closes_before: date | None = None
    include_closed: bool = False
    page: Page = 1


PAGE_SIZE = 50


@router.get(
    "/opportunities",
    auth=PUBLIC_AUTH,
    response={200: OpportunityPageOut, 422: ErrorOut},
    summary="Published opportunities",
)
def list_opportunities(
    request: HttpRequest, filters: Query[OpportunityQuery]
) -> OpportunityPageOut:
    """Open opportunities (add ``include_closed`` for closed ones), soonest deadline first."""
    qs = selectors.public_opportunities(
        filters=selectors.OpportunityFilters(
            q=filters.q,
            council=filters.council,
            outcome=filters.outcome,
            area=filters.area,
            kind=filters.kind or "",
            min_value=filters.min_value_pence,
            max_value=filters.max_value_pence,
            closes_before=filters.closes_before,
            include_closed=filters.include_closed,
        )
    )
    page = max(filters.page, 1)
    items = list(qs[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    return OpportunityPageOut(count=qs.count(), page=page, results=[_out(i) for i in items])


@router.get(
    "/opportunities/{opportunity_id}",
    auth=PUBLIC_AUTH,
    response={200: OpportunityOut, 404: ErrorOut},
    summary="One opportunity, with its criteria and weights",
)
def get_opportunity(request: HttpRequest, opportunity_id: Id) -> OpportunityOut:
    """Everything an applicant sees about the opportunity."""
    return _out(selectors.get_public_opportunity(pk=opportunity_id, user=request.user), full=True)


@router.get(
    "/opportunities/{opportunity_id}/clarifications",
    auth=PUBLIC_AUTH,
    response={200: list[ClarificationOut], 404: ErrorOut},
    summary="Published questions and answers",
)
def list_clarifications(request: HttpRequest, opportunity_id: Id) -> list[ClarificationOut]:
    """The published answers, anonymised: nobody is told who asked."""
    opportunity = selectors.get_public_opportunity(pk=opportunity_id, user=request.user)
    return [
        ClarificationOut(
            id=c.pk, question=c.published_question, answer=c.answer, published_at=c.published_at
        )
        for c in opportunity.published_clarifications
    ]


class QuestionIn(Schema):
    organisation_id: Id
    question: str


class QuestionOut(Schema):
    id: int
    question: str
    asked_at: datetime


@router.post(
    "/opportunities/{opportunity_id}/clarifications",
    auth=AUTH,
    response={201: QuestionOut, **ERRORS_WRITE},
    summary="Ask a clarification question",
)
def ask(request: HttpRequest, opportunity_id: Id, payload: QuestionIn) -> tuple[int, QuestionOut]:
    """Ask a question for one of your organisations, until the clarification deadline.

    Errors: 403 if you are not a member of the organisation; 400 with the deadline when
    questions have closed; 404 for an unknown opportunity.
    """
    opportunity = selectors.get_public_opportunity(pk=opportunity_id, user=request.auth)
    organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
    if organisation is None:
        raise ApiError(400, "invalid", "Unknown organisation", {"organisation_id": ["Unknown"]})
    if not policy.can(request.auth, "opportunities.provider", organisation):
        raise PermissionDenied("Not a member")
    asked = services.ask_clarification(
        opportunity=opportunity,
        organisation=organisation,
        actor=request.auth,
        question=payload.question,
    )
    return Status(201, QuestionOut(id=asked.pk, question=asked.question, asked_at=asked.asked_at))


__all__ = ["ERRORS_READ", "router"]
