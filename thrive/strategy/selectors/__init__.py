"""Reads for outcomes, directorates, pots, thresholds, the action plan and the NI 7 survey,
already scoped by the policy. One module per concern; every selector is importable from here.
"""

from thrive.strategy.selectors.framework import (
    council_for,
    directorates_for,
    outcome_choices,
    outcome_tree,
)
from thrive.strategy.selectors.plan import (
    PROGRESS_ORDER,
    ActionPlanProgress,
    ActionRow,
    action_plan_progress,
    get_action,
    owner_choices,
    plan_actions,
    plan_years,
)
from thrive.strategy.selectors.pots import (
    default_pot,
    get_pot,
    pot_totals,
    pots_for_user,
    pots_to_commit,
    same_pot_in_year,
    threshold_sets_for,
    years_with_pots,
)
from thrive.strategy.selectors.survey import (
    NI7Point,
    get_round,
    ni7_percentage,
    ni7_series,
    survey_rounds,
)

__all__ = [
    "PROGRESS_ORDER",
    "ActionPlanProgress",
    "ActionRow",
    "NI7Point",
    "action_plan_progress",
    "council_for",
    "default_pot",
    "directorates_for",
    "get_action",
    "get_pot",
    "get_round",
    "ni7_percentage",
    "ni7_series",
    "outcome_choices",
    "outcome_tree",
    "owner_choices",
    "plan_actions",
    "plan_years",
    "pot_totals",
    "pots_for_user",
    "pots_to_commit",
    "same_pot_in_year",
    "survey_rounds",
    "threshold_sets_for",
    "years_with_pots",
]
