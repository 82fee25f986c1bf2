"""Match the recipients of imported grants to the register, adding the ones not known."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from thrive.audit.services import log_action
from thrive.opendata.models import ExternalGrant
from thrive.organisations.duplicates import raise_candidates
from thrive.organisations.identifiers import canonical_org_id
from thrive.organisations.models import (
    Identifier,
    Organisation,
    RecordSource,
    normalise_postcode,
)


class RecipientMatcher:
    """Find each recipient by org-id (or charity/company number), else add it as imported.

    The maps are loaded once, so matching costs no query per grant; a new organisation
    goes through the register's duplicate rules like any other.
    """

    def __init__(self, *, source: str, actor: Any = None) -> None:
        self.source = source
        self.actor = actor
        self.created = 0
        self.known: dict[str, int] = {
            org_id.upper(): org
            for org_id, org in Identifier.objects.values_list("org_id", "organisation_id")
        }
        for org_id, org in ExternalGrant.objects.values_list(
            "recipient_org_id", "recipient_id"
        ).distinct():
            self.known.setdefault(org_id.upper(), org)

    def _keys(self, recipient: dict[str, Any]) -> list[str]:
        keys = [str(recipient.get("id", "")).strip().upper()]
        for field, scheme in (("charityNumber", "GB-CHC"), ("companyNumber", "GB-COH")):
            number = str(recipient.get(field) or "").strip()
            if number:
                keys.append(f"{scheme}-{number}".upper())
        canonical = []
        for key in keys:
            try:
                canonical.append(canonical_org_id(key)[2].upper())
            except ValidationError:
                continue
        return [k for k in keys + canonical if k]

    def organisation_for(self, recipient: dict[str, Any]) -> int:
        raw = str(recipient.get("id", "")).strip().upper()
        if raw in self.known:  # the common case: a recipient seen before, by its own id
            return self.known[raw]
        keys = self._keys(recipient)
        for key in keys:
            if key in self.known:
                self.known[raw] = self.known[key]
                return self.known[key]
        organisation = self._add(recipient)
        for key in keys:
            self.known[key] = organisation.pk
        return organisation.pk

    def _add(self, recipient: dict[str, Any]) -> Organisation:
        try:
            postcode = normalise_postcode(str(recipient.get("postalCode") or ""))
        except ValidationError:
            postcode = ""
        organisation = Organisation.objects.create(
            name=str(recipient.get("name", "")).strip()[:255],
            postcode=postcode,
            source=RecordSource.OPEN_DATA,
            source_detail=f"360Giving: {self.source}"[:255],
        )
        try:
            scheme, value, org_id = canonical_org_id(str(recipient.get("id", "")))
        except ValidationError:
            org_id = ""
        if org_id and not Identifier.objects.filter(org_id=org_id).exists():
            Identifier.objects.create(
                organisation=organisation, scheme=scheme, value=value, org_id=org_id
            )
        log_action(
            action="organisations.organisation.imported",
            actor=self.actor,
            obj=organisation,
            after={"org_id": org_id, "source": organisation.source_detail},
        )
        raise_candidates(organisation=organisation, actor=self.actor)
        self.created += 1
        return organisation
