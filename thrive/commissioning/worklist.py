"""What commissioning asks of people: decommissioning notices to send, and to read (§2.4)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.formats import date_format

from thrive.accounts.models import Role
from thrive.commissioning.models import NOTICE_STATUSES, DecommissioningNotice, Direction, Intention
from thrive.core import worklist
from thrive.core.policy import has_council_role, is_provider_user
from thrive.core.worklist import WorkItem

SEND = "commissioning.notices.send"
READ = "commissioning.notices.read"

worklist.add_kind(SEND, "Decommissioning notices to send", 70)
worklist.add_kind(READ, "Decommissioning notices to read", 71)


@worklist.add
def notices_to_send(user: Any) -> Iterator[WorkItem]:
    """Approved intentions that stop a service and have not yet told anyone, in my directorates."""
    if not has_council_role(user, Role.COMMISSIONER) or not user.directorate_ids():
        return
    sent = DecommissioningNotice.objects.filter(intention_id=OuterRef("pk"))
    stopping = Q(direction=Direction.DECOMMISSIONING) | Q(stopped_outcomes__isnull=False)
    intentions = (
        Intention.objects.filter(
            stopping,
            council_id=user.council_id,
            directorate_id__in=user.directorate_ids(),
            status__in=NOTICE_STATUSES,
        )
        .annotate(_sent=Exists(sent))
        .filter(_sent=False)
        .distinct()
        .order_by("approved_at", "pk")
    )
    for intention in intentions:
        yield WorkItem(
            kind=SEND,
            title=intention.title,
            url=reverse("commissioning:intention_notices", args=[intention.pk]),
            since=intention.approved_at or intention.published_at or intention.created_at,
            detail=f"{intention.reference}: tell the organisations funded for what stops",
        )


@worklist.add
def notices_to_read(user: Any) -> Iterator[WorkItem]:
    """Decommissioning notices to the user's organisations that nobody has read yet."""
    if not is_provider_user(user):
        return
    notices = (
        DecommissioningNotice.objects.filter(
            organisation__memberships__user=user, read_at__isnull=True
        )
        .select_related("organisation")
        .order_by("sent_at", "pk")
    )
    for notice in notices:
        yield WorkItem(
            kind=READ,
            title=f"Notice to {notice.organisation.name}",
            url=reverse("commissioning:notice", args=[notice.pk]),
            since=notice.sent_at,
            detail=f"Funding ends {date_format(notice.funding_ends_on, 'j F Y')}",
        )
