"""Match the recipients of imported grants to the register, adding the ones not known.

A recipient is matched by its identifier (org-id, charity or company number) and only
when the published name agrees with a name the register holds for that organisation.
An identifier whose names disagree is held for a person to review (never attached
silently), and a name alone never attaches a grant to anyone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from rapidfuzz import fuzz, process

from thrive.audit.services import Entry, log_actions
from thrive.opendata.models import ExternalGrant, RecipientStatus
from thrive.organisations.duplicates import THRESHOLD as DUPLICATE_THRESHOLD
from thrive.organisations.duplicates import normalise_name as duplicate_name
from thrive.organisations.identifiers import canonical_org_id
from thrive.organisations.models import (
    DuplicateCandidate,
    Identifier,
    Organisation,
    RecordSource,
    normalise_postcode,
)
from thrive.organisations.names import NAME_RULES, names_agree, normalise_name  # noqa: F401

if TYPE_CHECKING:
    from thrive.accounts.models import User


class RecipientMatcher:
    """Find each recipient by identifier with a name that agrees, else hold it or add it.

    The maps are loaded once, so matching costs no query per grant. New organisations are
    written ``batch`` at a time (call ``flush`` before the transaction ends), each audited
    and put through the register's duplicate rules like any other, in bulk. Their keys are
    reserved at once, so grants may name them before they are written: the database
    checks those references when the transaction commits.
    """

    def __init__(
        self, *, source: str, actor: User | None = None, batch: int = 1, label: str = "360Giving"
    ) -> None:
        self.source = source
        self.actor = actor
        self.batch = batch
        self.label = label
        self.pending: list[tuple[Organisation, Identifier | None]] = []
        self._free_pks: list[int] = []
        self.created = 0
        self.held = 0
        self.created_pks: set[int] = set()
        # identifier (upper case) -> organisation pk
        self.known: dict[str, int] = {
            org_id.upper(): org
            for org_id, org in Identifier.objects.values_list("org_id", "organisation_id")
        }
        # organisation pk -> the normalised names it is known by; a merged record's names
        # are its survivor's too, and a reference to it leads to the survivor
        self.names: dict[int, set[str]] = {}
        self.survivor: dict[int, int] = {}
        for pk, name, other_names, merged_into in Organisation.objects.values_list(
            "pk", "name", "other_names", "merged_into"
        ):
            names = {normalise_name(n) for n in [name, *other_names.splitlines()]}
            self.names.setdefault(merged_into or pk, set()).update(names)
            if merged_into:
                self.survivor[pk] = merged_into
        # (identifier, normalised name) -> organisation pk: every decision made before
        self.decided: dict[tuple[str, str], int] = {}
        for org_id, org, name in (
            ExternalGrant.objects.filter(recipient__isnull=False)
            .values_list("recipient_org_id", "recipient_id", "recipient_name")
            .distinct()
        ):
            key, org = org_id.upper(), self.survivor.get(org, org)
            self.known.setdefault(key, org)
            self.decided[(key, normalise_name(name))] = org
        self.known = {key: self.survivor.get(org, org) for key, org in self.known.items()}

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
        for key in keys:
            if (key, name) in self.decided:
                return self.decided[(key, name)], self._status(self.decided[(key, name)])
        found = [self.known[key] for key in keys if key in self.known]
        for pk in dict.fromkeys(found):
            if names_agree(name, self.names.get(pk, set())):
                for key in keys:
                    self.decided[(key, name)] = pk
                return pk, self._status(pk)
        if found:
            self.held += 1
            return None, RecipientStatus.HELD
        pk = self._add(recipient)
        for key in keys:
            self.known[key] = pk
            self.decided[(key, name)] = pk
        self.names[pk] = {name}
        return pk, RecipientStatus.CREATED

    def organisation_for(self, recipient: dict[str, Any]) -> int | None:
        """The recipient's organisation, None while held (kept until every caller uses match)."""
        return self.match(recipient)[0]

    def _add(self, recipient: dict[str, Any]) -> int:
        """Queue a new organisation under a reserved key; it is written by ``flush``."""
        try:
            postcode = normalise_postcode(str(recipient.get("postalCode") or ""))
        except ValidationError:
            postcode = ""
        if not self._free_pks:
            self._free_pks = _reserve_pks(max(self.batch - len(self.pending), 1))[::-1]
        organisation = Organisation(
            pk=self._free_pks.pop(),
            name=str(recipient.get("name", "")).strip()[:255],
            postcode=postcode,
            source=RecordSource.OPEN_DATA,
            source_detail=f"{self.label}: {self.source}"[:255],
        )
        try:
            scheme, value, org_id = canonical_org_id(str(recipient.get("id", "")))
        except ValidationError:
            org_id = ""
        identifier = None
        if org_id and org_id.upper() not in self.known:
            identifier = Identifier(
                organisation_id=organisation.pk, scheme=scheme, value=value, org_id=org_id
            )
        self.pending.append((organisation, identifier))
        self.created += 1
        self.created_pks.add(organisation.pk)
        if len(self.pending) >= self.batch:
            self.flush()
        return organisation.pk

    def flush(self) -> None:
        """Write the queued organisations and identifiers, audit them, raise duplicates."""
        if not self.pending:
            return
        organisations = [organisation for organisation, _identifier in self.pending]
        identifiers = [identifier for _organisation, identifier in self.pending if identifier]
        self.pending = []
        self._free_pks = []  # keys reserved on SQLite are only safe until the next write
        with transaction.atomic():
            _insert_organisations(organisations)
            Identifier.objects.bulk_create(identifiers, batch_size=500)
            org_ids = {i.organisation_id: i.org_id for i in identifiers}
            log_actions(
                entries=[
                    Entry(
                        "organisations.organisation.imported",
                        organisation,
                        after={
                            "org_id": org_ids.get(organisation.pk, ""),
                            "source": organisation.source_detail,
                        },
                    )
                    for organisation in organisations
                ],
                actor=self.actor,
            )
            raise_candidates_for(organisations, actor=self.actor)


def _insert_organisations(organisations: list[Organisation]) -> None:
    """Insert new imported organisations with one ``executemany``, as the grant writer does.

    They differ only in key, name and postcode, so every other column is adapted for the
    database once, from the first, by the fields' own ``get_db_prep_save``.
    """
    fields = Organisation._meta.concrete_fields
    now = timezone.now()
    first = organisations[0]
    base = [
        field.get_db_prep_save(
            now if field.attname in ("created_at", "updated_at") else getattr(first, field.attname),
            connection,
        )
        for field in fields
    ]
    where = {field.attname: index for index, field in enumerate(fields)}
    rows = []
    for organisation in organisations:
        row = list(base)
        row[where["id"]] = organisation.pk
        row[where["name"]] = organisation.name
        row[where["postcode"]] = organisation.postcode
        rows.append(row)
        organisation.created_at = organisation.updated_at = now
        organisation._state.adding = False
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = quote(Organisation._meta.db_table)
    with connection.cursor() as cursor:
        # Names come from the model; every value is a parameter.
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608  # nosec B608


def _reserve_pks(count: int) -> list[int]:
    """Keys for new organisations, taken before they are written so grants can name them.

    PostgreSQL hands them out from the table's own sequence, safe beside other writers.
    SQLite lets one connection write at a time, and the import has written already in its
    transaction, so the keys after the largest in use (or ever used) are ours until the
    organisations are written.
    """
    table = Organisation._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        largest = Organisation.objects.aggregate(largest=Max("pk"))["largest"] or 0
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            largest = max(largest, row[0] if row else 0)
    return list(range(largest + 1, largest + 1 + count))


def _names_by_postcode(postcodes: list[str]) -> dict[str, list[tuple[int, str]]]:
    """Every active record's names at these postcodes, normalised as the register does."""
    found: dict[str, list[tuple[int, str]]] = {}
    for start in range(0, len(postcodes), 500):
        for pk, postcode, name, other_names in (
            Organisation.objects.active()
            .filter(postcode__in=postcodes[start : start + 500])
            .values_list("pk", "postcode", "name", "other_names")
        ):
            names = {duplicate_name(each) for each in [name, *other_names.splitlines()]}
            found.setdefault(postcode, []).extend((pk, each) for each in names if each)
    return found


def _similar_pairs(new: set[int], postcodes: list[str]) -> dict[tuple[int, int], tuple[int, str]]:
    """(first, second) -> (score, postcode) for each pair with a new record, best score."""
    pairs: dict[tuple[int, int], tuple[int, str]] = {}
    for postcode, names in _names_by_postcode(postcodes).items():
        choices = [name for _pk, name in names]
        for pk, name in names:
            if pk not in new:
                continue
            for _choice, found, column in process.extract(
                name,
                choices,
                scorer=fuzz.WRatio,
                score_cutoff=DUPLICATE_THRESHOLD - 0.5,
                limit=None,
            ):
                other, score = names[column][0], round(found)
                pair = (min(pk, other), max(pk, other))
                if pk != other and score >= max(DUPLICATE_THRESHOLD, pairs.get(pair, (0, ""))[0]):
                    pairs[pair] = (score, postcode)
    return pairs


def raise_candidates_for(organisations: list[Organisation], *, actor: User | None = None) -> int:
    """Raise possible duplicates of many new organisations in one pass, as the register does.

    New imported records have no contacts or email, so a pair is a similar name (the
    register's own score and threshold) at the same postcode. One query finds every
    record at those postcodes; names are compared in bulk by rapidfuzz.
    """
    new = {organisation.pk for organisation in organisations if organisation.postcode}
    postcodes = sorted({organisation.postcode for organisation in organisations} - {""})
    if not new:
        return 0
    pairs = _similar_pairs(new, postcodes)
    candidates = [
        DuplicateCandidate(
            first_id=first,
            second_id=second,
            score=score,
            reasons=f"similar name ({score}%), same postcode {postcode}",
        )
        for (first, second), (score, postcode) in pairs.items()
    ]
    # Every pair has a new organisation in it, so none can have been raised before.
    DuplicateCandidate.objects.bulk_create(candidates, batch_size=500)
    log_actions(
        entries=[
            Entry(
                "organisations.duplicate.raised",
                candidate,
                after={
                    "first": candidate.first_id,
                    "second": candidate.second_id,
                    "score": candidate.score,
                },
            )
            for candidate in candidates
        ],
        actor=actor,
    )
    return len(candidates)
