"""An organisation on the register, and the sets of values its fields take (§1.4, §3.2)."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"
WEBSITE_INVALID = "Enter a website address in the correct format, like https://www.example.org"
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$")

# Size bands from the latest annual income (§1.4, DESIGN §5), upper limits in pence.
SIZE_LIMITS_PENCE = [
    ("micro", 10_000 * 100),
    ("small", 100_000 * 100),
    ("medium", 1_000_000 * 100),
    ("large", 10_000_000 * 100),
]


def normalise_postcode(value: str) -> str:
    """'sw1a1aa' -> 'SW1A 1AA'; raise ValidationError for anything that is not a UK postcode."""
    compact = re.sub(r"\s+", "", value or "").upper()
    match = POSTCODE_RE.match(compact)
    if not match:
        raise ValidationError("Enter a real postcode, like SW1A 1AA")
    return f"{match.group(1)} {match.group(2)}"


class LegalForm(models.TextChoices):
    CHARITY = "charity", "Registered charity (trust or association)"
    CIO = "cio", "Charitable incorporated organisation (CIO)"
    CHARITABLE_COMPANY = "charitable_company", "Charitable company"
    GUARANTEE_COMPANY = "guarantee_company", "Company limited by guarantee (not a charity)"
    CIC = "cic", "Community interest company (CIC)"
    COOPERATIVE = "cooperative", "Co-operative society"
    COMMUNITY_BENEFIT_SOCIETY = "community_benefit_society", "Community benefit society"
    HOUSING_ASSOCIATION = "housing_association", "Housing association"
    UNINCORPORATED = "unincorporated", "Unincorporated group"
    OTHER = "other", "Other"


class SizeBand(models.TextChoices):
    MICRO = "micro", "Micro (under £10,000)"
    SMALL = "small", "Small (£10,000 to £99,999)"
    MEDIUM = "medium", "Medium (£100,000 to £999,999)"
    LARGE = "large", "Large (£1 million to £9.99 million)"
    MAJOR = "major", "Major (£10 million or more)"
    UNKNOWN = "unknown", "Not known"


def size_band_for(income_pence: int | None) -> str:
    """The size band for an annual income in pence (micro < £10k … major ≥ £10m)."""
    if income_pence is None:
        return SizeBand.UNKNOWN
    for band, limit in SIZE_LIMITS_PENCE:
        if income_pence < limit:
            return band
    return SizeBand.MAJOR


class RecordSource(models.TextChoices):
    SELF_REGISTERED = "self_registered", "Registered by the organisation"
    STAFF = "staff", "Added by council staff"
    IMPORTED = "imported", "Imported from a file"
    OPEN_DATA = "open_data", "Imported from open data"


class TestAnswer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class TestOutcome(models.TextChoices):
    __test__ = False  # the Third Sector test's outcome, not a test for pytest to collect

    NOT_ASSESSED = "not_assessed", "Not yet answered"
    MEETS = "meets", "Meets the Third Sector test"
    DOES_NOT_MEET = "does_not_meet", "Does not meet the Third Sector test"


class TestReview(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed by an officer"
    QUERIED = "queried", "Queried by an officer"


class OrganisationQuerySet(models.QuerySet):
    def active(self) -> OrganisationQuerySet:
        """Organisations that have not been merged into another."""
        return self.filter(merged_into__isnull=True)

    def in_directory(self) -> OrganisationQuerySet:
        return self.active().filter(directory_opt_in=True)

    def failing_test(self) -> OrganisationQuerySet:
        return self.filter(third_sector_outcome=TestOutcome.DOES_NOT_MEET)


class Organisation(models.Model):
    """A Third Sector organisation; registered once, it can apply to any council here."""

    name = models.CharField(max_length=255)
    other_names = models.TextField(
        blank=True, help_text="Other names the organisation is known by, one a line."
    )
    legal_form = models.CharField(max_length=40, choices=LegalForm.choices, blank=True)
    description = models.TextField("what the organisation does", blank=True)
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    website = models.URLField(blank=True, error_messages={"invalid": WEBSITE_INVALID})
    email = models.EmailField(blank=True, error_messages={"invalid": EMAIL_INVALID})
    phone = models.CharField(max_length=30, blank=True)

    areas = models.ManyToManyField("core.Area", blank=True, related_name="organisations")
    beneficiary_groups = models.ManyToManyField(
        "core.BeneficiaryGroup", blank=True, related_name="organisations"
    )

    # Size: derived from the latest income record by the services (§1.4).
    latest_income_pence = models.BigIntegerField(null=True, blank=True)
    latest_income_year = models.PositiveSmallIntegerField(null=True, blank=True)
    size_band = models.CharField(
        max_length=10, choices=SizeBand.choices, default=SizeBand.UNKNOWN, db_index=True
    )

    # The Third Sector test (§1.4): three answers with evidence and a recorded outcome.
    independent = models.CharField(
        "independent of government", max_length=3, choices=TestAnswer.choices, blank=True
    )
    independent_evidence = models.TextField(blank=True)
    value_driven = models.CharField(max_length=3, choices=TestAnswer.choices, blank=True)
    value_driven_evidence = models.TextField(blank=True)
    reinvests_surpluses = models.CharField(max_length=3, choices=TestAnswer.choices, blank=True)
    reinvests_surpluses_evidence = models.TextField(blank=True)
    third_sector_outcome = models.CharField(
        max_length=20, choices=TestOutcome.choices, default=TestOutcome.NOT_ASSESSED, db_index=True
    )
    third_sector_recorded_at = models.DateTimeField(null=True, blank=True)
    third_sector_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # An officer of any council confirms the answers or queries them with a reason; new
    # answers clear the review, as it was of the old ones.
    third_sector_review = models.CharField(max_length=10, choices=TestReview.choices, blank=True)
    third_sector_review_reason = models.TextField(blank=True)
    third_sector_reviewed_at = models.DateTimeField(null=True, blank=True)
    third_sector_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The public provider directory (§1.6): opt in, then choose what to publish.
    directory_opt_in = models.BooleanField("list in the public directory", default=False)
    publish_email = models.BooleanField(default=False)
    publish_phone = models.BooleanField(default=False)
    publish_website = models.BooleanField(default=True)
    publish_address = models.BooleanField(default=False)

    source = models.CharField(
        max_length=20, choices=RecordSource.choices, default=RecordSource.STAFF
    )
    source_detail = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_records"
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"]), models.Index(fields=["legal_form"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=models.F("pk")),
                name="organisation_not_merged_into_itself",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not (self.name or "").strip():
            raise ValidationError({"name": "Enter the organisation's name"})
        if self.postcode:
            try:
                self.postcode = normalise_postcode(self.postcode)
            except ValidationError as exc:
                raise ValidationError({"postcode": exc.messages}) from exc

    @property
    def other_names_list(self) -> list[str]:
        return [n.strip() for n in self.other_names.splitlines() if n.strip()]

    @property
    def fails_third_sector_test(self) -> bool:
        return self.third_sector_outcome == TestOutcome.DOES_NOT_MEET
