"""Planning an import: every row checked, matched to the register and flagged; nothing written."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from thrive.organisations import duplicates
from thrive.organisations.importing.reading import (
    COLUMNS,
    RowError,
    check_headers,
    read_rows,
    split_cell,
)
from thrive.organisations.importing.rows import PlannedRow, References, RowValidator
from thrive.organisations.models import (
    CharityRegisterCheck,
    Identifier,
    LegalForm,
    Organisation,
    RegisterStatus,
)
from thrive.organisations.names import same_name

Progress = Callable[[Iterable[Any], int], Iterable[Any]]


@dataclass
class ImportResult:
    dry_run: bool
    errors: list[RowError] = field(default_factory=list)
    plan: list[PlannedRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        """Rows that create, update or hold (created and held for duplicate review)."""
        return sum(1 for p in self.plan if p.action == action)

    @property
    def flagged(self) -> int:
        return sum(1 for p in self.plan if p.flags)

    @property
    def candidates(self) -> int:
        """Duplicate review pairs raised (a held row may raise more than one)."""
        return sum(p.candidates_raised or 0 for p in self.plan)

    def summary(self) -> str:
        if self.errors:
            return f"The file has {len(self.errors)} error(s). Nothing was imported."
        verb = "would be" if self.dry_run else "were"
        held = self.count("hold")
        pairs = "" if self.dry_run or not held else f" ({self.candidates} review pair(s) raised)"
        return (
            f"{self.count('create')} organisation(s) {verb} created, {self.count('update')} "
            f"{verb} updated, {held} {verb} created and held for duplicate review{pairs}, "
            f"and {self.flagged} {verb} flagged for a check."
        )


def _match_existing(plan: PlannedRow, errors: list[RowError]) -> None:
    """Find the record the row updates: by identifier first, then by exact name and postcode."""
    owners = {
        ident.organisation
        for ident in Identifier.objects.select_related("organisation").filter(
            org_id__in=plan.org_ids
        )
    }
    owners = {o.merged_into if o.merged_into_id else o for o in owners}
    if len(owners) > 1:
        names = " and ".join(sorted(o.name for o in owners))
        errors.append(
            RowError(
                plan.row, "org_id", f"the identifiers belong to different organisations: {names}"
            )
        )
        return
    if owners:
        plan.existing = owners.pop()
        return
    if plan.fields.get("name"):
        plan.existing = (
            Organisation.objects.active()
            .filter(name__iexact=plan.fields["name"], postcode=plan.fields.get("postcode", ""))
            .first()
        )
    if plan.existing is None and plan.fields.get("name"):
        probe = Organisation(
            name=plan.fields["name"],
            other_names=plan.fields.get("other_names", ""),
            postcode=plan.fields.get("postcode", ""),
            email=plan.fields.get("email", ""),
        )
        plan.possible_duplicates = [m.organisation.name for m in duplicates.find_matches(probe)]


def _within_file_duplicates(plans: list[PlannedRow]) -> None:
    """A new row like an earlier new row of the file (similar name, same postcode or email)
    will be held for review too once both are on the register: say so before."""
    earlier: list[PlannedRow] = []
    for plan in plans:
        if plan.existing is not None or not plan.fields.get("name"):
            continue
        for other in earlier:
            same_place = any(
                plan.fields.get(key) and plan.fields.get(key) == other.fields.get(key)
                for key in ("postcode", "email")
            )
            if same_place and _similar(plan, other):
                plan.possible_duplicates.append(f"{other.fields['name']} (row {other.row})")
        earlier.append(plan)


def _similar(plan: PlannedRow, other: PlannedRow) -> bool:
    def names(p: PlannedRow) -> list[str]:
        return [p.fields["name"], *split_cell(p.fields.get("other_names", "").replace("\n", ";"))]

    return any(
        duplicates.name_score(mine, theirs) >= duplicates.THRESHOLD
        for mine in names(plan)
        for theirs in names(other)
    )


# Legal forms that say something about the charity register, checked against the row.
ALWAYS_REGISTERED = {LegalForm.CIO: "a CIO is always on the charity register"}
NEVER_REGISTERED = {LegalForm.CIC: "a community interest company cannot be a registered charity"}


def _flag(plan: PlannedRow, checks: dict[str, CharityRegisterCheck]) -> None:
    """Reasons for an officer to look at the row again; a flagged row is still imported."""
    form = plan.fields.get("legal_form", "")
    charities = [org_id for org_id in plan.org_ids if org_id.startswith("GB-CHC-")]
    if form in ALWAYS_REGISTERED and not charities:
        plan.flags.append(f"{ALWAYS_REGISTERED[form]}, but no charity number is given")
    if form in NEVER_REGISTERED and charities:
        plan.flags.append(f"{NEVER_REGISTERED[form]}, but a charity number is given")
    for org_id in charities:
        check = checks.get(org_id.removeprefix("GB-CHC-"))
        if check is None:
            continue
        if check.status != RegisterStatus.REGISTERED:
            plan.flags.append(
                f"the register extract of {_extract_day(check)} shows charity "
                f"{check.charity_number} {check.get_status_display().lower()}"
            )
        elif plan.fields.get("name") and not same_name(check.register_name, [plan.fields["name"]]):
            plan.flags.append(
                f"charity {check.charity_number} is registered as {check.register_name}"
            )


def _extract_day(check: CharityRegisterCheck) -> str:
    day = check.extract_date or check.checked_at.date()
    return f"{day.day} {day:%B %Y}"


def _register_checks(plans: list[PlannedRow]) -> dict[str, CharityRegisterCheck]:
    numbers = {
        org_id.removeprefix("GB-CHC-")
        for plan in plans
        for org_id in plan.org_ids
        if org_id.startswith("GB-CHC-")
    }
    return {
        check.charity_number: check
        for check in CharityRegisterCheck.objects.filter(charity_number__in=numbers).order_by(
            "checked_at"
        )
    }


def _check_repeats(plans: list[PlannedRow], errors: list[RowError]) -> None:
    seen: dict[str, int] = {}
    for plan in plans:
        keys = [f"id:{org_id}" for org_id in plan.org_ids]
        if not plan.org_ids and plan.fields.get("name"):
            keys.append(f"name:{plan.fields['name'].lower()}|{plan.fields.get('postcode', '')}")
        for key in keys:
            if key in seen:
                column = "org_id" if key.startswith("id:") else "name"
                errors.append(
                    RowError(plan.row, column, f"repeats the organisation in row {seen[key]}")
                )
            else:
                seen[key] = plan.row


def plan_import(content: bytes, filename: str, progress: Progress | None = None) -> ImportResult:
    """Read and check the whole file; say what each row would do. Writes nothing."""
    result = ImportResult(dry_run=True)
    try:
        headers, rows = read_rows(content, filename)
    except (UnicodeDecodeError, csv.Error, OSError, ValueError, KeyError) as exc:
        result.errors.append(
            RowError(1, "(file)", f"the file cannot be read as CSV or XLSX ({exc})")
        )
        return result
    result.errors += check_headers(headers)
    if not rows:
        result.errors.append(RowError(2, "name", "the file has no rows of organisations"))
    if result.errors:
        return result
    refs = References()
    wrap = progress or (lambda items, total: items)
    for number, raw in wrap(_numbered(rows), len(rows)):
        validator = RowValidator(number, raw, refs)
        plan = validator.run()
        result.errors += validator.errors
        if not validator.errors:
            _match_existing(plan, result.errors)
        result.plan.append(plan)
    _check_repeats(result.plan, result.errors)
    if not result.errors:
        _within_file_duplicates(result.plan)
        checks = _register_checks(result.plan)
        for plan in result.plan:
            _flag(plan, checks)
    result.errors.sort(
        key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else 99)
    )
    return result


def _numbered(rows: list[dict[str, str]]) -> Iterator[tuple[int, dict[str, str]]]:
    for index, row in enumerate(rows):
        yield index + 2, row
