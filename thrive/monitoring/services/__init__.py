"""Changes to monitoring: tiers, plans, returns, ratings, payments, the lead funder (§4.2, §4.3).

One module per concern; the public services are named here so callers write
``services.submit_return(...)``.
"""

from thrive.monitoring.services.lead_funder import appoint_lead_funder, record_visit
from thrive.monitoring.services.notices import send_due_notices
from thrive.monitoring.services.plans import (
    active_plan_for,
    create_plan_for_award,
    facts_for,
    past_red,
    replan_for_award,
)
from thrive.monitoring.services.returns import (
    EDITABLE,
    accept_return,
    add_attachment,
    missing_answers,
    query_return,
    rate_return,
    release_payments,
    save_return,
    submit_return,
)
from thrive.monitoring.services.tiers import ensure_default_tiers, save_settings, save_tier

__all__ = [
    "EDITABLE",
    "accept_return",
    "active_plan_for",
    "add_attachment",
    "appoint_lead_funder",
    "create_plan_for_award",
    "ensure_default_tiers",
    "facts_for",
    "missing_answers",
    "past_red",
    "query_return",
    "rate_return",
    "record_visit",
    "release_payments",
    "replan_for_award",
    "save_return",
    "save_settings",
    "save_tier",
    "send_due_notices",
    "submit_return",
]
