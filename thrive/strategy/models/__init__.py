"""Outcomes framework, directorates, funding pots and budgets, procurement thresholds.

§1.1, §2.1 (outcomes), §2.4 (directorate, ring-fenced and merged pots), §5.3 (pooled or
aligned budgets), §2.9 with the Procurement Act 2023 thresholds (dated configuration), and
the annual action plan and NI 7 survey (§5.1). One module per concern; every model is
importable from ``thrive.strategy.models``.
"""

from thrive.strategy.models.framework import (
    Directorate,
    Outcome,
    OutcomeKind,
    OutcomeQuerySet,
)
from thrive.strategy.models.plan import (
    OVERDUE,
    PROGRESS_LABELS,
    ActionStatus,
    PlanAction,
    PlanActionQuerySet,
)
from thrive.strategy.models.pots import (
    CORPORATE_KINDS,
    SHARED_KINDS,
    BudgetCommitment,
    FinancialYear,
    FundingPot,
    FundingPotQuerySet,
    PotContribution,
    PotKind,
    PotMerge,
)
from thrive.strategy.models.survey import (
    POSITIVE_INFLUENCE,
    Agreement,
    Influence,
    SurveyResponse,
    SurveyRound,
)
from thrive.strategy.models.thresholds import ThresholdSet, ThresholdSetQuerySet

__all__ = [
    "CORPORATE_KINDS",
    "OVERDUE",
    "POSITIVE_INFLUENCE",
    "PROGRESS_LABELS",
    "SHARED_KINDS",
    "ActionStatus",
    "Agreement",
    "BudgetCommitment",
    "Directorate",
    "FinancialYear",
    "FundingPot",
    "FundingPotQuerySet",
    "Influence",
    "Outcome",
    "OutcomeKind",
    "OutcomeQuerySet",
    "PlanAction",
    "PlanActionQuerySet",
    "PotContribution",
    "PotKind",
    "PotMerge",
    "SurveyResponse",
    "SurveyRound",
    "ThresholdSet",
    "ThresholdSetQuerySet",
]
