"""Demo awards over the scale's years, so each organisation's whole picture is real.

Each award's money is split by the financial years its instalments fall in, and each
year's part committed against that year's pot of one line of its directorate where every
year has one (never past its budget), with outcomes, targets, a payment schedule whose past
instalments are paid, and social value commitments on contracts. Everything is made
in bulk so that county scale stays fast.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.utils import timezone

from thrive.accounts.models import User
from thrive.awards.instalments import schedule_rows
from thrive.awards.models import (
    Award,
    AwardKind,
    AwardStatus,
    AwardTarget,
    AwardYear,
    Instalment,
    SocialValueCommitment,
    SocialValueTheme,
    make_reference,
)
from thrive.awards.years import YearPart, split_by_schedule
from thrive.core.roles import Role
from thrive.core.seeding import SeedContext
from thrive.strategy.models import BudgetCommitment, Directorate, FundingPot

BATCH = 2000
FUNDED = (AwardStatus.ACTIVE, AwardStatus.COMPLETED, AwardStatus.TERMINATED)

TITLES = {
    AwardKind.SMALL_GRANT: [
        "Volunteer training",
        "Room hire for a new group",
        "Equipment",
        "Summer activities",
    ],
    AwardKind.FUNDING_AGREEMENT: [
        "Community support",
        "Befriending",
        "Advice service",
        "Youth work",
    ],
    AwardKind.CONTRACT: ["Carers support service", "Community transport", "Advocacy service"],
}

TARGETS = [
    ("People supported", "people", 40, 400),
    ("Volunteers recruited", "volunteers", 5, 60),
    ("Sessions delivered", "sessions", 20, 300),
    ("People reporting improved wellbeing", "people", 20, 200),
    ("Hours of volunteering", "hours", 200, 4000),
]

SOCIAL_VALUE = [
    (SocialValueTheme.JOBS, "Local people employed on the service", "jobs", 1, 6),
    (SocialValueTheme.SKILLS, "Training places for local residents", "places", 5, 40),
    (SocialValueTheme.SUPPLY_CHAIN, "Spend with local suppliers", "per cent", 20, 60),
    (SocialValueTheme.COMMUNITY, "Volunteering hours in the community", "hours", 100, 1000),
    (SocialValueTheme.ENVIRONMENT, "Journeys by low-emission vehicles", "per cent", 25, 90),
]

SHORT_TERM_REASON = "Pilot funding while the service is reviewed; a longer agreement may follow."


def _kind_and_amount(ctx: SeedContext) -> tuple[str, int]:
    roll = ctx.rng.random()
    if roll < 0.55:
        return AwardKind.SMALL_GRANT, ctx.rng.randrange(250, 5_001) * 100
    if roll < 0.9:
        return AwardKind.FUNDING_AGREEMENT, ctx.rng.randrange(10, 150) * 1_000_00
    return AwardKind.CONTRACT, ctx.rng.randrange(50, 600) * 1_000_00


class _Pots:
    """Open pots by council, directorate and financial year, with what is left in memory."""

    def __init__(self, councils: list[Any]) -> None:
        self.by_key: dict[tuple, list[FundingPot]] = defaultdict(list)
        self.remaining: dict[int, int] = {}
        self.added: dict[int, int] = defaultdict(int)
        pots = (
            FundingPot.objects.open().filter(council__in=councils).select_related("financial_year")
        )
        for pot in pots.order_by("kind", "pk"):
            key = (pot.council_id, pot.directorate_id, pot.financial_year.start_year)
            self.by_key[key].append(pot)
            self.remaining[pot.pk] = pot.budget_pence - pot.committed_pence

    def take(self, award: Award, parts: list[YearPart]) -> list[FundingPot] | None:
        """For each year's part, a pot of the award's directorate that can still cover it
        (the same line every year), with the money taken; None when a year has none."""
        first = self.by_key.get((award.council_id, award.directorate_id, parts[0].start_year), [])
        for line in {(pot.kind, pot.name): pot for pot in first}:
            chosen = [self._line_pot(award, part, line) for part in parts]
            if all(chosen):
                for pot, part in zip(chosen, parts, strict=True):
                    self.remaining[pot.pk] -= part.amount_pence
                    self.added[pot.pk] += part.amount_pence
                return chosen
        return None

    def _line_pot(self, award: Award, part: YearPart, line: tuple[str, str]) -> Any:
        for pot in self.by_key.get((award.council_id, award.directorate_id, part.start_year), []):
            if (pot.kind, pot.name) == line and self.remaining[pot.pk] >= part.amount_pence:
                return pot
        return None

    def save(self) -> None:
        for pot_id, amount in self.added.items():
            FundingPot.objects.filter(pk=pot_id).update(
                committed_pence=F("committed_pence") + amount
            )


def _status(ctx: SeedContext, start: date, end: date, today: date, is_demo_org: bool) -> str:
    if start > today - timedelta(days=60) and (is_demo_org or ctx.rng.random() < 0.15):
        return ctx.rng.choice([AwardStatus.DRAFT, AwardStatus.OFFERED])
    if end < today:
        return AwardStatus.TERMINATED if ctx.rng.random() < 0.03 else AwardStatus.COMPLETED
    return AwardStatus.ACTIVE


def _new_awards(ctx: SeedContext, councils: list[Any], today: date) -> list[Award]:
    organisations = ctx.data["organisations"]
    directorates = {c.pk: list(Directorate.objects.filter(council=c)) for c in councils}
    first_year = today.year - ctx.scale.years + 1
    awards: list[Award] = []
    for index, organisation in enumerate(
        ctx.progress(organisations, total=len(organisations), desc="Awards")
    ):
        is_demo_org = index == 0
        if ctx.rng.random() > 0.35 and not is_demo_org:
            continue
        for _ in range(ctx.rng.randint(1, 4)):
            council = councils[0] if ctx.rng.random() < 0.8 else ctx.rng.choice(councils)
            if not directorates.get(council.pk):
                continue
            kind, amount = _kind_and_amount(ctx)
            start = date(ctx.rng.randint(first_year, today.year), ctx.rng.choice([4, 7, 10, 1]), 1)
            years = 1 if kind == AwardKind.SMALL_GRANT else ctx.rng.choice([3, 3, 3, 2])
            end = date(start.year + years, start.month, 1) - timedelta(days=1)
            awards.append(
                Award(
                    organisation=organisation,
                    council=council,
                    directorate=ctx.rng.choice(directorates[council.pk]),
                    kind=kind,
                    title=f"{ctx.rng.choice(TITLES[kind])} {start.year}",
                    description="",
                    amount_pence=amount,
                    start_date=start,
                    end_date=end,
                    status=_status(ctx, start, end, today, is_demo_org),
                    payment_timing="advance" if ctx.rng.random() < 0.8 else "arrears",
                    short_term_reason=SHORT_TERM_REASON if years < 3 else "",
                    created_at=timezone.make_aware(datetime.combine(start, time(9)))
                    - timedelta(days=30),
                )
            )
    # The demo provider always has an offer waiting for acceptance.
    demo = [a for a in awards if a.organisation_id == organisations[0].pk]
    if demo and not any(a.status == AwardStatus.OFFERED for a in demo):
        demo[0].status = AwardStatus.OFFERED
        demo[0].start_date = max(demo[0].start_date, today)
        demo[0].end_date = max(demo[0].end_date, demo[0].start_date)
        demo[0].created_at = ctx.now - timedelta(days=7)
    return awards


def _finance_officers(councils: list[Any]) -> dict[int, Any]:
    officers = {}
    for council in councils:
        officers[council.pk] = (
            User.objects.filter(council=council, role_assignments__role=Role.FINANCE_OFFICER)
            .order_by("pk")
            .first()
        )
    return officers


def _lifecycle(award: Award) -> None:
    if award.status in (AwardStatus.OFFERED, AwardStatus.ACTIVE, AwardStatus.COMPLETED):
        award.offered_at = award.created_at + timedelta(days=7)
    if award.status in FUNDED:
        award.accepted_at = award.created_at + timedelta(days=14)
        award.accepted_name = "Chair of trustees"
    if award.status == AwardStatus.TERMINATED:
        award.ended_on = award.end_date
        award.end_reason = "Ended by agreement when the service closed."


def _targets(ctx: SeedContext, award: Award, chosen: list[Any]) -> list[AwardTarget]:
    scale = 1 if award.kind == AwardKind.SMALL_GRANT else 5
    return [
        AwardTarget(
            award_id=award.pk,
            outcome_id=chosen[0].pk if chosen else None,
            description=text,
            unit=unit,
            target_value=Decimal(ctx.rng.randint(low, high) * scale),
            order=order,
        )
        for order, (text, unit, low, high) in enumerate(
            ctx.rng.sample(TARGETS, k=ctx.rng.randint(1, 3))
        )
    ]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _instalments(ctx: SeedContext, award: Award, today: date, officer: Any) -> list[Instalment]:
    """The default schedule; instalments already due are paid, except that some active
    awards still wait for a monitoring return before their latest one."""
    rows = schedule_rows(
        kind=award.kind,
        amount_pence=award.amount_pence,
        start_date=award.start_date,
        end_date=award.end_date,
        payment_timing=award.payment_timing,
    )
    due = [row for row in rows if row["due_date"] <= today]
    waiting = (
        due[-1] if due and award.status == AwardStatus.ACTIVE and ctx.rng.random() < 0.2 else None
    )
    made = []
    for row in rows:
        paid = award.status in FUNDED and row["due_date"] <= today and row is not waiting
        made.append(
            Instalment(
                award_id=award.pk,
                released_at=_at(row["due_date"], 9)
                if paid and row["requires_accepted_return"]
                else None,
                paid_at=_at(row["due_date"], 12) if paid else None,
                paid_by=officer if paid else None,
                **row,
            )
        )
    return made


def _social_value(ctx: SeedContext, award: Award) -> list[SocialValueCommitment]:
    if award.kind != AwardKind.CONTRACT:
        return []
    return [
        SocialValueCommitment(
            award_id=award.pk,
            theme=theme,
            description=text,
            measure=measure,
            target_value=Decimal(ctx.rng.randint(low, high)),
        )
        for theme, text, measure, low, high in ctx.rng.sample(SOCIAL_VALUE, k=ctx.rng.randint(2, 3))
    ]


def _commit(
    awards: list[Award], pots: _Pots, officers: dict[int, Any], schedules: dict[int, list]
) -> list[AwardYear]:
    """Split each award by year and commit every year's part against that year's pot of
    one line that can still cover it, in bulk; an award some year cannot cover has no pot."""
    years, commitments = [], []
    for award in awards:
        parts = split_by_schedule(schedules[award.pk])
        chosen = pots.take(award, parts) if award.status != AwardStatus.DECLINED else None
        award.pot = chosen[0] if chosen else None
        for index, part in enumerate(parts):
            row = AwardYear(award=award, start_year=part.start_year, amount_pence=part.amount_pence)
            years.append(row)
            if not chosen:
                continue
            row.pot = chosen[index]
            row.commitment = BudgetCommitment(
                pot=row.pot,
                amount_pence=part.amount_pence,
                description=f"{award.reference}: {award.title} ({part.label})"[:255],
                source_type="awards.award",
                source_id=str(award.pk),
                committed_by=officers.get(award.council_id),
                committed_at=award.created_at,
            )
            commitments.append(row.commitment)
    BudgetCommitment.objects.bulk_create(commitments, batch_size=BATCH)
    for row in years:
        row.commitment_id = row.commitment.pk if row.commitment else None
    pots.save()
    return years


def _details(
    ctx: SeedContext, awards: list[Award], pots: _Pots, today: date, councils: list[Any]
) -> None:
    outcomes = ctx.data.get("outcomes", {})
    officers = _finance_officers(councils)
    through = Award.outcomes.through
    links, targets, instalments, social = [], [], [], []
    schedules: dict[int, list[Instalment]] = {}
    for award in awards:
        award.reference = make_reference(award)
        _lifecycle(award)
        framework = outcomes.get(award.council_id, [])
        chosen = (
            ctx.rng.sample(framework, k=min(len(framework), ctx.rng.randint(1, 2)))
            if framework
            else []
        )
        links.extend(through(award_id=award.pk, outcome_id=o.pk) for o in chosen)
        targets.extend(_targets(ctx, award, chosen))
        schedules[award.pk] = _instalments(ctx, award, today, officers.get(award.council_id))
        instalments.extend(schedules[award.pk])
        social.extend(_social_value(ctx, award))
    years = _commit(awards, pots, officers, schedules)
    Award.objects.bulk_update(
        awards,
        [
            "reference",
            "pot",
            "offered_at",
            "accepted_at",
            "accepted_name",
            "ended_on",
            "end_reason",
        ],
        batch_size=500,
    )
    through.objects.bulk_create(links, batch_size=BATCH)
    AwardTarget.objects.bulk_create(targets, batch_size=BATCH)
    Instalment.objects.bulk_create(instalments, batch_size=BATCH)
    AwardYear.objects.bulk_create(years, batch_size=BATCH)
    SocialValueCommitment.objects.bulk_create(social, batch_size=BATCH)


def seed(ctx: SeedContext) -> None:
    """Give about a third of organisations awards from one or both councils over the years."""
    organisations = ctx.data.get("organisations", [])
    councils = ctx.data.get("councils", [])
    if not organisations or not councils:
        return
    today = ctx.now.date()
    awards = _new_awards(ctx, councils, today)
    Award.objects.bulk_create(awards, batch_size=BATCH)
    _details(ctx, awards, _Pots(councils), today, councils)
    ctx.data["awards"] = awards
