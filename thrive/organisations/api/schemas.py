"""The organisation API's in and out schemas, one per endpoint's shape."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from thrive.core.api.types import Id, Page, PageSize
from thrive.organisations.models import (
    LegalForm,
    SizeBand,
    TestAnswer,
    TestOutcome,
    TestReview,
)


class RegisterFlagOut(Schema):
    reason: Literal["removed", "not_found", "name_differs"]
    message: str


class OrganisationSummaryOut(Schema):
    id: int
    name: str
    other_names: list[str]
    legal_form: str
    size_band: str
    postcode: str
    identifiers: list[str]
    third_sector_outcome: str
    funded_by_your_council: bool
    funded_by_others: bool = Field(
        description="Whether a grant from another funder, in the 360Giving files imported, "
        "went to the organisation"
    )
    charity_register_flags: list[RegisterFlagOut] = Field(
        description="Why the latest check against the Charity Commission's register flags "
        "the organisation: a charity number removed from or not on the register, or "
        "registered under another name"
    )


class OrganisationPageOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[OrganisationSummaryOut]


class ServiceOut(Schema):
    name: str
    description: str
    outcomes: list[str]


class TotalOut(Schema):
    label: str
    count: int
    total_pence: int


class FundedAwardOut(Schema):
    id: int
    title: str
    council: str
    directorate: str
    kind: str
    amount_pence: int
    start_date: date
    end_date: date
    status: str


class FundingOut(Schema):
    scope: str
    count: int
    total_pence: int
    by_council: list[TotalOut]
    by_year: list[TotalOut]
    by_directorate: list[TotalOut]
    by_method: list[TotalOut]
    awards: list[FundedAwardOut]


class ThirdSectorAnswerOut(Schema):
    answer: str
    evidence: str


class ThirdSectorReviewOut(Schema):
    status: str
    reason: str
    reviewed_at: datetime | None
    reviewed_by: str


class ThirdSectorTestOut(Schema):
    """The Third Sector test (§1.4): each answer with its evidence, and the officer's review."""

    outcome: str
    independent: ThirdSectorAnswerOut
    value_driven: ThirdSectorAnswerOut
    reinvests_surpluses: ThirdSectorAnswerOut
    recorded_at: datetime | None
    recorded_by: str
    review: ThirdSectorReviewOut


class ThirdSectorTestIn(Schema):
    independent: TestAnswer
    independent_evidence: str
    value_driven: TestAnswer
    value_driven_evidence: str
    reinvests_surpluses: TestAnswer
    reinvests_surpluses_evidence: str


class ThirdSectorReviewIn(Schema):
    review: TestReview
    reason: str = ""


class OrganisationOut(OrganisationSummaryOut):
    third_sector_test: ThirdSectorTestOut
    description: str
    address_line_1: str
    address_line_2: str
    town: str
    website: str
    email: str
    areas: list[str]
    beneficiary_groups: list[str]
    services: list[ServiceOut]
    latest_income_pence: int | None
    latest_income_year: int | None
    source: str
    directory_opt_in: bool
    created_at: datetime
    funding: FundingOut


class OrganisationIn(Schema):
    name: str
    legal_form: LegalForm
    third_sector_test: ThirdSectorTestIn | None = None
    other_names: list[str] = []
    org_ids: list[str] = []
    description: str = ""
    postcode: str = ""
    website: str = ""
    email: str = ""
    areas: list[Id] = []
    beneficiary_groups: list[Id] = []


class OrganisationPatch(Schema):
    name: str | None = None
    legal_form: LegalForm | None = None
    other_names: list[str] | None = None
    description: str | None = None
    postcode: str | None = None
    website: str | None = None
    email: str | None = None
    directory_opt_in: bool | None = None
    areas: list[Id] | None = None
    beneficiary_groups: list[Id] | None = None


class DuplicateSideOut(Schema):
    id: int
    name: str
    postcode: str
    identifiers: list[str]


class DuplicateOut(Schema):
    id: int
    score: int
    reasons: str
    created_at: datetime
    first: DuplicateSideOut
    second: DuplicateSideOut


class DuplicatePageOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[DuplicateOut]


class ListQuery(Schema):
    q: str = ""
    legal_form: LegalForm | None = None
    size_band: SizeBand | None = None
    area: Id | None = None
    beneficiary_group: Id | None = None
    outcome: Id | None = None
    funded: bool | None = None
    third_sector: TestOutcome | None = None
    funded_by_others: bool | None = Field(
        None,
        description="true: organisations with a grant from another funder in the 360Giving "
        "files imported; false: those without",
    )
    funder: Annotated[str, Field(max_length=255, pattern=r"^[^\x00]*$")] = Field(
        "",
        description="Organisations funded by this other funder: its org-id as imported "
        "(e.g. GB-CHC-1900001). 422 when no imported grant you may read is from it",
    )
    charity_register: Literal["yes", "no", "removed", "not_found", "name_differs"] | None = Field(
        None,
        description="Flagged by the charity register check: yes (for any reason), no, "
        "or one reason: removed, not_found, name_differs",
    )
    page: Page = 1
    page_size: PageSize = 25
