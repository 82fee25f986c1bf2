"""Awards: small grants, funding agreements and contracts (§2.7–§2.10).

An award is made as a DRAFT while the commissioner sets its terms, OFFERED when the
award letter is issued, and ACTIVE once the provider accepts (or at once for a small
grant). Its money is committed against a funding pot, never past the pot's budget.

``award`` holds the award itself, ``parts`` what it is made of (targets, instalments,
social value, money by year) and ``variations`` the changes asked for once it is active.
"""

from thrive.awards.models.award import (
    FUNDED_STATUSES,
    Award,
    AwardKind,
    AwardQuerySet,
    AwardStatus,
    PaymentTiming,
    is_shorter_than_three_years,
    make_reference,
    next_id,
    three_years_after,
)
from thrive.awards.models.parts import (
    AwardTarget,
    AwardYear,
    Instalment,
    InstalmentState,
    SocialValueCommitment,
    SocialValueTheme,
)
from thrive.awards.models.variations import Variation, VariationKind, VariationStatus

__all__ = [
    "FUNDED_STATUSES",
    "Award",
    "AwardKind",
    "AwardQuerySet",
    "AwardStatus",
    "AwardTarget",
    "AwardYear",
    "Instalment",
    "InstalmentState",
    "PaymentTiming",
    "SocialValueCommitment",
    "SocialValueTheme",
    "Variation",
    "VariationKind",
    "VariationStatus",
    "is_shorter_than_three_years",
    "make_reference",
    "next_id",
    "three_years_after",
]
