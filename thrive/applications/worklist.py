"""What applications ask of people: screening for officers, drafts for organisations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from thrive.applications.models import Application, ApplicationStatus
from thrive.core import worklist
from thrive.core.policy import is_provider_user
from thrive.core.worklist import WorkItem
from thrive.opportunities.models import OpportunityKind
from thrive.opportunities.worklist import managed_by

SCREEN = "applications.screen"
DRAFT = "applications.draft"

worklist.add_kind(SCREEN, "Applications to screen", 20)
worklist.add_kind(DRAFT, "Applications to finish and submit", 50)


@worklist.add
def applications_to_screen(user: Any) -> Iterator[WorkItem]:
    """Submitted applications the officer runs, once screening may start; never a sealed bid."""
    scope = managed_by(user, "opportunity__")
    if scope is None:
        return
    now = timezone.now()
    ready = (
        Q(opportunity__kind=OpportunityKind.SMALL_GRANTS)
        | Q(opportunity__closes_at__isnull=True)
        | Q(opportunity__closes_at__lte=now)
    )
    applications = (
        Application.objects.filter(scope, ready, status=ApplicationStatus.SUBMITTED)
        .unsealed(now)
        .select_related("opportunity", "organisation")
    )
    for application in applications:
        yield WorkItem(
            kind=SCREEN,
            title=f"{application.organisation.name}: {application.opportunity.title}",
            url=reverse("applications:review", args=[application.pk]),
            since=application.submitted_at or application.created_at,
            detail=application.reference or "",
        )


@worklist.add
def drafts_to_finish(user: Any) -> Iterator[WorkItem]:
    """The user's organisations' draft applications for opportunities still open."""
    if not is_provider_user(user):
        return
    now = timezone.now()
    drafts = (
        Application.objects.filter(
            organisation__memberships__user=user, status=ApplicationStatus.DRAFT
        )
        .filter(Q(opportunity__closes_at__isnull=True) | Q(opportunity__closes_at__gt=now))
        .select_related("opportunity", "organisation")
        .order_by("created_at", "pk")
    )
    for draft in drafts:
        closes = draft.opportunity.closes_at
        when = f"Closes {date_format(timezone.localtime(closes), 'j F Y, g:i a')}" if closes else ""
        yield WorkItem(
            kind=DRAFT,
            title=f"{draft.opportunity.title} ({draft.organisation.name})",
            url=reverse("applications:tasks", args=[draft.pk]),
            since=draft.created_at,
            detail=when,
        )
