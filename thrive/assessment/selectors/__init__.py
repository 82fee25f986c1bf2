"""Reads about assessment: panels, declarations, who may see what, results and rankings,
and what approval needs. One module per concern; the names are re-exported here, except
``approvers`` and ``risk``, imported by module: they read accounts, monitoring and open data,
which the policy rules (loaded at start-up) need not load."""

from __future__ import annotations

from thrive.assessment.selectors.approval import (
    approval_refusal,
    delegated_limit,
    limits_for_council,
    standstill_days,
)
from thrive.assessment.selectors.panels import (
    PANEL_STATUSES,
    MemberProgress,
    assignments_for,
    criteria_for,
    get_application,
    get_decision,
    get_opportunity,
    get_winner,
    is_conflicted,
    latest_declaration,
    membership,
    moderated,
    own_scores,
    panel_applications,
    panel_of,
    panel_progress,
    panels_for_staff,
    scored_application_ids,
    scores_by_criterion,
)
from thrive.assessment.selectors.results import (
    Line,
    Result,
    lots_of,
    results_by_lot,
    results_for_lot,
)

__all__ = [
    "PANEL_STATUSES",
    "Line",
    "MemberProgress",
    "Result",
    "approval_refusal",
    "assignments_for",
    "criteria_for",
    "delegated_limit",
    "get_application",
    "get_decision",
    "get_opportunity",
    "get_winner",
    "is_conflicted",
    "latest_declaration",
    "limits_for_council",
    "lots_of",
    "membership",
    "moderated",
    "own_scores",
    "panel_applications",
    "panel_of",
    "panel_progress",
    "panels_for_staff",
    "results_by_lot",
    "results_for_lot",
    "scored_application_ids",
    "scores_by_criterion",
    "standstill_days",
]
