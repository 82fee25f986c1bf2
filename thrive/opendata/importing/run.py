"""Import a 360Giving file: each grant checked, its recipient matched, kept in one transaction."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from django.db import transaction

from thrive.audit.services import log_action
from thrive.core.db import analyze
from thrive.opendata import lone_surrogates, totals
from thrive.opendata.importing.files import READERS, THREESIXTY, Located, format_of
from thrive.opendata.importing.guard import guard
from thrive.opendata.models import FundingKind, ImportRun
from thrive.opendata.problems import ERROR, WARNING, GrantChecker, Problem
from thrive.opendata.recipients import RecipientMatcher
from thrive.opendata.storing import TEXT_LENGTH, _first, _grant_row, _text, _Writer

if TYPE_CHECKING:
    from thrive.accounts.models import User


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
    actor: User | None = None,
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
        totals.refresh_imported(FundingKind.GRANT, writer.recipients)
        log_action(action="opendata.360giving.imported", actor=actor, obj=run, after=counts)
    analyze("opendata.ExternalGrant", "opendata.FundingTotal", "organisations", "audit.AuditEvent")
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
