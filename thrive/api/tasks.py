"""API for the to-do list: what waits on the person calling (issue 15)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from thrive.core import policy, worklist
from thrive.core.api.errors import ERRORS_READ

router = Router(tags=["tasks"])


class TaskOut(Schema):
    kind: str
    kind_label: str
    title: str
    url: str
    since: datetime
    age_days: int
    detail: str
    overdue: bool


class TasksOut(Schema):
    total: int
    counts: dict[str, int]
    items: list[TaskOut]


@router.get("/tasks", response={200: TasksOut, **ERRORS_READ}, summary="Your to-do list")
def tasks(request: HttpRequest) -> TasksOut:
    """The work waiting on you, oldest first, with counts by kind and links to the pages.

    ``url`` is the page where the work is done. 401 without credentials; 403 when the
    account may not act (an inactive account).
    """
    user = request.auth
    policy.require(user, "tasks.view")
    items = worklist.items_for(user)
    return TasksOut(
        total=len(items),
        counts=worklist.counts_for(user),
        items=[TaskOut(**asdict(i), kind_label=i.kind_label, age_days=i.age_days) for i in items],
    )
