"""360Giving export of the council's grants: JSON package, XLSX and CSV, streamed.

Only grants are published here (small grants and funding agreements); contracts go to
OCDS. Every recipient is an organisation: grants to individuals are never published.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from typing import Any

import orjson
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from thrive.accounts.models import Council
from thrive.awards.models import Award, AwardKind
from thrive.opendata import authorities
from thrive.opendata.models import PublisherSettings
from thrive.organisations.identifiers import canonical_org_id
from thrive.organisations.models import Identifier, Organisation
from thrive.strategy.models import Directorate

GRANT_KINDS = [AwardKind.SMALL_GRANT, AwardKind.FUNDING_AGREEMENT]
PROGRAMMES = {
    AwardKind.SMALL_GRANT: "Small Grants Scheme",
    AwardKind.FUNDING_AGREEMENT: "Funding agreements with the voluntary and community sector",
}
OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
SCHEMA_VERSION = "1.4"
CHUNK = 2000


def _known_org_id(council: Council) -> str:
    """The council's own org-id if it is a valid one, else its local authority code's, or ''."""
    try:
        return canonical_org_id(council.org_id)[2]
    except ValidationError:
        return authorities.org_id_for(council.name)


def publisher_of(council: Council) -> PublisherSettings:
    """The council's publishing settings as saved, else (unsaved) those made from its name
    and org-id: reading the published data writes nothing.

    The funder org-id is left empty, for an administrator to set, unless the council has a
    valid org-id or is a real local authority: no identifier is made up.
    """
    publisher = PublisherSettings.objects.filter(council=council).first()
    if publisher:
        return publisher
    return PublisherSettings(
        council=council,
        grant_prefix=council.slug[:40],
        ocid_prefix="ocds-" + hashlib.sha256(council.slug.encode()).hexdigest()[:6],
        funder_org_id=_known_org_id(council),
    )


def publisher_for(council: Council) -> PublisherSettings:
    """The council's publishing settings, saved from the defaults the first time."""
    publisher = publisher_of(council)
    if publisher.pk is None:
        publisher.save()
    return publisher


def funder_id(publisher: PublisherSettings) -> str:
    """The council's identifier in the exports: its org-id, or until one is set an identifier
    under its own 360Giving prefix (360G-prefix-COUNCIL), as 360Giving asks of organisations
    without one."""
    return publisher.funder_org_id or f"360G-{publisher.grant_prefix}-COUNCIL"


def grant_awards(council: Council) -> QuerySet[Award]:
    """The council's published grants."""
    return Award.objects.funded().filter(council=council, kind__in=GRANT_KINDS).order_by("pk")


def award_reference(award_id: int, reference: str = "") -> str:
    return reference or f"A{award_id:07d}"


def _amount(pence: int) -> int | float:
    pounds, remainder = divmod(pence, 100)
    return pounds if remainder == 0 else pence / 100


def _months(start: date, end: date) -> int:
    return max(1, (end.year - start.year) * 12 + end.month - start.month + (end.day >= start.day))


class _Recipients:
    """Recipient organisations and their locations, each built once and shared by its grants.

    Exporting a million grants builds no model instance per grant: rows come as tuples
    and each organisation's part of the grant is made the first time it is needed.
    """

    def __init__(self, publisher: PublisherSettings, organisation_ids: QuerySet) -> None:
        self.publisher = publisher
        self.names: dict[int, tuple[str, str]] = {
            pk: (name, postcode)
            for pk, name, postcode in Organisation.objects.filter(pk__in=organisation_ids)
            .values_list("pk", "name", "postcode")
            .iterator(chunk_size=CHUNK)
        }
        self.identifiers: dict[int, list[tuple[str, str, str]]] = {}
        for org, scheme, value, org_id in (
            Identifier.objects.filter(organisation_id__in=organisation_ids)
            .order_by("org_id")
            .values_list("organisation_id", "scheme", "value", "org_id")
            .iterator(chunk_size=CHUNK)
        ):
            self.identifiers.setdefault(org, []).append((scheme, value, org_id))
        self.areas: dict[int, list[dict[str, str]]] = {}
        through = Organisation.areas.through
        for org, name, code in (
            through.objects.filter(organisation_id__in=organisation_ids, area__gss_code__gt="")
            .order_by("area__name")
            .values_list("organisation_id", "area__name", "area__gss_code")
            .iterator(chunk_size=CHUNK)
        ):
            self.areas.setdefault(org, []).append(
                {"name": name, "geoCode": code, "geoCodeType": "NMD", "countryCode": "GB"}
            )
        self.built: dict[int, dict[str, Any]] = {}

    def recipient(self, organisation_id: int) -> dict[str, Any]:
        built = self.built.get(organisation_id)
        if built is None:
            built = self.built[organisation_id] = self._build(organisation_id)
        return built

    def _build(self, organisation_id: int) -> dict[str, Any]:
        name, postcode = self.names[organisation_id]
        identifiers = self.identifiers.get(organisation_id, [])
        fallback = f"360G-{self.publisher.grant_prefix}-ORG-{organisation_id}"
        recipient: dict[str, Any] = {
            "id": identifiers[0][2] if identifiers else fallback,
            "name": name,
        }
        for scheme, value, _ in identifiers:
            if scheme == "GB-CHC":
                recipient.setdefault("charityNumber", value)
            if scheme == "GB-COH":
                recipient.setdefault("companyNumber", value)
        if postcode:
            recipient["postalCode"] = postcode
        return recipient


def recipients_of(council: Council) -> _Recipients:
    return _Recipients(publisher_of(council), grant_awards(council).values("organisation_id"))


def _award_rows(council: Council) -> Iterator[tuple]:
    """The published grants' columns the exports use, in award order."""
    return (
        grant_awards(council)
        .values_list(
            "pk",
            "reference",
            "organisation_id",
            "directorate_id",
            "kind",
            "title",
            "amount_pence",
            "start_date",
            "end_date",
            "created_at",
        )
        .iterator(chunk_size=CHUNK)
    )


# A grant's own cells, as the grant and its sheet row hold them: identifier, title,
# description, amount, award date, start, end, months and last modified (a plain tuple: a
# named one costs a tenth of the JSON export's time).
OwnCells = tuple[str, str, str, int | float, str, str, str, int, str]


def own_cells(
    council: Council, publisher: PublisherSettings, recipients: _Recipients
) -> Iterator[tuple[int, int | None, str, str, OwnCells]]:
    """Each published grant's recipient, department (its id and name), kind and own cells,
    in award order."""
    directorates = dict(Directorate.objects.filter(council=council).values_list("pk", "name"))
    zone = timezone.get_current_timezone()
    prefix, labels, names = publisher.grant_prefix, dict(AwardKind.choices), recipients.names
    for (
        pk,
        reference,
        org_id,
        directorate_id,
        kind,
        title,
        pence,
        start,
        end,
        created,
    ) in _award_rows(council):
        directorate = directorates.get(directorate_id, "")
        awarded = created.astimezone(zone)
        yield (
            org_id,
            directorate_id,
            directorate,
            kind,
            (
                f"360G-{prefix}-{award_reference(pk, reference)}",
                title,
                f"{labels[kind]} to {names[org_id][0]} from {directorate}, {council.name}: {title}",
                _amount(pence),
                awarded.date().isoformat(),
                start.isoformat(),
                end.isoformat(),
                _months(start, end),
                awarded.isoformat(),
            ),
        )


def iter_grants(
    council: Council, recipients: _Recipients | None = None
) -> Iterator[dict[str, Any]]:
    """Every grant of the council as a 360Giving grant object, in award order."""
    publisher = publisher_of(council)
    recipients = recipients or recipients_of(council)
    funder, source = funder_id(publisher), f"{settings.THRIVE_SITE_URL}/open-data/"
    for org_id, _, directorate, kind, own in own_cells(council, publisher, recipients):
        grant_id, title, description, amount, day, start, end, months, modified = own
        grant: dict[str, Any] = {
            "id": grant_id,
            "title": title,
            "description": description,
            "currency": "GBP",
            "amountAwarded": amount,
            "awardDate": day,
            "plannedDates": [{"startDate": start, "endDate": end, "duration": months}],
            "recipientOrganization": [recipients.recipient(org_id)],
            "fundingOrganization": [
                {"id": funder, "name": council.name, "department": directorate}
            ],
            "grantProgramme": [{"code": kind, "title": PROGRAMMES[kind]}],
            "dataSource": source,
            "dateModified": modified,
        }
        locations = recipients.areas.get(org_id)
        if locations:
            grant["beneficiaryLocation"] = locations
        yield grant


def package_header(council: Council) -> dict[str, Any]:
    return {
        "version": SCHEMA_VERSION,
        "title": f"Grants to the voluntary and community sector by {council.name}",
        "license": OGL,
        "issued": timezone.localdate().isoformat(),
    }


def iter_json(council: Council) -> Iterator[bytes]:
    """The 360Giving package as UTF-8 chunks of about 1,000 grants (bounded memory)."""
    header = orjson.dumps(package_header(council))[1:-1]
    yield b"{" + header + b', "grants": ['
    batch: list[bytes] = []
    separator = b""
    for grant in iter_grants(council):
        batch.append(orjson.dumps(grant))
        if len(batch) == 1000:
            yield separator + b",\n".join(batch)
            separator, batch = b",\n", []
    if batch:
        yield separator + b",\n".join(batch)
    yield b"]}\n"


def fingerprint(council: Council) -> str:
    """A tag that changes whenever anything published could have changed (for ETags)."""
    stats = (
        grant_awards(council)
        .order_by()
        .aggregate(n=Count("pk"), last=Max("pk"), changed=Max("organisation__updated_at"))
    )
    publisher = publisher_of(council)
    raw = f"{stats}|{publisher.grant_prefix}|{publisher.funder_org_id}|{SCHEMA_VERSION}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]
