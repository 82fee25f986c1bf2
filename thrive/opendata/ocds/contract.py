"""The ``contract`` stage: the agreement in force."""

from __future__ import annotations

from typing import Any

from thrive.awards.models import Award, AwardStatus
from thrive.opendata.ocds.award import Suppliers, award_ocid, award_ref
from thrive.opendata.ocds.common import Publisher, amount, period, stamp

CONTRACT_STATUS = {
    AwardStatus.ACTIVE: "active",
    AwardStatus.COMPLETED: "terminated",
    AwardStatus.TERMINATED: "terminated",
}


def contract_of(award: Award) -> dict[str, Any]:
    ref = award_ref(award)
    contract = {
        "id": ref,
        "awardID": ref,
        "title": award.title,
        "description": award.description or award.title,
        "status": CONTRACT_STATUS[award.status],
        "period": period(award.start_date, award.ended_on or award.end_date),
        "value": amount(award.amount_pence),
    }
    if award.accepted_at:
        contract["dateSigned"] = stamp(award.accepted_at)
    return contract


def contract_release(pub: Publisher, award: Award, suppliers: Suppliers) -> dict[str, Any]:
    return pub.release(
        award_ocid(pub, award),
        f"contract-{award_ref(award)}",
        award.accepted_at or award.created_at,
        "contract",
        parties=[pub.buyer_party(), suppliers.party(award, ["supplier"])],
        contracts=[contract_of(award)],
    )
