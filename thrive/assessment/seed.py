"""Demo assessment data: panels with declarations, independent scores and moderated results
for decided rounds, and one round still being scored. Rows go in with bulk_create."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from thrive.accounts.models import Role, User
from thrive.applications.models import Application, ApplicationStatus, BidOpening
from thrive.assessment.models import (
    ConflictDeclaration,
    ModeratedScore,
    Panel,
    PanelMember,
    Score,
)
from thrive.assessment.scoring import mean_score
from thrive.core.seeding import SeedContext
from thrive.opportunities.models import Opportunity, OpportunityKind

COMMENTS = [
    "Clear evidence of need and a credible plan.",
    "Meets the need with minor gaps in the delivery plan.",
    "Good local knowledge; outcomes could be more specific.",
    "Strong volunteer involvement and partnership working.",
]
SCORED = (
    ApplicationStatus.ELIGIBLE,
    ApplicationStatus.UNDER_ASSESSMENT,
    ApplicationStatus.SUCCESSFUL,
    ApplicationStatus.UNSUCCESSFUL,
)


def _assessors(council_id: int) -> list[User]:
    return list(
        User.objects.filter(
            council_id=council_id,
            is_active=True,
            role_assignments__role__in=(Role.ASSESSOR, Role.COMMISSIONER),
        )
        .distinct()
        .order_by("pk")[:3]
    )


def _rounds(ctx: SeedContext) -> list[Opportunity]:
    """Closed rounds and tenders whose applications staff may read."""
    opened = set(BidOpening.objects.values_list("opportunity_id", flat=True))
    found = [
        o
        for o in Opportunity.objects.filter(closes_at__lte=ctx.now)
        .exclude(kind=OpportunityKind.SMALL_GRANTS)
        .order_by("-closes_at")
        if not o.is_sealed or o.pk in opened
    ]
    return found[: 4 if ctx.scale.name == "demo" else 12]


def seed(ctx: SeedContext) -> None:
    """Panels, declarations, scores and moderated results for some closed opportunities."""
    for opportunity in _rounds(ctx):
        assessors = _assessors(opportunity.council_id)
        applications = list(Application.objects.filter(opportunity=opportunity, status__in=SCORED))
        if not assessors or not applications:
            continue
        _seed_panel(ctx, opportunity, assessors, applications)


def _seed_panel(ctx: SeedContext, opportunity, assessors, applications) -> None:
    closes = opportunity.closes_at
    decided = any(a.status != ApplicationStatus.ELIGIBLE for a in applications)
    panel = Panel.objects.create(
        opportunity=opportunity,
        moderation_opened_at=closes + timedelta(days=10) if decided else None,
        moderation_opened_by=assessors[0] if decided else None,
    )
    members = PanelMember.objects.bulk_create(
        PanelMember(panel=panel, user=user, added_at=closes) for user in assessors
    )
    ConflictDeclaration.objects.bulk_create(
        ConflictDeclaration(member=m, has_conflict=False, declared_at=closes + timedelta(days=1))
        for m in members
    )
    criteria = [c for c in opportunity.criteria.all() if not c.is_price]
    scores: list[Score] = []
    agreed: list[ModeratedScore] = []
    for application in applications:
        base = 4 if application.status == ApplicationStatus.SUCCESSFUL else 2
        for criterion in criteria:
            given = [max(0, min(5, base + ctx.rng.choice((-1, 0, 0, 1)))) for _ in members]
            scores += [
                Score(
                    application=application,
                    criterion=criterion,
                    assessor=m.user,
                    score=s,
                    comment=ctx.rng.choice(COMMENTS),
                    scored_at=closes + timedelta(days=3),
                )
                for m, s in zip(members, given, strict=True)
            ]
            if decided:
                mean = mean_score(given)
                score = Decimal(round(mean or 0))
                agreed.append(
                    ModeratedScore(
                        application=application,
                        criterion=criterion,
                        score=score,
                        assessor_mean=mean,
                        reason="" if score == mean else "Agreed after discussion of the evidence",
                        moderated_by=assessors[0],
                        moderated_at=closes + timedelta(days=12),
                    )
                )
    Score.objects.bulk_create(scores)
    ModeratedScore.objects.bulk_create(agreed)
