"""Forms for commissioning: they validate the shape of the input; the services check the
rules. One module per concern; the names are re-exported here."""

from __future__ import annotations

from thrive.commissioning.forms.common import (
    OutcomeChoiceField,
    council_areas,
    council_outcomes,
)
from thrive.commissioning.forms.intentions import (
    CombineForm,
    ConfirmForm,
    ConfirmMethodForm,
    EqualityAssessmentForm,
    FundingForm,
    IntentionForm,
    MethodForm,
    NoteForm,
    NoticeForm,
    ReasonForm,
    SpecificationForm,
)
from thrive.commissioning.forms.involvement import (
    ConsultationForm,
    FindingsForm,
    MarketResponseForm,
    MarketTestForm,
    ResponseForm,
    SummaryForm,
)
from thrive.commissioning.forms.needs import (
    SCORE_CHOICES,
    EvidenceForm,
    NeedForm,
    ScoreForm,
    SettingsForm,
)

__all__ = [
    "SCORE_CHOICES",
    "CombineForm",
    "ConfirmForm",
    "ConfirmMethodForm",
    "ConsultationForm",
    "EqualityAssessmentForm",
    "EvidenceForm",
    "FindingsForm",
    "FundingForm",
    "IntentionForm",
    "MarketResponseForm",
    "MarketTestForm",
    "MethodForm",
    "NeedForm",
    "NoteForm",
    "NoticeForm",
    "OutcomeChoiceField",
    "ReasonForm",
    "ResponseForm",
    "ScoreForm",
    "SettingsForm",
    "SpecificationForm",
    "SummaryForm",
    "council_areas",
    "council_outcomes",
]
