"""Needs, prioritisation, commissioning intentions and how they are decided (§2.2–§2.10).

Also the equality impact assessment, consultation and soft market testing (§1.5, §2.1,
glossary), decommissioning notices (§2.4, the Compact) and joint commissioning (§4.3).
One module per aggregate; the names are re-exported here.
"""

from thrive.commissioning.models.configuration import (
    DEFAULT_WEIGHTS,
    FACTOR_HINTS,
    SCORE_LABELS,
    CommissioningSettings,
    PriorityFactor,
)
from thrive.commissioning.models.intentions import (
    PUBLIC_STATUSES,
    CharacteristicImpact,
    Direction,
    EqualityAssessment,
    Impact,
    Intention,
    IntentionQuerySet,
    IntentionStatus,
)
from thrive.commissioning.models.involvement import (
    Consultation,
    ConsultationResponse,
    SoftMarketResponse,
    SoftMarketTest,
)
from thrive.commissioning.models.method import (
    Method,
    MethodDecision,
    Regime,
    Route,
    ServiceType,
)
from thrive.commissioning.models.needs import (
    EvidenceItem,
    EvidenceSource,
    Need,
    NeedQuerySet,
)
from thrive.commissioning.models.notices import (
    NOTICE_STATUSES,
    DecommissioningNotice,
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "FACTOR_HINTS",
    "NOTICE_STATUSES",
    "PUBLIC_STATUSES",
    "SCORE_LABELS",
    "CharacteristicImpact",
    "CommissioningSettings",
    "Consultation",
    "ConsultationResponse",
    "DecommissioningNotice",
    "Direction",
    "EqualityAssessment",
    "EvidenceItem",
    "EvidenceSource",
    "Impact",
    "Intention",
    "IntentionQuerySet",
    "IntentionStatus",
    "Method",
    "MethodDecision",
    "Need",
    "NeedQuerySet",
    "PriorityFactor",
    "Regime",
    "Route",
    "ServiceType",
    "SoftMarketResponse",
    "SoftMarketTest",
]
