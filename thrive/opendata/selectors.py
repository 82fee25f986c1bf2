"""Reads for the open data pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q

from thrive.accounts.models import Council
from thrive.awards.models import Award
from thrive.opendata import ocds, transparency
from thrive.opendata.publishing import GRANT_KINDS


def council_for_slug(slug: str | None) -> Council | None:
    """The council named in a request, or the installation's first council."""
    councils = Council.objects.order_by("pk")
    return councils.filter(slug=slug).first() if slug else councils.first()


def publications() -> list[dict[str, Any]]:
    """Each council with how many grants and contracts it publishes and when they changed."""
    stats = {
        row.pop("council"): row
        for row in Award.objects.funded()
        .values("council")
        .annotate(
            grants=Count("pk", filter=Q(kind__in=GRANT_KINDS)),
            contracts=Count("pk", filter=~Q(kind__in=GRANT_KINDS)),
            updated=Max("created_at"),
        )
    }
    return [
        {
            "council": council,
            **stats.get(council.pk, {"grants": 0, "contracts": 0, "updated": None}),
            "contracting_updated": ocds.last_updated(council),
            "datasets": [(key, title) for key, (title, _, _) in transparency.DATASETS.items()],
        }
        for council in Council.objects.order_by("name")
    ]
