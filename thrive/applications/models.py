"""Applications and bids, sealed bid openings, eligibility screening and the Small Grants
Scheme (§3.1, §4.1).

Every application stays pinned to the form version (``thrive.questions``) it was filled
against, so editing a live form never breaks or drops answers.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from thrive.core.storage import private_storage


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    ELIGIBLE = "eligible", "Eligible"
    INELIGIBLE = "ineligible", "Not eligible"
    UNDER_ASSESSMENT = "under_assessment", "Being assessed"
    SUCCESSFUL = "successful", "Successful"
    UNSUCCESSFUL = "unsuccessful", "Unsuccessful"
    WITHDRAWN = "withdrawn", "Withdrawn"


RECEIVED_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.ELIGIBLE,
    ApplicationStatus.INELIGIBLE,
    ApplicationStatus.UNDER_ASSESSMENT,
    ApplicationStatus.SUCCESSFUL,
    ApplicationStatus.UNSUCCESSFUL,
)
RESULT_STATUSES = (
    ApplicationStatus.INELIGIBLE,
    ApplicationStatus.SUCCESSFUL,
    ApplicationStatus.UNSUCCESSFUL,
)


class ApplicationQuerySet(models.QuerySet):
    def received(self) -> ApplicationQuerySet:
        return self.filter(status__in=RECEIVED_STATUSES)

    def for_organisations(self, organisation_ids: list[int]) -> ApplicationQuerySet:
        return self.filter(organisation_id__in=organisation_ids)

    def unsealed(self, now: datetime | None = None) -> ApplicationQuerySet:
        """Applications a council user may read at ``now``: sealed bids stay out of every list.

        A bid for a sealed opportunity (``Opportunity.sealed``, fixed when it was published,
        never derived from its editable kind) is readable only once the opportunity has closed
        AND a procurement officer has recorded the opening (DESIGN §4, sealed bids). Every
        staff read (pages, exports, API, the admin, files, reports) goes through this method
        or its one-row twin ``applications.selectors.is_unsealed``.
        """
        now = now or timezone.now()
        opened = BidOpening.objects.filter(opportunity_id=OuterRef("opportunity_id"))
        return self.annotate(_opened=Exists(opened)).filter(
            Q(opportunity__sealed=False) | Q(opportunity__closes_at__lte=now, _opened=True)
        )


class Application(models.Model):
    """An organisation's application or bid for an opportunity (or one of its lots)."""

    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.PROTECT, related_name="applications"
    )
    lot = models.ForeignKey(
        "opportunities.Lot",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="applications"
    )
    form_version = models.ForeignKey(
        "questions.FormTemplateVersion", on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    answers = models.JSONField(default=dict, blank=True)
    section_edits = models.JSONField(
        default=dict, blank=True, help_text="Who last saved each section, and when."
    )
    amount_requested_pence = models.BigIntegerField(null=True, blank=True)
    reference = models.CharField(max_length=30, unique=True, null=True, blank=True)
    organisation_snapshot = models.JSONField(default=dict, blank=True)
    declaration_name = models.CharField(max_length=200, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["opportunity", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "organisation"],
                condition=Q(lot__isnull=True),
                name="one_application_per_opportunity",
            ),
            models.UniqueConstraint(
                fields=["opportunity", "lot", "organisation"],
                condition=Q(lot__isnull=False),
                name="one_application_per_lot",
            ),
            models.CheckConstraint(
                condition=Q(amount_requested_pence__isnull=True) | Q(amount_requested_pence__gte=0),
                name="application_amount_ok",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"Draft application #{self.pk}"

    def audit_label(self) -> str:
        return f"Application #{self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    @property
    def is_sealed_bid(self) -> bool:
        return self.opportunity.is_sealed


class Submission(models.Model):
    """A recorded submission: one per idempotency key of its application, so a retry makes
    no second one. Keys are scoped to the application: another organisation choosing the
    same key submits its own application, untouched by this one."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="submissions"
    )
    idempotency_key = models.CharField(max_length=64)
    reference = models.CharField(max_length=30)
    answers = models.JSONField(default=dict)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            # The key first: a retry is found by its key, within its application.
            models.UniqueConstraint(
                fields=["idempotency_key", "application"],
                name="submission_key_once_per_application",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} at {self.submitted_at:%Y-%m-%d %H:%M:%S}"


def _attachment_path(instance: Attachment, filename: str) -> str:
    return f"applications/{instance.application_id}/{instance.sha256[:16]}-{filename}"


class Attachment(models.Model):
    """A file uploaded for a file question; checked by content and kept private."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    question_key = models.CharField(max_length=60)
    file = models.FileField(upload_to=_attachment_path, storage=private_storage, max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["question_key", "-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class BidOpening(models.Model):
    """The opening register: who opened an opportunity's sealed bids, and when."""

    opportunity = models.OneToOneField(
        "opportunities.Opportunity", on_delete=models.PROTECT, related_name="bid_opening"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    bids_opened = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"Opening of {self.opportunity.reference}"

    def audit_label(self) -> str:
        return f"Bid opening #{self.pk}"


class ScreeningResult(models.TextChoices):
    ELIGIBLE = "eligible", "Eligible"
    INELIGIBLE = "ineligible", "Not eligible"


class Screening(models.Model):
    """Eligibility screening after close: automatic checks and an officer's confirmation."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="screening"
    )
    checks = models.JSONField(default=list)
    checks_passed = models.BooleanField(default=False)
    result = models.CharField(max_length=20, choices=ScreeningResult.choices, blank=True)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Screening of {self.application}"

    def audit_label(self) -> str:
        return f"Screening #{self.pk}"


class SmallGrantsSettings(models.Model):
    """The Small Grants Scheme's limits for a council (§3.1), as data administrators change."""

    council = models.OneToOneField(
        "accounts.Council", on_delete=models.CASCADE, related_name="small_grants_settings"
    )
    limit_pence = models.BigIntegerField("most a small grant may be", default=500_000)
    delegated_limit_pence = models.BigIntegerField(
        "most one officer may decide alone", default=500_000
    )
    max_income_pence = models.BigIntegerField(
        "largest annual income of a small organisation", default=10_000_000
    )
    one_current_grant = models.BooleanField("only one current small grant at a time", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "small grants settings"
        constraints = [
            models.CheckConstraint(condition=Q(limit_pence__gt=0), name="small_grant_limit_ok"),
            models.CheckConstraint(
                condition=Q(delegated_limit_pence__gt=0), name="small_grant_delegated_ok"
            ),
        ]

    def __str__(self) -> str:
        return f"Small grants settings for {self.council}"


class SmallGrantPurpose(models.Model):
    """A purpose the Small Grants Scheme pays for (§3.1): materials, training, room hire…"""

    council = models.ForeignKey(
        "accounts.Council", on_delete=models.CASCADE, related_name="small_grant_purposes"
    )
    code = models.SlugField(max_length=40)
    label = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "label"]
        constraints = [
            models.UniqueConstraint(fields=["council", "code"], name="small_grant_purpose_unique")
        ]

    def __str__(self) -> str:
        return self.label


class GrantDecision(models.TextChoices):
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class SmallGrantDecision(models.Model):
    """One officer's decision on a small grant within their delegated limit (§3.1)."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="small_grant_decision"
    )
    decision = models.CharField(max_length=10, choices=GrantDecision.choices)
    amount_pence = models.BigIntegerField(default=0)
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    award = models.ForeignKey(
        "awards.Award", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_pence__gte=0), name="small_grant_decision_amount_ok"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.application}"

    def audit_label(self) -> str:
        return f"Small grant decision #{self.pk}"
