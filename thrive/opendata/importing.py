"""Import another funder's 360Giving data (JSON, XLSX or CSV) into the register (§2.6).

Published data is imperfect (DESIGN §4). Each grant is checked against the official
schema and codelists: a grant that cannot be used (no identifier, amount, date, funder
or recipient) is an error and is left out; anything else wrong is a quality warning kept
with the grant. Every problem is kept on the import run, in words (``problems``). No
value is ever altered. A file that cannot be read, or that is hostile
(huge texts, deep nesting), changes nothing.
"""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

import ijson
from django.db import transaction

from thrive.audit.services import log_action
from thrive.core.db import analyze
from thrive.core.uploads import check_zip
from thrive.opendata import flat, lone_surrogates
from thrive.opendata.models import ImportRun
from thrive.opendata.problems import ERROR, WARNING, GrantChecker, Problem
from thrive.opendata.recipients import RecipientMatcher
from thrive.opendata.storing import TEXT_LENGTH, _first, _grant_row, _text, _Writer

MAX_TEXT = 100_000
MAX_DEPTH = 16


class ImportFileError(Exception):
    """The file as a whole cannot be imported; nothing was changed."""


@dataclass
class ImportResult:
    """What an import found and did; ``problems`` holds every error and warning, in order."""

    source_name: str
    dry_run: bool
    file_format: str = ""
    grants_read: int = 0
    created: int = 0
    updated: int = 0
    organisations_created: int = 0
    held_for_review: int = 0
    unusable: int = 0  # grants left out because of an error
    publishers: dict[str, None] = field(default_factory=dict)  # funder names, in order seen
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def summary(self) -> str:
        verb = "would be" if self.dry_run else "were"
        warnings = sum(1 for p in self.problems if p.severity == WARNING)
        errors = len(self.problems) - warnings
        return (
            f"{self.grants_read:,} grants read: {self.created:,} {verb} added and "
            f"{self.updated:,} updated; {self.organisations_created:,} new organisations "
            f"{verb} added to the register; {self.held_for_review:,} grants' recipients "
            f"{verb} held for review. {self.unusable:,} grants could not be used "
            f"({errors:,} errors); {warnings:,} quality warnings."
        )


# --- reading ----------------------------------------------------------------


@dataclass
class Located:
    location: str
    grant: Any
    sheet: bool = False
    repaired: tuple[str, ...] = ()  # texts given U+FFFD for lone surrogates
    tame: bool = False  # known to hold no hostile content (``guard`` would pass it)


SCALARS = {"string", "number", "boolean", "null"}
OTHER_DATA = {  # a top-level key of another standard's file, and what that file is
    "grants": "360Giving grant data",
    "releases": "an OCDS release package",
    "records": "an OCDS record package",
    "ocid": "a single OCDS release without its package",
}


@dataclass(frozen=True)
class FileKind:
    """What one standard's file is, to refuse a file of another kind saying what it is."""

    standard: str  # "360Giving"
    lists: tuple[str, ...]  # the top-level lists its JSON file holds its items in
    expected: str  # what its file is, in words

    def refuse(self, looks_like: str) -> ImportFileError:
        return ImportFileError(
            f"This looks like {looks_like}, not {self.standard} data; {self.expected}."
        )

    def empty(self) -> ImportFileError:
        return ImportFileError(f"The file is empty; {self.expected}.")

    def refuse_empty(self, stream: IO[bytes]) -> None:
        start = stream.tell()
        empty = not stream.read(1)
        stream.seek(start)
        if empty:
            raise self.empty()

    def top(self, event: str, value: Any, keys: list[str]) -> None:
        """Take one parse event at the top of the file: refuse a list or a single value,
        note each key of an object."""
        if event == "start_array":
            raise self.refuse("a JSON list")
        if event in SCALARS:
            raise self.refuse("a single JSON value")
        if event == "map_key":
            keys.append(str(value))

    def looks_like(self, keys: list[str]) -> str:
        """What a JSON object without this standard's list looks like, from its keys."""
        for name in self.lists:
            if name in keys:
                return f'a JSON object whose "{name}" is not a list'
        for key, words in OTHER_DATA.items():
            if key in keys:
                return words
        if not keys:
            return "an empty JSON object"
        shown = ", ".join(f'"{key[:40]}"' for key in keys[:8])
        more = f" and {len(keys) - 8} more" if len(keys) > 8 else ""
        lists = " or ".join(f'"{name}"' for name in self.lists)
        return f"a JSON object with the keys {shown}{more} and no {lists} list"


THREESIXTY = FileKind(
    "360Giving",
    ("grants",),
    'a 360Giving file is a JSON object with a "grants" list, or a sheet whose first row '
    "holds 360Giving column titles such as Identifier",
)


def _check_json_shape(stream: IO[bytes]) -> None:
    """Refuse a JSON file with no top-level grants list, saying what it looks like instead.

    It reads only as far as the grants list (or an OCDS package's releases or records),
    then goes back to the start for the import itself.
    """
    start = stream.tell()
    keys: list[str] = []
    try:
        for prefix, event, value in ijson.parse(lone_surrogates.readable(stream)):
            if prefix == "":
                THREESIXTY.top(event, value, keys)
            elif prefix == "grants" and event == "start_array":
                break
            elif prefix in ("releases", "records") and event == "start_array":
                raise THREESIXTY.refuse(THREESIXTY.looks_like(keys))
        else:
            raise THREESIXTY.refuse(THREESIXTY.looks_like(keys))
    except ijson.JSONError as exc:
        raise ImportFileError(f"The file is not valid JSON: {exc}") from exc
    stream.seek(start)


def _check_sheet_header(header: list[Any] | tuple[Any, ...] | None) -> None:
    """Refuse a sheet without an Identifier column, naming the columns it has."""
    titles = [str(title).strip() for title in header or () if title not in (None, "")]
    if "identifier" in {title.lower() for title in titles}:
        return
    if not titles:
        raise ImportFileError(f"The first row of the sheet is empty; {THREESIXTY.expected}.")
    if any(title.lower() == "ocid" or title.lower().startswith("releases/") for title in titles):
        raise THREESIXTY.refuse("OCDS contracting data flattened into a sheet")
    shown = ", ".join(f"'{title[:40]}'" for title in titles[:8])
    more = f" and {len(titles) - 8} more" if len(titles) > 8 else ""
    raise THREESIXTY.refuse(f"a sheet with no Identifier column (its columns are {shown}{more})")


def _read_json(stream: IO[bytes]) -> Iterator[Located]:
    _check_json_shape(stream)
    try:
        grants = lone_surrogates.json_items(stream, "grants.item")
        for index, (grant, repaired) in enumerate(grants):
            yield Located(f"grants/{index}", grant, repaired=repaired)
    except ijson.JSONError as exc:
        raise ImportFileError(f"The file is not valid JSON: {exc}") from exc


def _read_csv(stream: IO[bytes]) -> Iterator[Located]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        reader = csv.reader(text)
        header = next(reader, None)
        _check_sheet_header(header)
        columns = flat.SheetRows(header or (), padded=True)  # titles resolved once
        # No grant from a row nests deeper than its titles say, nor holds a text longer
        # than its longest cell: a row of short cells needs no walk through its grant.
        shallow = columns.depth <= MAX_DEPTH
        # rows are numbered as read, a blank line skipped (as csv.DictReader skips it)
        for index, row in enumerate(filter(None, reader), start=2):
            grant, unknown = columns.grant(row)
            tame = shallow and max(map(len, row)) <= MAX_TEXT
            yield Located(f"row {index}", (grant, unknown), sheet=True, tame=tame)
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


def guard(value: Any, location: str) -> None:
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


def _storage_warnings(grant: dict[str, Any]) -> list[tuple[str, tuple[str, str]]]:
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
            words = f"is longer than {TEXT_LENGTH} characters; the first {TEXT_LENGTH} are kept"
            warnings.append((place, ("too-long", words)))
    amount = Decimal(str(grant["amountAwarded"]))
    if amount != amount.quantize(Decimal("0.01")):
        words = f"{amount} has parts of a penny; kept to the penny"
        warnings.append(("amountAwarded", ("part-penny", words)))
    return warnings


def check_grant(
    checker: GrantChecker, item: Located, grant: dict[str, Any]
) -> tuple[list[Problem], list[Problem]]:
    """Return the grant's errors (unusable) and quality warnings, each in words."""
    errors, warnings = checker.check(item.location, grant)
    if not errors:
        grant_id = _text(grant.get("id"))
        for pointer, (kind, words) in _storage_warnings(grant):
            found = (kind, f"{checker.name(pointer)} {words}")
            warnings.append(checker.problem(item.location, grant_id, pointer, found, WARNING))
    return errors, warnings


# --- importing --------------------------------------------------------------


def _items(
    reader: Iterator[Located], result: ImportResult, checker: GrantChecker
) -> Iterator[tuple[Located, dict]]:
    """Guard each item and unwrap sheet rows, warning once per unknown column."""
    unknown_seen: set[str] = set()
    problems = result.problems
    for item in reader:
        result.grants_read += 1
        grant = item.grant
        if item.sheet:
            grant, unknown = grant
            for title in unknown:
                if title not in unknown_seen:
                    unknown_seen.add(title)
                    problems.append(checker.unknown_column(item.location, title))
        if not item.tame:
            guard(grant, item.location)
        for pointer in item.repaired:  # texts that were not Unicode, now kept with U+FFFD
            found = lone_surrogates.words(checker.name(pointer))
            grant_id = _text(grant.get("id")) if isinstance(grant, dict) else ""
            problems.append(checker.problem(item.location, grant_id, pointer, found, WARNING))
        if not isinstance(grant, dict):
            problems.append(checker.not_a_grant(item.location, grant))
            result.unusable += 1
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
    THREESIXTY.refuse_empty(stream)
    reader = READERS[fmt](stream)
    result = ImportResult(source_name=filename, dry_run=dry_run, file_format=fmt)
    checker = GrantChecker(sheet=fmt != "json")
    problems = result.problems
    with _old_objects_set_aside(), transaction.atomic():
        run = ImportRun.objects.create(
            source_name=filename[:255], imported_by=actor, file_format=fmt
        )
        matcher = RecipientMatcher(source=filename, actor=actor, batch=1000)
        writer = _Writer(result)
        seen: dict[str, str] = {}  # grant id -> where it was first read
        for item, grant in progress(_items(reader, result, checker)):
            errors, warnings = check_grant(checker, item, grant)
            grant_id = _text(grant.get("id"))
            if not errors and grant_id in seen:
                errors = [checker.repeated(item.location, grant_id, seen[grant_id])]
            if errors:
                problems += errors
                problems += warnings
                result.unusable += 1
                continue
            seen[grant_id] = item.location
            problems += warnings
            _note_publishers(grant, result.publishers)
            recipient_id, status = matcher.match(_first(grant, "recipientOrganization"))
            writer.add(
                _grant_row(grant, recipient_id, run.pk, status),
                [f"{w.place}: {w.message}" for w in warnings],
            )
        matcher.flush()
        writer.flush()
        result.organisations_created = matcher.created
        result.held_for_review = matcher.held
        if dry_run:
            transaction.set_rollback(True)  # a dry run does the whole import, then undoes it
            return result
        counts = _record_run(run, result)
        log_action(action="opendata.360giving.imported", actor=actor, obj=run, after=counts)
    analyze("opendata.ExternalGrant", "organisations", "audit.AuditEvent")
    return result


@contextmanager
def _old_objects_set_aside() -> Iterator[None]:
    """Leave what was alive before the import out of the garbage collector's full passes
    while it runs (they walked every object the process holds, a few times an import),
    then hand them back; not when something else has already set objects aside."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _note_publishers(grant: dict[str, Any], publishers: dict[str, None]) -> None:
    funders = grant.get("fundingOrganization")
    for funder in funders if isinstance(funders, list) else ():
        name = _text(funder.get("name")) if isinstance(funder, dict) else ""
        if name and name not in publishers:
            publishers[name[:TEXT_LENGTH]] = None


def _record_run(run: ImportRun, result: ImportResult) -> dict[str, int]:
    """Keep the run's counts and every problem on it; return the counts for the audit log."""
    warnings = sum(1 for p in result.problems if p.severity == WARNING)
    counts = {
        "grants_read": result.grants_read,
        "created": result.created,
        "updated": result.updated,
        "organisations_created": result.organisations_created,
        "held_for_review": result.held_for_review,
        "errors": result.unusable,
        "warnings": warnings,
    }
    ImportRun.objects.filter(pk=run.pk).update(
        records_read=result.grants_read,
        grants_created=result.created,
        grants_updated=result.updated,
        organisations_created=result.organisations_created,
        held_for_review=result.held_for_review,
        errors=result.unusable,
        warnings=warnings,
        publishers=list(result.publishers),
        problems=[problem.as_dict() for problem in result.problems],
    )
    return counts
