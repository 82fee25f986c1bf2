"""Import other buyers' contract awards from OCDS release or record packages (§2.6).

A package is read as a stream (files such as Contracts Finder's run to hundreds of
megabytes): first its head, to know what kind of file it is and to keep the package's
own fields, then each release or record in turn. A record gives its compiled release,
or else its newest embedded release. Every release and record is checked against the
official OCDS 1.1.5 schemas shipped in ``standards/ocds``; what does not fit is a
located warning in words, kept with the contract; so is a text holding half a surrogate
pair (``"\\ud800"``), kept with U+FFFD in its place as the 360Giving import keeps it
(``lone_surrogates``). Each award with suppliers becomes one ``ExternalContract`` for
each supplier, keyed ``ocid/award id/supplier id``, so a re-import updates (a newer
release wins, an older one changes nothing). A file of the wrong kind changes nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import IO, Any

import ijson
import jsonschema_rs
from django.db import connection, transaction
from ijson.common import ObjectBuilder

from thrive.audit.services import log_action
from thrive.core.db import analyze
from thrive.opendata import lone_surrogates
from thrive.opendata.importing import FileKind, ImportFileError, guard
from thrive.opendata.models import ExternalContract, ImportKind, ImportRun
from thrive.opendata.problems import (
    ERROR,
    WARNING,
    Problem,
    described,
    missing,
    schema_fault,
)
from thrive.opendata.recipients import RecipientMatcher
from thrive.opendata.standards import OCDS_RELEASE_URL, standards_dir
from thrive.opendata.storing import _json_parameter

BATCH = 500
TEXT_LENGTH = 500
KEY_LENGTH = 255
LARGEST_VALUE = Decimal(10) ** 14
SCHEMA_BASE = "https://standard.open-contracting.org/schema/1__1__5/"
LISTS = {"releases": "release package", "records": "record package"}
OCDS = FileKind(
    "OCDS",
    tuple(LISTS),
    'an OCDS file is a JSON release package (an object with a "releases" list) or a '
    'record package (an object with a "records" list)',
)


# --- the official schemas ---------------------------------------------------------


def _schema(name: str) -> dict[str, Any]:
    return json.loads((standards_dir() / "ocds" / name).read_text(encoding="utf-8"))


@cache
def _documents() -> dict[str, dict[str, Any]]:
    """The shipped schemas by the absolute URL other schemas refer to them by."""
    return {
        OCDS_RELEASE_URL: _schema("release-schema.json"),
        f"{SCHEMA_BASE}versioned-release-validation-schema.json": _schema(
            "versioned-release-validation-schema.json"
        ),
    }


@cache
def _item_schema(kind: str) -> dict[str, Any]:
    if kind == "releases":
        return _documents()[OCDS_RELEASE_URL]
    return _schema("record-package-schema.json")["definitions"]["record"]


@cache
def item_validator(kind: str) -> Any:
    """The official schema of one release or one record, compiled (refs mapped offline)."""
    documents = _documents()

    def retrieve(uri: str) -> dict[str, Any]:
        return documents[uri]

    return jsonschema_rs.validator_for(
        _item_schema(kind), retriever=retrieve, validate_formats=True
    )


@cache
def metadata_validator(kind: str) -> Any:
    """The package schema without its list: for the package's own fields."""
    name = "release-package-schema.json" if kind == "releases" else "record-package-schema.json"
    schema = _schema(name)
    schema["properties"].pop(kind)
    schema["required"] = [key for key in schema["required"] if key != kind]
    schema.pop("definitions", None)
    return jsonschema_rs.validator_for(schema, validate_formats=True)


def required_fields(kind: str) -> list[str]:
    """The package fields the schema requires besides the list."""
    name = "release-package-schema.json" if kind == "releases" else "record-package-schema.json"
    return [key for key in _schema(name)["required"] if key != kind]


# --- problems -------------------------------------------------------------------


def _problem(
    severity: str, location: str, message: str, ocid: str = "", name: str = "", kind: str = ""
) -> Problem:
    """A problem at ``location`` (the field's own place in the file) of the release ``ocid``."""
    return Problem(location, message, ocid, name, kind, severity, ocds=True)


def _in_words(error: Any) -> tuple[str, tuple[str, str]]:
    """(field, (kind, message)) for a schema fault, said as the 360Giving import says it."""
    path = [str(p) for p in error.instance_path if not isinstance(p, int)]
    if error.kind.name == "required":
        name = str(error.kind.property)
        return name, missing(name)
    name = path[-1] if path else ""
    return name, schema_fault(name or "this", error)


def not_unicode(location: str, pointers: Iterable[str], ocid: str) -> list[Problem]:
    """A warning for each text within ``location`` that held a lone surrogate, now kept with
    U+FFFD in its place, naming the field (the last name in its pointer)."""
    problems = []
    for pointer in pointers:
        name = next((step for step in reversed(pointer.split("/")) if not step.isdigit()), "")
        kind, message = lone_surrogates.words(name or "this")
        problems.append(_problem(WARNING, f"{location}/{pointer}", message, ocid, name, kind))
    return problems


def schema_problems(validator: Any, value: Any, location: str, ocid: str) -> list[Problem]:
    """Each fault the schema finds, located within the file and said in words."""
    problems = []
    for error in validator.iter_errors(value):
        pointer = "/".join(str(p) for p in error.instance_path)
        name, (kind, message) = _in_words(error)
        where = f"{location}/{pointer}" if pointer else location
        problems.append(_problem(WARNING, where, message, ocid, name, kind))
    return problems


# --- reading ----------------------------------------------------------------------


def _refuse_non_json(stream: IO[bytes]) -> None:
    """Refuse an empty file, a workbook or a text that is not JSON, saying which."""
    start = stream.tell()
    head = stream.read(4096)
    stream.seek(start)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text:
        raise OCDS.empty()
    if text.startswith(b"PK\x03\x04"):
        raise OCDS.refuse("a spreadsheet workbook or other zip file")
    if text[:1] not in (b"{", b"["):
        first = text.split(b"\n", 1)[0].decode("utf-8", "replace").strip()
        if "," in first or "\t" in first:
            raise OCDS.refuse(f"a CSV file (its first row is {first[:80]!r})")
        raise OCDS.refuse("a text file that is not JSON")


class _Head:
    """Reads a package's own fields from its parse events, building each whole."""

    def __init__(self, whole: bool) -> None:
        self.whole = whole
        self.kind = ""
        self.keys: list[str] = []
        self.meta: dict[str, Any] = {}
        self.builder: Any = None  # an ObjectBuilder while a field is being read

    def top(self, event: str, value: Any) -> None:
        OCDS.top(event, value, self.keys)

    def building(self, prefix: str, event: str, value: Any) -> None:
        self.builder.event(event, value)
        if prefix == self.keys[-1] and event in ("end_map", "end_array"):
            self.meta[prefix] = self.builder.value
            self.builder = None

    def field(self, prefix: str, event: str, value: Any) -> bool:
        """Take one event below the top; True once the list starts (when not ``whole``)."""
        if prefix in LISTS and not self.kind and event == "start_array":
            self.kind = prefix
            return not self.whole
        if self.kind and (prefix == self.kind or prefix.startswith(f"{self.kind}.")):
            return False
        if event in ("start_map", "start_array"):
            self.builder = ObjectBuilder()
            self.builder.event(event, value)
        else:
            self.meta[prefix] = value
        return False


def _package_fields(stream: IO[bytes], whole: bool = False) -> tuple[str, dict[str, Any]]:
    """The package's list (``releases`` or ``records``) and its own fields.

    Normally it stops where the list starts; ``whole`` goes on past the list (skipping
    it) for fields a publisher wrote after it.
    """
    head = _Head(whole)
    # a lone surrogate escape here is read as a stand-in, replaced by ``read_package``
    for prefix, event, value in ijson.parse(lone_surrogates.readable(stream), use_float=False):
        if head.builder is not None:
            head.building(prefix, event, value)
        elif prefix == "":
            head.top(event, value)
        elif head.field(prefix, event, value):
            break
    if not head.kind:
        raise OCDS.refuse(OCDS.looks_like(head.keys))
    guard(head.meta, "package")
    return head.kind, head.meta


@dataclass
class Package:
    """What ``read_package`` finds: the list's name (``releases`` or ``records``), the
    package's own fields, the places in them that held a lone surrogate (now U+FFFD), and
    each item with its location and such places within it."""

    kind: str
    meta: dict[str, Any]
    repaired: list[str]
    items: Iterator[tuple[str, Any, tuple[str, ...]]]


def read_package(stream: IO[bytes]) -> Package:
    """The package's list name, its own fields and its items, read from a package file."""
    _refuse_non_json(stream)
    start = stream.tell()
    try:
        kind, meta = _package_fields(stream)
        if any(key not in meta for key in required_fields(kind)):
            # perhaps written after the list: read the whole file for them
            stream.seek(start)
            kind, meta = _package_fields(stream, whole=True)
    except ijson.JSONError as exc:
        raise ImportFileError(f"The file is not valid JSON: {exc}") from exc
    stream.seek(start)

    def items() -> Iterator[tuple[str, Any, tuple[str, ...]]]:
        try:
            found = lone_surrogates.json_items(stream, f"{kind}.item")
            for index, (item, repaired) in enumerate(found):
                yield f"{kind}/{index}", item, repaired
        except ijson.JSONError as exc:
            raise ImportFileError(f"The file is not valid JSON: {exc}") from exc

    return Package(kind, meta, lone_surrogates.replace_lone_surrogates(meta), items())


def _embedded(record: dict[str, Any], location: str) -> tuple[str, dict[str, Any]] | None:
    """A record's compiled release, else its newest embedded release, with its location."""
    compiled = record.get("compiledRelease")
    if isinstance(compiled, dict):
        return f"{location}/compiledRelease", compiled
    releases = record.get("releases")
    full = [
        (str(r.get("date") or ""), index, r)
        for index, r in enumerate(releases if isinstance(releases, list) else [])
        if isinstance(r, dict) and ("awards" in r or ("id" in r and "url" not in r))
    ]
    if not full:
        return None
    _, index, release = max(full, key=lambda entry: (entry[0], entry[1]))
    return f"{location}/releases/{index}", release


# --- turning an award into rows ------------------------------------------------------


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


SCHEME_NAMES = {
    "COMPANIESHOUSE": "GB-COH",
    "COMPANIES-HOUSE": "GB-COH",
    "GBCOH": "GB-COH",
    "CHARITYCOMMISSION": "GB-CHC",
    "CHARITY-COMMISSION": "GB-CHC",
    "GBCHC": "GB-CHC",
}


def _scheme(value: Any) -> str:
    """An identifier scheme as written ("gb_coh", "Companies House") in its org-id form."""
    text = re.sub(r"[\s_]+", "-", _text(value).upper()).strip("-")
    return SCHEME_NAMES.get(text, SCHEME_NAMES.get(text.replace("-", ""), text))


def _identifiers(party: dict[str, Any]) -> list[tuple[str, str]]:
    """The party's register identifiers as (scheme, number), the main one first."""
    found = []
    for identifier in [party.get("identifier"), *_list(party.get("additionalIdentifiers"))]:
        identifier = _dict(identifier)
        scheme = _scheme(identifier.get("scheme"))
        number = str(identifier.get("id") or "").strip()
        if number.upper().startswith(f"{scheme}-"):
            number = number[len(scheme) + 1 :]
        if scheme and number:
            found.append((scheme, number))
    return found


def recipient_dict(party: dict[str, Any], reference: dict[str, Any]) -> dict[str, Any]:
    """The supplier in the shape the recipient matcher reads (as a 360Giving recipient)."""
    identifiers = _identifiers(party)
    numbers = {scheme: number for scheme, number in reversed(identifiers)}
    org_id = f"{identifiers[0][0]}-{identifiers[0][1]}" if identifiers else ""
    return {
        "id": org_id,
        "name": _text(reference.get("name")) or _text(party.get("name")),
        "charityNumber": numbers.get("GB-CHC", ""),
        "companyNumber": numbers.get("GB-COH", ""),
        "postalCode": _text(_dict(party.get("address")).get("postalCode")),
    }


def _buyer(release: dict[str, Any], parties: dict[str, dict[str, Any]]) -> tuple[str, str]:
    """(org-id or id, name) of the release's buyer: the party with the buyer role first."""
    party = next(
        (p for p in parties.values() if "buyer" in _list(p.get("roles"))),
        None,
    )
    reference = _dict(release.get("buyer"))
    if party is None:
        party = parties.get(str(reference.get("id")), reference)
    identifiers = _identifiers(party)
    org_id = f"{identifiers[0][0]}-{identifiers[0][1]}" if identifiers else ""
    return (
        (org_id or str(party.get("id") or ""))[:KEY_LENGTH],
        (_text(party.get("name")) or _text(reference.get("name")))[:TEXT_LENGTH],
    )


@dataclass
class Row:
    """One award to one supplier, ready to write."""

    key: str
    fields: dict[str, Any]
    recipient: dict[str, Any]
    released: str
    warnings: list[str]


def _value(award: dict[str, Any], where: str, ocid: str) -> tuple[Decimal | None, list[Problem]]:
    amount = _dict(award.get("value")).get("amount")
    if amount is None:
        return None, []
    if isinstance(amount, bool) or not isinstance(amount, (int, float, Decimal)):
        return None, [
            _problem(
                WARNING,
                f"{where}/value/amount",
                f"amount is {described(amount)}, not a number; kept without a value",
                ocid,
                "amount",
                "value-not-number",
            )
        ]
    value = Decimal(str(amount))
    if not abs(value) < LARGEST_VALUE:
        return None, [
            _problem(
                WARNING,
                f"{where}/value/amount",
                f"amount {value} is too large to be a contract's value; kept without a value",
                ocid,
                "amount",
                "value-too-large",
            )
        ]
    return value.quantize(Decimal("0.01")), []


def award_rows(
    release: dict[str, Any], where: str, run_id: int, ocid: str = ""
) -> tuple[list[Row], list[Problem], list[Problem]]:
    """The release's awards as rows (one per supplier), with errors and warnings.

    ``ocid`` is the record's, for a compiled release that does not repeat it.
    """
    ocid = _text(release.get("ocid")) or ocid
    rows: list[Row] = []
    errors: list[Problem] = []
    warnings: list[Problem] = []
    awards = [(i, a) for i, a in enumerate(_list(release.get("awards"))) if isinstance(a, dict)]
    if not awards:
        return rows, errors, warnings
    if not ocid:
        errors.append(
            _problem(
                ERROR,
                f"{where}/ocid",
                "has no ocid, so its awards cannot be kept",
                "",
                "ocid",
                "no-ocid",
            )
        )
        return rows, errors, warnings
    parties = {str(p.get("id")): p for p in _list(release.get("parties")) if isinstance(p, dict)}
    buyer_id, buyer_name = _buyer(release, parties)
    if not buyer_name:
        warnings.append(
            _problem(
                WARNING,
                f"{where}/parties",
                "names no buyer (no party has the buyer role)",
                ocid,
                "buyer",
                "no-buyer",
            )
        )
    tender = _dict(release.get("tender"))
    contracts = [_dict(c) for c in _list(release.get("contracts"))]
    for index, award in awards:
        place = f"{where}/awards/{index}"
        suppliers = [
            (i, s) for i, s in enumerate(_list(award.get("suppliers"))) if isinstance(s, dict)
        ]
        if not suppliers:
            continue
        award_id = str(award.get("id") or "").strip()
        if not award_id:
            errors.append(
                _problem(
                    ERROR,
                    f"{place}/id",
                    "award has no id, so it cannot be kept",
                    ocid,
                    "id",
                    "no-award-id",
                )
            )
            continue
        value, value_warnings = _value(award, place, ocid)
        warnings.extend(value_warnings)
        contract = next((c for c in contracts if str(c.get("awardID")) == award_id), {})
        period = _dict(award.get("contractPeriod")) or _dict(contract.get("period"))
        currency = _text(_dict(award.get("value")).get("currency"))[:3]
        for s_index, reference in suppliers:
            supplier_id = str(reference.get("id") or "").strip()
            party = parties.get(supplier_id, {}) if supplier_id else {}
            recipient = recipient_dict(party, reference)
            s_place = f"{place}/suppliers/{s_index}"
            if not recipient["name"]:
                errors.append(
                    _problem(
                        ERROR,
                        s_place,
                        "supplier has no name, so it cannot be kept",
                        ocid,
                        "name",
                        "no-supplier-name",
                    )
                )
                continue
            key = f"{ocid}/{award_id}/{supplier_id or recipient['name']}"
            if len(key) > KEY_LENGTH:
                errors.append(
                    _problem(
                        ERROR,
                        s_place,
                        f"ocid, award id and supplier id together are longer than {KEY_LENGTH} "
                        "characters",
                        ocid,
                        "id",
                        "key-too-long",
                    )
                )
                continue
            rows.append(
                Row(
                    key=key,
                    fields={
                        "ocid": ocid,
                        "award_id": award_id[:KEY_LENGTH],
                        "title": (_text(award.get("title")) or _text(tender.get("title")))[
                            :TEXT_LENGTH
                        ],
                        "description": _text(award.get("description"))
                        or _text(tender.get("description")),
                        "status": _text(award.get("status"))[:40],
                        "buyer_org_id": buyer_id,
                        "buyer_name": buyer_name,
                        "supplier_org_id": (recipient["id"] or supplier_id)[:KEY_LENGTH],
                        "supplier_name": recipient["name"][:TEXT_LENGTH],
                        "currency": currency,
                        "value": value,
                        "award_date": _day(award.get("date")),
                        "start_date": _day(period.get("startDate")),
                        "end_date": _day(period.get("endDate")),
                        "data": release,
                        "import_run": run_id,
                    },
                    recipient=recipient,
                    released=str(release.get("date") or ""),
                    warnings=[],
                )
            )
    return rows, errors, warnings


# --- importing ----------------------------------------------------------------------


@dataclass
class OcdsImportResult:
    source_name: str
    dry_run: bool
    kind: str = "releases"
    read: int = 0
    created: int = 0
    updated: int = 0
    kept_newer: int = 0
    organisations_created: int = 0
    held: int = 0
    publishers: list[str] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return [*self.errors, *self.warnings]

    def summary(self) -> str:
        verb = "would be" if self.dry_run else "were"
        noun = "release" if self.kind == "releases" else "record"
        return (
            f"{self.read:,} {noun}{'' if self.read == 1 else 's'} read: "
            f"{self.created:,} contract awards {verb} added and {self.updated:,} updated"
            f" ({self.kept_newer:,} left as they were, a newer version being held); "
            f"{self.organisations_created:,} new organisations {verb} added to the register "
            f"and {self.held:,} suppliers {verb} held for review. "
            f"{len(self.errors):,} awards or releases could not be used; "
            f"{len(self.warnings):,} quality warnings."
        )


# The columns written, ``key`` first: the row's own fields, then what the writer adds.
FIELDS = [
    "ocid",
    "award_id",
    "title",
    "description",
    "status",
    "buyer_org_id",
    "buyer_name",
    "supplier_org_id",
    "supplier_name",
    "currency",
    "value",
    "award_date",
    "start_date",
    "end_date",
    "import_run",
]
WRITTEN = ["key", *FIELDS, "data", "warnings", "recipient", "recipient_status"]
DATES = ("award_date", "start_date", "end_date")


class _Writer:
    """Collect rows and write them in batches: the newest release of each key wins.

    Rows go to the database with one ``executemany`` a batch for the new and one for the
    known, their values adapted by the connection's own operations as the ORM would.
    """

    def __init__(self, result: OcdsImportResult, matcher: RecipientMatcher) -> None:
        self.result = result
        self.matcher = matcher
        self.pending: dict[str, Row] = {}
        self.written: dict[str, str] = {}  # key -> release date, for this file
        meta = ExternalContract._meta
        quote = connection.ops.quote_name
        columns = [quote(meta.get_field(name).column) for name in WRITTEN]
        table = quote(meta.db_table)
        names, marks = ", ".join(columns), ", ".join(["%s"] * len(columns))
        sets = ", ".join(f"{column} = %s" for column in columns[1:])
        # Table and column names come from the model; every value is a parameter.
        self.insert_sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608  # nosec B608
        self.update_sql = f"UPDATE {table} SET {sets} WHERE {columns[0]} = %s"  # noqa: S608  # nosec B608
        self.json = _json_parameter()
        value = meta.get_field("value")
        self.digits = (value.max_digits, value.decimal_places)

    def add(self, row: Row) -> None:
        held = self.pending.get(row.key)
        if held is not None and held.released > row.released:
            self.result.kept_newer += 1
            return
        if row.key in self.written and self.written[row.key] > row.released:
            self.result.kept_newer += 1
            return
        self.pending[row.key] = row
        if len(self.pending) >= BATCH:
            self.flush()

    def _values(self, row: Row, recipient: int | None, status: str) -> list[Any]:
        """The row's values in the order of ``WRITTEN``, adapted for the database."""
        ops = connection.ops
        fields = row.fields
        values = [row.key, *(fields[name] for name in FIELDS)]
        if fields["value"] is not None:
            values[WRITTEN.index("value")] = ops.adapt_decimalfield_value(
                fields["value"], *self.digits
            )
        for name in DATES:
            values[WRITTEN.index(name)] = ops.adapt_datefield_value(fields[name])
        values += [self.json(fields["data"]), self.json(row.warnings), recipient, status]
        return values

    def flush(self) -> None:
        if not self.pending:
            return
        existing = {
            key: (recipient, status, str(released or ""))
            for key, recipient, status, released in ExternalContract.objects.filter(
                key__in=list(self.pending)
            ).values_list("key", "recipient_id", "recipient_status", "data__date")
        }
        new, changed = [], []
        for key, row in self.pending.items():
            known = existing.get(key)
            if known is not None and known[2] > row.released and key not in self.written:
                self.result.kept_newer += 1
                continue
            if known is not None and known[0] is not None:
                recipient, status = known[0], known[1]
            else:
                recipient, status = self.matcher.match(row.recipient)
            if recipient is None:
                self.result.held += 1
            values = self._values(row, recipient, status)
            self.written[key] = row.released
            if known is None:
                new.append(values)
            else:
                changed.append([*values[1:], key])
        self.matcher.flush()  # the new suppliers first, then the contracts naming them
        with connection.cursor() as cursor:
            if new:
                cursor.executemany(self.insert_sql, new)
            if changed:
                cursor.executemany(self.update_sql, changed)
        self.result.created += len(new)
        self.result.updated += len(changed)
        self.pending = {}


def _item_problems(kind: str, item: dict[str, Any], location: str, ocid: str) -> list[Problem]:
    validator = item_validator(kind)
    if validator.is_valid(item):  # the common case, with no messages built
        return []
    return schema_problems(validator, item, location, ocid)


def _release_of(
    kind: str, item: Any, location: str, result: OcdsImportResult
) -> tuple[str, dict[str, Any]] | None:
    """The release to read in an item (a record's compiled or newest release), or None."""
    if not isinstance(item, dict):
        result.errors.append(
            _problem(ERROR, location, f"is not a {kind[:-1]} object", "", "", "not-an-object")
        )
        return None
    if kind == "releases":
        return location, item
    found = _embedded(item, location)
    if found is None:
        result.errors.append(
            _problem(
                ERROR,
                location,
                "record has no compiledRelease and no embedded release (only links to "
                "releases), so its awards cannot be read",
                _text(item.get("ocid")),
                "compiledRelease",
                "no-release",
            )
        )
    return found


def import_ocds(
    *,
    stream: IO[bytes],
    filename: str,
    dry_run: bool = False,
    actor: Any = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] = lambda items: items,
) -> OcdsImportResult:
    """Import every award with suppliers in the package, in one transaction."""
    package = read_package(stream)
    kind = package.kind
    result = OcdsImportResult(source_name=filename, dry_run=dry_run, kind=kind)
    result.warnings.extend(not_unicode("package", package.repaired, ""))
    result.warnings.extend(schema_problems(metadata_validator(kind), package.meta, "package", ""))
    publishers: dict[str, None] = {}
    with transaction.atomic():
        run = ImportRun.objects.create(
            kind=ImportKind.OCDS, source_name=filename[:255], file_format="json", imported_by=actor
        )
        matcher = RecipientMatcher(source=filename, actor=actor, batch=BATCH, label="OCDS")
        writer = _Writer(result, matcher)
        for location, item, repaired in progress(package.items):
            result.read += 1
            guard(item, location)
            item_ocid = _text(item.get("ocid")) if isinstance(item, dict) else ""
            unreadable = not_unicode(location, repaired, item_ocid)
            found = _release_of(kind, item, location, result)
            if found is None:
                result.warnings.extend(unreadable)
                continue
            where, release = found
            ocid = _text(release.get("ocid")) or item_ocid
            warnings = unreadable + _item_problems(kind, item, location, ocid)
            rows, errors, more = award_rows(release, where, run.pk, ocid)
            warnings += more
            result.errors.extend(errors)
            result.warnings.extend(warnings)
            for row in rows:
                row.warnings = [str(w) for w in warnings]
                publishers.setdefault(row.fields["buyer_name"], None)
                writer.add(row)
        writer.flush()
        result.organisations_created = matcher.created
        result.publishers = [name for name in publishers if name]
        if dry_run:
            transaction.set_rollback(True)
            return result
        ImportRun.objects.filter(pk=run.pk).update(
            publishers=result.publishers,
            records_read=result.read,
            grants_created=result.created,
            grants_updated=result.updated,
            organisations_created=result.organisations_created,
            held_for_review=result.held,
            errors=len(result.errors),
            warnings=len(result.warnings),
            problems=[p.as_dict() for p in result.problems],
        )
        log_action(
            action="opendata.ocds.imported",
            actor=actor,
            obj=run,
            after={
                "read": result.read,
                "created": result.created,
                "updated": result.updated,
                "kept_newer": result.kept_newer,
                "organisations_created": result.organisations_created,
                "held_for_review": result.held,
                "errors": len(result.errors),
                "warnings": len(result.warnings),
            },
        )
    analyze("opendata.ExternalContract", "organisations", "audit.AuditEvent")
    return result
