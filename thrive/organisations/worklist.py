"""What the register asks of organisation admins: requests to join to answer, and the Third
Sector test to answer or, when an officer has queried it, to answer again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.urls import reverse

from thrive.core import worklist
from thrive.core.policy import is_provider_user
from thrive.core.worklist import WorkItem
from thrive.organisations.models import (
    JoinRequest,
    JoinRequestStatus,
    Organisation,
    TestOutcome,
    TestReview,
)

JOIN = "organisations.join"
THIRD_SECTOR = "organisations.third_sector"

worklist.add_kind(JOIN, "Requests to join your organisation", 75)
worklist.add_kind(THIRD_SECTOR, "The Third Sector test", 76)


@worklist.add
def join_requests(user: Any) -> Iterator[WorkItem]:
    """Pending requests to join the organisations the user administers."""
    if not is_provider_user(user):
        return
    requests = (
        JoinRequest.objects.filter(
            status=JoinRequestStatus.PENDING,
            organisation__memberships__user=user,
            organisation__memberships__is_admin=True,
        )
        .select_related("organisation", "user")
        .order_by("created_at", "pk")
    )
    for request in requests:
        yield WorkItem(
            kind=JOIN,
            title=f"{request.user.get_full_name() or request.user.email} asks to join "
            f"{request.organisation.name}",
            url=reverse("organisations:members", args=[request.organisation_id]),
            since=request.created_at,
        )


@worklist.add
def third_sector_tests(user: Any) -> Iterator[WorkItem]:
    """The user's organisations whose test is not answered yet, or was queried by an officer."""
    if not is_provider_user(user):
        return
    waiting = Organisation.objects.active().filter(
        Q(third_sector_outcome=TestOutcome.NOT_ASSESSED)
        | Q(third_sector_review=TestReview.QUERIED),
        memberships__user=user,
        memberships__is_admin=True,
    )
    for organisation in waiting.order_by("pk"):
        queried = organisation.third_sector_review == TestReview.QUERIED
        yield WorkItem(
            kind=THIRD_SECTOR,
            title=f"{organisation.name}: "
            + ("an officer queried your answers" if queried else "answer the Third Sector test"),
            url=reverse("organisations:third_sector_test", args=[organisation.pk]),
            since=organisation.third_sector_reviewed_at if queried else organisation.created_at,
            detail=organisation.third_sector_review_reason if queried else "",
        )
