"""The register of Third Sector organisations (DESIGN §5; strategy §1.4, §2.6, §3, §3.2).

One module per concern; every model is importable from ``thrive.organisations.models``.
"""

from thrive.organisations.models.organisation import (
    EMAIL_INVALID,
    POSTCODE_RE,
    SIZE_LIMITS_PENCE,
    WEBSITE_INVALID,
    LegalForm,
    Organisation,
    OrganisationQuerySet,
    RecordSource,
    SizeBand,
    TestAnswer,
    TestOutcome,
    TestReview,
    normalise_postcode,
    size_band_for,
)
from thrive.organisations.models.profile import (
    Contact,
    Identifier,
    IncomeRecord,
    Service,
)
from thrive.organisations.models.register import (
    CandidateStatus,
    CharityRegisterCheck,
    DuplicateCandidate,
    DuplicateCandidateQuerySet,
    JoinRequest,
    JoinRequestStatus,
    RegisterStatus,
)

__all__ = [
    "EMAIL_INVALID",
    "POSTCODE_RE",
    "SIZE_LIMITS_PENCE",
    "WEBSITE_INVALID",
    "CandidateStatus",
    "CharityRegisterCheck",
    "Contact",
    "DuplicateCandidate",
    "DuplicateCandidateQuerySet",
    "Identifier",
    "IncomeRecord",
    "JoinRequest",
    "JoinRequestStatus",
    "LegalForm",
    "Organisation",
    "OrganisationQuerySet",
    "RecordSource",
    "RegisterStatus",
    "Service",
    "SizeBand",
    "TestAnswer",
    "TestOutcome",
    "TestReview",
    "normalise_postcode",
    "size_band_for",
]
