"""Creating the award for a small grant decided under the Small Grants Scheme (§3.1)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction

from thrive.audit.services import log_action
from thrive.awards.models import Award, AwardKind, AwardStatus


def create_small_grant_award(
    *,
    organisation: Any,
    council: Any,
    directorate: Any,
    title: str,
    amount_pence: int,
    start_date: date,
    actor: Any,
    reason: str = "",
) -> Award:
    """Record a one-year small grant award for the organisation, audited."""
    end_date = date(start_date.year + 1, start_date.month, 1) - timedelta(days=1)
    if end_date < start_date:
        end_date = start_date
    with transaction.atomic():
        award = Award(
            organisation=organisation,
            council=council,
            directorate=directorate,
            kind=AwardKind.SMALL_GRANT,
            title=title[:255],
            amount_pence=amount_pence,
            start_date=start_date,
            end_date=end_date,
            status=AwardStatus.ACTIVE,
        )
        award.full_clean()
        award.save()
        log_action(
            action="awards.award.created",
            actor=actor,
            obj=award,
            after={
                "kind": award.kind,
                "organisation": organisation.pk,
                "amount_pence": amount_pence,
                "start_date": start_date,
                "end_date": end_date,
            },
            reason=reason,
            council=council,
        )
    return award
