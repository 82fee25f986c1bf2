"""What the register asks of organisation admins: requests to join to answer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse

from thrive.core import worklist
from thrive.core.policy import is_provider_user
from thrive.core.worklist import WorkItem
from thrive.organisations.models import JoinRequest, JoinRequestStatus

JOIN = "organisations.join"

worklist.add_kind(JOIN, "Requests to join your organisation", 75)


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
