"""OCDS release package of the council's contracting: one release per stage, streamed.

Stages and where they come from:

- ``planning``: published commissioning intentions (their own ocid; an opportunity that
  carries one out points back to it through ``relatedProcesses``, relationship ``planning``);
- ``tender``: published grant rounds, quotations and tenders with lots, criteria,
  documents and the tender period (``tenderCancellation`` once cancelled). Once its terms
  are amended, the tender release is a new release (``tenderAmendment``, its id and date
  the latest amendment's) carrying every amendment in ``tender.amendments`` and the
  terms as amended (``tenderPeriod.endDate`` is the current closing time);
- ``award``: each funding agreement or contract decided through an opportunity;
- ``contract`` and ``implementation``: the agreement in force, its paid instalments as
  transactions and its instalments and targets as milestones.

Sealed bids (DESIGN §4): nothing a bidder submitted is ever published. The only fact
about bids is ``numberOfTenderers``, and only once the bids have been opened.
Small grants are published in 360Giving, not here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import orjson
from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from thrive.accounts.models import Council
from thrive.applications.models import RECEIVED_STATUSES, Application, BidOpening
from thrive.awards.models import AwardStatus, Instalment
from thrive.opendata.ocds.award import Suppliers, award_release, process_awards
from thrive.opendata.ocds.common import CHUNK, Publisher
from thrive.opendata.ocds.contract import CONTRACT_STATUS, contract_release
from thrive.opendata.ocds.implementation import implementation_release
from thrive.opendata.ocds.planning import planning_intentions, planning_release
from thrive.opendata.ocds.tender import TenderFacts, tender_opportunities, tender_release
from thrive.opendata.publishing import OGL, publisher_of
from thrive.opportunities.models import Amendment

OCDS_VERSION = "1.1"
LOTS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/"
    "ocds_lots_extension/v1.1.5/extension.json"
)
SCALE_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/"
    "ocds_partyDetails_scale_extension/v1.1.5/extension.json"
)
# The UK extension has no release tags: pinned to the commit of its 2026-01-13 changelog entry.
UK_EXTENSION = (
    "https://raw.githubusercontent.com/cabinetoffice/ocds_uk_extension/"
    "aa0e43b84dfad0cb9b839a8135e0bc4b285d32fc/extension.json"
)
EXTENSIONS = [LOTS_EXTENSION, SCALE_EXTENSION, UK_EXTENSION]


def iter_releases(council: Council) -> Iterator[dict[str, Any]]:
    """Every release of the council: planning, tender, then award, contract, implementation."""
    pub = Publisher(council, publisher_of(council))
    for intention in planning_intentions(council).iterator(chunk_size=CHUNK):
        yield planning_release(pub, intention)
    facts = TenderFacts(council)
    for opportunity in tender_opportunities(council).iterator(chunk_size=CHUNK):
        yield tender_release(pub, opportunity, facts)
    suppliers = Suppliers(pub, council)
    for award in process_awards(council).iterator(chunk_size=CHUNK):
        yield award_release(pub, award, suppliers)
        if award.status not in CONTRACT_STATUS:
            continue
        yield contract_release(pub, award, suppliers)
        implementation = implementation_release(pub, award, suppliers)
        if implementation:
            yield implementation


def package_header(council: Council) -> dict[str, Any]:
    site = settings.THRIVE_SITE_URL
    return {
        "uri": f"{site}/api/v1/opendata/ocds.json?council={council.slug}",
        "version": OCDS_VERSION,
        "extensions": EXTENSIONS,
        "publishedDate": timezone.localtime().isoformat(),
        "publisher": {"name": council.name, "uri": f"{site}/open-data/"},
        "license": OGL,
        "publicationPolicy": f"{site}/open-data/",
    }


def iter_json(council: Council) -> Iterator[bytes]:
    """The release package as UTF-8 chunks of about 200 releases (bounded memory)."""
    header = orjson.dumps(package_header(council))[1:-1]
    yield b"{" + header + b', "releases": ['
    batch: list[bytes] = []
    separator = b""
    for release in iter_releases(council):
        batch.append(orjson.dumps(release))
        if len(batch) == 200:
            yield separator + b",\n".join(batch)
            separator, batch = b",\n", []
    if batch:
        yield separator + b",\n".join(batch)
    yield b"]}\n"


def fingerprint(council: Council) -> str:
    """A tag that changes whenever any release could have changed (for ETags).

    It is made only of what is published: applications count only once staff may read
    them (``unsealed``), so a sealed bid started, saved, submitted or withdrawn never
    moves it (DESIGN §4: no cache header says anything of a sealed bid). Openings and
    deadlines passed are counted, since a tender's status and bid count change with them;
    so are amendments, each a new tender release.
    """
    now = timezone.now()
    parts = [
        planning_intentions(council).order_by().aggregate(n=Count("pk"), at=Max("updated_at")),
        tender_opportunities(council)
        .order_by()
        .aggregate(
            n=Count("pk", distinct=True),
            at=Max("updated_at"),
            docs=Max("documents__pk"),
            opened=Count("pk", distinct=True, filter=Q(opens_at__lte=now)),
            closed=Count("pk", distinct=True, filter=Q(closes_at__lte=now)),
        ),
        # Amendments are published the moment they are made (with the terms they change).
        Amendment.objects.filter(opportunity__in=tender_opportunities(council).order_by())
        .order_by()
        .aggregate(n=Count("pk"), at=Max("made_at")),
        BidOpening.objects.filter(opportunity__council=council).aggregate(n=Count("pk")),
        Application.objects.filter(opportunity__council=council, status__in=RECEIVED_STATUSES)
        .unsealed(now)
        .aggregate(n=Count("pk")),
        process_awards(council)
        .order_by()
        .aggregate(
            n=Count("pk"),
            last=Max("pk"),
            offered=Max("offered_at"),
            accepted=Max("accepted_at"),
            ended=Max("ended_on"),
            paid=Max("instalments__paid_at"),
            statuses=Count("pk", filter=Q(status=AwardStatus.ACTIVE)),
        ),
        timezone.localdate(),  # statuses (active, closed, overdue) move with the calendar
    ]
    publisher = publisher_of(council)
    raw = f"{parts}|{publisher.ocid_prefix}|{publisher.funder_org_id}|{OCDS_VERSION}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _latest_payment(council: Council) -> datetime | None:
    """The latest payment of the council's published awards: read back from the latest
    payment of all (the ``paid_at`` index) until one is the council's, not by adding up
    every payment of a million awards."""
    paid = Instalment.objects.filter(
        award__in=process_awards(council).order_by(), paid_at__isnull=False
    )
    return paid.order_by("-paid_at").values_list("paid_at", flat=True).first()


def last_updated(council: Council) -> datetime | None:
    """When anything in the OCDS publication last changed."""
    moments = [
        planning_intentions(council).aggregate(at=Max("published_at"))["at"],
        tender_opportunities(council).aggregate(at=Max("updated_at"))["at"],
        process_awards(council).aggregate(at=Max("created_at"))["at"],
        _latest_payment(council),
    ]
    found = [m for m in moments if m]
    return max(found) if found else None
