"""API: the outcomes framework and funding pots."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from thrive.api.errors import ERRORS_READ
from thrive.core import policy
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
def list_outcomes(request: HttpRequest, council: int | None = None) -> list[OutcomeOut]:
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
    request: HttpRequest, year: int | None = None, council: int | None = None
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
def get_pot(request: HttpRequest, pot_id: int) -> PotOut:
    """One pot; 404 when it does not exist, 403 when it is not the caller's to see."""
    policy.require(request.auth, "strategy.pots.view")
    return _pot(selectors.get_pot(user=request.auth, pot_id=pot_id))
