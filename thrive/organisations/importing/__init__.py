"""Bulk import of organisations from CSV or XLSX: all rows or none (DESIGN §4).

Every error names its row and column (``row N, column X: message``). A row whose
identifier, or whose exact name and postcode, is already on the register updates
that record, so importing the same file twice changes nothing new. Column titles,
legal forms, money, years and yes/no are read as officers write them
(:mod:`thrive.organisations.synonyms`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from thrive.audit.services import log_action
from thrive.core.db import analyze
from thrive.organisations import duplicates, services
from thrive.organisations.identifiers import canonical_org_id
from thrive.organisations.importing.planning import ImportResult, Progress, plan_import
from thrive.organisations.importing.reading import COLUMNS, RowError, read_rows
from thrive.organisations.importing.rows import PlannedRow
from thrive.organisations.models import RecordSource

if TYPE_CHECKING:
    from thrive.accounts.models import User

__all__ = [
    "COLUMNS",
    "ImportResult",
    "PlannedRow",
    "Progress",
    "RowError",
    "import_organisations",
    "plan_import",
    "read_rows",
]


def import_organisations(
    *,
    content: bytes,
    filename: str,
    actor: User | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Check the file and, unless a dry run, apply every row in one transaction (all or none)."""
    result = plan_import(content, filename, progress)
    result.dry_run = dry_run
    if dry_run or result.errors:
        return result
    wrap = progress or (lambda items, total: items)
    with transaction.atomic():
        for plan in wrap(result.plan, len(result.plan)):
            try:
                plan.candidates_raised = _apply(plan, actor, filename)
            except ValidationError as exc:
                for message in exc.messages:
                    result.errors.append(RowError(plan.row, "name", message))
        if result.errors:
            transaction.set_rollback(True)
            return result
        log_action(
            action="organisations.import.completed",
            actor=actor,
            after={
                "file": filename,
                "created": result.count("create") + result.count("hold"),
                "updated": result.count("update"),
                "held": result.count("hold"),
                "review_pairs": result.candidates,
                "flagged": result.flagged,
            },
        )
    analyze("organisations", "audit.AuditEvent")
    return result


def _apply(plan: PlannedRow, actor: User | None, filename: str) -> int | None:
    """Write the row; the number of duplicate review pairs a new record raised."""
    raised = None
    with transaction.atomic():
        if plan.existing is None:
            organisation = services.register_organisation(
                actor=actor,
                source=RecordSource.IMPORTED,
                source_detail=filename,
                fields=plan.fields,
                org_ids=plan.org_ids,
                areas=plan.areas,
                beneficiary_groups=plan.groups,
                check_duplicates=False,
            )
            raised = len(duplicates.raise_candidates(organisation=organisation, actor=actor))
        else:
            organisation = plan.existing
            services.update_organisation(
                organisation=organisation,
                actor=actor,
                changes=plan.fields,
                areas=set(organisation.areas.all()) | set(plan.areas),
                beneficiary_groups=set(organisation.beneficiary_groups.all()) | set(plan.groups),
                reason=f"Imported from {filename}",
            )
            held = set(organisation.identifiers.values_list("org_id", flat=True))
            for org_id in plan.org_ids:
                if org_id not in held:
                    scheme, value, _ = canonical_org_id(org_id)
                    services.add_identifier(
                        organisation=organisation, scheme=scheme, value=value, actor=actor
                    )
        if plan.income is not None:
            year, pence = plan.income
            current = organisation.incomes.filter(year=year).first()
            if current is None or current.amount_pence != pence:
                services.record_income(
                    organisation=organisation, year=year, amount_pence=pence, actor=actor
                )
    return raised
