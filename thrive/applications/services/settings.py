"""Changing the Small Grants Scheme's limits and purposes (§3.1): configuration as data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from thrive.applications.defaults import small_grants_settings
from thrive.applications.models import SmallGrantPurpose, SmallGrantsSettings
from thrive.audit.services import log_action

if TYPE_CHECKING:
    from thrive.accounts.models import Council, User


def change_small_grants_settings(
    *,
    council: Council,
    actor: User,
    limit_pence: int,
    delegated_limit_pence: int,
    max_income_pence: int,
    one_current_grant: bool,
    purposes: list[str],
    reason: str,
) -> SmallGrantsSettings:
    """Change the limits and the purposes, audited with the reason."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter why you are changing the scheme"})
    if limit_pence <= 0:
        raise ValidationError({"limit_pence": "The most a small grant may be must be more than £0"})
    if delegated_limit_pence <= 0:
        raise ValidationError({"delegated_limit_pence": "The delegated limit must be more than £0"})
    if not purposes:
        raise ValidationError({"purposes": "Select at least one purpose"})
    with transaction.atomic():
        scheme = small_grants_settings(council)
        rows = SmallGrantPurpose.objects.filter(council=council)
        before = {
            "limit_pence": scheme.limit_pence,
            "delegated_limit_pence": scheme.delegated_limit_pence,
            "max_income_pence": scheme.max_income_pence,
            "one_current_grant": scheme.one_current_grant,
            "purposes": sorted(rows.filter(is_active=True).values_list("code", flat=True)),
        }
        scheme.limit_pence = limit_pence
        scheme.delegated_limit_pence = delegated_limit_pence
        scheme.max_income_pence = max_income_pence
        scheme.one_current_grant = one_current_grant
        scheme.full_clean()
        scheme.save()
        rows.update(is_active=False)
        rows.filter(code__in=purposes).update(is_active=True)
        log_action(
            action="applications.small_grants.settings_changed",
            actor=actor,
            obj=scheme,
            before=before,
            after={
                "limit_pence": limit_pence,
                "delegated_limit_pence": delegated_limit_pence,
                "max_income_pence": max_income_pence,
                "one_current_grant": one_current_grant,
                "purposes": sorted(purposes),
            },
            reason=reason,
            council=council,
        )
    return scheme
