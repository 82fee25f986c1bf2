"""What every OCDS release of a council shares: the publisher, values, dates and periods."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from thrive.accounts.models import Council
from thrive.opendata import uk
from thrive.opendata.models import PublisherSettings
from thrive.opendata.publishing import funder_id
from thrive.opportunities.models import OpportunityKind

SITE_ADDRESS_MISSING = (
    "The contracting data (OCDS) is not published until the service's web address is set: "
    "every identifier in it would otherwise point at this computer. An administrator sets "
    "THRIVE_SITE_URL, for example https://thrive.example.gov.uk."
)
PROCESS_KINDS = [OpportunityKind.GRANT_ROUND, OpportunityKind.RFQ, OpportunityKind.TENDER]
CHUNK = 500


def site_address_missing() -> bool:
    """Whether the site address was never set where it must be (production settings)."""
    return bool(getattr(settings, "THRIVE_SITE_URL_UNSET", False))


def amount(pence: int) -> dict[str, Any]:
    pounds, remainder = divmod(pence, 100)
    return {"amount": pounds if remainder == 0 else pence / 100, "currency": "GBP"}


def stamp(moment: datetime | date | None) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return timezone.localtime(moment).isoformat()
    return f"{moment.isoformat()}T00:00:00Z"


def period(start: Any, end: Any) -> dict[str, str]:
    return {k: v for k, v in (("startDate", stamp(start)), ("endDate", stamp(end))) if v}


class Publisher:
    """What every release of one council shares: prefixes, the buyer and the site."""

    def __init__(self, council: Council, settings_row: PublisherSettings) -> None:
        self.council = council
        self.prefix = settings_row.ocid_prefix
        self.site = settings.THRIVE_SITE_URL
        self.buyer = {"id": funder_id(settings_row), "name": council.name}
        self.now = timezone.now()
        self.thresholds = uk.Thresholds(council.pk)

    def ocid(self, reference: str) -> str:
        return f"{self.prefix}-{reference}"

    def buyer_party(self) -> dict[str, Any]:
        return {**self.buyer, "roles": ["buyer", "procuringEntity"]}

    def release(self, ocid: str, stage: str, when: Any, tag: str, **parts: Any) -> dict[str, Any]:
        release = {
            "ocid": ocid,
            "id": f"{ocid}-{stage}",
            "date": stamp(when) or stamp(self.now),
            "tag": [tag],
            "initiationType": "tender",
            "language": "en",
            "buyer": self.buyer,
        }
        release.update({k: v for k, v in parts.items() if v not in (None, [], {})})
        return release
