"""Panels, conflict declarations, scores, moderation, decisions and delegated limits (§4.4).

Assessors score independently and blind; "not applicable" is recorded as such, never 0.
Moderation records the panel's agreed score per criterion, with a reason wherever it
differs from what the assessors gave. A decision is recommended by one officer and
approved by another whose delegated limit covers its amount.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from thrive.accounts.models import Role


class Panel(models.Model):
    """The assessment panel of one opportunity, and whether moderation has opened."""

    opportunity = models.OneToOneField(
        "opportunities.Opportunity", on_delete=models.CASCADE, related_name="panel"
    )
    moderation_opened_at = models.DateTimeField(null=True, blank=True)
    moderation_opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Panel for {self.opportunity.reference}"

    def audit_label(self) -> str:
        return f"Panel #{self.pk}"

    @property
    def moderation_open(self) -> bool:
        return self.moderation_opened_at is not None


class PanelMember(models.Model):
    """An assessor (or commissioner) assigned to a panel."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_memberships"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "user"], name="panel_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.panel}"

    def audit_label(self) -> str:
        return f"Panel member #{self.pk}"


class ConflictDeclaration(models.Model):
    """A panel member's declaration of interests, made before seeing any application.

    Each new declaration is a new row; the latest one counts. A conflict names the
    organisations, and blocks the member from their applications.
    """

    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="declarations")
    has_conflict = models.BooleanField()
    organisations = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-declared_at", "-pk"]

    def __str__(self) -> str:
        return f"Declaration by {self.member.user}"

    def audit_label(self) -> str:
        return f"Conflict declaration #{self.pk}"


class Score(models.Model):
    """One assessor's score for one criterion of one application, with a comment."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        "opportunities.Criterion", on_delete=models.CASCADE, related_name="scores"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scores"
    )
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    passed = models.BooleanField(null=True, blank=True, help_text="For pass or fail gates.")
    comment = models.TextField()
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["criterion__order", "criterion_id", "assessor_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion", "assessor"], name="score_once_per_assessor"
            ),
            models.CheckConstraint(
                condition=~(Q(not_applicable=True) & Q(score__isnull=False)),
                name="score_not_applicable_has_no_score",
            ),
        ]

    def __str__(self) -> str:
        return f"Score by {self.assessor_id} for {self.application_id}/{self.criterion_id}"


class ModeratedScore(models.Model):
    """The panel's agreed result for one criterion of one application, with its reason."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="moderated_scores"
    )
    criterion = models.ForeignKey(
        "opportunities.Criterion", on_delete=models.CASCADE, related_name="moderated_scores"
    )
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    passed = models.BooleanField(null=True, blank=True)
    assessor_mean = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    reason = models.TextField(blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="moderated_once_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"Agreed score for {self.application_id}/{self.criterion_id}"


class DecisionStatus(models.TextChoices):
    RECOMMENDED = "recommended", "Recommended, awaiting approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Sent back"


class Decision(models.Model):
    """A recommendation of the winner(s) of one lot (or the whole opportunity) and its approval."""

    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.PROTECT, related_name="decisions"
    )
    lot = models.ForeignKey(
        "opportunities.Lot", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pot = models.ForeignKey(
        "strategy.FundingPot", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField()
    end_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.RECOMMENDED
    )
    reason = models.TextField(help_text="Why these applications are recommended.")
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recommended_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    standstill_ends_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-recommended_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="decision_dates_ok"
            )
        ]

    def __str__(self) -> str:
        where = f", lot {self.lot.number}" if self.lot_id else ""
        return f"Decision on {self.opportunity.reference}{where}"

    def audit_label(self) -> str:
        return f"Decision #{self.pk}"

    @property
    def amount_pence(self) -> int:
        return sum(w.amount_pence for w in self.winners.all())


class Winner(models.Model):
    """One recommended application in a decision, with the amount it would be awarded."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="winners")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="+"
    )
    amount_pence = models.BigIntegerField()
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    award = models.ForeignKey(
        "awards.Award", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    awarded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["rank", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_pence__gt=0), name="winner_amount_ok"),
            models.UniqueConstraint(fields=["decision", "application"], name="winner_once"),
        ]

    def __str__(self) -> str:
        return f"{self.application} in {self.decision}"

    def audit_label(self) -> str:
        return f"Recommended award #{self.pk}"


class AssessmentSettings(models.Model):
    """A council's standstill period for contracts (§4.4), as data administrators change."""

    council = models.OneToOneField(
        "accounts.Council", on_delete=models.CASCADE, related_name="assessment_settings"
    )
    standstill_days = models.PositiveSmallIntegerField(default=10)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "assessment settings"

    def __str__(self) -> str:
        return f"Assessment settings for {self.council}"


DEFAULT_LIMITS_PENCE: dict[str, int] = {
    Role.COMMISSIONER: 10_000_000,
    Role.PROCUREMENT_OFFICER: 25_000_000,
    Role.FINANCE_OFFICER: 5_000_000,
    Role.STRATEGY_GROUP: 100_000_000,
    Role.COUNCIL_ADMIN: 0,
    Role.ASSESSOR: 0,
}
"""Sensible defaults: £100,000 for a commissioner, £250,000 for a procurement officer,
£50,000 for a finance officer, £1,000,000 for the Corporate Third Sector Group."""


# The officers who may approve a recommendation, each up to their delegated limit (§4.4).
APPROVER_ROLES = (
    Role.COMMISSIONER,
    Role.PROCUREMENT_OFFICER,
    Role.FINANCE_OFFICER,
    Role.STRATEGY_GROUP,
)


class DelegatedLimit(models.Model):
    """The most an officer holding ``role`` may approve alone, in this council."""

    council = models.ForeignKey(
        "accounts.Council", on_delete=models.CASCADE, related_name="delegated_limits"
    )
    role = models.CharField(max_length=40, choices=Role.choices)
    limit_pence = models.BigIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["council", "role"], name="delegated_limit_unique"),
            models.CheckConstraint(condition=Q(limit_pence__gte=0), name="delegated_limit_ok"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} limit in {self.council}"
