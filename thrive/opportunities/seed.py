"""Demo opportunities for each council: open ones of every kind, a closed sealed tender
waiting to be opened, and past rounds over the scale's years."""

from __future__ import annotations

from datetime import datetime, timedelta

from thrive.core.seeding import SeedContext
from thrive.opportunities.models import (
    Criterion,
    CriterionKind,
    Lot,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    kind_is_sealed,
)
from thrive.questions.defaults import ensure_default_templates
from thrive.strategy.models import Directorate

FORMS = {
    OpportunityKind.SMALL_GRANTS: "small-grant",
    OpportunityKind.GRANT_ROUND: "funding-agreement",
    OpportunityKind.RFQ: "quotation",
    OpportunityKind.TENDER: "tender",
}
TITLES = {
    OpportunityKind.SMALL_GRANTS: ["Community small grants", "Small grants for new groups"],
    OpportunityKind.GRANT_ROUND: ["Befriending grants", "Youth engagement fund", "Advice services"],
    OpportunityKind.RFQ: ["Volunteer training programme", "Community transport pilot"],
    OpportunityKind.TENDER: ["Carers support service", "Advocacy service", "Day opportunities"],
}
PROCESS = {
    OpportunityKind.SMALL_GRANTS: "Check you are eligible, then fill in the short form. One "
    "officer decides within four weeks and tells you by email.",
    OpportunityKind.GRANT_ROUND: "Apply by the closing date. We check eligibility, a panel "
    "scores each application against the criteria below, and we tell everyone the result with "
    "feedback by the decision date.",
    OpportunityKind.RFQ: "Send a quotation by the closing date. We compare quotations on the "
    "criteria below and award to the most economically advantageous.",
    OpportunityKind.TENDER: "Bids are sealed until the closing time and opened by a procurement "
    "officer. A panel scores quality, price and social value; we award by the decision date.",
}
CRITERIA = [
    ("Quality", 50, CriterionKind.QUALITY),
    ("Price", 30, CriterionKind.PRICE),
    ("Social value", 20, CriterionKind.SOCIAL_VALUE),
]


class _Counter:
    def __init__(self) -> None:
        self.by_year: dict[int, int] = {}

    def next(self, year: int) -> str:
        self.by_year[year] = self.by_year.get(year, 0) + 1
        return f"OPP-{year}-{self.by_year[year]:04d}"


def _make(
    ctx: SeedContext,
    counter: _Counter,
    *,
    council: object,
    directorate: Directorate,
    kind: str,
    opens: datetime,
    closes: datetime | None,
    templates: dict,
) -> Opportunity:
    value = {
        OpportunityKind.SMALL_GRANTS: 5_000_000,
        OpportunityKind.GRANT_ROUND: ctx.rng.randrange(10, 40) * 1_000_000,
        OpportunityKind.RFQ: ctx.rng.randrange(2, 9) * 1_000_000,
        OpportunityKind.TENDER: ctx.rng.randrange(20, 120) * 1_000_000,
    }[kind]
    opportunity = Opportunity.objects.create(
        council=council,
        directorate=directorate,
        reference=counter.next(opens.year),
        title=f"{ctx.rng.choice(TITLES[kind])} {opens.year}",
        summary=ctx.fake.sentence(nb_words=14),
        description=ctx.fake.paragraph(nb_sentences=4),
        process=PROCESS[kind],
        kind=kind,
        status=OpportunityStatus.PUBLISHED,
        sealed=kind_is_sealed(kind),
        value_pence=value,
        max_award_pence=500_000 if kind == OpportunityKind.SMALL_GRANTS else None,
        form_template=templates[FORMS[kind]],
        opens_at=opens,
        clarification_deadline=closes - timedelta(days=7) if closes else None,
        closes_at=closes,
        decision_expected=(closes + timedelta(days=42)).date() if closes else None,
        published_at=opens,
    )
    outcomes = ctx.data.get("outcomes", {}).get(council.pk, [])
    if outcomes:
        opportunity.outcomes.set(ctx.rng.sample(outcomes, k=min(2, len(outcomes))))
    areas = ctx.data.get("areas", {}).get(council.pk, [])
    if areas:
        opportunity.areas.set(ctx.rng.sample(list(areas), k=min(2, len(areas))))
    _add_criteria_and_lots(opportunity, value)
    return opportunity


def _add_criteria_and_lots(opportunity: Opportunity, value: int) -> None:
    kind = opportunity.kind
    if kind != OpportunityKind.SMALL_GRANTS:
        Criterion.objects.bulk_create(
            Criterion(opportunity=opportunity, title=t, weight=w, kind=k, order=i)
            for i, (t, w, k) in enumerate(CRITERIA)
        )
    if kind == OpportunityKind.TENDER:
        share = value // 2
        Lot.objects.bulk_create(
            [
                Lot(
                    opportunity=opportunity,
                    number=1,
                    title="North of the county",
                    value_pence=share,
                ),
                Lot(
                    opportunity=opportunity,
                    number=2,
                    title="South of the county",
                    value_pence=share,
                ),
            ]
        )


def seed(ctx: SeedContext) -> None:
    """Create the opportunities; ``ctx.data['opportunities']`` lists them, newest last."""
    templates = ensure_default_templates()
    counter = _Counter()
    made: list[Opportunity] = []
    now = ctx.now.replace(microsecond=0, second=0)
    for council in ctx.data.get("councils", []):
        directorates = list(Directorate.objects.filter(council=council).order_by("code"))
        if not directorates:
            continue
        per_year = 2 if ctx.scale.name == "demo" else 6
        for years_ago in range(ctx.scale.years - 1, 0, -1):
            for _ in range(per_year):
                kind = ctx.rng.choice(list(OpportunityKind))
                opens = now - timedelta(days=365 * years_ago + ctx.rng.randrange(0, 200))
                made.append(
                    _make(
                        ctx,
                        counter,
                        council=council,
                        directorate=ctx.rng.choice(directorates),
                        kind=kind,
                        opens=opens,
                        closes=opens + timedelta(days=42),
                        templates=templates,
                    )
                )
        plans = [
            (OpportunityKind.SMALL_GRANTS, now - timedelta(days=60), None),
            (OpportunityKind.GRANT_ROUND, now - timedelta(days=10), now + timedelta(days=21)),
            (OpportunityKind.RFQ, now - timedelta(days=5), now + timedelta(days=14)),
            (OpportunityKind.TENDER, now - timedelta(days=40), now - timedelta(days=2)),
            (OpportunityKind.TENDER, now - timedelta(days=3), now + timedelta(days=30)),
        ]
        for kind, opens, closes in plans:
            directorate = next((d for d in directorates if d.code == "adults"), directorates[0])
            made.append(
                _make(
                    ctx,
                    counter,
                    council=council,
                    directorate=directorate,
                    kind=kind,
                    opens=opens,
                    closes=closes,
                    templates=templates,
                )
            )
    ctx.data["opportunities"] = made
