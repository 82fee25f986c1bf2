"""What opportunities ask of officers: clarification questions to answer (§4.1)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.urls import reverse

from thrive.accounts.models import Role
from thrive.core import worklist
from thrive.core.policy import has_council_role
from thrive.core.worklist import WorkItem
from thrive.opportunities.models import Clarification

ANSWER = "opportunities.answer"

worklist.add_kind(ANSWER, "Questions to answer", 40)


def managed_by(user: Any, prefix: str = "") -> Q | None:
    """The opportunities the officer runs, as a filter on ``prefix``; None when none.

    The query twin of the ``opportunities.manage`` rule: procurement officers run all of their
    council's opportunities, commissioners those of their directorates.
    """
    council = Q(**{f"{prefix}council_id": user.council_id})
    if has_council_role(user, Role.PROCUREMENT_OFFICER):
        return council
    if has_council_role(user, Role.COMMISSIONER) and user.directorate_ids():
        return council & Q(**{f"{prefix}directorate_id__in": user.directorate_ids()})
    return None


@worklist.add
def questions_to_answer(user: Any) -> Iterator[WorkItem]:
    """Clarification questions on the officer's opportunities that have no published answer."""
    scope = managed_by(user, "opportunity__")
    if scope is None:
        return
    questions = (
        Clarification.objects.filter(scope, published_at__isnull=True)
        .select_related("opportunity")
        .order_by("asked_at", "pk")
    )
    for question in questions:
        yield WorkItem(
            kind=ANSWER,
            title=f"Question on {question.opportunity.title}",
            url=reverse("opportunities:answer", args=[question.pk]),
            since=question.asked_at,
            detail=question.opportunity.reference,
        )
