"""Needs, prioritisation, commissioning intentions and how they are decided (§2.2–§2.10).

Also the equality impact assessment, consultation and soft market testing (§1.5, §2.1,
glossary), decommissioning notices (§2.4, the Compact) and joint commissioning (§4.3).
"""

from __future__ import annotations

from datetime import date
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

# --- configuration -------------------------------------------------------------------


class PriorityFactor(models.TextChoices):
    """The §2.3 factors, scored 0 to 3 on each need (statutory is a yes/no that ranks first)."""

    EQUALITY_GAP = "equality_gap", "Equality gap across the protected characteristics"
    GEOGRAPHIC_GAP = "geographic_gap", "Gap between geographical areas"
    ACTIVITY_ELSEWHERE = "activity_elsewhere", "Commissioning activity elsewhere in the county"
    BUDGET = "budget", "Fit with the budget available"
    USER_INVOLVEMENT = "user_involvement", "Opportunity for greater user involvement"
    PREVENTATIVE = "preventative", "Preventative potential"


FACTOR_HINTS: dict[str, str] = {
    PriorityFactor.EQUALITY_GAP: "How far outcomes for some groups (age, disability, sex, race, "
    "religion or belief, sexual orientation and the other protected characteristics) fall "
    "behind others",
    PriorityFactor.GEOGRAPHIC_GAP: "How far outcomes in some areas fall behind others",
    PriorityFactor.ACTIVITY_ELSEWHERE: "How much this need is left unmet by commissioning "
    "elsewhere in the county, regionally or sub-regionally",
    PriorityFactor.BUDGET: "How well the need can be met within the budget available",
    PriorityFactor.USER_INVOLVEMENT: "How much scope there is to involve service users",
    PriorityFactor.PREVENTATIVE: "How far allied or preventative services could lessen the need "
    "in future",
}

SCORE_LABELS = {0: "None", 1: "Low", 2: "Medium", 3: "High"}
DEFAULT_WEIGHTS = {
    PriorityFactor.EQUALITY_GAP: 3,
    PriorityFactor.GEOGRAPHIC_GAP: 2,
    PriorityFactor.ACTIVITY_ELSEWHERE: 1,
    PriorityFactor.BUDGET: 2,
    PriorityFactor.USER_INVOLVEMENT: 1,
    PriorityFactor.PREVENTATIVE: 2,
}


class CommissioningSettings(models.Model):
    """A council's commissioning configuration: weights, consultation length, thresholds."""

    council = models.OneToOneField(
        "accounts.Council", on_delete=models.CASCADE, related_name="commissioning_settings"
    )
    weight_equality_gap = models.PositiveSmallIntegerField(default=3)
    weight_geographic_gap = models.PositiveSmallIntegerField(default=2)
    weight_activity_elsewhere = models.PositiveSmallIntegerField(default=1)
    weight_budget = models.PositiveSmallIntegerField(default=2)
    weight_user_involvement = models.PositiveSmallIntegerField(default=1)
    weight_preventative = models.PositiveSmallIntegerField(default=2)
    consultation_weeks = models.PositiveSmallIntegerField(
        default=12, help_text="The Compact asks for twelve weeks"
    )
    notice_months = models.PositiveSmallIntegerField(
        default=3, help_text="Notice before funding ends, as the Compact asks"
    )
    withdrawal_share_percent = models.PositiveSmallIntegerField(
        default=25,
        help_text="Warn when council funding is at least this share of a provider's income",
    )
    minimum_term_months = models.PositiveSmallIntegerField(
        default=36, help_text="Shorter terms need a recorded justification (§2.10)"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "commissioning settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawal_share_percent__lte=100), name="withdrawal_share_is_percent"
            ),
            models.CheckConstraint(
                condition=Q(consultation_weeks__gte=1), name="consultation_at_least_a_week"
            ),
        ]

    def __str__(self) -> str:
        return f"Commissioning settings for {self.council}"

    def weights(self) -> dict[str, int]:
        return {factor: getattr(self, f"weight_{factor}") for factor in PriorityFactor.values}


# --- needs -----------------------------------------------------------------------------


class EvidenceSource(models.TextChoices):
    """How needs are identified (§2.2)."""

    STATISTICS = "statistics", "Statistical returns and demographic data"
    EQUALITY_IMPACT = "equality_impact", "Equality impact assessment"
    PERFORMANCE = "performance", "Performance against key performance indicators"
    USER_FEEDBACK = "user_feedback", "Service user feedback and satisfaction"
    PARTNERSHIPS = "partnerships", "Feedback from strategic and themed partnerships"
    REVIEWS = "reviews", "Working groups or service reviews"
    PROVIDER_FORA = "provider_fora", "Current provider fora"
    LOCAL_PEOPLE = "local_people", "Input from local people and service users"
    RESEARCH = "research", "Research and mapping"
    INSPECTION = "inspection", "Regulatory or inspection reports"
    GOVERNMENT = "government", "Central government guidance"


class NeedQuerySet(models.QuerySet):
    def for_council(self, council_id: int | None) -> NeedQuerySet:
        return self.filter(council_id=council_id)


class Need(models.Model):
    """An identified need (§2.2), scored on the §2.3 factors for prioritisation."""

    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    directorate = models.ForeignKey(
        "strategy.Directorate", on_delete=models.PROTECT, related_name="needs"
    )
    title = models.CharField(max_length=200)
    description = models.TextField()
    area = models.ForeignKey("core.Area", on_delete=models.PROTECT, related_name="needs")
    groups = models.ManyToManyField("core.BeneficiaryGroup", related_name="needs")
    outcomes = models.ManyToManyField("strategy.Outcome", related_name="needs")
    statutory = models.BooleanField("statutory requirement", default=False)
    statutory_basis = models.CharField(max_length=255, blank=True)
    equality_gap = models.PositiveSmallIntegerField(default=0)
    geographic_gap = models.PositiveSmallIntegerField(default=0)
    activity_elsewhere = models.PositiveSmallIntegerField(default=0)
    budget = models.PositiveSmallIntegerField(default=0)
    user_involvement = models.PositiveSmallIntegerField(default=0)
    preventative = models.PositiveSmallIntegerField(default=0)
    score_notes = models.JSONField(default=dict, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["-statutory", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(equality_gap__lte=3)
                & Q(geographic_gap__lte=3)
                & Q(activity_elsewhere__lte=3)
                & Q(budget__lte=3)
                & Q(user_involvement__lte=3)
                & Q(preventative__lte=3),
                name="need_scores_0_to_3",
            )
        ]

    def __str__(self) -> str:
        return self.title


class EvidenceItem(models.Model):
    """A piece of evidence for a need, typed by its §2.2 source, with a link or a file."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="evidence")
    source = models.CharField(max_length=30, choices=EvidenceSource.choices)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    url = models.URLField("link", blank=True, max_length=500)
    file = models.FileField(upload_to="evidence/%Y/%m/", blank=True)
    original_name = models.CharField(
        "file name", max_length=255, blank=True, help_text="The attached file's name as uploaded"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(file=""), name="evidence_has_link_or_file"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def file_name(self) -> str:
        """The attached file's own name, never the path it is stored under."""
        if not self.file:
            return ""
        return self.original_name or PurePosixPath(self.file.name).name


# --- intentions ------------------------------------------------------------------------


class IntentionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ASSESSED = "assessed", "Impact assessed"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    COMMISSIONED = "commissioned", "Commissioned"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Direction(models.TextChoices):
    """What the intention says to providers (§2.4): new, refocused or no longer prioritised."""

    NEW = "new", "New service sought"
    REFOCUSED = "refocused", "Refocused service sought"
    CONTINUING = "continuing", "Continuing service"
    DECOMMISSIONING = "decommissioning", "No longer prioritised"


PUBLIC_STATUSES = (IntentionStatus.PUBLISHED, IntentionStatus.COMMISSIONED)


class IntentionQuerySet(models.QuerySet):
    def for_council(self, council_id: int | None) -> IntentionQuerySet:
        return self.filter(council_id=council_id)

    def published(self) -> IntentionQuerySet:
        return self.filter(status__in=PUBLIC_STATUSES, published_at__isnull=False)

    def live(self) -> IntentionQuerySet:
        return self.exclude(status=IntentionStatus.WITHDRAWN)


class Intention(models.Model):
    """A directorate's commissioning intention (§2.4): specification, method, budget, timeline."""

    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    directorate = models.ForeignKey(
        "strategy.Directorate",
        on_delete=models.PROTECT,
        related_name="intentions",
        help_text="For a joint intention, the lead directorate",
    )
    partner_directorates = models.ManyToManyField(
        "strategy.Directorate", blank=True, related_name="joint_intentions"
    )
    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    direction = models.CharField(max_length=20, choices=Direction.choices, default=Direction.NEW)
    status = models.CharField(
        max_length=20, choices=IntentionStatus.choices, default=IntentionStatus.DRAFT
    )
    needs = models.ManyToManyField(Need, blank=True, related_name="intentions")
    outcomes = models.ManyToManyField("strategy.Outcome", related_name="intentions")
    stopped_outcomes = models.ManyToManyField(
        "strategy.Outcome",
        blank=True,
        related_name="+",
        help_text="Outcomes no longer prioritised by this intention",
    )
    # The specification, in the standard format (§2.5).
    aims = models.TextField(blank=True)
    outcomes_sought = models.TextField("outcomes sought", blank=True)
    target_group = models.TextField("target group", blank=True)
    groups = models.ManyToManyField("core.BeneficiaryGroup", blank=True, related_name="+")
    areas = models.ManyToManyField("core.Area", blank=True, related_name="+")
    activities = models.TextField(blank=True)
    quality_standards = models.TextField("quality standards", blank=True)
    monitoring = models.TextField(blank=True)
    # Money and time.
    budget_pence = models.BigIntegerField(default=0)
    pot = models.ForeignKey(
        "strategy.FundingPot", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service_start = models.DateField(null=True, blank=True)
    service_end = models.DateField(null=True, blank=True)
    procurement_start = models.DateField(null=True, blank=True)
    short_term_justification = models.TextField(blank=True)
    # Decisions and publication.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    combined_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="combined_from"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IntentionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_pence__gte=0), name="intention_budget_positive"
            ),
            models.CheckConstraint(
                condition=Q(service_end__isnull=True)
                | Q(service_start__isnull=True)
                | Q(service_end__gt=models.F("service_start")),
                name="intention_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def scope_directorate_ids(self) -> set[int]:
        """The lead and partner directorates; the policy lets their commissioners work on it."""
        ids = {self.directorate_id}
        if self.pk:
            ids |= {d.pk for d in self.partner_directorates.all()}
        return ids

    @property
    def term_months(self) -> int | None:
        if not (self.service_start and self.service_end):
            return None
        start, end = self.service_start, self.service_end
        months = (end.year - start.year) * 12 + (end.month - start.month)
        if end.day >= start.day - 1:
            months += 1 if end.day >= start.day else 0
        return months

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES and self.published_at is not None

    @property
    def is_joint(self) -> bool:
        return self.partner_directorates.exists()


class Impact(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEUTRAL = "neutral", "Neutral"
    NEGATIVE = "negative", "Negative"


class EqualityAssessment(models.Model):
    """The equality impact assessment of an intention (§2.4): required before publishing."""

    intention = models.OneToOneField(Intention, on_delete=models.CASCADE, related_name="eqia")
    summary = models.TextField(blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Equality impact assessment of {self.intention.reference}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class CharacteristicImpact(models.Model):
    """The impact on one protected characteristic, with mitigation of any negative impact."""

    assessment = models.ForeignKey(
        EqualityAssessment, on_delete=models.CASCADE, related_name="impacts"
    )
    characteristic = models.ForeignKey(
        "core.BeneficiaryGroup", on_delete=models.PROTECT, related_name="+"
    )
    impact = models.CharField(max_length=10, choices=Impact.choices)
    evidence = models.TextField(blank=True)
    mitigation = models.TextField(blank=True)

    class Meta:
        ordering = ["characteristic__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "characteristic"], name="one_impact_per_characteristic"
            ),
            models.CheckConstraint(
                condition=~Q(impact="negative") | ~Q(mitigation=""),
                name="negative_impact_has_mitigation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.characteristic}: {self.get_impact_display()}"


# --- method decisions (§2.7–§2.9, §4.4) ---------------------------------------------------


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


# --- involving the Third Sector ---------------------------------------------------------


class Consultation(models.Model):
    """A draft set of priorities or a draft intention opened for consultation (§1.5, §2.1)."""

    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    directorate = models.ForeignKey(
        "strategy.Directorate", on_delete=models.PROTECT, related_name="consultations"
    )
    intention = models.ForeignKey(
        Intention, null=True, blank=True, on_delete=models.PROTECT, related_name="consultations"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(help_text="The draft priorities or intention, in plain words")
    opens_on = models.DateField()
    closes_on = models.DateField()
    short_reason = models.TextField(
        blank=True, help_text="Why the consultation is shorter than the Compact's twelve weeks"
    )
    summary = models.TextField(blank=True)
    you_said_we_did = models.TextField("you said, we did", blank=True)
    summary_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gt=models.F("opens_on")), name="consultation_closes_after"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    def has_closed(self, today: date | None = None) -> bool:
        return (today or timezone.localdate()) > self.closes_on


class ConsultationResponse(models.Model):
    """An organisation's response to a consultation, changeable until it closes."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organisation"], name="one_response_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.consultation}"


class SoftMarketTest(models.Model):
    """A questionnaire to providers on how outcomes might be delivered, without commitment."""

    intention = models.ForeignKey(Intention, on_delete=models.CASCADE, related_name="market_tests")
    questions = models.TextField(help_text="One question a line")
    closes_on = models.DateField()
    invited = models.ManyToManyField("organisations.Organisation", blank=True, related_name="+")
    findings = models.TextField(blank=True)
    no_commercial_market = models.BooleanField(
        "soft market testing found no commercial market", null=True, blank=True
    )
    findings_recorded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Soft market test for {self.intention.reference}"

    def question_list(self) -> list[str]:
        return [q.strip() for q in self.questions.splitlines() if q.strip()]

    def is_open(self, today: date | None = None) -> bool:
        return (today or timezone.localdate()) <= self.closes_on


class SoftMarketResponse(models.Model):
    test = models.ForeignKey(SoftMarketTest, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answers = models.JSONField(default=list, blank=True)
    interested = models.BooleanField("might deliver this", default=False)
    is_commercial = models.BooleanField("a commercial (for-profit) provider", default=False)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["test", "organisation"], name="one_market_response_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.test}"


# --- decommissioning notices --------------------------------------------------------------


class DecommissioningNotice(models.Model):
    """Notice to an organisation that its funded service will no longer be prioritised."""

    intention = models.ForeignKey(Intention, on_delete=models.PROTECT, related_name="notices")
    award = models.ForeignKey("awards.Award", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField()
    funding_ends_on = models.DateField()
    notice_due_by = models.DateField(help_text="The last day to give the Compact's notice")
    is_late = models.BooleanField(default=False)
    late_reason = models.TextField(blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    emailed_to = models.JSONField(default=list, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["intention", "award"], name="one_notice_per_award")
        ]

    def __str__(self) -> str:
        return f"Notice to {self.organisation} about {self.award}"
