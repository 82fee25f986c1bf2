"""Published opportunities: small grants, grant rounds, quotations and tenders (§4.1, §4.4).

One module per part: the opportunity, its terms (lots, criteria, documents, amendments), and
talking with organisations (invitations, clarifications, alerts).
"""

from thrive.opportunities.models.engagement import (
    AlertPreference,
    AlertSent,
    Clarification,
    ClarificationQuerySet,
    QuoteInvitation,
)
from thrive.opportunities.models.opportunity import (
    SEALED_KINDS,
    Opportunity,
    OpportunityKind,
    OpportunityQuerySet,
    OpportunityStatus,
    kind_is_sealed,
    weight_problems,
)
from thrive.opportunities.models.terms import (
    DEFAULT_SCALE,
    Amendment,
    Criterion,
    CriterionKind,
    Document,
    Lot,
    PriceFormula,
    _document_path,
)

__all__ = [
    "DEFAULT_SCALE",
    "SEALED_KINDS",
    "AlertPreference",
    "AlertSent",
    "Amendment",
    "Clarification",
    "ClarificationQuerySet",
    "Criterion",
    "CriterionKind",
    "Document",
    "Lot",
    "Opportunity",
    "OpportunityKind",
    "OpportunityQuerySet",
    "OpportunityStatus",
    "PriceFormula",
    "QuoteInvitation",
    "_document_path",
    "kind_is_sealed",
    "weight_problems",
]
