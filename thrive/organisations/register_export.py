"""The organisation register's export: every row of the filtered register as plain values,
streamed, with each organisation's identifiers, the register parts' yes-or-no columns
(funded, funded by others) and charity register flags read apart."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q, QuerySet

from thrive.accounts.models import User
from thrive.core.streaming import stream_rows
from thrive.organisations import extensions
from thrive.organisations.models import (
    CharityRegisterCheck,
    Identifier,
    Organisation,
    RegisterStatus,
)
from thrive.organisations.selectors import FLAGGED_CHECKS, flags_of

# The export's columns of the register's own; those the register's parts add (funded by
# the council, by others) and what the charity register check flags are read apart.
_EXPORT_FIELDS = (
    "pk",
    "name",
    "other_names",
    "legal_form",
    "postcode",
    "town",
    "website",
    "email",
    "size_band",
    "latest_income_pence",
    "latest_income_year",
    "third_sector_outcome",
    "source",
)


def _labels(name: str) -> dict[Any, str]:
    return {value: str(label) for value, label in Organisation._meta.get_field(name).flatchoices}


def register_export_rows(
    organisations: QuerySet[Organisation], *, user: User
) -> Iterator[list[Any]]:
    """Every organisation of the filtered register in its order, as the export's rows.

    A few queries however many rows: the identifiers of them all, the ids each register
    part's column says yes of, the few flagged by the charity register check (asked of each
    row, each of these took longer than all the rest of a row), then the rows with their
    own columns as plain values, streamed (no model is made for a row).
    """
    listed = organisations.order_by().values("pk")
    marked = {
        part.column: set(part.marked(listed, user=user)) for part in extensions.register_parts
    }
    funded, by_others = marked.get("funded", set()), marked.get("funded_by_others", set())
    ids: dict[int, list[str]] = {}
    for organisation_id, org_id in (
        Identifier.objects.filter(organisation_id__in=listed)
        .order_by("scheme", "value")
        .values_list("organisation_id", "org_id")
    ):
        ids.setdefault(organisation_id, []).append(org_id)
    flagged = _flagged_checks(listed)
    forms, sizes = _labels("legal_form"), _labels("size_band")
    outcomes, sources = _labels("third_sector_outcome"), _labels("source")
    rows = organisations.prefetch_related(None).values_list(*_EXPORT_FIELDS)
    for row in stream_rows(rows):
        pk, name, other_names, form, postcode, town, website, email, size, pence, year = row[:11]
        outcome, source = row[11:]
        flags = flags_of(**flagged[pk]) if pk in flagged else []
        yield [
            pk,
            name,
            "; ".join(n.strip() for n in other_names.splitlines() if n.strip()),
            forms.get(form, form),
            "; ".join(ids.get(pk, ())),
            postcode,
            town,
            website,
            email,
            sizes.get(size, size),
            pence / 100 if pence is not None else "",
            year or "",
            outcomes.get(outcome, outcome),
            "yes" if pk in funded else "no",
            sources.get(source, source),
            "yes" if pk in by_others else "no",
            "; ".join(flag["message"] for flag in flags),
        ]


def _flagged_checks(listed: QuerySet[Organisation]) -> dict[int, dict[str, Any]]:
    """What ``with_register_flags`` says of each listed organisation the check flags, in one
    query: removed, not found, and the register's name of the first check (by charity
    number) whose name differs."""
    flagged: dict[int, dict[str, Any]] = {}
    checks = (
        CharityRegisterCheck.objects.filter(organisation_id__in=listed)
        .filter(Q(*FLAGGED_CHECKS.values(), _connector=Q.OR))
        .order_by("charity_number")
        .values_list("organisation_id", "status", "name_differs", "register_name")
    )
    for organisation_id, status, name_differs, register_name in checks:
        found = flagged.setdefault(
            organisation_id, {"removed": False, "not_found": False, "other_name": None}
        )
        found["removed"] |= status == RegisterStatus.REMOVED
        found["not_found"] |= status == RegisterStatus.NOT_FOUND
        if name_differs and found["other_name"] is None:
            found["other_name"] = register_name
    return flagged
