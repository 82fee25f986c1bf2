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
from datetime import date, datetime
from typing import Any

import orjson
from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from thrive.accounts.models import Council
from thrive.applications.models import RECEIVED_STATUSES, Application, BidOpening
from thrive.awards.models import Award, AwardKind, AwardStatus, Instalment
from thrive.commissioning.models import Intention, Method
from thrive.core.money import format_pence
from thrive.opendata import uk
from thrive.opendata.models import PublisherSettings
from thrive.opendata.publishing import OGL, award_reference, funder_id, publisher_for
from thrive.opportunities.models import (
    Amendment,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
)
from thrive.organisations.models import Identifier, SizeBand

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
SITE_ADDRESS_MISSING = (
    "The contracting data (OCDS) is not published until the service's web address is set: "
    "every identifier in it would otherwise point at this computer. An administrator sets "
    "THRIVE_SITE_URL, for example https://thrive.example.gov.uk."
)
PROCESS_KINDS = [OpportunityKind.GRANT_ROUND, OpportunityKind.RFQ, OpportunityKind.TENDER]
AWARD_KINDS = [AwardKind.FUNDING_AGREEMENT, AwardKind.CONTRACT]
PUBLISHED_AWARD_STATUSES = [
    AwardStatus.OFFERED,
    AwardStatus.DECLINED,
    AwardStatus.ACTIVE,
    AwardStatus.COMPLETED,
    AwardStatus.TERMINATED,
]
AWARD_STATUS = {
    AwardStatus.OFFERED: "pending",
    AwardStatus.DECLINED: "cancelled",
    AwardStatus.ACTIVE: "active",
    AwardStatus.COMPLETED: "active",
    AwardStatus.TERMINATED: "active",
}
CONTRACT_STATUS = {
    AwardStatus.ACTIVE: "active",
    AwardStatus.COMPLETED: "terminated",
    AwardStatus.TERMINATED: "terminated",
}
SME_BANDS = {SizeBand.MICRO: "micro", SizeBand.SMALL: "sme", SizeBand.MEDIUM: "sme"}
LARGE_BANDS = {SizeBand.LARGE, SizeBand.MAJOR}
CHUNK = 500


def site_address_missing() -> bool:
    """Whether the site address was never set where it must be (production settings)."""
    return bool(getattr(settings, "THRIVE_SITE_URL_UNSET", False))


def _value(pence: int) -> dict[str, Any]:
    pounds, remainder = divmod(pence, 100)
    return {"amount": pounds if remainder == 0 else pence / 100, "currency": "GBP"}


def _when(moment: datetime | date | None) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return timezone.localtime(moment).isoformat()
    return f"{moment.isoformat()}T00:00:00Z"


def _period(start: Any, end: Any) -> dict[str, str]:
    return {k: v for k, v in (("startDate", _when(start)), ("endDate", _when(end))) if v}


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
            "date": _when(when) or _when(self.now),
            "tag": [tag],
            "initiationType": "tender",
            "language": "en",
            "buyer": self.buyer,
        }
        release.update({k: v for k, v in parts.items() if v not in (None, [], {})})
        return release


# --- planning ---------------------------------------------------------------------------


def planning_intentions(council: Council):
    """Published intentions that lead to a contracting process (not small grants)."""
    return (
        Intention.objects.published()
        .filter(council=council)
        .exclude(method__method=Method.SMALL_GRANT)
        .select_related("method")
        .order_by("pk")
    )


def _method(intention: Intention) -> str | None:
    decision = getattr(intention, "method", None)
    if decision is None:
        return None
    route = decision.route or decision.recommended_route
    if route == "direct":
        return "direct"
    return "open" if route else None


def planning_release(pub: Publisher, intention: Intention) -> dict[str, Any]:
    ocid = pub.ocid(intention.reference)
    tender: dict[str, Any] = {
        "id": intention.reference,
        "title": intention.title,
        "description": intention.summary,
        "status": "planned" if intention.procurement_start else "planning",
        "procuringEntity": pub.buyer,
        "mainProcurementCategory": "services",
    }
    if intention.budget_pence:
        tender["value"] = _value(intention.budget_pence)
    method = _method(intention)
    if method:
        tender["procurementMethod"] = method
    if intention.procurement_start:
        tender["tenderPeriod"] = _period(intention.procurement_start, None)
    started = intention.procurement_start or (
        timezone.localdate(intention.published_at) if intention.published_at else None
    )
    tender.update(
        uk.tender_fields(
            getattr(intention, "method", None), intention.budget_pence, started, pub.thresholds
        )
    )
    contract_period = _period(intention.service_start, intention.service_end)
    if contract_period:
        tender["contractPeriod"] = contract_period
    planning: dict[str, Any] = {"rationale": intention.aims or intention.summary}
    if intention.budget_pence:
        planning["budget"] = {
            "id": f"{intention.reference}-budget",
            "description": f"Budget of commissioning intention {intention.reference}",
            "amount": _value(intention.budget_pence),
        }
    return pub.release(
        ocid,
        "planning",
        intention.published_at,
        "planning",
        parties=[pub.buyer_party()],
        planning=planning,
        tender=tender,
    )


# --- tender -----------------------------------------------------------------------------


def tender_opportunities(council: Council):
    """Published (or later cancelled) grant rounds, quotations and tenders."""
    return (
        Opportunity.objects.filter(council=council, kind__in=PROCESS_KINDS)
        .filter(
            Q(status=OpportunityStatus.PUBLISHED)
            | Q(status=OpportunityStatus.CANCELLED, published_at__isnull=False)
        )
        .select_related("intention__method")
        .prefetch_related("lots", "criteria", "documents", "invitations", "amendments")
        .order_by("pk")
    )


class TenderFacts:
    """Per-opportunity counts loaded once: bid openings, applications, published questions."""

    def __init__(self, council: Council) -> None:
        self.openings = dict(
            BidOpening.objects.filter(opportunity__council=council).values_list(
                "opportunity_id", "bids_opened"
            )
        )
        self.received = dict(
            Application.objects.filter(
                opportunity__council=council,
                opportunity__kind=OpportunityKind.GRANT_ROUND,
                status__in=RECEIVED_STATUSES,
            )
            .values("opportunity_id")
            .annotate(n=Count("pk"))
            .values_list("opportunity_id", "n")
        )
        self.awarded = set(
            Award.objects.filter(council=council, opportunity__isnull=False)
            .exclude(status__in=[AwardStatus.DRAFT, AwardStatus.DECLINED])
            .values_list("opportunity_id", flat=True)
        )

    def number_of_tenderers(self, opportunity: Opportunity, now: datetime) -> int | None:
        """Only what a publisher may say: sealed bids counted once opened, never before."""
        if not opportunity.has_closed(now):
            return None
        if opportunity.is_sealed:
            return self.openings.get(opportunity.pk)
        return self.received.get(opportunity.pk, 0)


def _tender_status(opportunity: Opportunity, facts: TenderFacts, now: datetime) -> str:
    if opportunity.status == OpportunityStatus.CANCELLED:
        return "cancelled"
    if opportunity.opens_at and now < opportunity.opens_at:
        return "planned"
    if opportunity.has_closed(now) and opportunity.pk in facts.awarded:
        return "complete"
    return "active"


def _criteria_details(opportunity: Opportunity) -> str:
    parts = []
    for criterion in opportunity.criteria.all():
        text = f"{criterion.title}: {criterion.weight}%"
        if criterion.description:
            text += f" ({criterion.description})"
        parts.append(text)
    return "; ".join(parts)


def _documents(pub: Publisher, opportunity: Opportunity) -> list[dict[str, Any]]:
    return [
        {
            "id": str(document.pk),
            "documentType": "biddingDocuments",
            "title": document.title,
            "url": f"{pub.site}/opportunities/{opportunity.pk}/documents/{document.pk}/",
            "datePublished": _when(document.uploaded_at),
            "format": document.content_type,
            "language": "en",
        }
        for document in opportunity.documents.all()
    ]


def _lots(opportunity: Opportunity, status: str) -> list[dict[str, Any]]:
    return [
        {
            "id": str(lot.number),
            "title": lot.title,
            "description": lot.description or lot.title,
            "value": _value(lot.value_pence),
            "status": status,
        }
        for lot in opportunity.lots.all()
    ]


def _amendment_release_id(ocid: str, number: int) -> str:
    """The tender release as published after amendment ``number`` (0: as first published)."""
    return f"{ocid}-tender" if number == 0 else f"{ocid}-tender-amendment-{number}"


def _amendments(ocid: str, amendments: list[Amendment]) -> list[dict[str, Any]]:
    """Each published amendment: when, why, what changed, and the releases before and after."""
    return [
        {
            "id": str(amendment.number),
            "date": _when(amendment.made_at),
            "rationale": amendment.reason,
            "description": amendment.summary,
            "amendsReleaseID": _amendment_release_id(ocid, previous),
            "releaseID": _amendment_release_id(ocid, amendment.number),
        }
        for previous, amendment in zip(
            [0, *(a.number for a in amendments)], amendments, strict=False
        )
    ]


def _uk_fields(pub: Publisher, opportunity: Opportunity) -> dict[str, Any]:
    intention = opportunity.intention if opportunity.intention_id else None
    decision = getattr(intention, "method", None) if intention else None
    moment = opportunity.published_at or opportunity.opens_at
    started = (intention.procurement_start if intention else None) or (
        timezone.localdate(moment) if moment else None
    )
    return uk.tender_fields(decision, opportunity.value_pence, started, pub.thresholds)


def tender_release(pub: Publisher, opportunity: Opportunity, facts: TenderFacts) -> dict[str, Any]:
    status = _tender_status(opportunity, facts, pub.now)
    criteria = _criteria_details(opportunity)
    selective = bool(opportunity.invitations.all()) and opportunity.kind == OpportunityKind.RFQ
    tender: dict[str, Any] = {
        "id": opportunity.reference,
        "title": opportunity.title,
        "description": opportunity.description or opportunity.summary,
        "status": status,
        "procuringEntity": pub.buyer,
        "value": _value(opportunity.value_pence),
        "procurementMethod": "selective" if selective else "open",
        "procurementMethodDetails": opportunity.get_kind_display(),
        "mainProcurementCategory": "services",
        "submissionMethod": ["electronicSubmission"],
        "submissionMethodDetails": f"{pub.site}/opportunities/{opportunity.pk}/",
        "tenderPeriod": _period(opportunity.opens_at, opportunity.closes_at),
        "documents": _documents(pub, opportunity),
        "lots": _lots(opportunity, status),
    }
    if criteria:
        tender["awardCriteria"] = "ratedCriteria"
        tender["awardCriteriaDetails"] = criteria
    if opportunity.clarification_deadline:
        tender["enquiryPeriod"] = _period(opportunity.opens_at, opportunity.clarification_deadline)
    tenderers = facts.number_of_tenderers(opportunity, pub.now)
    if tenderers is not None:
        tender["numberOfTenderers"] = tenderers
    tender.update(_uk_fields(pub, opportunity))
    ocid = pub.ocid(opportunity.reference)
    amendments = list(opportunity.amendments.all())
    tender["amendments"] = _amendments(ocid, amendments)
    tender = {k: v for k, v in tender.items() if v not in (None, [], {})}
    cancelled = status == "cancelled"
    related = []
    if opportunity.intention_id and opportunity.intention.published_at:
        related.append(
            {
                "id": "1",
                "relationship": ["planning"],
                "title": opportunity.intention.title,
                "scheme": "ocid",
                "identifier": pub.ocid(opportunity.intention.reference),
            }
        )
    if cancelled:
        stage, when, tags = "tenderCancellation", opportunity.updated_at, ["tenderCancellation"]
    elif amendments:
        # A new release for harvesters: its own id and date, still the full tender section.
        latest = amendments[-1]
        stage = _amendment_release_id(ocid, latest.number).removeprefix(f"{ocid}-")
        when, tags = latest.made_at, ["tender", "tenderAmendment"]
    else:
        stage, when, tags = "tender", opportunity.published_at or opportunity.opens_at, ["tender"]
    release = pub.release(
        ocid,
        stage,
        when,
        tags[0],
        parties=[pub.buyer_party()],
        tender=tender,
        relatedProcesses=related,
    )
    release["tag"] = tags
    return release


# --- awards, contracts and implementation ----------------------------------------------


def process_awards(council: Council):
    """Funding agreements and contracts: decided through a published opportunity, or awarded
    directly (without one), each published once offered."""
    return (
        Award.objects.filter(
            council=council, kind__in=AWARD_KINDS, status__in=PUBLISHED_AWARD_STATUSES
        )
        .select_related("opportunity", "lot", "organisation")
        .prefetch_related("instalments", "targets")
        .order_by("pk")
    )


class Suppliers:
    """Each supplier's org-id (from the register, else a fallback under the ocid prefix) and
    its register identifiers: the first as ``identifier``, the others as
    ``additionalIdentifiers``."""

    def __init__(self, pub: Publisher, council: Council) -> None:
        self.pub = pub
        self.org_ids: dict[int, tuple[str, str, str]] = {}
        self.others: dict[int, list[dict[str, str]]] = {}
        for org, scheme, value, org_id in (
            Identifier.objects.filter(organisation__awards__council=council)
            .order_by("org_id")
            .distinct()
            .values_list("organisation_id", "scheme", "value", "org_id")
        ):
            if org in self.org_ids:
                self.others.setdefault(org, []).append({"scheme": scheme, "id": value})
                continue
            self.org_ids[org] = (scheme, value, org_id)

    def reference(self, award: Award) -> dict[str, str]:
        known = self.org_ids.get(award.organisation_id)
        org_id = known[2] if known else f"{self.pub.prefix}-ORG-{award.organisation_id}"
        return {"id": org_id, "name": award.organisation.name}

    def party(self, award: Award, roles: list[str]) -> dict[str, Any]:
        party: dict[str, Any] = {**self.reference(award), "roles": roles}
        known = self.org_ids.get(award.organisation_id)
        if known:
            party["identifier"] = {"scheme": known[0], "id": known[1]}
        others = self.others.get(award.organisation_id)
        if others:
            party["additionalIdentifiers"] = others
        band = award.organisation.size_band
        if band in SME_BANDS or band in LARGE_BANDS:
            party["details"] = {"scale": SME_BANDS.get(band, "large")}
        return party


def _award_reference(award: Award) -> str:
    return award_reference(award.pk, award.reference or "")


def _is_direct(award: Award) -> bool:
    """Awarded without a published competition: no opportunity, or not a competitive one."""
    return award.opportunity is None or award.opportunity.kind not in PROCESS_KINDS


def _award_ocid(pub: Publisher, award: Award) -> str:
    """The process's ocid: its opportunity's, or for a direct award the award's own."""
    if _is_direct(award):
        return pub.ocid(_award_reference(award))
    return pub.ocid(award.opportunity.reference)


def _direct_tender(award: Award) -> dict[str, Any]:
    return {
        "id": f"{_award_reference(award)}-direct",
        "title": award.title,
        "status": "complete",
        "procurementMethod": "direct",
        "procurementMethodDetails": "Awarded directly, without a published opportunity",
    }


def award_release(pub: Publisher, award: Award, suppliers: Suppliers) -> dict[str, Any]:
    ref = _award_reference(award)
    item: dict[str, Any] = {
        "id": ref,
        "title": award.title,
        "description": award.description or award.title,
        "status": AWARD_STATUS[award.status],
        "date": _when(award.offered_at or award.created_at),
        "value": _value(award.amount_pence),
        "suppliers": [suppliers.reference(award)],
        "contractPeriod": _period(award.start_date, award.end_date),
    }
    if award.lot_id:
        item["relatedLots"] = [str(award.lot.number)]
    parts: dict[str, Any] = {
        "parties": [pub.buyer_party(), suppliers.party(award, ["supplier"])],
        "awards": [item],
    }
    if _is_direct(award):
        parts["tender"] = _direct_tender(award)
    return pub.release(
        _award_ocid(pub, award),
        f"award-{ref}",
        award.offered_at or award.created_at,
        "award",
        **parts,
    )


def _contract(award: Award) -> dict[str, Any]:
    ref = _award_reference(award)
    contract = {
        "id": ref,
        "awardID": ref,
        "title": award.title,
        "description": award.description or award.title,
        "status": CONTRACT_STATUS[award.status],
        "period": _period(award.start_date, award.ended_on or award.end_date),
        "value": _value(award.amount_pence),
    }
    if award.accepted_at:
        contract["dateSigned"] = _when(award.accepted_at)
    return contract


def contract_release(pub: Publisher, award: Award, suppliers: Suppliers) -> dict[str, Any]:
    return pub.release(
        _award_ocid(pub, award),
        f"contract-{_award_reference(award)}",
        award.accepted_at or award.created_at,
        "contract",
        parties=[pub.buyer_party(), suppliers.party(award, ["supplier"])],
        contracts=[_contract(award)],
    )


def _instalment_milestone(instalment: Instalment, today: date) -> dict[str, Any]:
    paid = instalment.paid_at is not None
    milestone = {
        "id": f"instalment-{instalment.number}",
        "title": f"Instalment {instalment.number}",
        "type": "payment",
        "dueDate": _when(instalment.due_date),
        "description": f"Payment of {format_pence(instalment.amount_pence)}",
        "status": "met" if paid else ("notMet" if instalment.due_date < today else "scheduled"),
    }
    if paid:
        milestone["dateMet"] = _when(instalment.paid_at)
    return milestone


def implementation_release(
    pub: Publisher, award: Award, suppliers: Suppliers
) -> dict[str, Any] | None:
    """Payments made and the milestones (instalments, targets); none until something is."""
    instalments = list(award.instalments.all())
    targets = list(award.targets.all())
    if not instalments and not targets:
        return None
    payee = suppliers.reference(award)
    transactions = [
        {
            "id": f"{_award_reference(award)}-{i.number}",
            "source": f"{pub.site}/open-data/",
            "date": _when(i.paid_at),
            "value": _value(i.amount_pence),
            "payer": pub.buyer,
            "payee": payee,
        }
        for i in instalments
        if i.paid_at
    ]
    today = timezone.localdate()
    milestones = [_instalment_milestone(i, today) for i in instalments]
    milestones += [
        {
            "id": f"target-{target.pk}",
            "title": target.description,
            "type": "delivery",
            "description": f"Target: {target.target_value.normalize():f} {target.unit}".strip(),
            "dueDate": _when(award.end_date),
            "status": "scheduled",
        }
        for target in targets
    ]
    paid = [i.paid_at for i in instalments if i.paid_at]
    contract = _contract(award)
    contract["implementation"] = {"transactions": transactions, "milestones": milestones}
    contract["implementation"] = {k: v for k, v in contract["implementation"].items() if v}
    return pub.release(
        _award_ocid(pub, award),
        f"implementation-{_award_reference(award)}",
        max(paid) if paid else award.accepted_at or award.created_at,
        "implementation",
        parties=[pub.buyer_party(), suppliers.party(award, ["supplier", "payee"])],
        contracts=[contract],
    )


# --- the package ------------------------------------------------------------------------


def iter_releases(council: Council) -> Iterator[dict[str, Any]]:
    """Every release of the council: planning, tender, then award, contract, implementation."""
    pub = Publisher(council, publisher_for(council))
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
    publisher = publisher_for(council)
    raw = f"{parts}|{publisher.ocid_prefix}|{publisher.funder_org_id}|{OCDS_VERSION}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def last_updated(council: Council) -> datetime | None:
    """When anything in the OCDS publication last changed."""
    moments = [
        planning_intentions(council).aggregate(at=Max("published_at"))["at"],
        tender_opportunities(council).aggregate(at=Max("updated_at"))["at"],
        process_awards(council).aggregate(at=Max("created_at"))["at"],
        Instalment.objects.filter(award__in=process_awards(council)).aggregate(at=Max("paid_at"))[
            "at"
        ],
    ]
    found = [m for m in moments if m]
    return max(found) if found else None
