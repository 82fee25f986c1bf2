"""Pieces shared by the register's services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from thrive.organisations.models import Organisation

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


def snapshot(organisation: Organisation, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(organisation, name) for name in fields}


def council_of(actor: Any) -> Any:
    return getattr(actor, "council", None) if getattr(actor, "is_authenticated", False) else None
