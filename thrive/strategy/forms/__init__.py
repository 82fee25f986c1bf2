"""Forms for the outcomes framework, directorates, pots, thresholds and the action plan:
GOV.UK wording. One module per concern; every form is importable from here.
"""

from thrive.strategy.forms.framework import DirectorateForm, OutcomeForm
from thrive.strategy.forms.plan import ActionStatusForm, PlanActionForm, SurveyRoundForm, YearField
from thrive.strategy.forms.pots import (
    AMOUNT_HINT,
    BudgetForm,
    CommitForm,
    ContributionForm,
    MergeForm,
    PotForm,
    PoundsField,
    ReleaseForm,
)
from thrive.strategy.forms.thresholds import ThresholdSetForm

__all__ = [
    "AMOUNT_HINT",
    "ActionStatusForm",
    "BudgetForm",
    "CommitForm",
    "ContributionForm",
    "DirectorateForm",
    "MergeForm",
    "OutcomeForm",
    "PlanActionForm",
    "PotForm",
    "PoundsField",
    "ReleaseForm",
    "SurveyRoundForm",
    "ThresholdSetForm",
    "YearField",
]
