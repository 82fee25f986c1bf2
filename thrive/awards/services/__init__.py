"""Changes to awards, by concern: ``making`` them within budget, their draft ``terms`` and
payment ``schedule``, ``offers`` and acceptance, ``payments`` and ``variations``. Every
change that matters is audited; callers use the names re-exported here."""

from thrive.awards.services.common import TERM_FIELDS
from thrive.awards.services.making import create_award
from thrive.awards.services.offers import accept_offer, decline_offer, issue_offer, offer_problems
from thrive.awards.services.payments import PAYABLE_STATUSES, record_payment, release_instalments
from thrive.awards.services.schedule import check_schedule, rebuild_schedule, set_schedule
from thrive.awards.services.terms import set_social_value, set_targets, update_terms
from thrive.awards.services.variations import (
    decide_variation,
    earliest_termination,
    request_variation,
    variation_deciders,
)

__all__ = [
    "PAYABLE_STATUSES",
    "TERM_FIELDS",
    "accept_offer",
    "check_schedule",
    "create_award",
    "decide_variation",
    "decline_offer",
    "earliest_termination",
    "issue_offer",
    "offer_problems",
    "rebuild_schedule",
    "record_payment",
    "release_instalments",
    "request_variation",
    "set_schedule",
    "set_social_value",
    "set_targets",
    "update_terms",
    "variation_deciders",
]
