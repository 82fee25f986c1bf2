"""Reads for needs, intentions, consultations and notices, already through the policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, IntegerField, Prefetch, Q, QuerySet, Value
from django.shortcuts import get_object_or_404
from django.utils import timezone

from thrive.accounts.models import Council, Role
from thrive.commissioning.models import (
    FACTOR_HINTS,
    SCORE_LABELS,
    CommissioningSettings,
    Consultation,
    DecommissioningNotice,
    Intention,
    IntentionStatus,
    Need,
    PriorityFactor,
    SoftMarketTest,
)
from thrive.core import policy
from thrive.organisations.models import Organisation, Service


def settings_for(*, council: Council) -> CommissioningSettings:
    """The council's commissioning settings: the defaults, unsaved, until someone changes them."""
    found = CommissioningSettings.objects.filter(council=council).first()
    return found or CommissioningSettings(council=council)


def _reads_all(user: Any) -> bool:
    return policy.is_system_admin(user) or policy.has_council_role(
        user, Role.STRATEGY_GROUP, Role.COUNCIL_ADMIN
    )


# --- needs and prioritisation -------------------------------------------------------------


def ranked_needs(*, council: Any, weights: dict[str, int]) -> QuerySet[Need]:
    """Needs ranked by priority: statutory needs first, then the weighted score (§2.3).

    The weighted score is summed in the database so the ranking and the page agree.
    """
    score = Value(0, output_field=IntegerField())
    for factor, weight in weights.items():
        score = score + F(factor) * Value(weight, output_field=IntegerField())
    return (
        Need.objects.for_council(council.pk)
        .annotate(priority_score=score, evidence_count=Count("evidence", distinct=True))
        .select_related("area", "directorate")
        .order_by("-statutory", "-priority_score", "title")
    )


def needs_for_user(*, user: Any, council: Any, directorate_id: str = "") -> QuerySet[Need]:
    """The needs the user may see, ranked."""
    needs = ranked_needs(council=council, weights=settings_for(council=council).weights())
    if not _reads_all(user):
        needs = needs.filter(directorate_id__in=user.directorate_ids())
    if directorate_id.isdigit():
        needs = needs.filter(directorate_id=int(directorate_id))
    return needs


def get_need(*, user: Any, need_id: int) -> Need:
    need = get_object_or_404(
        Need.objects.select_related("area", "directorate", "council").prefetch_related(
            "outcomes", "groups", "evidence"
        ),
        pk=need_id,
    )
    policy.require(user, "commissioning.needs.view", need)
    return need


@dataclass(frozen=True)
class ScoreLine:
    factor: str
    label: str
    hint: str
    score: int
    score_label: str
    weight: int
    points: int
    note: str


@dataclass(frozen=True)
class PriorityExplanation:
    statutory: bool
    statutory_basis: str
    lines: list[ScoreLine]
    total: int
    maximum: int

    @property
    def sentence(self) -> str:
        first = (
            f"Statutory ({self.statutory_basis}), so it ranks above every non-statutory need. "
            if self.statutory
            else ""
        )
        parts = [f"{line.label.lower()} {line.points}" for line in self.lines if line.points]
        detail = ", ".join(parts) if parts else "no factor scored"
        return f"{first}Score {self.total} of {self.maximum}: {detail}."


def explain_priority(*, need: Need, weights: dict[str, int]) -> PriorityExplanation:
    """Why a need ranks where it does: each factor's score × weight, with the officer's note."""
    lines = []
    for factor in PriorityFactor:
        score = getattr(need, factor.value)
        weight = weights.get(factor.value, 0)
        lines.append(
            ScoreLine(
                factor=factor.value,
                label=factor.label,
                hint=FACTOR_HINTS[factor.value],
                score=score,
                score_label=SCORE_LABELS[score],
                weight=weight,
                points=score * weight,
                note=need.score_notes.get(factor.value, ""),
            )
        )
    return PriorityExplanation(
        statutory=need.statutory,
        statutory_basis=need.statutory_basis,
        lines=lines,
        total=sum(line.points for line in lines),
        maximum=sum(3 * w for w in weights.values()),
    )


# --- intentions ---------------------------------------------------------------------------


def intentions_for_user(*, user: Any, council: Any, status: str = "") -> QuerySet[Intention]:
    """The intentions the user may see, newest first."""
    intentions = (
        Intention.objects.for_council(council.pk)
        .select_related("directorate", "pot")
        .prefetch_related("partner_directorates")
    )
    if not (_reads_all(user) or policy.has_council_role(user, Role.PROCUREMENT_OFFICER)):
        ids = list(user.directorate_ids())
        intentions = intentions.filter(
            Q(directorate_id__in=ids) | Q(partner_directorates__in=ids)
        ).distinct()
    if status in IntentionStatus.values:
        intentions = intentions.filter(status=status)
    return intentions


INTENTION_RELATED = (
    "outcomes",
    "needs",
    "partner_directorates",
    "stopped_outcomes",
    "groups",
    "areas",
)


def get_intention(
    *,
    user: Any,
    intention_id: int,
    action: str = "commissioning.intentions.view",
    related: tuple[str, ...] = INTENTION_RELATED,
) -> Intention:
    """The intention if the user may do ``action`` to it, with the ``related`` lists read."""
    intention = get_object_or_404(
        Intention.objects.select_related(
            "directorate", "council", "pot", "method", "eqia", "combined_into"
        ).prefetch_related(*related),
        pk=intention_id,
    )
    policy.require(user, action, intention)
    return intention


def overlapping_intentions(*, intention: Intention) -> QuerySet[Intention]:
    """Live intentions of other directorates sharing an outcome with this one (§4.3)."""
    return (
        Intention.objects.for_council(intention.council_id)
        .filter(
            outcomes__in=intention.outcomes.all(),
            status__in=[IntentionStatus.DRAFT, IntentionStatus.ASSESSED, IntentionStatus.APPROVED],
        )
        .exclude(directorate_id__in=intention.scope_directorate_ids())
        .exclude(pk=intention.pk)
        .select_related("directorate")
        .distinct()
    )


def matching_organisation_ids(*, intention: Intention) -> QuerySet[Any]:
    """The ids of organisations (merged ones too) with a service towards the intention's
    outcomes, working in its areas or county-wide: read from services and the areas' links
    alone, without the register's rows, so a query over many organisations stays small."""
    outcome_ids = [o.pk for o in intention.outcomes.all()]
    if not outcome_ids:
        return Service.objects.none().values("organisation_id")
    found = Service.objects.filter(outcomes__in=outcome_ids)
    areas = list(intention.areas.all())
    if areas and not any(a.county_wide for a in areas):
        working_there = Organisation.areas.through.objects.filter(
            Q(area__in=areas) | Q(area__county_wide=True)
        )
        found = found.filter(organisation__in=working_there.values("organisation_id"))
    return found.order_by().values("organisation_id")


def matching_organisations(*, intention: Intention) -> QuerySet[Organisation]:
    """Active organisations with a service towards the intention's outcomes, in its areas."""
    return Organisation.objects.active().filter(
        pk__in=matching_organisation_ids(intention=intention)
    )


def overlaps_in_council(*, council: Any) -> list[tuple[Intention, Intention]]:
    """Every pair of live intentions of different directorates with a shared outcome."""
    live = list(
        Intention.objects.for_council(council.pk)
        .filter(
            status__in=[IntentionStatus.DRAFT, IntentionStatus.ASSESSED, IntentionStatus.APPROVED]
        )
        .select_related("directorate")
        .prefetch_related("outcomes")
    )
    pairs = []
    for index, first in enumerate(live):
        first_outcomes = {o.pk for o in first.outcomes.all()}
        for second in live[index + 1 :]:
            if second.directorate_id == first.directorate_id:
                continue
            if first_outcomes & {o.pk for o in second.outcomes.all()}:
                pairs.append((first, second))
    return pairs


def public_intentions(*, direction: str = "") -> QuerySet[Intention]:
    """Published intentions, newest first, for the public page and feed."""
    intentions = (
        Intention.objects.published()
        .select_related("council", "directorate")
        .prefetch_related("outcomes", "stopped_outcomes", "areas")
        .order_by("-published_at", "-pk")
    )
    if direction:
        intentions = intentions.filter(direction=direction)
    return intentions


def get_public_intention(*, reference: str) -> Intention:
    return get_object_or_404(
        public_intentions().prefetch_related(
            "groups",
            "partner_directorates",
            Prefetch(
                "consultations",
                queryset=Consultation.objects.filter(summary_published_at__isnull=False),
                to_attr="published_consultations",
            ),
        ),
        reference=reference,
    )


# --- consultations, market tests, notices ---------------------------------------------------


def open_consultations() -> QuerySet[Consultation]:
    today = timezone.localdate()
    return (
        Consultation.objects.filter(opens_on__lte=today, closes_on__gte=today)
        .select_related("council", "directorate", "intention")
        .order_by("closes_on")
    )


def get_consultation(*, consultation_id: int) -> Consultation:
    return get_object_or_404(
        Consultation.objects.select_related("council", "directorate", "intention"),
        pk=consultation_id,
    )


def open_market_tests_for(*, user: Any) -> QuerySet[SoftMarketTest]:
    """Open soft market tests: every registered organisation may answer, invited ones first."""
    return (
        SoftMarketTest.objects.filter(closes_on__gte=timezone.localdate())
        .select_related("intention__council")
        .order_by("closes_on")
    )


def notices_for_user(*, user: Any) -> QuerySet[DecommissioningNotice]:
    org_ids = user.memberships.values("organisation_id")
    return (
        DecommissioningNotice.objects.filter(organisation_id__in=org_ids)
        .select_related("organisation", "award", "intention__council")
        .order_by("-sent_at")
    )
