"""API: needs with their priority, and commissioning intentions."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Router, Schema

from thrive.accounts.api_auth import PUBLIC_AUTH
from thrive.commissioning import selectors
from thrive.commissioning.models import Intention
from thrive.commissioning.selectors import settings_for
from thrive.core import policy
from thrive.core.api.errors import ERRORS_READ, ErrorOut
from thrive.core.api.types import Id
from thrive.strategy import selectors as strategy_selectors

router = Router(tags=["commissioning"])


class NeedOut(Schema):
    id: int
    title: str
    description: str
    directorate: str
    area: str
    statutory: bool
    priority_score: int
    priority_explanation: str
    outcome_codes: list[str]


class IntentionOut(Schema):
    reference: str
    council: str
    directorate: str
    title: str
    summary: str
    direction: str
    status: str
    budget_pence: int
    service_start: date | None
    service_end: date | None
    outcome_codes: list[str]
    stopped_outcome_codes: list[str]
    published_at: datetime | None


def _need(need, weights) -> NeedOut:
    explanation = selectors.explain_priority(need=need, weights=weights)
    return NeedOut(
        id=need.pk,
        title=need.title,
        description=need.description,
        directorate=need.directorate.name,
        area=need.area.name,
        statutory=need.statutory,
        priority_score=explanation.total,
        priority_explanation=explanation.sentence,
        outcome_codes=[o.code for o in need.outcomes.all()],
    )


def _intention(intention: Intention) -> IntentionOut:
    return IntentionOut(
        reference=intention.reference,
        council=intention.council.name,
        directorate=intention.directorate.name,
        title=intention.title,
        summary=intention.summary,
        direction=intention.direction,
        status=intention.status,
        budget_pence=intention.budget_pence,
        service_start=intention.service_start,
        service_end=intention.service_end,
        outcome_codes=[o.code for o in intention.outcomes.all()],
        stopped_outcome_codes=[o.code for o in intention.stopped_outcomes.all()],
        published_at=intention.published_at,
    )


@router.get("/needs", response={200: list[NeedOut], **ERRORS_READ}, summary="Needs, ranked")
def list_needs(request: HttpRequest, council: Id | None = None) -> list[NeedOut]:
    """Needs the caller may see, statutory first, then by weighted score, each explained."""
    user = request.auth
    policy.require(user, "commissioning.needs.view")
    chosen = strategy_selectors.council_for(user, council)
    weights = settings_for(council=chosen).weights()
    needs = selectors.needs_for_user(user=user, council=chosen).prefetch_related("outcomes")
    return [_need(n, weights) for n in needs[:500]]


@router.get("/needs/{need_id}", response={200: NeedOut, **ERRORS_READ}, summary="One need")
def get_need(request: HttpRequest, need_id: Id) -> NeedOut:
    policy.require(request.auth, "commissioning.needs.view")
    need = selectors.get_need(user=request.auth, need_id=need_id)
    return _need(need, settings_for(council=need.council).weights())


@router.get(
    "/intentions",
    # Open to everyone: never 403; 401 only for a bearer token that is not valid (added to
    # every operation that reads one, with 405 and 422, by thrive.api.openapi).
    response={200: list[IntentionOut], 404: ErrorOut},
    auth=PUBLIC_AUTH,
    summary="Commissioning intentions",
)
def list_intentions(request: HttpRequest, council: Id | None = None) -> list[IntentionOut]:
    """Published intentions for everyone; council staff also see their own drafts."""
    user = request.user
    if policy.can(user, "commissioning.intentions.view"):
        chosen = strategy_selectors.council_for(user, council)
        found = selectors.intentions_for_user(user=user, council=chosen).select_related("council")
    else:
        found = selectors.public_intentions()
    found = found.prefetch_related("outcomes", "stopped_outcomes")
    return [_intention(i) for i in found[:500]]


@router.get(
    "/intentions/{reference}",
    response={200: IntentionOut, 404: ErrorOut},
    auth=PUBLIC_AUTH,
    summary="One commissioning intention",
)
def get_intention(request: HttpRequest, reference: str) -> IntentionOut:
    """A published intention, or any the signed-in staff member may see; 404 otherwise."""
    user = request.user
    intention = Intention.objects.filter(reference=reference).first()
    if intention is not None and policy.can(user, "commissioning.intentions.view", intention):
        return _intention(intention)
    return _intention(selectors.get_public_intention(reference=reference))
