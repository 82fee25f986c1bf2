"""Monitoring: tiers, plans, returns, ratings, the lead funder and visits (§4.2, §4.3).

One module per aggregate; every model is named here, where Django and migrations find it.
"""

from thrive.monitoring.models.plans import (
    LeadFunder,
    MonitoringPlan,
    PlanStatus,
    Visit,
    VisitKind,
)
from thrive.monitoring.models.returns import (
    AwardSpend,
    MonitoringReturn,
    NoticeKind,
    Rating,
    ReturnAttachment,
    ReturnNotice,
    ReturnQuerySet,
    ReturnStatus,
    TargetProgress,
    _attachment_path,
)
from thrive.monitoring.models.tiers import (
    TIER_FIELDS,
    LeadRule,
    MonitoringSettings,
    MonitoringTier,
    ReturnSize,
    Schedule,
)

__all__ = [
    "TIER_FIELDS",
    "AwardSpend",
    "LeadFunder",
    "LeadRule",
    "MonitoringPlan",
    "MonitoringReturn",
    "MonitoringSettings",
    "MonitoringTier",
    "NoticeKind",
    "PlanStatus",
    "Rating",
    "ReturnAttachment",
    "ReturnNotice",
    "ReturnQuerySet",
    "ReturnSize",
    "ReturnStatus",
    "Schedule",
    "TargetProgress",
    "Visit",
    "VisitKind",
    "_attachment_path",  # named by the first migration
]
