"""Import another funder's 360Giving data (JSON, XLSX or CSV) into the register (§2.6).

Published data is imperfect (DESIGN §4). Each grant is checked against the official
schema and codelists: a grant that cannot be used (no identifier, amount, date, funder
or recipient) is an error and is left out; anything else wrong is a quality warning kept
with the grant. No value is ever altered. A file that cannot be read, or that is hostile
(huge texts, deep nesting), changes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import IO, Any

import ijson
from django.db import transaction

from thrive.audit.services import log_action
from thrive.core.uploads import check_zip
from thrive.opendata import flat
from thrive.opendata.models import ImportRun
from thrive.opendata.recipients import RecipientMatcher
from thrive.opendata.standards import (
    codelist,
    codelist_paths,
    grant_fast_check,
    grant_validator,
    values_at,
)
from thrive.opendata.storing import TEXT_LENGTH, _first, _grant_row, _text, _Writer

MAX_TEXT = 100_000
MAX_DEPTH = 16


class ImportFileError(Exception):
    """The file as a whole cannot be imported; nothing was changed."""


@dataclass(frozen=True)
class Problem:
    location: str
    message: str
    grant_id: str = ""

    def __str__(self) -> str:
        ident = f" (grant {self.grant_id})" if self.grant_id else ""
        return f"{self.location}{ident}: {self.message}"


@dataclass
class ImportResult:
    source_name: str
    dry_run: bool
    grants_read: int = 0
    created: int = 0
    updated: int = 0
    organisations_created: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        verb = "would be" if self.dry_run else "were"
        return (
            f"{self.grants_read:,} grants read: {self.created:,} {verb} added and "
            f"{self.updated:,} updated; {self.organisations_created:,} new organisations "
            f"{verb} added to the register. {len(self.errors):,} grants could not be used; "
            f"{len(self.warnings):,} quality warnings."
        )


# --- reading ----------------------------------------------------------------


@dataclass
class Located:
    location: str
    grant: Any
    sheet: bool = False


EXPECTED = (
    'a 360Giving file is a JSON object with a "grants" list, or a sheet whose first row '
    "holds 360Giving column titles such as Identifier"
)
SCALARS = {"string", "number", "boolean", "null"}


def _not_360giving(looks_like: str) -> ImportFileError:
    return ImportFileError(f"This looks like {looks_like}, not 360Giving data; {EXPECTED}.")


def _refuse_empty(stream: IO[bytes]) -> None:
    start = stream.tell()
    empty = not stream.read(1)
    stream.seek(start)
    if empty:
        raise ImportFileError(f"The file is empty; {EXPECTED}.")


def _json_looks_like(keys: list[str]) -> str:
    """What a JSON object without a top-level grants list looks like, from its keys."""
    if "releases" in keys:
        return "an OCDS release package"
    if "records" in keys:
        return "an OCDS record package"
    if "ocid" in keys:
        return "a single OCDS release"
    if "grants" in keys:
        return 'a JSON object whose "grants" is not a list'
    if not keys:
        return "an empty JSON object"
    shown = ", ".join(f'"{key[:40]}"' for key in keys[:8])
    more = f" and {len(keys) - 8} more" if len(keys) > 8 else ""
    return f'a JSON object with the keys {shown}{more} and no "grants" list'


def _check_json_shape(stream: IO[bytes]) -> None:
    """Refuse a JSON file with no top-level grants list, saying what it looks like instead.

    It reads only as far as the grants list (or an OCDS package's releases or records),
    then goes back to the start for the import itself.
    """
    start = stream.tell()
    keys: list[str] = []
    try:
        for prefix, event, value in ijson.parse(stream):
            if prefix == "":
                if event == "start_array":
                    raise _not_360giving("a JSON list")
                if event in SCALARS:
                    raise _not_360giving("a single JSON value")
                if event == "map_key":
                    keys.append(str(value))
            elif prefix == "grants" and event == "start_array":
                break
            elif prefix in ("releases", "records") and event == "start_array":
                raise _not_360giving(_json_looks_like(keys))
        else:
            raise _not_360giving(_json_looks_like(keys))
    except ijson.JSONError as exc:
        raise ImportFileError(f"The file is not valid JSON: {exc}") from exc
    stream.seek(start)


def _check_sheet_header(header: list[Any] | tuple[Any, ...] | None) -> None:
    """Refuse a sheet without an Identifier column, naming the columns it has."""
    titles = [str(title).strip() for title in header or () if title not in (None, "")]
    if "identifier" in {title.lower() for title in titles}:
        return
    if not titles:
        raise ImportFileError(f"The first row of the sheet is empty; {EXPECTED}.")
    if any(title.lower() == "ocid" or title.lower().startswith("releases/") for title in titles):
        raise _not_360giving("OCDS contracting data flattened into a sheet")
    shown = ", ".join(f"'{title[:40]}'" for title in titles[:8])
    more = f" and {len(titles) - 8} more" if len(titles) > 8 else ""
    raise _not_360giving(f"a sheet with no Identifier column (its columns are {shown}{more})")


def _read_json(stream: IO[bytes]) -> Iterator[Located]:
    _check_json_shape(stream)
    try:
        for index, grant in enumerate(ijson.items(stream, "grants.item")):
            yield Located(f"grants/{index}", grant)
    except ijson.JSONError as exc:
        raise ImportFileError(f"The file is not valid JSON: {exc}") from exc


def _read_csv(stream: IO[bytes]) -> Iterator[Located]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        reader = csv.DictReader(text)
        _check_sheet_header(reader.fieldnames)
        for index, row in enumerate(reader, start=2):
            grant, unknown = flat.row_to_grant(row)
            yield Located(f"row {index}", (grant, unknown), sheet=True)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ImportFileError(f"The file is not a readable UTF-8 CSV file: {exc}") from exc


def _read_xlsx(stream: IO[bytes]) -> Iterator[Located]:
    """The grants sheet's grants, joined with any sheet per list as flattentool writes them
    (``flat.read_workbook``); any failure to read the workbook is the file's."""
    from openpyxl import load_workbook

    try:
        check_zip(stream)  # an XLSX file is a zip: refuse a zip bomb before openpyxl opens it
        book = load_workbook(stream, read_only=True, data_only=True)
        for where, grant, unknown in flat.read_workbook(book, _check_sheet_header):
            yield Located(where, (grant, unknown), sheet=True)
    except ImportFileError:
        raise
    except Exception as exc:  # a damaged workbook fails in many ways inside openpyxl
        raise ImportFileError(f"The file is not a readable XLSX workbook: {exc}") from exc


READERS: dict[str, Callable[[IO[bytes]], Iterator[Located]]] = {
    "json": _read_json,
    "csv": _read_csv,
    "xlsx": _read_xlsx,
}


def format_of(filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in READERS:
        raise ImportFileError("The file must be a .json, .xlsx or .csv 360Giving file")
    return suffix


# --- checking ---------------------------------------------------------------


def _hostile(node: Any, depth: int) -> bool:
    """Whether a text is too long or the nesting too deep, anywhere below ``node``."""
    if depth > MAX_DEPTH:
        return True
    items = node.values() if isinstance(node, dict) else node
    for item in items:
        kind = type(item)
        if kind is str:
            if len(item) > MAX_TEXT:
                return True
        elif (kind is dict or kind is list) and _hostile(item, depth + 1):
            return True
    return False


def _guard(value: Any, location: str) -> None:
    """Refuse hostile content (huge texts, deep nesting) before anything else looks at it.

    A quick walk with no location text; only a grant it finds hostile is walked again to
    say where (the same rules, so the same grants are refused).
    """
    kind = type(value)
    container = kind is dict or kind is list
    if (container and _hostile(value, 0)) or (kind is str and len(value) > MAX_TEXT):
        _guard_located(value, location)


def _guard_located(value: Any, location: str, depth: int = 0) -> None:
    """Raise for the first hostile value, naming where it is."""
    if depth > MAX_DEPTH:
        raise ImportFileError(f"{location}: nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise ImportFileError(
            f"{location}: a text of {len(value):,} characters is longer than the "
            f"{MAX_TEXT:,} allowed"
        )
    if isinstance(value, dict):
        for key, item in value.items():
            _guard_located(item, f"{location}/{key}", depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _guard_located(item, f"{location}/{index}", depth + 1)


ID_LENGTH = 255  # identifiers are kept whole or not at all
LARGEST_AMOUNT = Decimal(10) ** 14  # 16 digits with pence


def _usable_problems(grant: dict[str, Any]) -> list[tuple[str, str]]:
    """What stops a grant being used at all, as (place, message)."""
    problems = []
    if not _text(grant.get("id")):
        problems.append(("id", "has no identifier"))
    elif len(_text(grant.get("id"))) > ID_LENGTH:
        problems.append(("id", f"has an identifier longer than {ID_LENGTH} characters"))
    amount = grant.get("amountAwarded")
    if isinstance(amount, bool) or not isinstance(amount, (int, float, Decimal)):
        problems.append(("amountAwarded", "has no amount awarded as a number"))
    elif not abs(Decimal(str(amount))) < LARGEST_AMOUNT:
        problems.append(("amountAwarded", "is too large to be an amount of money"))
    try:
        date.fromisoformat(str(grant.get("awardDate", ""))[:10])
    except ValueError:
        problems.append(("awardDate", "has no award date in the form YYYY-MM-DD"))
    problems.extend(_party_problems(grant))
    if not _text(grant.get("currency")):
        problems.append(("currency", "has no currency"))
    return problems


def _party_problems(grant: dict[str, Any]) -> list[tuple[str, str]]:
    """The recipient and funder problems that stop a grant being used."""
    problems = []
    if grant.get("recipientIndividual"):
        problems.append(("recipientIndividual", "is a grant to an individual, never imported"))
    else:
        recipient = _first(grant, "recipientOrganization")
        if not _text(recipient.get("id")) or not _text(recipient.get("name")):
            problems.append(("recipientOrganization", "has no recipient identifier and name"))
    if not _text(_first(grant, "fundingOrganization").get("id")):
        problems.append(("fundingOrganization", "has no funder identifier"))
    for key in ("recipientOrganization", "fundingOrganization"):
        if len(_text(_first(grant, key).get("id"))) > ID_LENGTH:
            problems.append((key, f"has an identifier longer than {ID_LENGTH} characters"))
    return problems


def _storage_warnings(grant: dict[str, Any]) -> list[tuple[str, str]]:
    """What is kept other than as published (shortened texts, amounts to the penny)."""
    warnings = []
    texts = [
        ("title", grant.get("title")),
        ("recipientOrganization/0/name", _first(grant, "recipientOrganization").get("name")),
        ("fundingOrganization/0/name", _first(grant, "fundingOrganization").get("name")),
        ("grantProgramme/0/title", _first(grant, "grantProgramme").get("title")),
    ]
    for place, value in texts:
        if len(_text(value)) > TEXT_LENGTH:
            warnings.append(
                (
                    place,
                    f"is longer than {TEXT_LENGTH} characters; the first {TEXT_LENGTH} are kept",
                )
            )
    amount = Decimal(str(grant["amountAwarded"]))
    if amount != amount.quantize(Decimal("0.01")):
        warnings.append(("amountAwarded", f"{amount} has parts of a penny; kept to the penny"))
    return warnings


def _where(item: Located, pointer: str) -> str:
    if item.sheet:
        column = flat.column_for(pointer)
        return f"{item.location}, column {column}" if column else item.location
    return f"{item.location}/{pointer}" if pointer else item.location


def _passes_fast_check(grant: dict[str, Any]) -> bool:
    return grant_fast_check()(grant)


def check_grant(item: Located, grant: dict[str, Any]) -> tuple[list[Problem], list[Problem]]:
    """Return the grant's errors (unusable) and quality warnings."""
    grant_id = _text(grant.get("id"))
    errors = [
        Problem(_where(item, place), message, grant_id)
        for place, message in _usable_problems(grant)
    ]
    warnings = []
    if not errors and not _passes_fast_check(grant):
        for error in grant_validator().iter_errors(grant):
            pointer = "/".join(str(p) for p in error.absolute_path)
            warnings.append(Problem(_where(item, pointer), error.message[:300], grant_id))
        for path, listname in codelist_paths():
            codes = codelist(listname)
            for place, value in values_at(grant, path):
                if isinstance(value, str) and value not in codes:
                    message = f"'{value[:50]}' is not in the {listname[:-4]} codelist"
                    warnings.append(Problem(_where(item, place.strip("/")), message, grant_id))
    if not errors:
        warnings.extend(
            Problem(_where(item, place), message, grant_id)
            for place, message in _storage_warnings(grant)
        )
    return errors, warnings


# --- importing --------------------------------------------------------------


def _items(reader: Iterator[Located], result: ImportResult) -> Iterator[tuple[Located, dict]]:
    """Guard each item and unwrap sheet rows, warning once per unknown column."""
    unknown_seen: set[str] = set()
    for item in reader:
        result.grants_read += 1
        grant = item.grant
        if item.sheet:
            grant, unknown = grant
            for title in unknown:
                if title not in unknown_seen:
                    unknown_seen.add(title)
                    result.warnings.append(
                        Problem(item.location, f"column '{title}' is not a 360Giving field")
                    )
        _guard(grant, item.location)
        if not isinstance(grant, dict):
            result.errors.append(Problem(item.location, "is not a grant object"))
            continue
        yield item, grant


def import_360giving(
    *,
    stream: IO[bytes],
    filename: str,
    dry_run: bool = False,
    actor: Any = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] = lambda items: items,
) -> ImportResult:
    """Import every usable grant in the file, in one transaction; idempotent by grant id."""
    fmt = format_of(filename)
    _refuse_empty(stream)
    reader = READERS[fmt](stream)
    result = ImportResult(source_name=filename, dry_run=dry_run)
    with transaction.atomic():
        run = ImportRun.objects.create(source_name=filename[:255], imported_by=actor)
        matcher = RecipientMatcher(source=filename, actor=actor)
        writer = _Writer(result)
        seen: set[str] = set()
        for item, grant in progress(_items(reader, result)):
            errors, warnings = check_grant(item, grant)
            grant_id = _text(grant.get("id"))
            if not errors and grant_id in seen:
                errors = [
                    Problem(item.location, "repeats a grant identifier in this file", grant_id)
                ]
            if errors:
                result.errors.extend(errors)
                continue
            seen.add(grant_id)
            result.warnings.extend(warnings)
            recipient_id = matcher.organisation_for(_first(grant, "recipientOrganization"))
            writer.add(
                _grant_row(grant, recipient_id, run.pk),
                [f"{w.location}: {w.message}" for w in warnings],
            )
        writer.flush()
        result.organisations_created = matcher.created
        if dry_run:
            transaction.set_rollback(True)  # a dry run does the whole import, then undoes it
            return result
        ImportRun.objects.filter(pk=run.pk).update(
            grants_created=result.created,
            grants_updated=result.updated,
            organisations_created=result.organisations_created,
            warnings=len(result.warnings),
        )
        log_action(
            action="opendata.360giving.imported",
            actor=actor,
            obj=run,
            after={
                "grants_read": result.grants_read,
                "created": result.created,
                "updated": result.updated,
                "organisations_created": result.organisations_created,
                "errors": len(result.errors),
                "warnings": len(result.warnings),
            },
        )
    return result
