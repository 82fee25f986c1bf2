"""An award's money by financial year (1 April to 31 March).

The money of an award falls in the years its payments fall in: the payment schedule
decides, and an award without a schedule yet is spread over its term pro rata by day.
Each year's part is committed against that year's pot (DESIGN §4 "Money by financial
year"), so a three-year award never empties one year's budget.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from thrive.awards.instalments import schedule_rows
from thrive.awards.models import Award, AwardYear, Instalment, PaymentTiming
from thrive.core.money import format_pence
from thrive.strategy import selectors as strategy_selectors
from thrive.strategy import services as strategy
from thrive.strategy.models import BudgetCommitment, FinancialYear, FundingPot

if TYPE_CHECKING:
    from thrive.accounts.models import User


@dataclass(frozen=True)
class YearPart:
    """The money of an award falling in the financial year starting in April ``start_year``."""

    start_year: int
    amount_pence: int

    @property
    def label(self) -> str:
        return str(FinancialYear(start_year=self.start_year))


def split_by_dates(*, amount_pence: int, start_date: date, end_date: date) -> list[YearPart]:
    """Spread the amount over the term pro rata by day, in whole pence summing to the amount.

    Each year takes the whole pence of its exact share; the pence left over go one each to
    the years with the largest remainders (the earlier year first on a tie).
    """
    total_days = (end_date - start_date).days + 1
    days: list[tuple[int, int]] = []
    day = start_date
    while day <= end_date:
        year = FinancialYear.start_year_for(day)
        last = min(end_date, date(year + 1, 3, 31))
        days.append((year, (last - day).days + 1))
        day = last + timedelta(days=1)
    shares = [divmod(amount_pence * count, total_days) for _, count in days]
    left = amount_pence - sum(whole for whole, _ in shares)
    by_remainder = sorted(range(len(days)), key=lambda index: (-shares[index][1], index))
    extra = set(by_remainder[:left])
    parts = [
        YearPart(year, shares[index][0] + (1 if index in extra else 0))
        for index, (year, _) in enumerate(days)
    ]
    return [part for part in parts if part.amount_pence > 0]


def split_by_schedule(instalments: Iterable[Instalment]) -> list[YearPart]:
    """Sum the instalments by the financial year each falls due in, earliest year first."""
    totals: dict[int, int] = {}
    for instalment in instalments:
        year = FinancialYear.start_year_for(instalment.due_date)
        totals[year] = totals.get(year, 0) + instalment.amount_pence
    return [YearPart(year, amount) for year, amount in sorted(totals.items()) if amount > 0]


def year_parts(award: Award) -> list[YearPart]:
    """The award's amount by financial year: from its payment schedule, else its dates."""
    instalments = list(award.instalments.all()) if award.pk else []
    if instalments and sum(i.amount_pence for i in instalments) == award.amount_pence:
        return split_by_schedule(instalments)
    return split_by_dates(
        amount_pence=award.amount_pence, start_date=award.start_date, end_date=award.end_date
    )


# --- committing each year's part against that year's pot -----------------------------


def _pot_for(pot: FundingPot, part: YearPart) -> FundingPot:
    found = strategy_selectors.same_pot_in_year(pot=pot, start_year=part.start_year)
    if found is None:
        raise ValidationError(
            {
                "pot": f"There is no pot for {part.label} like {pot}: "
                f"{format_pence(part.amount_pence)} of this award falls in {part.label}. "
                "Ask finance to open that year's pot, or change the dates."
            }
        )
    return found


def _commit_part(
    *, award: Award, pot: FundingPot, part: YearPart, actor: User | None, reason: str
) -> BudgetCommitment:
    try:
        return strategy.commit_budget(
            pot=pot,
            amount_pence=part.amount_pence,
            description=f"{award.reference}: {award.title} ({part.label})"[:255],
            actor=actor,
            source=award,
            reason=reason or f"Award {award.reference}",
        )
    except ValidationError as exc:
        pot.refresh_from_db()
        raise ValidationError(
            {
                "pot": f"There is not enough left in {pot} for the {part.label} part of this "
                f"award: {format_pence(pot.remaining_pence)} remains and the {part.label} part "
                f"is {format_pence(part.amount_pence)}"
            }
        ) from exc


def release_years(*, award: Award, actor: User | None, reason: str) -> None:
    """Give back to their pots the award's commitments still held, every year's part."""
    held = [
        part.commitment
        for part in award.years.select_related("commitment__pot").order_by("start_year")
        if part.commitment_id and part.commitment.released_at is None
    ]
    if award.commitment_id and award.commitment.released_at is None:
        held.append(award.commitment)
    for commitment in held:
        strategy.release_commitment(commitment=commitment, actor=actor, reason=reason)


def _unchanged(
    award: Award, pot: FundingPot | None, parts: list[YearPart]
) -> list[AwardYear] | None:
    """The award's rows by year when they already hold exactly these parts in these pots
    (so saving unchanged terms moves no money), else None."""
    rows = list(award.years.select_related("commitment").order_by("start_year"))
    if award.commitment_id or [(r.start_year, r.amount_pence) for r in rows] != [
        (p.start_year, p.amount_pence) for p in parts
    ]:
        return None
    for row, part in zip(rows, parts, strict=True):
        if pot is None and row.pot_id is None:
            continue
        if pot is None or row.commitment is None or row.commitment.released_at is not None:
            return None
        if row.pot != _pot_for(pot, part):
            return None
    return rows


def commit_years(
    *, award: Award, pot: FundingPot | None, actor: User | None, reason: str
) -> list[AwardYear]:
    """Split the award by year and commit each part against that year's pot of ``pot``'s line.

    Releases what the award held before (nothing moves when the parts and pots are as they
    were). Every part is committed or none: a year without
    a pot of the line, or whose pot cannot cover its part, refuses with ``ValidationError``
    naming the year, and the caller's transaction undoes the rest. Pots are locked year by
    year in order, so two awards over the same years queue rather than deadlock.
    """
    if pot is not None and pot.council_id != award.council_id:
        raise ValidationError({"pot": "Choose a pot of the awarding council"})
    parts = year_parts(award)
    held = _unchanged(award, pot, parts)
    if held is not None:
        return held
    with transaction.atomic():
        release_years(award=award, actor=actor, reason=reason)
        award.years.all().delete()
        stored = (award.pot_id, award.commitment_id)
        award.commitment = None
        rows = []
        for part in parts:
            row = AwardYear(award=award, start_year=part.start_year, amount_pence=part.amount_pence)
            if pot is not None:
                row.pot = _pot_for(pot, part)
                row.commitment = _commit_part(
                    award=award, pot=row.pot, part=part, actor=actor, reason=reason
                )
            rows.append(row)
        AwardYear.objects.bulk_create(rows)
        award.pot = rows[0].pot if rows and pot is not None else None
        if stored != (award.pot_id, None):  # a new award already holds these
            type(award).objects.filter(pk=award.pk).update(pot=award.pot, commitment=None)
    return rows


@dataclass(frozen=True)
class PlannedYear:
    """A year's part of an award still to be made, with the pot that would take it."""

    part: YearPart
    pot: FundingPot | None
    remaining_pence: int | None

    @property
    def covered(self) -> bool:
        return self.remaining_pence is not None and self.remaining_pence >= self.part.amount_pence


def plan_by_year(
    *, kind: str, amount_pence: int, start_date: date, end_date: date, pot: FundingPot | None
) -> list[PlannedYear]:
    """The parts by year an award made on these terms would have (from its default payment
    schedule), each with its year's pot of ``pot``'s line and what remains in it."""
    if amount_pence <= 0 or end_date < start_date:
        return []
    rows = schedule_rows(
        kind=kind,
        amount_pence=amount_pence,
        start_date=start_date,
        end_date=end_date,
        payment_timing=PaymentTiming.ADVANCE,
    )
    planned = []
    for part in split_by_schedule(Instalment(**row) for row in rows):
        found = (
            strategy_selectors.same_pot_in_year(pot=pot, start_year=part.start_year)
            if pot is not None
            else None
        )
        remaining = found.remaining_pence if found is not None else None
        planned.append(PlannedYear(part=part, pot=found, remaining_pence=remaining))
    return planned
