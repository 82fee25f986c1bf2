"""Creating the award for a small grant decided under the Small Grants Scheme (§3.1)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models

from thrive.accounts.models import Council, User
from thrive.awards.models import Award, AwardKind, AwardStatus
from thrive.awards.services import create_award
from thrive.organisations.models import Organisation
from thrive.strategy.models import Directorate, FinancialYear, FundingPot


def default_pot(*, council: Council, directorate: Directorate, day: date) -> FundingPot | None:
    """The directorate's open pot for the financial year of ``day`` with the most left,
    or None when the directorate has no pot that year."""
    return (
        FundingPot.objects.open()
        .filter(
            council=council,
            directorate=directorate,
            financial_year__start_year=FinancialYear.start_year_for(day),
        )
        .with_remaining()
        .order_by("-remaining", "pk")
        .first()
    )


def create_small_grant_award(
    *,
    organisation: Organisation,
    council: Council,
    directorate: Directorate,
    title: str,
    amount_pence: int,
    start_date: date,
    actor: User | None,
    reason: str = "",
    pot: FundingPot | None = None,
    application: models.Model | None = None,
) -> Award:
    """Record a one-year small grant, active at once, committed against the directorate's
    pot for the year (refused when the pot cannot cover it), audited."""
    end_date = date(start_date.year + 1, start_date.month, 1) - timedelta(days=1)
    if end_date < start_date:
        end_date = start_date
    if pot is None:
        pot = default_pot(council=council, directorate=directorate, day=start_date)
    return create_award(
        organisation=organisation,
        council=council,
        directorate=directorate,
        kind=AwardKind.SMALL_GRANT,
        title=title[:255],
        amount_pence=amount_pence,
        start_date=start_date,
        end_date=end_date,
        actor=actor,
        pot=pot,
        application=application,
        opportunity=getattr(application, "opportunity", None),
        status=AwardStatus.ACTIVE,
        reason=reason,
    )
