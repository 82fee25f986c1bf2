"""Demo reporting data: applicants' feedback on decided applications (§5.2)."""

from __future__ import annotations

from datetime import timedelta

from thrive.applications.models import RESULT_STATUSES, Application
from thrive.core.seeding import SeedContext
from thrive.reporting.models import ProcessFeedback

COMMENTS = [
    "",
    "",
    "The guidance was clear and the form was short.",
    "We had to repeat information the council already holds.",
    "Decision came later than we expected.",
    "Helpful officer, quick answers to our questions.",
]


def _score(ctx: SeedContext, *, mean: float) -> int:
    return max(1, min(5, round(ctx.rng.gauss(mean, 1.0))))


def seed(ctx: SeedContext) -> None:
    """Feedback on about half of the decided applications, a little worse for tenders."""
    decided = (
        Application.objects.filter(status__in=RESULT_STATUSES, submitted_at__isnull=False)
        .select_related("opportunity", "submitted_by")
        .order_by("pk")
    )
    made = []
    for application in decided.iterator(chunk_size=2000):
        if ctx.rng.random() >= 0.5:
            continue
        opportunity = application.opportunity
        mean = 3.2 if opportunity.kind == "tender" else 3.9
        made.append(
            ProcessFeedback(
                application=application,
                council_id=opportunity.council_id,
                directorate_id=opportunity.directorate_id,
                opportunity_kind=opportunity.kind,
                clarity=_score(ctx, mean=mean),
                proportionality=_score(ctx, mean=mean - 0.3),
                fairness=_score(ctx, mean=mean + 0.1),
                comment=ctx.rng.choice(COMMENTS),
                submitted_by=application.submitted_by,
                submitted_at=min(
                    ctx.now, application.submitted_at + timedelta(days=ctx.rng.randint(20, 60))
                ),
            )
        )
    ProcessFeedback.objects.bulk_create(made, batch_size=2000)
    ctx.say(f"Process feedback: {len(made):,} responses")
