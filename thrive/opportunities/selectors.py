"""Reads about opportunities: the public list and its filters, staff lists, alert matching."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.accounts.selectors import staff_who_may
from thrive.core import policy
from thrive.core.dates import LONDON
from thrive.opportunities.models import (
    AlertPreference,
    Clarification,
    Opportunity,
    OpportunityStatus,
)
from thrive.organisations.models import Organisation
from thrive.organisations.selectors import search


@dataclass
class OpportunityFilters:
    """The public list's search and filters (§4.1: easy to find)."""

    q: str = ""
    council: int | None = None
    outcome: int | None = None
    area: int | None = None
    kind: str = ""
    min_value: int | None = None  # pence
    max_value: int | None = None  # pence
    closes_before: date | None = None
    include_closed: bool = False

    def as_query(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


def public_opportunities(
    *, filters: OpportunityFilters | None = None, now: datetime | None = None
) -> QuerySet[Opportunity]:
    """Published opportunities, open ones first by closing time, with what lists show."""
    filters = filters or OpportunityFilters()
    now = now or timezone.now()
    qs = (
        Opportunity.objects.published()
        .filter(opens_at__lte=now)
        .select_related("council", "directorate", "intention")
        .prefetch_related("outcomes", "areas", "lots", "amendments")
    )
    if not filters.include_closed:
        qs = qs.filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
    text = (filters.q or "").strip()[:200]
    if text:
        qs = qs.filter(
            Q(title__icontains=text)
            | Q(summary__icontains=text)
            | Q(description__icontains=text)
            | Q(reference__iexact=text)
        )
    if filters.council:
        qs = qs.filter(council_id=filters.council)
    if filters.outcome:
        qs = qs.filter(outcomes__id=filters.outcome)
    if filters.area:
        qs = qs.filter(Q(areas__id=filters.area) | Q(areas__county_wide=True))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.min_value is not None:
        qs = qs.filter(value_pence__gte=filters.min_value)
    if filters.max_value is not None:
        qs = qs.filter(value_pence__lte=filters.max_value)
    if filters.closes_before:
        end = datetime.combine(filters.closes_before + timedelta(days=1), time.min, LONDON)
        qs = qs.filter(closes_at__lt=end)
    return qs.distinct().order_by("closes_at", "pk")


def get_public_opportunity(*, pk: int, user: Any = None) -> Opportunity:
    """A published opportunity for anyone; a draft only for staff who may see it."""
    try:
        opportunity = (
            Opportunity.objects.select_related(
                "council", "directorate", "form_template", "intention"
            )
            .prefetch_related(
                "lots",
                "criteria__lot",
                "documents",
                "amendments",
                "outcomes",
                "areas",
                Prefetch(
                    "clarifications",
                    queryset=Clarification.objects.published().order_by("published_at"),
                    to_attr="published_clarifications",
                ),
            )
            .get(pk=pk)
        )
    except Opportunity.DoesNotExist as exc:
        raise Http404("No such opportunity") from exc
    visible = opportunity.status == OpportunityStatus.PUBLISHED and opportunity.opens_at
    if not visible and not policy.can(user, "opportunities.staff.view", opportunity):
        raise Http404("No such opportunity")
    return opportunity


def opportunities_for_staff(*, user: Any, status: str = "") -> QuerySet[Opportunity]:
    """The opportunities of the user's council (every council for system administrators)."""
    qs = Opportunity.objects.select_related("council", "directorate").annotate(
        question_count=Count(
            "clarifications", filter=Q(clarifications__published_at__isnull=True), distinct=True
        )
    )
    if not policy.is_system_admin(user):
        qs = qs.filter(council_id=user.council_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def get_staff_opportunity(*, pk: int) -> Opportunity:
    try:
        return Opportunity.objects.select_related("council", "directorate", "form_template").get(
            pk=pk
        )
    except Opportunity.DoesNotExist as exc:
        raise Http404("No such opportunity") from exc


def coming_deadlines(*, now: datetime | None = None) -> QuerySet[Opportunity]:
    """Published opportunities with a closing or clarification deadline still to come."""
    now = now or timezone.now()
    return (
        Opportunity.objects.published()
        .filter(closes_at__gt=now)
        .select_related("council")
        .order_by("closes_at", "pk")
    )


def matching_preferences(opportunity: Opportunity) -> QuerySet[AlertPreference]:
    """Active alert choices that match the opportunity's kind, outcomes and areas.

    An empty choice means "any": an organisation that chose no areas hears about all areas.
    """
    outcome_ids = list(opportunity.outcomes.values_list("pk", flat=True))
    area_ids = list(opportunity.areas.values_list("pk", flat=True))
    prefs = AlertPreference.objects.filter(is_active=True).select_related("organisation")
    prefs = prefs.annotate(n_outcomes=Count("outcomes", distinct=True)).annotate(
        n_areas=Count("areas", distinct=True)
    )
    matched = []
    for pref in prefs.prefetch_related("outcomes", "areas"):
        if pref.kinds and opportunity.kind not in pref.kinds:
            continue
        if pref.n_outcomes and not {o.pk for o in pref.outcomes.all()} & set(outcome_ids):
            continue
        areas = {a.pk for a in pref.areas.all()}
        if pref.n_areas and area_ids and not areas & set(area_ids):
            continue
        matched.append(pref.pk)
    return AlertPreference.objects.filter(pk__in=matched).select_related("organisation")


def provider_organisations(user: Any) -> QuerySet[Any]:
    """The organisations a provider user belongs to."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).order_by("name")


def answerers_for(opportunity: Opportunity) -> list[Any]:
    """The officers who answer the opportunity's clarification questions: those who run it."""
    return staff_who_may(
        council=opportunity.council,
        roles=[Role.PROCUREMENT_OFFICER, Role.COMMISSIONER],
        action="opportunities.manage",
        obj=opportunity,
    )


def alert_choices(*, organisation: Organisation) -> dict[str, Any]:
    """The organisation's alert choices as the form starts them (alerts on, when none yet)."""
    preference = AlertPreference.objects.filter(organisation=organisation).first()
    if preference is None:
        return {"is_active": True}
    return {
        "is_active": preference.is_active,
        "kinds": preference.kinds,
        "outcomes": list(preference.outcomes.all()),
        "areas": list(preference.areas.all()),
    }


def organisations_to_invite() -> QuerySet[Organisation]:
    """The organisations a commissioner may invite to quote: every active one, by name."""
    return Organisation.objects.active().order_by("name")


INVITE_RESULTS = 25  # enough to pick from; more means the search needs another word


def organisations_found_to_invite(*, text: str) -> list[Organisation]:
    """Active organisations matching ``text`` as the register's search does, by name, with
    their identifiers: at most one more than ``INVITE_RESULTS`` (which says there are more).
    """
    if len(text.strip()) < 3:
        return []
    found = search(organisations_to_invite(), text).prefetch_related("identifiers")
    return list(found.order_by("name", "pk")[: INVITE_RESULTS + 1])
