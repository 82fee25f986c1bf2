"""What each kind of user gets from the strategy pages."""

from __future__ import annotations

from typing import Any

from thrive.accounts.models import Role, RoleAssignment
from thrive.strategy.models import Directorate, FundingPot, PotKind
from thrive.testing.routes import (
    AS_GET,
    PROVIDER_ADMIN,
    PROVIDER_MEMBER,
    PROVIDER_OTHER,
    only,
)

STAFF = [r.value for r in Role]
PLAN_KEEPERS = ["strategy_group", "council_admin", "system_admin"]
POT_READERS = [
    "commissioner",
    "procurement_officer",
    "finance_officer",
    "strategy_group",
    "council_admin",
    "system_admin",
]


def prepare(world: Any) -> None:
    """Give the world a directorate for its commissioner and a pot of that directorate."""
    from thrive.strategy.services import get_financial_year

    commissioner = world.users["commissioner"]
    council = commissioner.council
    directorate, _ = Directorate.objects.get_or_create(
        council=council, code="adults", defaults={"name": "Adult Social Care"}
    )
    RoleAssignment.objects.filter(
        user=commissioner, role=Role.COMMISSIONER, directorate__isnull=True
    ).update(directorate=directorate)
    commissioner._directorate_ids = None
    world.directorate = directorate
    world.pot = FundingPot.objects.create(
        council=council,
        directorate=directorate,
        financial_year=get_financial_year(start_year=2026),
        name="Adults community fund",
        kind=PotKind.DIRECTORATE,
        budget_pence=5_000_000,
    )
    world.commitment = world.pot.commitments.create(amount_pence=1000, description="Award")
    world.outcome, _ = council.outcomes.get_or_create(  # a seeded council has one already
        code="PO1", defaults={"kind": "priority", "title": "Priority"}
    )
    from thrive.strategy.defaults import ensure_default_thresholds
    from thrive.strategy.models import ThresholdSet

    ensure_default_thresholds()  # loaded by a migration, but gone after a flushing test
    world.threshold_set = ThresholdSet.objects.filter(council__isnull=True).first()
    _prepare_plan_and_survey(world, council)


def _prepare_plan_and_survey(world: Any, council: Any) -> None:
    """An action in this year's plan and a survey open today."""
    from datetime import timedelta

    from django.utils import timezone

    from thrive.strategy.models import FinancialYear, PlanAction, SurveyRound
    from thrive.strategy.services import get_financial_year

    today = timezone.localdate()
    year = get_financial_year(start_year=FinancialYear.start_year_for(today))
    world.plan_action = PlanAction.objects.create(
        council=council,
        financial_year=year,
        title="Publish the small grants guidance",
        section="3.1",
        owner_team="Community Partnerships",
        due_date=today,
    )
    world.survey, _ = SurveyRound.objects.update_or_create(  # a seeded council has one
        council=council,
        financial_year=year,
        defaults={"opens_on": today - timedelta(days=10), "closes_on": today + timedelta(days=10)},
    )


ROUTES = {
    "strategy:outcomes": only(*STAFF),
    "strategy:outcome_add": only("council_admin", "system_admin", post=AS_GET),
    "strategy:outcome_edit": only(
        "council_admin", "system_admin", kwargs=lambda w: {"outcome_id": w.outcome.pk}, post=AS_GET
    ),
    "strategy:directorates": only(*STAFF),
    "strategy:directorate_add": only("council_admin", "system_admin", post=AS_GET),
    "strategy:directorate_edit": only(
        "council_admin",
        "system_admin",
        kwargs=lambda w: {"directorate_id": w.directorate.pk},
        post=AS_GET,
    ),
    "strategy:pots": only(*POT_READERS),
    "strategy:pot_detail": only(*POT_READERS, kwargs=lambda w: {"pot_id": w.pot.pk}),
    "strategy:pot_add": only("finance_officer", post=AS_GET),
    "strategy:pot_merge": only("finance_officer", post=AS_GET),
    **{
        f"strategy:{name}": only(
            "finance_officer", kwargs=lambda w: {"pot_id": w.pot.pk}, post=AS_GET
        )
        for name in ("pot_budget", "pot_contribution", "pot_commit")
    },
    "strategy:commitment_release": only(
        "finance_officer", kwargs=lambda w: {"commitment_id": w.commitment.pk}, post=AS_GET
    ),
    "strategy:thresholds": only(*STAFF),
    "strategy:threshold_add": only("council_admin", "system_admin", post=AS_GET),
    "strategy:threshold_edit": only(  # the installation's default set
        "system_admin",
        kwargs=lambda w: {"threshold_id": w.threshold_set.pk},
        post=AS_GET,
        shared=True,
    ),
    "strategy:action_plan": only(*STAFF),
    "strategy:action_plan_export": only(*STAFF),
    "strategy:action_add": only(*PLAN_KEEPERS, post=AS_GET),
    "strategy:action_edit": only(
        *PLAN_KEEPERS, kwargs=lambda w: {"action_id": w.plan_action.pk}, post=AS_GET
    ),
    "strategy:action_status": only(
        *PLAN_KEEPERS, kwargs=lambda w: {"action_id": w.plan_action.pk}, post=AS_GET
    ),
    "strategy:surveys": only(*STAFF),
    "strategy:surveys_export": only(*STAFF),
    "strategy:survey_add": only(*PLAN_KEEPERS, post=AS_GET),
    "strategy:survey_results": only(*STAFF, kwargs=lambda w: {"round_id": w.survey.pk}),
    "strategy:survey_results_export": only(*STAFF, kwargs=lambda w: {"round_id": w.survey.pk}),
    "strategy:survey_edit": only(
        *PLAN_KEEPERS, kwargs=lambda w: {"round_id": w.survey.pk}, post=AS_GET
    ),
    "strategy:sector_survey": only(PROVIDER_ADMIN, PROVIDER_MEMBER, PROVIDER_OTHER),
    "strategy:sector_survey_answer": only(
        PROVIDER_ADMIN,
        kwargs=lambda w: {"round_id": w.survey.pk, "organisation_id": w.organisation.pk},
        post=AS_GET,
    ),
}
