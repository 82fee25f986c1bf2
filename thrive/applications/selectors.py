"""Reads about applications. Every staff read goes through ``ApplicationQuerySet.unsealed``,
so sealed bids stay out of pages, exports, the API and the admin until they are opened."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from thrive.accounts.models import Membership, Role
from thrive.accounts.selectors import prime_provider_access
from thrive.applications.models import (
    RESULT_STATUSES,
    Application,
    ApplicationStatus,
    BidOpening,
)
from thrive.core import policy
from thrive.core.prepared import PreparedRead
from thrive.opportunities.models import Lot, Opportunity, QuoteInvitation


def is_unsealed(application: Application, now: datetime | None = None) -> bool:
    """Whether council staff may read this application now (the sealed-bid rule).

    The one-row twin of ``ApplicationQuerySet.unsealed``: both judge the stored
    ``Opportunity.sealed`` fact, the deadline and the recorded opening.
    """
    opportunity = application.opportunity
    if not opportunity.sealed:
        return True
    now = now or timezone.now()
    if opportunity.closes_at is None or now < opportunity.closes_at:
        return False
    return BidOpening.objects.filter(opportunity_id=opportunity.pk).exists()


def received_count_for(
    *, user: Any, opportunity: Opportunity, now: datetime | None = None
) -> int | None:
    """How many applications the user may be told were received, or None (sealed bids).

    A count of sealed bids is itself a secret until the deadline: before it no member of
    staff is told any; between the deadline and the opening only the officers who may record
    the opening (procurement) see how many wait; after the opening it is ordinary information.
    """
    now = now or timezone.now()
    waiting_to_open = opportunity.sealed and not hasattr(opportunity, "bid_opening")
    if waiting_to_open and not (
        opportunity.has_closed(now) and policy.can(user, "applications.bids.open", opportunity)
    ):
        return None
    return Application.objects.filter(opportunity=opportunity).received().count()


def _with_related(qs: QuerySet[Application]) -> QuerySet[Application]:
    return qs.select_related(
        "opportunity__council", "organisation", "lot", "form_version__template"
    )


def received_for(*, opportunity: Opportunity, now: datetime | None = None) -> QuerySet[Application]:
    """Applications received for an opportunity that staff may read (none while sealed)."""
    qs = Application.objects.filter(opportunity=opportunity).received().unsealed(now)
    return _with_related(qs).order_by("reference", "pk")


def applications_for_staff(*, user: Any, now: datetime | None = None) -> QuerySet[Application]:
    """Received applications of the user's council that the user may read, never sealed ones."""
    qs = Application.objects.received().unsealed(now)
    if not policy.is_system_admin(user):
        if not user.has_role(
            Role.PROCUREMENT_OFFICER, Role.STRATEGY_GROUP, Role.COUNCIL_ADMIN, Role.COMMISSIONER
        ):
            return Application.objects.none()
        qs = qs.filter(opportunity__council_id=user.council_id)
        if not user.has_role(Role.PROCUREMENT_OFFICER, Role.STRATEGY_GROUP, Role.COUNCIL_ADMIN):
            qs = qs.filter(opportunity__directorate_id__in=user.directorate_ids())
    return _with_related(qs).order_by("-submitted_at", "-pk")


def applications_for_provider(*, user: Any) -> QuerySet[Application]:
    """The applications of the user's own organisations (drafts included)."""
    ids = list(user.memberships.values_list("organisation_id", flat=True))
    return _with_related(Application.objects.for_organisations(ids)).order_by("-updated_at")


def _to_apply_for(*, pk: int) -> QuerySet[Opportunity]:
    lots = Lot.objects.filter(opportunity_id=OuterRef("pk"))
    return (
        Opportunity.objects.select_related("council", "form_template")
        .annotate(has_lots=Exists(lots))
        .filter(pk=pk)
        .order_by()
    )


# Everyone starting at a deadline reads it: compiled once per connection (``core.prepared``).
_TO_APPLY_FOR = PreparedRead(_to_apply_for, pk=int)


def opportunity_to_apply_for(*, pk: int) -> Opportunity | None:
    """An opportunity with what starting an application reads: its council, its form and
    whether it has lots (``has_lots``)."""
    found = _TO_APPLY_FOR(pk=pk)
    return found[0] if found else None


def application_for_provider(*, user: Any, pk: int) -> Application | None:
    """One application of the provider user's organisations, with what the API shows."""
    prime_provider_access(user=user)
    ids = list(getattr(user, "_memberships", None) or {})
    return _with_related(Application.objects.filter(pk=pk, organisation_id__in=ids)).first()


def _locked(*, pk: int, user_id: int | None = None) -> QuerySet[Application]:
    related = ["opportunity__council__small_grants_settings", "lot", "form_version__template"]
    if user_id is None:
        related.append("organisation")
    qs = Application.objects.select_for_update(of=("self",)).select_related(*related)
    if user_id is not None:
        theirs = Membership.objects.filter(user_id=user_id).values("organisation_id")
        qs = qs.filter(organisation_id__in=theirs)
    return qs.filter(pk=pk).order_by()


# Every save and submit reads one: compiled once per connection (``core.prepared``).
_LOCKED = PreparedRead(_locked, pk=int)
_LOCKED_FOR_MEMBER = PreparedRead(_locked, pk=int, user_id=int)


def locked_application(*, pk: int, member: Any = None) -> Application | None:
    """The application read under a lock on its own row only, with what a change and the
    API's answer read: its opportunity's council and that council's small grants settings,
    organisation, lot and form. Given ``member`` (a provider user), only an application of
    one of their organisations is found.

    The opportunity is read, not locked: every save and submit for one round would
    otherwise queue on its one row at the deadline (and deadlock against the audit log).

    A member's organisations were read with their memberships (``prime_provider_access``),
    so the application's is taken from there rather than joined again. Joined, PostgreSQL
    could plan it as a merge join over every organisation when its statistics had seen only
    older applications (those of long-registered organisations): about 1 ms a save at a
    deadline instead of a few microseconds.
    """
    if member is None:
        found = _LOCKED(pk=pk)
        return found[0] if found else None
    prime_provider_access(user=member)
    found = _LOCKED_FOR_MEMBER(pk=pk, user_id=member.pk)
    if not found:
        return None
    application = found[0]
    membership = member._memberships.get(application.organisation_id)
    if membership is not None:
        application.organisation = membership.organisation
    # Otherwise they joined the organisation since their memberships were read: the
    # organisation is read when first asked for.
    return application


def get_application(*, pk: int) -> Application:
    try:
        return _with_related(Application.objects.all()).get(pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404("No such application") from exc


@dataclass
class ProviderHome:
    drafts: list[Application] = field(default_factory=list)
    submitted: list[Application] = field(default_factory=list)
    results: list[Application] = field(default_factory=list)
    deadlines: list[Opportunity] = field(default_factory=list)
    invitations: list[Any] = field(default_factory=list)


def provider_home(*, user: Any, now: datetime | None = None) -> ProviderHome:
    """Drafts, submitted applications, results and coming deadlines for a provider user."""
    now = now or timezone.now()
    home = ProviderHome()
    for application in applications_for_provider(user=user).select_related("small_grant_decision"):
        if application.status in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN):
            home.drafts.append(application)
        elif application.status in RESULT_STATUSES:
            home.results.append(application)
        else:
            home.submitted.append(application)
    home.invitations = list(
        QuoteInvitation.objects.filter(
            organisation__memberships__user=user,
            opportunity__in=Opportunity.objects.open_at(now),
        )
        .select_related("opportunity__council", "organisation")
        .order_by("opportunity__closes_at")
    )
    home.deadlines = list(
        Opportunity.objects.open_at(now)
        .filter(closes_at__isnull=False)
        .select_related("council")
        .order_by("closes_at")[:10]
    )
    return home


def openings_for(*, user: Any) -> QuerySet[BidOpening]:
    """The opening register: who opened which sealed bids, and when."""
    qs = BidOpening.objects.select_related("opportunity__council", "opened_by")
    if not policy.is_system_admin(user):
        qs = qs.filter(opportunity__council_id=user.council_id)
    return qs.order_by("-opened_at")


def sealed_waiting(*, user: Any, now: datetime | None = None) -> QuerySet[Opportunity]:
    """Sealed opportunities of the user's council not yet opened (for procurement officers)."""
    now = now or timezone.now()
    qs = Opportunity.objects.filter(sealed=True, bid_opening__isnull=True, status="published")
    if not policy.is_system_admin(user):
        qs = qs.filter(council_id=user.council_id)
    return qs.select_related("council").order_by("closes_at")
