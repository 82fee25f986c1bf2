"""Checking one row of an import file and turning it into what would be written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import timezone

from thrive.core.models import Area, BeneficiaryGroup
from thrive.organisations import synonyms
from thrive.organisations.identifiers import canonical_org_id
from thrive.organisations.importing.reading import RowError, split_cell
from thrive.organisations.models import (
    Organisation,
    normalise_postcode,
)


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


class References:
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


class RowValidator:
    """Check one row, collecting every error rather than stopping at the first."""

    def __init__(self, number: int, raw: dict[str, str], refs: References) -> None:
        self.n, self.raw, self.refs = number, raw, refs
        self.errors: list[RowError] = []

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.n, column, message))

    def run(self) -> PlannedRow:
        fields = {
            "name": self.name(),
            "other_names": "\n".join(split_cell(self.raw.get("other_names", ""))),
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
            ("charity_number", f"GB-CHC-{v}")
            for v in split_cell(self.raw.get("charity_number", ""))
        ]
        given += [
            ("company_number", f"GB-COH-{v}")
            for v in split_cell(self.raw.get("company_number", ""))
        ]
        given += [("org_id", v) for v in split_cell(self.raw.get("org_id", ""))]
        found = []
        for column, text in given:
            try:
                found.append(canonical_org_id(text)[2])
            except ValidationError as exc:
                self.error(column, exc.messages[0])
        return list(dict.fromkeys(found))

    def lookup(self, column: str, table: dict[str, Any], what: str) -> list[Any]:
        found = []
        for value in split_cell(self.raw.get(column, "")):
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
