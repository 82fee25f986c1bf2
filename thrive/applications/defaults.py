"""The Small Grants Scheme's settings and purposes (§3.1), with their defaults.

Pages read them through ``scheme_settings`` and ``scheme_purposes``, which show the §3.1
defaults without saving them; ``small_grants_settings`` makes the rows, and only a service
(or the demo seed) calls it.
"""

from __future__ import annotations

from thrive.accounts.models import Council
from thrive.applications.models import SmallGrantPurpose, SmallGrantsSettings
from thrive.questions.defaults import SMALL_GRANT_PURPOSES


def scheme_settings(*, council: Council) -> SmallGrantsSettings:
    """The council's settings, or the §3.1 defaults (unsaved) when it has none yet (taken
    from the council when they were read with it, ``select_related``)."""
    cache = council._state.fields_cache
    if "small_grants_settings" in cache:
        found = cache["small_grants_settings"]
    else:
        found = SmallGrantsSettings.objects.filter(council=council).first()
    return found or SmallGrantsSettings(council=council)


def scheme_purposes(*, council: Council) -> list[SmallGrantPurpose]:
    """The council's purposes in order, or the §3.1 defaults (unsaved) when it has none yet."""
    rows = list(SmallGrantPurpose.objects.filter(council=council))
    if rows:
        return rows
    return [
        SmallGrantPurpose(council=council, code=code, label=label, order=order)
        for order, (code, label) in enumerate(SMALL_GRANT_PURPOSES)
    ]


def active_purposes(*, council: Council) -> dict[str, str]:
    """The purposes the scheme pays for now, by code."""
    return {p.code: p.label for p in scheme_purposes(council=council) if p.is_active}


def small_grants_settings(council: Council) -> SmallGrantsSettings:
    """The council's settings row, made with the §3.1 defaults and purposes when missing."""
    settings_row, created = SmallGrantsSettings.objects.get_or_create(council=council)
    if created or not SmallGrantPurpose.objects.filter(council=council).exists():
        for order, (code, label) in enumerate(SMALL_GRANT_PURPOSES):
            SmallGrantPurpose.objects.get_or_create(
                council=council, code=code, defaults={"label": label, "order": order}
            )
    return settings_row
