"""Import a package: each item checked, read into rows and written, in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING, Any

from django.db import transaction

from thrive.audit.services import log_action
from thrive.core.db import analyze
from thrive.opendata import totals
from thrive.opendata.importing import guard
from thrive.opendata.models import FundingKind, ImportKind, ImportRun
from thrive.opendata.ocds_import.reading import embedded, read_package
from thrive.opendata.ocds_import.rows import award_rows, clean_text
from thrive.opendata.ocds_import.schemas import (
    item_validator,
    metadata_validator,
    not_unicode,
    problem,
    schema_problems,
)
from thrive.opendata.ocds_import.writing import BATCH, OcdsImportResult, Writer
from thrive.opendata.problems import ERROR, Problem
from thrive.opendata.recipients import RecipientMatcher

if TYPE_CHECKING:
    from thrive.accounts.models import User


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
            problem(ERROR, location, f"is not a {kind[:-1]} object", "", "", "not-an-object")
        )
        return None
    if kind == "releases":
        return location, item
    found = embedded(item, location)
    if found is None:
        result.errors.append(
            problem(
                ERROR,
                location,
                "record has no compiledRelease and no embedded release (only links to "
                "releases), so its awards cannot be read",
                clean_text(item.get("ocid")),
                "compiledRelease",
                "no-release",
            )
        )
    return found


def _read_item(
    kind: str,
    located: tuple[str, Any, tuple[str, ...]],
    run: ImportRun,
    result: OcdsImportResult,
    writer: Writer,
) -> None:
    """Check one release or record and hand the writer a row for each award's supplier."""
    location, item, repaired = located
    result.read += 1
    guard(item, location)
    item_ocid = clean_text(item.get("ocid")) if isinstance(item, dict) else ""
    unreadable = not_unicode(location, repaired, item_ocid)
    found = _release_of(kind, item, location, result)
    if found is None:
        result.warnings.extend(unreadable)
        return
    where, release = found
    ocid = clean_text(release.get("ocid")) or item_ocid
    warnings = unreadable + _item_problems(kind, item, location, ocid)
    rows, errors, more = award_rows(release, where, run.pk, ocid)
    warnings += more
    result.errors.extend(errors)
    result.warnings.extend(warnings)
    for row in rows:
        row.warnings = [str(w) for w in warnings]
        writer.publishers.setdefault(row.fields["buyer_name"], None)
        writer.add(row)


def _record_run(run: ImportRun, result: OcdsImportResult, actor: User | None) -> None:
    """Keep the counts and problems with the run, and audit the import."""
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


def import_ocds(
    *,
    stream: IO[bytes],
    filename: str,
    dry_run: bool = False,
    actor: User | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] = lambda items: items,
) -> OcdsImportResult:
    """Import every award with suppliers in the package, in one transaction."""
    package = read_package(stream)
    kind = package.kind
    result = OcdsImportResult(source_name=filename, dry_run=dry_run, kind=kind)
    result.warnings.extend(not_unicode("package", package.repaired, ""))
    result.warnings.extend(schema_problems(metadata_validator(kind), package.meta, "package", ""))
    with transaction.atomic():
        run = ImportRun.objects.create(
            kind=ImportKind.OCDS, source_name=filename[:255], file_format="json", imported_by=actor
        )
        matcher = RecipientMatcher(source=filename, actor=actor, batch=BATCH, label="OCDS")
        writer = Writer(result, matcher)
        for located in progress(package.items):
            _read_item(kind, located, run, result, writer)
        writer.flush()
        result.organisations_created = matcher.created
        result.publishers = [name for name in writer.publishers if name]
        if dry_run:
            transaction.set_rollback(True)
            return result
        _record_run(run, result, actor)
        totals.refresh_imported(FundingKind.CONTRACT, writer.recipients)
    analyze(
        "opendata.ExternalContract", "opendata.FundingTotal", "organisations", "audit.AuditEvent"
    )
    return result
