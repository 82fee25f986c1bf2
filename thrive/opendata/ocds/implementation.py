"""The ``implementation`` stage: paid instalments as transactions, instalments and targets
as milestones."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from thrive.awards.models import Award, Instalment
from thrive.core.money import format_pence
from thrive.opendata.ocds.award import Suppliers, award_ocid, award_ref
from thrive.opendata.ocds.common import Publisher, amount, stamp
from thrive.opendata.ocds.contract import contract_of


def _instalment_milestone(instalment: Instalment, today: date) -> dict[str, Any]:
    paid = instalment.paid_at is not None
    milestone = {
        "id": f"instalment-{instalment.number}",
        "title": f"Instalment {instalment.number}",
        "type": "payment",
        "dueDate": stamp(instalment.due_date),
        "description": f"Payment of {format_pence(instalment.amount_pence)}",
        "status": "met" if paid else ("notMet" if instalment.due_date < today else "scheduled"),
    }
    if paid:
        milestone["dateMet"] = stamp(instalment.paid_at)
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
            "id": f"{award_ref(award)}-{i.number}",
            "source": f"{pub.site}/open-data/",
            "date": stamp(i.paid_at),
            "value": amount(i.amount_pence),
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
            "dueDate": stamp(award.end_date),
            "status": "scheduled",
        }
        for target in targets
    ]
    paid = [i.paid_at for i in instalments if i.paid_at]
    contract = contract_of(award)
    contract["implementation"] = {"transactions": transactions, "milestones": milestones}
    contract["implementation"] = {k: v for k, v in contract["implementation"].items() if v}
    return pub.release(
        award_ocid(pub, award),
        f"implementation-{award_ref(award)}",
        max(paid) if paid else award.accepted_at or award.created_at,
        "implementation",
        parties=[pub.buyer_party(), suppliers.party(award, ["supplier", "payee"])],
        contracts=[contract],
    )
