"""Seed the yearly NI 7 survey: a round per council per year with organisations' answers.

Runs after the organisations are seeded (its order in ``StrategyConfig.ready``). The
current year's round is open today and the demo provider's organisation has not answered.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from thrive.core.seeding import SeedContext
from thrive.strategy import services
from thrive.strategy.models import FinancialYear, SurveyResponse, SurveyRound

COMMENTS = [
    "Three-year agreements have made a real difference to our planning.",
    "Payments arrive late and that strains our cash flow.",
    "We would like to be involved earlier, before services are specified.",
    "The small grants form is much simpler than it used to be.",
    "Monitoring asks for more than our grant justifies.",
    "Our commissioner knows our work and listens.",
    "Tender deadlines are too short for a small charity.",
]
AGREEMENT_VALUES = [5, 4, 3, 2, 1, 0]


def seed(ctx: SeedContext) -> None:

    organisations = ctx.data.get("organisations") or []
    if not organisations:
        return
    today = ctx.now.date()
    current = FinancialYear.start_year_for(today)
    first_year = current - ctx.scale.years + 1
    share = 0.6 if ctx.scale.name == "demo" else 0.2
    responses = []
    for council in ctx.data["councils"]:
        for start_year in range(first_year, current + 1):
            year = services.get_financial_year(start_year=start_year)
            if start_year == current:
                opens, closes = today - timedelta(days=14), today + timedelta(days=28)
                taking = organisations[1:]  # the demo provider can still answer
                wanted = int(len(taking) * share / 2)
            else:
                opens, closes = date(start_year, 6, 1), date(start_year, 7, 31)
                taking = organisations
                wanted = int(len(taking) * share)
            survey = SurveyRound.objects.create(
                council=council,
                financial_year=year,
                opens_on=opens,
                closes_on=closes,
                introduction="Please tell us how the council and its partners support your "
                "organisation. It takes about five minutes.",
            )
            # NI 7 improves a little each year as the strategy takes hold
            positive = min(
                0.75, 0.28 + 0.06 * (start_year - first_year) + ctx.rng.uniform(-0.03, 0.03)
            )
            for organisation in ctx.rng.sample(taking, min(wanted, len(taking))):
                responses.append(_response(ctx, survey, organisation, positive, opens))
    SurveyResponse.objects.bulk_create(responses, batch_size=2000)


def _response(ctx: SeedContext, survey, organisation, positive: float, opens: date):

    roll = ctx.rng.random()
    if roll < positive:
        overall = 5 if ctx.rng.random() < 0.3 else 4
    else:
        overall = ctx.rng.choices([3, 2, 1], [55, 30, 15])[0]
    lean = [30, 30, 15, 10, 5, 10] if overall >= 4 else [5, 15, 25, 25, 15, 15]
    day = opens + timedelta(days=ctx.rng.randint(0, 13))
    return SurveyResponse(
        round=survey,
        organisation=organisation,
        size_band=organisation.size_band,
        overall=overall,
        funding=ctx.rng.choices(AGREEMENT_VALUES, lean)[0],
        involvement=ctx.rng.choices(AGREEMENT_VALUES, lean)[0],
        relationship=ctx.rng.choices(AGREEMENT_VALUES, lean)[0],
        comment=ctx.rng.choice(COMMENTS) if ctx.rng.random() < 0.15 else "",
        submitted_at=timezone.make_aware(datetime.combine(day, time(10, 0))),
    )
