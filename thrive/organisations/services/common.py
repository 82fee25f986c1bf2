"""Pieces shared by the register's services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from thrive.organisations.models import Organisation, size_band_for

if TYPE_CHECKING:
    from thrive.accounts.models import Council, User

PROFILE_FIELDS = [
    "name",
    "other_names",
    "legal_form",
    "description",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "website",
    "email",
    "phone",
    "directory_opt_in",
    "publish_email",
    "publish_phone",
    "publish_website",
    "publish_address",
]


def snapshot(*, organisation: Organisation, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of an organisation, for an audit event's before or after."""
    return {name: getattr(organisation, name) for name in fields}


def council_of(*, actor: User | None) -> Council | None:
    """The council an audit event is filed under: the actor's, if they are signed in."""
    return getattr(actor, "council", None) if getattr(actor, "is_authenticated", False) else None


def refresh_size(*, organisation: Organisation) -> None:
    """Set the latest income and size band from the income records."""
    latest = organisation.incomes.order_by("-year").first()
    organisation.latest_income_pence = latest.amount_pence if latest else None
    organisation.latest_income_year = latest.year if latest else None
    organisation.size_band = size_band_for(organisation.latest_income_pence)
    Organisation.objects.filter(pk=organisation.pk).update(
        latest_income_pence=organisation.latest_income_pence,
        latest_income_year=organisation.latest_income_year,
        size_band=organisation.size_band,
    )
