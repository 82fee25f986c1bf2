"""The ``award`` stage: funding agreements and contracts, decided or awarded directly."""

from __future__ import annotations

from typing import Any

from thrive.accounts.models import Council
from thrive.awards.models import Award, AwardKind, AwardStatus
from thrive.opendata.ocds.common import PROCESS_KINDS, Publisher, amount, period, stamp
from thrive.opendata.publishing import award_reference
from thrive.organisations.models import Identifier, SizeBand

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
SME_BANDS = {SizeBand.MICRO: "micro", SizeBand.SMALL: "sme", SizeBand.MEDIUM: "sme"}
LARGE_BANDS = {SizeBand.LARGE, SizeBand.MAJOR}


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


def award_ref(award: Award) -> str:
    return award_reference(award.pk, award.reference or "")


def _is_direct(award: Award) -> bool:
    """Awarded without a published competition: no opportunity, or not a competitive one."""
    return award.opportunity is None or award.opportunity.kind not in PROCESS_KINDS


def award_ocid(pub: Publisher, award: Award) -> str:
    """The process's ocid: its opportunity's, or for a direct award the award's own."""
    if _is_direct(award):
        return pub.ocid(award_ref(award))
    return pub.ocid(award.opportunity.reference)


def _direct_tender(award: Award) -> dict[str, Any]:
    return {
        "id": f"{award_ref(award)}-direct",
        "title": award.title,
        "status": "complete",
        "procurementMethod": "direct",
        "procurementMethodDetails": "Awarded directly, without a published opportunity",
    }


def award_release(pub: Publisher, award: Award, suppliers: Suppliers) -> dict[str, Any]:
    ref = award_ref(award)
    item: dict[str, Any] = {
        "id": ref,
        "title": award.title,
        "description": award.description or award.title,
        "status": AWARD_STATUS[award.status],
        "date": stamp(award.offered_at or award.created_at),
        "value": amount(award.amount_pence),
        "suppliers": [suppliers.reference(award)],
        "contractPeriod": period(award.start_date, award.end_date),
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
        award_ocid(pub, award),
        f"award-{ref}",
        award.offered_at or award.created_at,
        "award",
        **parts,
    )
