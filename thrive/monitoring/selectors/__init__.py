"""Reads for monitoring: track record, plans and returns as each user may see them.

One module per concern; the public selectors are named here so callers write
``selectors.get_plan(...)``.
"""

from thrive.monitoring.selectors.lead_funder import (
    MultiFunded,
    active_awards,
    funding_by_directorate,
    multi_funded,
    multi_funded_ids,
    propose_lead,
    settings_for,
)
from thrive.monitoring.selectors.overview import (
    AT_RISK_OVERDUE_DAYS,
    DirectorateRow,
    directorates_for,
    filtered_returns,
    overview_by_directorate,
    plans_at_risk,
)
from thrive.monitoring.selectors.plans import (
    AwardPart,
    InstalmentRow,
    get_plan,
    get_return,
    payment_schedule,
    plans_for_user,
    plans_to_report,
    plans_with_returns,
    return_parts,
    returns_for_user,
    reviewers_for,
    visible_awards,
    visible_spend,
    with_visible_spend,
)
from thrive.monitoring.selectors.records import TrackRecord, track_record
from thrive.monitoring.selectors.tiers import default_tiers, tiers_for

__all__ = [
    "AT_RISK_OVERDUE_DAYS",
    "AwardPart",
    "DirectorateRow",
    "InstalmentRow",
    "MultiFunded",
    "TrackRecord",
    "active_awards",
    "default_tiers",
    "directorates_for",
    "filtered_returns",
    "funding_by_directorate",
    "get_plan",
    "get_return",
    "multi_funded",
    "multi_funded_ids",
    "overview_by_directorate",
    "payment_schedule",
    "plans_at_risk",
    "plans_for_user",
    "plans_to_report",
    "plans_with_returns",
    "propose_lead",
    "return_parts",
    "returns_for_user",
    "reviewers_for",
    "settings_for",
    "tiers_for",
    "track_record",
    "visible_awards",
    "visible_spend",
    "with_visible_spend",
]
