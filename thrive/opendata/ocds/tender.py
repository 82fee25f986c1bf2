"""The ``tender`` stage: published grant rounds, quotations and tenders, as amended.

Sealed bids (DESIGN §4): the only fact about bids is ``numberOfTenderers``, and only once
the bids have been opened.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from thrive.accounts.models import Council
from thrive.applications.models import RECEIVED_STATUSES, Application, BidOpening
from thrive.awards.models import Award, AwardStatus
from thrive.opendata import uk
from thrive.opendata.ocds.common import PROCESS_KINDS, Publisher, amount, period, stamp
from thrive.opportunities.models import (
    Amendment,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
)


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
            "datePublished": stamp(document.uploaded_at),
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
            "value": amount(lot.value_pence),
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
            "date": stamp(amendment.made_at),
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


def _tender(pub: Publisher, opportunity: Opportunity, status: str) -> dict[str, Any]:
    selective = bool(opportunity.invitations.all()) and opportunity.kind == OpportunityKind.RFQ
    return {
        "id": opportunity.reference,
        "title": opportunity.title,
        "description": opportunity.description or opportunity.summary,
        "status": status,
        "procuringEntity": pub.buyer,
        "value": amount(opportunity.value_pence),
        "procurementMethod": "selective" if selective else "open",
        "procurementMethodDetails": opportunity.get_kind_display(),
        "mainProcurementCategory": "services",
        "submissionMethod": ["electronicSubmission"],
        "submissionMethodDetails": f"{pub.site}/opportunities/{opportunity.pk}/",
        "tenderPeriod": period(opportunity.opens_at, opportunity.closes_at),
        "documents": _documents(pub, opportunity),
        "lots": _lots(opportunity, status),
    }


def _related(pub: Publisher, opportunity: Opportunity) -> list[dict[str, Any]]:
    """The published intention the opportunity carries out, as a ``planning`` process."""
    if not (opportunity.intention_id and opportunity.intention.published_at):
        return []
    return [
        {
            "id": "1",
            "relationship": ["planning"],
            "title": opportunity.intention.title,
            "scheme": "ocid",
            "identifier": pub.ocid(opportunity.intention.reference),
        }
    ]


def _stage(
    ocid: str, opportunity: Opportunity, status: str, amendments: list[Amendment]
) -> tuple[str, Any, list[str]]:
    """The release's stage (its id's end), date and tags: cancelled, amended or as published."""
    if status == "cancelled":
        return "tenderCancellation", opportunity.updated_at, ["tenderCancellation"]
    if amendments:
        # A new release for harvesters: its own id and date, still the full tender section.
        latest = amendments[-1]
        stage = _amendment_release_id(ocid, latest.number).removeprefix(f"{ocid}-")
        return stage, latest.made_at, ["tender", "tenderAmendment"]
    return "tender", opportunity.published_at or opportunity.opens_at, ["tender"]


def tender_release(pub: Publisher, opportunity: Opportunity, facts: TenderFacts) -> dict[str, Any]:
    status = _tender_status(opportunity, facts, pub.now)
    tender = _tender(pub, opportunity, status)
    criteria = _criteria_details(opportunity)
    if criteria:
        tender["awardCriteria"] = "ratedCriteria"
        tender["awardCriteriaDetails"] = criteria
    if opportunity.clarification_deadline:
        tender["enquiryPeriod"] = period(opportunity.opens_at, opportunity.clarification_deadline)
    tenderers = facts.number_of_tenderers(opportunity, pub.now)
    if tenderers is not None:
        tender["numberOfTenderers"] = tenderers
    tender.update(_uk_fields(pub, opportunity))
    ocid = pub.ocid(opportunity.reference)
    amendments = list(opportunity.amendments.all())
    tender["amendments"] = _amendments(ocid, amendments)
    tender = {k: v for k, v in tender.items() if v not in (None, [], {})}
    stage, when, tags = _stage(ocid, opportunity, status, amendments)
    release = pub.release(
        ocid,
        stage,
        when,
        tags[0],
        parties=[pub.buyer_party()],
        tender=tender,
        relatedProcesses=_related(pub, opportunity),
    )
    release["tag"] = tags
    return release
