"""Demo awards over the scale's years, so each organisation's whole picture is real."""

from __future__ import annotations

from datetime import date, timedelta

from thrive.awards.models import Award, AwardKind, AwardStatus
from thrive.core.seeding import SeedContext
from thrive.strategy.models import Directorate

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


def _kind_and_amount(ctx: SeedContext) -> tuple[str, int]:
    roll = ctx.rng.random()
    if roll < 0.55:
        return AwardKind.SMALL_GRANT, ctx.rng.randrange(250, 5_001) * 100
    if roll < 0.9:
        return AwardKind.FUNDING_AGREEMENT, ctx.rng.randrange(10, 150) * 1_000_00
    return AwardKind.CONTRACT, ctx.rng.randrange(50, 600) * 1_000_00


def seed(ctx: SeedContext) -> None:
    """Give about a third of organisations awards from one or both councils over the years."""
    organisations = ctx.data.get("organisations", [])
    councils = ctx.data.get("councils", [])
    if not organisations or not councils:
        return
    directorates = {c.pk: list(Directorate.objects.filter(council=c)) for c in councils}
    today = ctx.now.date()
    first_year = today.year - ctx.scale.years + 1
    awards: list[Award] = []
    for organisation in ctx.progress(organisations, total=len(organisations), desc="Awards"):
        if ctx.rng.random() > 0.35:
            continue
        for _ in range(ctx.rng.randint(1, 4)):
            council = councils[0] if ctx.rng.random() < 0.8 else ctx.rng.choice(councils)
            if not directorates.get(council.pk):
                continue
            kind, amount = _kind_and_amount(ctx)
            start = date(ctx.rng.randint(first_year, today.year), ctx.rng.choice([4, 7, 10, 1]), 1)
            years = 1 if kind == AwardKind.SMALL_GRANT else 3
            end = date(start.year + years, start.month, 1) - timedelta(days=1)
            status = AwardStatus.COMPLETED if end < today else AwardStatus.ACTIVE
            awards.append(
                Award(
                    organisation=organisation,
                    council=council,
                    directorate=ctx.rng.choice(directorates[council.pk]),
                    kind=kind,
                    title=f"{ctx.rng.choice(TITLES[kind])} {start.year}",
                    amount_pence=amount,
                    start_date=start,
                    end_date=end,
                    status=status,
                )
            )
        if len(awards) >= 2000:
            Award.objects.bulk_create(awards)
            awards = []
    Award.objects.bulk_create(awards)
