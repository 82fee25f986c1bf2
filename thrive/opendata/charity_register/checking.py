"""Check the register's charity numbers against the Charity Commission's register extract.

The Charity Commission for England and Wales publishes its whole register as a daily
extract (Open Government Licence): ``publicextract.charity.json``, a JSON list of about
380,000 records and some 500 MB, and the same table as tab-separated text
``publicextract.charity.txt``; each comes zipped. A record has, among others,
``registered_charity_number``, ``linked_charity_number`` (0 for the main charity, other
numbers for its linked charities), ``charity_name``, ``charity_registration_status``
("Registered" or "Removed"), ``date_of_registration``, ``date_of_removal``,
``latest_income``, ``latest_acc_fin_period_end_date`` and ``date_of_extract``.

The file is streamed (ijson for JSON, csv for text), so memory stays flat. Every
organisation holding a GB-CHC identifier gets a :class:`CharityRegisterCheck`: what the
register says of its number, flagged when the charity has been removed, is not on the
register at all, or is registered under another name (compared after normalising case,
punctuation, "The", "Ltd", "CIO" and the like).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from thrive.audit.services import log_action
from thrive.core.db import analyze
from thrive.opendata.charity_register.reading import (
    Reader,
    RegisterEntry,
    RegisterFileError,
    day_text,
    entry_of,
    number_of,
    read_date,
    records,
    sniff,
)
from thrive.opendata.models import ImportKind, ImportRun
from thrive.organisations.models import (
    CharityRegisterCheck,
    Identifier,
    Organisation,
    RegisterStatus,
)
from thrive.organisations.names import same_name

if TYPE_CHECKING:
    from thrive.accounts.models import User

PUBLISHER = "Charity Commission for England and Wales"
CHECKED_FIELDS = (
    "status",
    "register_name",
    "registered_on",
    "removed_on",
    "latest_income_pence",
    "income_period_end",
    "name_differs",
    "extract_date",
)

# Given the size in bytes of what will be read, a callback told the bytes of each read.
Progress = Callable[[int], Callable[[int], object]]


@dataclass
class RegisterResult:
    dry_run: bool
    source_name: str
    file_format: str = ""
    records_read: int = 0
    linked_records: int = 0
    extract_date: dt.date | None = None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    flags: list[dict[str, str]] = field(default_factory=list)
    checks: list[CharityRegisterCheck] = field(default_factory=list)
    # checks of numbers an organisation no longer holds: deleted, so no old evidence shows
    stale: list[int] = field(default_factory=list)

    @property
    def checked(self) -> int:
        return self.created + self.updated + self.unchanged

    def flagged(self, kind: str | None = None) -> int:
        return sum(1 for f in self.flags if kind is None or f["kind"] == kind)

    def summary(self) -> str:
        verb = "would be" if self.dry_run else "were"
        extract = day_text(self.extract_date) if self.extract_date else "an unknown date"
        return (
            f"Read {self.records_read:,} record(s) from the register extract of {extract} "
            f"({self.records_read - self.linked_records:,} charities and "
            f"{self.linked_records:,} linked charities). {self.checked:,} charity number(s) "
            f"held on the register {verb} checked: {self.created:,} new, {self.updated:,} "
            f"changed and {self.unchanged:,} unchanged. {self.flagged():,} {verb} flagged: "
            f"{self.flagged('removed'):,} removed from the register, "
            f"{self.flagged('not-on-register'):,} not on the register and "
            f"{self.flagged('name-differs'):,} registered under another name."
            + (
                f" {len(self.stale):,} check(s) of numbers no longer held {verb} removed."
                if self.stale
                else ""
            )
        )


def _held_numbers() -> dict[str, list[Identifier]]:
    """Every GB-CHC identifier of an organisation not merged into another, by number."""
    held: dict[str, list[Identifier]] = {}
    for ident in Identifier.objects.filter(
        scheme="GB-CHC", organisation__merged_into__isnull=True
    ).select_related("organisation"):
        held.setdefault(ident.value, []).append(ident)
    return held


def check_register(
    *,
    stream: IO[bytes],
    filename: str,
    dry_run: bool = False,
    actor: User | None = None,
    progress: Progress | None = None,
) -> RegisterResult:
    """Read the extract and check every charity number the register holds against it."""
    kind, raw, size = sniff(stream, filename)
    data = Reader(raw, progress(size) if progress else lambda n: None)
    result = RegisterResult(dry_run=dry_run, source_name=filename, file_format=kind)
    held = _held_numbers()
    found: dict[str, RegisterEntry] = {}
    for record in records(kind, data, filename):
        result.records_read += 1
        if number_of(record.get("linked_charity_number")) not in ("", "0"):
            result.linked_records += 1
            continue
        number = number_of(record.get("registered_charity_number"))
        if number in held:
            found[number] = entry_of(record, number)
        if result.extract_date is None:
            result.extract_date = read_date(record.get("date_of_extract"))
    if result.records_read == 0:
        raise RegisterFileError(f"{filename} holds no charities")
    _plan_checks(result, held, found)
    if not dry_run:
        _save(result, actor)
        analyze("organisations.CharityRegisterCheck")
    return result


def _plan_checks(
    result: RegisterResult, held: dict[str, list[Identifier]], found: dict[str, RegisterEntry]
) -> None:
    existing = {
        (c.organisation_id, c.charity_number): c for c in CharityRegisterCheck.objects.all()
    }
    now = timezone.now()
    for number in sorted(held, key=lambda n: (len(n), n)):
        entry = found.get(number)
        for ident in held[number]:
            organisation = ident.organisation
            values = _values(entry, organisation, result.extract_date)
            check = existing.get((organisation.pk, number))
            if check is None:
                check = CharityRegisterCheck(organisation=organisation, charity_number=number)
                result.created += 1
            elif any(getattr(check, name) != values[name] for name in CHECKED_FIELDS):
                result.updated += 1
            else:
                result.unchanged += 1
            for name, value in values.items():
                setattr(check, name, value)
            check.source_name, check.checked_at = result.source_name[:255], now
            result.checks.append(check)
            _note_flag(result, check, organisation.name)
    kept = {(c.organisation_id, c.charity_number) for c in result.checks}
    result.stale = sorted(c.pk for key, c in existing.items() if key not in kept)


def _values(
    entry: RegisterEntry | None, organisation: Organisation, extract: dt.date | None
) -> dict:
    if entry is None:
        return {
            "status": RegisterStatus.NOT_FOUND,
            "register_name": "",
            "registered_on": None,
            "removed_on": None,
            "latest_income_pence": None,
            "income_period_end": None,
            "name_differs": False,
            "extract_date": extract,
        }
    names = [organisation.name, *organisation.other_names_list]
    return {
        "status": entry.status,
        "register_name": entry.name[:500],
        "registered_on": entry.registered_on,
        "removed_on": entry.removed_on,
        "latest_income_pence": entry.latest_income_pence,
        "income_period_end": entry.income_period_end,
        "name_differs": not same_name(entry.name, names),
        "extract_date": entry.extract_date or extract,
    }


def _note_flag(result: RegisterResult, check: CharityRegisterCheck, name: str) -> None:
    location = f"{name} (charity {check.charity_number})"
    if check.status == RegisterStatus.REMOVED:
        removed = f" on {day_text(check.removed_on)}" if check.removed_on else ""
        result.flags.append(
            {
                "kind": "removed",
                "location": location,
                "message": f"charity {check.charity_number} was removed from the register{removed}",
            }
        )
    elif check.status == RegisterStatus.NOT_FOUND:
        result.flags.append(
            {
                "kind": "not-on-register",
                "location": location,
                "message": f"charity {check.charity_number} is not on the register",
            }
        )
    if check.name_differs:
        result.flags.append(
            {
                "kind": "name-differs",
                "location": location,
                "message": f"charity {check.charity_number} is registered as "
                f"{check.register_name}, not {name}",
            }
        )


def _save(result: RegisterResult, actor: User | None) -> None:
    with transaction.atomic():
        CharityRegisterCheck.objects.filter(pk__in=result.stale).delete()
        CharityRegisterCheck.objects.bulk_create(
            [c for c in result.checks if c.pk is None], batch_size=500
        )
        CharityRegisterCheck.objects.bulk_update(
            [c for c in result.checks if c.pk is not None],
            [*CHECKED_FIELDS, "source_name", "checked_at"],
            batch_size=500,
        )
        run = ImportRun.objects.create(
            kind=ImportKind.CHARITY_REGISTER,
            source_name=result.source_name[:255],
            file_format=result.file_format,
            publishers=[PUBLISHER],
            imported_by=actor if getattr(actor, "is_authenticated", False) else None,
            records_read=result.records_read,
            warnings=len(result.flags),
            problems=[
                {
                    "severity": "warning",
                    "location": flag["location"],
                    "grant_id": "",
                    "field": "charity_registration_status"
                    if flag["kind"] != "name-differs"
                    else "charity_name",
                    "kind": flag["kind"],
                    "message": flag["message"],
                }
                for flag in result.flags
            ],
        )
        log_action(
            action="organisations.charity_register.checked",
            actor=actor,
            obj=run,
            after={
                "file": result.source_name,
                "records_read": result.records_read,
                "checked": result.checked,
                "flagged": result.flagged(),
            },
        )
