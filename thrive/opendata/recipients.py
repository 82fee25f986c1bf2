"""Match the recipients of imported grants to the register, adding the ones not known.

A recipient is matched by its identifier (org-id, charity or company number) and only
when the published name agrees with a name the register holds for that organisation.
An identifier whose names disagree is held for a person to review (never attached
silently), and a name alone never attaches a grant to anyone.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from rapidfuzz import fuzz

from thrive.audit.services import log_action
from thrive.opendata.models import ExternalGrant, RecipientStatus
from thrive.organisations.duplicates import raise_candidates
from thrive.organisations.identifiers import canonical_org_id
from thrive.organisations.models import (
    Identifier,
    Organisation,
    RecordSource,
    normalise_postcode,
)

# How a published name is made comparable: lower case first, then each rule in turn.
# Every rule has an example in tests/test_matching.py.
NAME_RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("apostrophes", re.compile(r"['’‘`]"), ""),
    ("ampersand", re.compile(r"\s*(?:&|\+)\s*"), " and "),
    ("punctuation", re.compile(r"[^\w\s]|_"), " "),
    (
        "legal form",
        re.compile(
            r"\b(?:community interest company|charitable incorporated organisation"
            r"|company limited by guarantee|limited|ltd|cio|cic|plc|llp|inc|incorporated)\b"
        ),
        " ",
    ),
    ("the", re.compile(r"\bthe\b"), " "),
    ("spaces", re.compile(r"\s+"), " "),
    ("charity or trust suffix", re.compile(r"(?<=\w) (?:charitable trust|charity|trust) ?$"), ""),
)

# Two normalised names this similar (rapidfuzz, 0-100) are a spelling slip, not two bodies.
SIMILAR_ENOUGH = 92


def normalise_name(name: str) -> str:
    """The name with case, punctuation, legal forms, "The" and Charity/Trust set aside."""
    text = (name or "").lower()
    for _label, pattern, replacement in NAME_RULES:
        text = pattern.sub(replacement, text)
    return text.strip()


def names_agree(normalised: str, known: set[str]) -> bool:
    """Whether a normalised name is one of the known ones, or differs by a slip of spelling."""
    if not normalised:
        return False
    if normalised in known:
        return True
    return any(
        fuzz.token_sort_ratio(normalised, other) >= SIMILAR_ENOUGH for other in known if other
    )


class RecipientMatcher:
    """Find each recipient by identifier with a name that agrees, else hold it or add it.

    The maps are loaded once, so matching costs no query per grant; a new organisation
    goes through the register's duplicate rules like any other.
    """

    def __init__(self, *, source: str, actor: Any = None) -> None:
        self.source = source
        self.actor = actor
        self.created = 0
        self.held = 0
        self.created_pks: set[int] = set()
        # identifier (upper case) -> organisation pk
        self.known: dict[str, int] = {
            org_id.upper(): org
            for org_id, org in Identifier.objects.values_list("org_id", "organisation_id")
        }
        # organisation pk -> the normalised names it is known by
        self.names: dict[int, set[str]] = {}
        for pk, name, other_names in Organisation.objects.values_list("pk", "name", "other_names"):
            self.names[pk] = {normalise_name(n) for n in [name, *other_names.splitlines()]}
        # (identifier, normalised name) -> organisation pk: every decision made before
        self.decided: dict[tuple[str, str], int] = {}
        for org_id, org, name in (
            ExternalGrant.objects.filter(recipient__isnull=False)
            .values_list("recipient_org_id", "recipient_id", "recipient_name")
            .distinct()
        ):
            key = org_id.upper()
            self.known.setdefault(key, org)
            self.decided[(key, normalise_name(name))] = org

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
        return list(dict.fromkeys(k for k in keys + canonical if k))

    def _status(self, pk: int) -> str:
        return RecipientStatus.CREATED if pk in self.created_pks else RecipientStatus.MATCHED

    def match(self, recipient: dict[str, Any]) -> tuple[int | None, str]:
        """The recipient's organisation and how it was found; None while held for review."""
        name = normalise_name(str(recipient.get("name") or ""))
        raw = str(recipient.get("id", "")).strip().upper()
        pk = self.decided.get((raw, name))
        if pk is not None:  # the common case: the same recipient seen before
            return pk, self._status(pk)
        keys = self._keys(recipient)
        found = [self.known[key] for key in keys if key in self.known]
        for pk in dict.fromkeys(found):
            if names_agree(name, self.names.get(pk, set())):
                for key in keys:
                    self.decided[(key, name)] = pk
                return pk, self._status(pk)
        if found:
            self.held += 1
            return None, RecipientStatus.HELD
        organisation = self._add(recipient)
        for key in keys:
            self.known[key] = organisation.pk
            self.decided[(key, name)] = organisation.pk
        self.names[organisation.pk] = {name}
        return organisation.pk, RecipientStatus.CREATED

    def organisation_for(self, recipient: dict[str, Any]) -> int | None:
        """The recipient's organisation, None while held (kept until every caller uses match)."""
        return self.match(recipient)[0]

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
        self.created_pks.add(organisation.pk)
        return organisation
