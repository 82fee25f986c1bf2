"""360Giving export of the council's grants: JSON package, XLSX and CSV, streamed.

Only grants are published here (small grants and funding agreements); contracts go to
OCDS. Every recipient is an organisation: grants to individuals are never published.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from datetime import date
from typing import IO, Any

from django.conf import settings
from django.db.models import Count, Max, Prefetch, QuerySet
from django.utils import timezone

from thrive.accounts.models import Council
from thrive.awards.models import Award, AwardKind
from thrive.core.models import Area
from thrive.opendata import flat
from thrive.opendata.models import PublisherSettings
from thrive.organisations.models import Identifier

GRANT_KINDS = [AwardKind.SMALL_GRANT, AwardKind.FUNDING_AGREEMENT]
PROGRAMMES = {
    AwardKind.SMALL_GRANT: "Small Grants Scheme",
    AwardKind.FUNDING_AGREEMENT: "Funding agreements with the voluntary and community sector",
}
OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
SCHEMA_VERSION = "1.4"
CHUNK = 2000


def publisher_for(council: Council) -> PublisherSettings:
    """The council's publishing settings, made from its name and org-id the first time."""
    publisher = PublisherSettings.objects.filter(council=council).first()
    if publisher:
        return publisher
    return PublisherSettings.objects.create(
        council=council,
        grant_prefix=council.slug[:40],
        ocid_prefix="ocds-" + hashlib.sha256(council.slug.encode()).hexdigest()[:6],
        funder_org_id=council.org_id or f"GB-LAE-{council.slug[:10].upper()}",
    )


def grant_awards(council: Council) -> QuerySet[Award]:
    """The council's published grants, with what the export needs fetched in bulk."""
    return (
        Award.objects.funded()
        .filter(council=council, kind__in=GRANT_KINDS)
        .select_related("organisation", "directorate")
        .prefetch_related(
            Prefetch("organisation__identifiers", queryset=Identifier.objects.order_by("org_id")),
            Prefetch("organisation__areas", queryset=Area.objects.order_by("name")),
        )
        .order_by("pk")
    )


def award_reference(award: Award) -> str:
    return getattr(award, "reference", "") or f"A{award.pk:07d}"


def _amount(pence: int) -> int | float:
    pounds, remainder = divmod(pence, 100)
    return pounds if remainder == 0 else pence / 100


def _months(start: date, end: date) -> int:
    return max(1, (end.year - start.year) * 12 + end.month - start.month + (end.day >= start.day))


def _recipient(award: Award, publisher: PublisherSettings) -> dict[str, Any]:
    organisation = award.organisation
    identifiers = [i.org_id for i in organisation.identifiers.all()]
    recipient: dict[str, Any] = {
        "id": identifiers[0]
        if identifiers
        else f"360G-{publisher.grant_prefix}-ORG-{organisation.pk}",
        "name": organisation.name,
    }
    for identifier in organisation.identifiers.all():
        if identifier.scheme == "GB-CHC":
            recipient.setdefault("charityNumber", identifier.value)
        if identifier.scheme == "GB-COH":
            recipient.setdefault("companyNumber", identifier.value)
    if organisation.postcode:
        recipient["postalCode"] = organisation.postcode
    return recipient


def _locations(award: Award) -> list[dict[str, Any]]:
    return [
        {"name": area.name, "geoCode": area.gss_code, "geoCodeType": "NMD", "countryCode": "GB"}
        for area in award.organisation.areas.all()
        if area.gss_code
    ]


def _classifications(award: Award) -> list[dict[str, Any]]:
    outcomes = getattr(award, "outcomes", None)
    if outcomes is None:
        return []
    return [
        {"vocabulary": "Thrive outcomes framework", "code": o.code, "title": o.title}
        for o in outcomes.all()
    ]


def grant_for_award(award: Award, publisher: PublisherSettings, council: Council) -> dict[str, Any]:
    """One award as a 360Giving grant."""
    grant: dict[str, Any] = {
        "id": f"360G-{publisher.grant_prefix}-{award_reference(award)}",
        "title": award.title,
        "description": (
            f"{award.get_kind_display()} to {award.organisation.name} from "
            f"{award.directorate.name}, {council.name}: {award.title}"
        ),
        "currency": "GBP",
        "amountAwarded": _amount(award.amount_pence),
        "awardDate": timezone.localtime(award.created_at).date().isoformat(),
        "plannedDates": [
            {
                "startDate": award.start_date.isoformat(),
                "endDate": award.end_date.isoformat(),
                "duration": _months(award.start_date, award.end_date),
            }
        ],
        "recipientOrganization": [_recipient(award, publisher)],
        "fundingOrganization": [
            {
                "id": publisher.funder_org_id,
                "name": council.name,
                "department": award.directorate.name,
            }
        ],
        "grantProgramme": [{"code": award.kind, "title": PROGRAMMES[award.kind]}],
        "dataSource": f"{settings.THRIVE_SITE_URL}/open-data/",
        "dateModified": timezone.localtime(award.created_at).isoformat(),
    }
    locations = _locations(award)
    if locations:
        grant["beneficiaryLocation"] = locations
    classifications = _classifications(award)
    if classifications:
        grant["classifications"] = classifications
    return grant


def iter_grants(council: Council) -> Iterator[dict[str, Any]]:
    publisher = publisher_for(council)
    for award in grant_awards(council).iterator(chunk_size=CHUNK):
        yield grant_for_award(award, publisher, council)


def package_header(council: Council) -> dict[str, Any]:
    return {
        "version": SCHEMA_VERSION,
        "title": f"Grants to the voluntary and community sector by {council.name}",
        "license": OGL,
        "issued": timezone.localdate().isoformat(),
    }


def iter_json(council: Council) -> Iterator[str]:
    """The 360Giving package as text chunks, one grant at a time (bounded memory)."""
    header = json.dumps(package_header(council))[1:-1]
    yield "{" + header + ', "grants": ['
    first = True
    for grant in iter_grants(council):
        yield ("" if first else ",\n") + json.dumps(grant, ensure_ascii=False)
        first = False
    yield "]}\n"


def iter_csv(council: Council) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([title for title, _, _ in flat.COLUMNS])
    for index, grant in enumerate(iter_grants(council), start=1):
        writer.writerow(flat.grant_to_row(grant))
        if index % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_xlsx(council: Council, out: IO[bytes]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("grants")
    sheet.append([title for title, _, _ in flat.COLUMNS])
    for grant in iter_grants(council):
        sheet.append(flat.grant_to_row(grant))
    book.save(out)


def fingerprint(council: Council) -> str:
    """A tag that changes whenever anything published could have changed (for ETags)."""
    stats = (
        grant_awards(council)
        .order_by()
        .aggregate(n=Count("pk"), last=Max("pk"), changed=Max("organisation__updated_at"))
    )
    publisher = publisher_for(council)
    raw = f"{stats}|{publisher.grant_prefix}|{publisher.funder_org_id}|{SCHEMA_VERSION}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]
