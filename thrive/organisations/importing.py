"""Bulk import of organisations from CSV or XLSX: all rows or none (DESIGN §4).

Every error names its row and column (``row N, column X: message``). A row whose
identifier, or whose exact name and postcode, is already on the register updates
that record, so importing the same file twice changes nothing new.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone

from thrive.audit.services import log_action
from thrive.core.models import Area, BeneficiaryGroup
from thrive.core.money import parse_pounds
from thrive.core.uploads import UnsafeZip, check_zip
from thrive.organisations import duplicates, services
from thrive.organisations.identifiers import canonical_org_id
from thrive.organisations.models import (
    Identifier,
    LegalForm,
    Organisation,
    RecordSource,
    normalise_postcode,
)

COLUMNS = [
    "name",
    "other_names",
    "legal_form",
    "charity_number",
    "company_number",
    "org_id",
    "postcode",
    "areas",
    "beneficiary_groups",
    "annual_income",
    "income_year",
    "website",
    "email",
]
REQUIRED_COLUMNS = ["name"]

Progress = Callable[[Iterable[Any], int], Iterable[Any]]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


@dataclass
class PlannedRow:
    row: int
    fields: dict[str, Any]
    org_ids: list[str]
    areas: list[Area]
    groups: list[BeneficiaryGroup]
    income: tuple[int, int] | None
    existing: Organisation | None = None
    possible_duplicates: list[str] = field(default_factory=list)

    @property
    def action(self) -> str:
        if self.existing is not None:
            return "update"
        return "hold" if self.possible_duplicates else "create"


@dataclass
class ImportResult:
    dry_run: bool
    errors: list[RowError] = field(default_factory=list)
    plan: list[PlannedRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for p in self.plan if p.action == action)

    def summary(self) -> str:
        if self.errors:
            return f"The file has {len(self.errors)} error(s). Nothing was imported."
        verb = "would be" if self.dry_run else "were"
        return (
            f"{self.count('create')} organisation(s) {verb} created, {self.count('update')} "
            f"{verb} updated and {self.count('hold')} {verb} created and held for duplicate review."
        )


class _References:
    """Areas and beneficiary groups by lower-case name (and group code)."""

    def __init__(self) -> None:
        self.areas: dict[str, Area] = {}
        for area in Area.objects.order_by("council_id", "pk"):
            self.areas.setdefault(area.name.lower(), area)
        self.groups: dict[str, BeneficiaryGroup] = {}
        for group in BeneficiaryGroup.objects.all():
            self.groups[group.code.lower()] = group
            self.groups[group.name.lower()] = group
        self.legal_forms = {v.lower(): v for v in LegalForm.values} | {
            label.lower(): value for value, label in LegalForm.choices
        }


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def read_rows(content: bytes, filename: str) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the data rows of a CSV or XLSX file, every cell as text."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    text = content.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    rows = list(reader)
    if not rows:
        return [], []
    headers = [h.strip().lower() for h in rows[0]]
    return headers, [_as_dict(headers, r) for r in rows[1:] if any(c.strip() for c in r)]


def _read_xlsx(content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    from openpyxl import load_workbook

    stream = io.BytesIO(content)
    check_zip(stream)  # an XLSX file is a zip: refuse a zip bomb before openpyxl opens it
    try:
        sheet = load_workbook(stream, read_only=True, data_only=True).worksheets[0]
        rows = [
            ["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)
        ]
    except Exception as exc:  # a damaged workbook fails in many ways inside openpyxl and zipfile
        raise UnsafeZip(f"it is damaged ({exc})") from exc
    if not rows:
        return [], []
    headers = [h.strip().lower() for h in rows[0]]
    return headers, [_as_dict(headers, r) for r in rows[1:] if any(c.strip() for c in r)]


def _as_dict(headers: list[str], row: list[str]) -> dict[str, str]:
    return {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(headers)}


def _check_headers(headers: list[str]) -> list[RowError]:
    errors = [
        RowError(1, column, "the column is missing")
        for column in REQUIRED_COLUMNS
        if column not in headers
    ]
    errors += [
        RowError(1, header or "(blank)", f"unknown column; use only {', '.join(COLUMNS)}")
        for header in headers
        if header not in COLUMNS
    ]
    return errors


class _RowValidator:
    """Check one row, collecting every error rather than stopping at the first."""

    def __init__(self, number: int, raw: dict[str, str], refs: _References) -> None:
        self.n, self.raw, self.refs = number, raw, refs
        self.errors: list[RowError] = []

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.n, column, message))

    def run(self) -> PlannedRow:
        fields = {
            "name": self.name(),
            "other_names": "\n".join(_split(self.raw.get("other_names", ""))),
            "legal_form": self.legal_form(),
            "postcode": self.postcode(),
            "website": self.website(),
            "email": self.email(),
        }
        return PlannedRow(
            row=self.n,
            fields={k: v for k, v in fields.items() if v},
            org_ids=self.identifiers(),
            areas=self.lookup("areas", self.refs.areas, "an area on the register"),
            groups=self.lookup("beneficiary_groups", self.refs.groups, "a beneficiary group"),
            income=self.income(),
        )

    def name(self) -> str:
        name = self.raw.get("name", "")
        if not name:
            self.error("name", "Enter the organisation's name")
        elif len(name) > 255:
            self.error("name", "The name must be 255 characters or fewer")
        return name

    def legal_form(self) -> str:
        value = self.raw.get("legal_form", "")
        if value and value.lower() not in self.refs.legal_forms:
            self.error(
                "legal_form",
                f"'{value}' is not a legal form; use one of {', '.join(LegalForm.values)}",
            )
            return ""
        return self.refs.legal_forms.get(value.lower(), "") if value else ""

    def postcode(self) -> str:
        value = self.raw.get("postcode", "")
        if not value:
            return ""
        try:
            return normalise_postcode(value)
        except ValidationError as exc:
            self.error("postcode", exc.messages[0])
            return ""

    def website(self) -> str:
        value = self.raw.get("website", "")
        if value:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except ValidationError:
                self.error(
                    "website",
                    "Enter a website address in the correct format, like https://www.example.org",
                )
                return ""
        return value

    def email(self) -> str:
        value = self.raw.get("email", "")
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.error(
                    "email", "Enter an email address in the correct format, like name@example.com"
                )
                return ""
        return value.lower()

    def identifiers(self) -> list[str]:
        given = [
            ("charity_number", f"GB-CHC-{v}") for v in _split(self.raw.get("charity_number", ""))
        ]
        given += [
            ("company_number", f"GB-COH-{v}") for v in _split(self.raw.get("company_number", ""))
        ]
        given += [("org_id", v) for v in _split(self.raw.get("org_id", ""))]
        found = []
        for column, text in given:
            try:
                found.append(canonical_org_id(text)[2])
            except ValidationError as exc:
                self.error(column, exc.messages[0])
        return list(dict.fromkeys(found))

    def lookup(self, column: str, table: dict[str, Any], what: str) -> list[Any]:
        found = []
        for value in _split(self.raw.get(column, "")):
            item = table.get(value.lower())
            if item is None:
                self.error(column, f"'{value}' is not {what}")
            else:
                found.append(item)
        return found

    def income(self) -> tuple[int, int] | None:
        amount, year = self.raw.get("annual_income", ""), self.raw.get("income_year", "")
        if not amount and not year:
            return None
        pence = None
        if not amount:
            self.error("annual_income", "Enter the income for the year given")
        else:
            try:
                pence = parse_pounds(amount)
            except ValueError as exc:
                self.error("annual_income", str(exc))
        this_year = timezone.localdate().year
        if not year.isdigit() or not 1900 <= int(year) <= this_year:
            self.error("income_year", f"Enter a year between 1900 and {this_year}")
            return None
        return (int(year), pence) if pence is not None else None


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
    result.errors += _check_headers(headers)
    if not rows:
        result.errors.append(RowError(2, "name", "the file has no rows of organisations"))
    if result.errors:
        return result
    refs = _References()
    wrap = progress or (lambda items, total: items)
    for number, raw in wrap(_numbered(rows), len(rows)):
        validator = _RowValidator(number, raw, refs)
        plan = validator.run()
        result.errors += validator.errors
        if not validator.errors:
            _match_existing(plan, result.errors)
        result.plan.append(plan)
    _check_repeats(result.plan, result.errors)
    result.errors.sort(
        key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else 99)
    )
    return result


def _numbered(rows: list[dict[str, str]]) -> Iterator[tuple[int, dict[str, str]]]:
    for index, row in enumerate(rows):
        yield index + 2, row


def import_organisations(
    *,
    content: bytes,
    filename: str,
    actor: Any = None,
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
                _apply(plan, actor, filename)
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
            },
        )
    return result


def _apply(plan: PlannedRow, actor: Any, filename: str) -> None:
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
            )
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
