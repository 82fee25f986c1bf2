"""Bulk import of organisations from CSV or XLSX: all rows or none (DESIGN §4).

Every error names its row and column (``row N, column X: message``). A row whose
identifier, or whose exact name and postcode, is already on the register updates
that record, so importing the same file twice changes nothing new. Column titles,
legal forms, money, years and yes/no are read as officers write them
(:mod:`thrive.organisations.synonyms`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone

from thrive.audit.services import log_action
from thrive.core.db import analyze
from thrive.core.models import Area, BeneficiaryGroup
from thrive.core.uploads import UnsafeZip, check_zip
from thrive.organisations import charity_register, duplicates, services, synonyms
from thrive.organisations.identifiers import canonical_org_id
from thrive.organisations.models import (
    CharityRegisterCheck,
    Identifier,
    LegalForm,
    Organisation,
    RecordSource,
    RegisterStatus,
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
    "directory_opt_in",
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
    flags: list[str] = field(default_factory=list)
    candidates_raised: int | None = None  # set when applied: the review pairs really raised

    @property
    def action(self) -> str:
        if self.existing is not None:
            return "update"
        if self.candidates_raised is not None:
            return "hold" if self.candidates_raised else "create"
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
        self.this_year = timezone.localdate().year


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
    headers = _columns(rows[0])
    return headers, [_as_dict(headers, r) for r in rows[1:] if any(c.strip() for c in r)]


def _columns(titles: list[str]) -> list[str]:
    """Each title as the column it means ('Charity No.' -> charity_number), else as written."""
    return [synonyms.column_for(t) or " ".join(t.split()) for t in titles]


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as text: dates as 2024-03-31, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    from openpyxl import load_workbook

    stream = io.BytesIO(content)
    check_zip(stream)  # an XLSX file is a zip: refuse a zip bomb before openpyxl opens it
    try:
        sheet = load_workbook(stream, read_only=True, data_only=True).worksheets[0]
        rows = [[_cell_text(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    except Exception as exc:  # a damaged workbook fails in many ways inside openpyxl and zipfile
        raise UnsafeZip(f"it is damaged ({exc})") from exc
    if not rows:
        return [], []
    headers = _columns(rows[0])
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
    errors += [
        RowError(1, header, "the column appears more than once")
        for index, header in enumerate(headers)
        if header in COLUMNS and header in headers[:index]
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
        fields = {k: v for k, v in fields.items() if v}
        listed = self.yes_no("directory_opt_in")
        if listed is not None:
            fields["directory_opt_in"] = listed
        return PlannedRow(
            row=self.n,
            fields=fields,
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
        if not value:
            return ""
        try:
            return synonyms.legal_form(value)
        except synonyms.NotUnderstood as exc:
            self.error("legal_form", str(exc))
            return ""

    def yes_no(self, column: str) -> bool | None:
        try:
            return synonyms.yes_no(self.raw.get(column, ""))
        except synonyms.NotUnderstood as exc:
            self.error(column, str(exc))
            return None

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
                pence = synonyms.money_pence(amount)
            except synonyms.NotUnderstood as exc:
                self.error("annual_income", str(exc))
        this_year = self.refs.this_year
        try:
            ended = synonyms.year_ending(year, latest=this_year) if year else None
        except synonyms.NotUnderstood as exc:
            self.error("income_year", str(exc))
            return None
        if ended is None or not 1900 <= ended <= this_year:
            self.error("income_year", f"Enter a year between 1900 and {this_year}")
            return None
        return (ended, pence) if pence is not None else None


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
        return [p.fields["name"], *_split(p.fields.get("other_names", "").replace("\n", ";"))]

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
        elif plan.fields.get("name") and not charity_register.same_name(
            check.register_name, [plan.fields["name"]]
        ):
            plan.flags.append(
                f"charity {check.charity_number} is registered as {check.register_name}"
            )


def _extract_day(check: CharityRegisterCheck) -> str:
    return charity_register.day_text(check.extract_date or check.checked_at.date())


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


def _apply(plan: PlannedRow, actor: Any, filename: str) -> int | None:
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
