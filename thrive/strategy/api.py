"""API: the outcomes framework, funding pots, the action plan and NI 7."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from thrive.core import policy
from thrive.core.api.errors import ERRORS_READ
from thrive.core.api.types import Id, Year
from thrive.strategy import selectors
from thrive.strategy.models import FinancialYear

router = Router(tags=["strategy"])


class OutcomeOut(Schema):
    id: int
    code: str
    kind: str
    title: str
    description: str
    parent_id: int | None
    is_active: bool


class PotOut(Schema):
    id: int
    name: str
    kind: str
    directorate_id: int
    directorate: str
    financial_year: str
    budget_pence: int
    committed_pence: int
    remaining_pence: int
    merged_into_id: int | None


def _pot(pot) -> PotOut:
    return PotOut(
        id=pot.pk,
        name=pot.name,
        kind=pot.kind,
        directorate_id=pot.directorate_id,
        directorate=pot.directorate.name,
        financial_year=str(pot.financial_year),
        budget_pence=pot.budget_pence,
        committed_pence=pot.committed_pence,
        remaining_pence=pot.remaining_pence,
        merged_into_id=pot.merged_into_id,
    )


@router.get(
    "/outcomes",
    response={200: list[OutcomeOut], **ERRORS_READ},
    summary="The outcomes framework",
)
def list_outcomes(request: HttpRequest, council: Id | None = None) -> list[OutcomeOut]:
    """The council's outcomes in framework order; system administrators pass ``council``."""
    user = request.auth
    policy.require(user, "strategy.framework.view")
    chosen = selectors.council_for(user, council)
    return [
        OutcomeOut(
            id=o.pk,
            code=o.code,
            kind=o.kind,
            title=o.title,
            description=o.description,
            parent_id=o.parent_id,
            is_active=o.is_active,
        )
        for o, _ in selectors.outcome_tree(council=chosen)
    ]


@router.get("/pots", response={200: list[PotOut], **ERRORS_READ}, summary="Funding pots")
def list_pots(
    request: HttpRequest, year: Year | None = None, council: Id | None = None
) -> list[PotOut]:
    """Pots the caller may see, with budget, committed and remaining, in pence.

    ``year`` is the financial year's first calendar year (2026 for April 2026 to March 2027).
    """
    user = request.auth
    policy.require(user, "strategy.pots.view")
    chosen = selectors.council_for(user, council)
    financial_year = FinancialYear.objects.filter(start_year=year).first() if year else None
    if year and financial_year is None:
        return []
    pots = selectors.pots_for_user(user=user, council=chosen, year=financial_year)
    return [_pot(p) for p in pots]


@router.get("/pots/{pot_id}", response={200: PotOut, **ERRORS_READ}, summary="One funding pot")
def get_pot(request: HttpRequest, pot_id: Id) -> PotOut:
    """One pot; 404 when it does not exist, 403 when it is not the caller's to see."""
    policy.require(request.auth, "strategy.pots.view")
    return _pot(selectors.get_pot(user=request.auth, pot_id=pot_id))


class PlanActionOut(Schema):
    id: int
    title: str
    description: str
    section: str
    section_label: str
    owner: str
    due_date: date
    status: str
    recorded_status: str
    progress_note: str
    overdue: bool


class ActionPlanOut(Schema):
    financial_year: str | None
    total: int
    counts: dict[str, int]
    actions: list[PlanActionOut]


class NI7Out(Schema):
    financial_year: str
    respondents: int
    ni7: float | None


@router.get(
    "/action-plan",
    response={200: ActionPlanOut, **ERRORS_READ},
    summary="The annual action plan and its progress",
)
def action_plan(
    request: HttpRequest, year: Year | None = None, council: Id | None = None
) -> ActionPlanOut:
    """Every action of the year's plan with its status (``overdue`` once past due and not
    done) and the counts by status. ``year`` is the financial year's first calendar year;
    the current year by default."""
    user = request.auth
    policy.require(user, "strategy.plan.view")
    chosen = selectors.council_for(user, council)
    policy.require(user, "strategy.plan.view", chosen)
    year = year or FinancialYear.start_year_for(timezone.localdate())
    progress = selectors.action_plan_progress(chosen, year)
    return ActionPlanOut(
        financial_year=str(progress.year) if progress.year else None,
        total=progress.total,
        counts=progress.counts,
        actions=[
            PlanActionOut(
                id=a.pk,
                title=a.title,
                description=a.description,
                section=a.section,
                section_label=a.section_label,
                owner=a.owner,
                due_date=a.due_date,
                status=a.status,
                recorded_status=a.recorded_status,
                progress_note=a.progress_note,
                overdue=a.overdue,
            )
            for a in progress.actions
        ],
    )


@router.get(
    "/ni7",
    response={200: list[NI7Out], **ERRORS_READ},
    summary="NI 7 from the yearly Third Sector survey",
)
def ni7(request: HttpRequest, council: Id | None = None) -> list[NI7Out]:
    """Each year's survey: respondents and NI 7, the percentage answering that local
    statutory bodies influence their success very or fairly positively (aggregates only)."""
    user = request.auth
    policy.require(user, "strategy.survey.results")
    chosen = selectors.council_for(user, council)
    policy.require(user, "strategy.survey.results", chosen)
    return [
        NI7Out(financial_year=p.year, respondents=p.respondents, ni7=p.ni7)
        for p in selectors.ni7_series(chosen)
    ]
