"""The council's standstill period and delegated limits, set by council administrators."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from thrive.accounts.models import Council, User
from thrive.assessment import selectors
from thrive.assessment.models import AssessmentSettings, DelegatedLimit
from thrive.audit.services import log_action


def save_settings(
    *, council: Council, standstill_days: int, limits: dict[str, int], actor: User
) -> AssessmentSettings:
    """Save the standstill days and each role's delegated limit (pence); audited."""
    if standstill_days < 0 or standstill_days > 90:
        raise ValidationError({"standstill_days": "Enter a standstill period of 0 to 90 days"})
    if any(v < 0 for v in limits.values()):
        raise ValidationError("Delegated limits must be £0 or more")
    before = {"standstill_days": selectors.standstill_days(council)}
    before.update(selectors.limits_for_council(council))
    with transaction.atomic():
        row, _ = AssessmentSettings.objects.update_or_create(
            council=council, defaults={"standstill_days": standstill_days}
        )
        for role, limit in limits.items():
            DelegatedLimit.objects.update_or_create(
                council=council, role=role, defaults={"limit_pence": limit}
            )
        log_action(
            action="assessment.settings.changed",
            actor=actor,
            obj=row,
            before=before,
            after={"standstill_days": standstill_days, **limits},
            council=council,
        )
    return row
