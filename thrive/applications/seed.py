"""Demo applications: drafts and submissions for open opportunities, sealed bids waiting to
be opened, and decided applications for past rounds."""

from __future__ import annotations

from datetime import timedelta

from thrive.applications.defaults import small_grants_settings
from thrive.applications.models import Application, ApplicationStatus, Submission
from thrive.core.seeding import SeedContext
from thrive.opportunities.models import Opportunity, OpportunityKind

SMALL_GRANT_ANSWERS = {
    "project_title": "Drama club costumes",
    "project_summary": "Costumes and scripts for our new youth drama club.",
    "purpose": "materials",
    "community_benefit": "Young people in the village get a free weekly club.",
    "start_date": "2027-01-10",
    "amount_requested": 150_000,
    "budget": [
        {"item": "Costumes", "amount_pence": 100_000},
        {"item": "Scripts", "amount_pence": 50_000},
    ],
    "other_funding": "no",
}

TENDER_ANSWERS = {
    "approach": "We will run carers' groups in every district.",
    "outcomes": "Carers report better wellbeing.",
    "staffing": "Two coordinators and twenty volunteers.",
    "price": 25_000_000,
    "budget": [{"item": "Staff", "amount_pence": 25_000_000}],
    "local_benefit": "Local jobs and volunteering.",
    "local_subcontracting": "yes",
    "conflicts": "no",
    "insurance": "yes",
}

PAST = [ApplicationStatus.SUCCESSFUL, ApplicationStatus.UNSUCCESSFUL, ApplicationStatus.INELIGIBLE]


def _answers(opportunity: Opportunity) -> dict:
    if opportunity.kind == OpportunityKind.SMALL_GRANTS:
        return dict(SMALL_GRANT_ANSWERS)
    if opportunity.kind == OpportunityKind.TENDER:
        return dict(TENDER_ANSWERS)
    return {}


def _status(ctx: SeedContext, opportunity: Opportunity) -> str:
    if opportunity.closes_at is not None and opportunity.closes_at <= ctx.now:
        if opportunity.is_sealed and opportunity.closes_at > ctx.now - timedelta(days=7):
            return ApplicationStatus.SUBMITTED
        return ctx.rng.choice(PAST)
    return ctx.rng.choice([ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED])


def seed(ctx: SeedContext) -> None:
    """Each council's Small Grants Scheme settings, and a few applications per opportunity from
    the seeded organisations."""
    for council in ctx.data.get("councils", []):
        small_grants_settings(council)
    organisations = ctx.data.get("organisations", [])
    opportunities = ctx.data.get("opportunities", [])
    if not organisations or not opportunities:
        return
    per = 3 if ctx.scale.name == "demo" else 8
    for opportunity in ctx.progress(opportunities, total=len(opportunities), desc="Applications"):
        version = opportunity.form_template.current_version()
        lots = list(opportunity.lots.all())
        chosen = ctx.rng.sample(organisations, k=min(per, len(organisations)))
        if opportunity.closes_at is None or opportunity.closes_at > ctx.now:
            chosen = [organisations[0], *[o for o in chosen if o.pk != organisations[0].pk]]
        for organisation in chosen:
            status = _status(ctx, opportunity)
            submitted = status != ApplicationStatus.DRAFT
            # Submitted before the deadline and never later than now: an open round's
            # submissions happened already.
            latest = min(opportunity.closes_at or ctx.now, ctx.now)
            when = latest - timedelta(hours=ctx.rng.randrange(2, 200))
            answers = _answers(opportunity)
            application = Application.objects.create(
                opportunity=opportunity,
                organisation=organisation,
                lot=ctx.rng.choice(lots) if lots else None,
                form_version=version,
                status=status,
                answers=answers,
                amount_requested_pence=answers.get("amount_requested") or answers.get("price"),
                submitted_at=when if submitted else None,
            )
            if submitted:
                application.reference = f"{opportunity.reference}-{application.pk:05d}"
                application.save(update_fields=["reference"])
                Submission.objects.create(
                    application=application,
                    idempotency_key=f"seed-{application.pk}",
                    reference=application.reference,
                    answers=answers,
                    submitted_at=when,
                )
