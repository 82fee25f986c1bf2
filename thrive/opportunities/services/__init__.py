"""Changes to opportunities (§4.1), one module per concern: making and publishing the draft,
its terms (lots, criteria, documents), and talking with organisations (invitations,
clarifications, alerts). Every decision is written to the audit log."""

from thrive.opportunities.services.engagement import (
    answer_clarification,
    ask_clarification,
    invite_to_quote,
    save_alert_preference,
)
from thrive.opportunities.services.making import (
    EDITABLE_FIELDS,
    cancel_opportunity,
    create_opportunity,
    next_reference,
    publication_problems,
    publish_opportunity,
    update_opportunity,
)
from thrive.opportunities.services.terms import (
    add_criterion,
    add_document,
    add_lot,
    remove_criterion,
)

__all__ = [
    "EDITABLE_FIELDS",
    "add_criterion",
    "add_document",
    "add_lot",
    "answer_clarification",
    "ask_clarification",
    "cancel_opportunity",
    "create_opportunity",
    "invite_to_quote",
    "next_reference",
    "publication_problems",
    "publish_opportunity",
    "remove_criterion",
    "save_alert_preference",
    "update_opportunity",
]
