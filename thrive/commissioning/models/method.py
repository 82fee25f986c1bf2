"""How an intention is to be commissioned: the method advisor's decision (§2.7–§2.9, §4.4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from thrive.commissioning.models.intentions import Intention


class Method(models.TextChoices):
    SMALL_GRANT = "small_grant", "Small grant"
    FUNDING_AGREEMENT = "funding_agreement", "Funding agreement"
    CONTRACT = "contract", "Contract"


class Route(models.TextChoices):
    SMALL_GRANTS_SCHEME = "small_grants", "Small grants scheme"
    GRANT_ROUND = "grant_round", "Funding agreement by open grant round"
    RFQ = "rfq", "Request for quotations"
    BELOW_THRESHOLD_TENDER = "below_threshold_tender", "Open tender below the threshold"
    OPEN_TENDER = "open_tender", "Open tender"
    LIGHT_TOUCH = "light_touch", "Light-touch regime"
    PSR = "psr", "Provider Selection Regime process"
    DIRECT = "direct", "Direct award (exempt)"


class Regime(models.TextChoices):
    PROCUREMENT_ACT = "procurement_act", "Procurement Act 2023"
    PSR = "psr", "Provider Selection Regime 2023"
    GRANT = "grant", "Grant"
    EXEMPT = "exempt", "Exempt"


class ServiceType(models.TextChoices):
    SOCIAL = "social", "Social, health, education or similar services (light-touch)"
    HEALTH_CARE = "health_care", "Public health care services (Provider Selection Regime)"
    GOODS_SERVICES = "goods_services", "Other goods or services"
    WORKS = "works", "Works"


class MethodDecision(models.Model):
    """The method advisor's questionnaire, its recommendation and the decisions on it."""

    intention = models.OneToOneField(Intention, on_delete=models.CASCADE, related_name="method")
    answers = models.JSONField(default=dict, blank=True)
    service_type = models.CharField(max_length=20, choices=ServiceType.choices)
    recommended_method = models.CharField(max_length=20, choices=Method.choices)
    recommended_route = models.CharField(max_length=30, choices=Route.choices)
    recommended_regime = models.CharField(max_length=20, choices=Regime.choices)
    reasons = models.JSONField(default=list, blank=True)
    duties = models.JSONField(default=list, blank=True)
    threshold_set = models.ForeignKey(
        "strategy.ThresholdSet", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    value_pence = models.BigIntegerField(default=0)
    advised_at = models.DateTimeField(default=timezone.now)
    advised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(max_length=20, choices=Method.choices, blank=True)
    route = models.CharField(max_length=30, choices=Route.choices, blank=True)
    regime = models.CharField(max_length=20, choices=Regime.choices, blank=True)
    override_reason = models.TextField(blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreement_note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Method for {self.intention.reference}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_overridden(self) -> bool:
        return self.is_confirmed and (
            (self.method, self.route, self.regime)
            != (self.recommended_method, self.recommended_route, self.recommended_regime)
        )

    @property
    def needs_agreement(self) -> bool:
        return self.method == Method.CONTRACT

    @property
    def is_settled(self) -> bool:
        return self.is_confirmed and (not self.needs_agreement or self.agreed_at is not None)
