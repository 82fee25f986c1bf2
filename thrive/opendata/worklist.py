"""What open data imports ask of the register's stewards: grant recipients held for review."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Min
from django.urls import reverse

from thrive.core import policy, worklist
from thrive.core.worklist import WorkItem
from thrive.opendata.models import ExternalGrant, RecipientStatus

HELD = "opendata.held"

worklist.add_kind(HELD, "Grant recipients held for review", 78)


@worklist.add
def held_recipients(user: Any) -> Iterator[WorkItem]:
    """One item while any imported grant's recipient waits for a steward, in one query."""
    if not policy.can(user, "organisations.duplicates.review"):
        return
    held = ExternalGrant.objects.filter(
        recipient_status=RecipientStatus.HELD, recipient__isnull=True
    ).aggregate(grants=Count("pk"), since=Min("import_run__imported_at"))
    if not held["grants"]:
        return
    grants = held["grants"]
    yield WorkItem(
        kind=HELD,
        title=f"{grants:,} imported grant{'' if grants == 1 else 's'} with a recipient to confirm",
        url=reverse("opendata:held_recipients"),
        since=held["since"],
        detail="The identifier is in the register under another name",
    )
