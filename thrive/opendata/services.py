"""Changes made through the open data pages: how the council publishes."""

from __future__ import annotations

from django.db import transaction

from thrive.accounts.models import Council, User
from thrive.audit.services import log_action
from thrive.opendata.models import PublisherSettings
from thrive.opendata.publishing import publisher_for

SETTINGS_FIELDS = ("grant_prefix", "ocid_prefix", "funder_org_id")


@transaction.atomic
def save_publisher_settings(
    *, council: Council, actor: User, grant_prefix: str, ocid_prefix: str, funder_org_id: str
) -> PublisherSettings:
    """Save the council's 360Giving prefix, ocid prefix and funder org-id, auditing changes."""
    publisher_for(council)  # made from the council's name the first time
    publisher = PublisherSettings.objects.select_for_update().get(council=council)
    before = {name: getattr(publisher, name) for name in SETTINGS_FIELDS}
    publisher.grant_prefix = grant_prefix
    publisher.ocid_prefix = ocid_prefix
    publisher.funder_org_id = funder_org_id
    # The funder org-id may stay empty until the council has one (the form checks its form).
    publisher.full_clean(exclude=["funder_org_id"])
    publisher.save()
    after = {name: getattr(publisher, name) for name in SETTINGS_FIELDS}
    log_action(
        action="opendata.settings.saved",
        actor=actor,
        obj=publisher,
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
        council=council,
    )
    return publisher
