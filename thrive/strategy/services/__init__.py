"""Changes to the outcomes framework, directorates, funding pots, budgets and thresholds.

One module per concern; the public services are importable from here.
"""

from thrive.strategy.services.commitments import (
    commit_budget,
    committed_total,
    release_commitment,
)
from thrive.strategy.services.framework import save_directorate, save_outcome
from thrive.strategy.services.plan import save_action, update_action_status
from thrive.strategy.services.pots import (
    add_contribution,
    create_pot,
    financial_year_for,
    get_financial_year,
    merge_pots,
    set_pot_budget,
)
from thrive.strategy.services.survey import save_round
from thrive.strategy.services.thresholds import (
    THRESHOLD_FIELDS,
    save_threshold_set,
    thresholds_on,
)

__all__ = [
    "THRESHOLD_FIELDS",
    "add_contribution",
    "commit_budget",
    "committed_total",
    "create_pot",
    "financial_year_for",
    "get_financial_year",
    "merge_pots",
    "release_commitment",
    "save_action",
    "save_directorate",
    "save_outcome",
    "save_round",
    "save_threshold_set",
    "set_pot_budget",
    "thresholds_on",
    "update_action_status",
]
