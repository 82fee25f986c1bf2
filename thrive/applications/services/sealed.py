"""Opening sealed bids: after the deadline, by a procurement officer, recorded in the register."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.applications.models import Application, BidOpening
from thrive.audit.services import log_action
from thrive.core.dates import format_deadline
from thrive.opportunities.models import Opportunity

if TYPE_CHECKING:
    from thrive.accounts.models import User


def open_sealed_bids(
    *, opportunity: Opportunity, actor: User, note: str = "", now: datetime | None = None
) -> BidOpening:
    """Record the opening of an opportunity's sealed bids; from then staff may read them."""
    now = now or timezone.now()
    if not opportunity.is_sealed:
        raise ValidationError("Only quotations and tenders are sealed bids")
    if not (
        actor.council_id == opportunity.council_id and actor.has_role(Role.PROCUREMENT_OFFICER)
    ):
        raise ValidationError("Only a procurement officer of the council can open sealed bids")
    if opportunity.closes_at is None or now < opportunity.closes_at:
        raise ValidationError(
            "Sealed bids cannot be opened before the deadline, "
            f"{format_deadline(opportunity.closes_at)}"
        )
    if BidOpening.objects.filter(opportunity=opportunity).exists():
        raise ValidationError("The bids for this opportunity have already been opened")
    count = Application.objects.filter(opportunity=opportunity).received().count()
    try:
        with transaction.atomic():
            opening = BidOpening.objects.create(
                opportunity=opportunity,
                opened_by=actor,
                opened_at=now,
                bids_opened=count,
                note=note,
            )
            log_action(
                action="applications.bids.opened",
                actor=actor,
                obj=opening,
                after={"opportunity": opportunity.reference, "bids": count, "opened_at": now},
                reason=note,
                council=opportunity.council,
            )
    except IntegrityError as exc:
        raise ValidationError("The bids for this opportunity have already been opened") from exc
    return opening
