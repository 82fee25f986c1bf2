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

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from thrive.audit.services import log_action
from thrive.core.db import analyze
from thrive.organisations import synonyms
from thrive.organisations.models import CharityRegisterCheck, Identifier, RegisterStatus
from thrive.organisations.names import names_agree, normalise_name

PUBLISHER = "Charity Commission for England and Wales"
REQUIRED_FIELDS = (
    "registered_charity_number",
    "linked_charity_number",
    "charity_name",
    "charity_registration_status",
)
STATUSES = {"registered": RegisterStatus.REGISTERED, "removed": RegisterStatus.REMOVED}
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


class RegisterFileError(Exception):
    """The file is not the Charity Commission's register extract; nothing was changed."""


def day_text(day: dt.date) -> str:
    """'1 December 2026'."""
    return f"{day.day} {day:%B %Y}"


def same_name(register: str, ours: list[str]) -> bool:
    """Whether the register's name is one of ours after normalising, as grant matching does
    ('THE FOOD BANK LTD' = 'Food Bank'), allowing a slip of spelling."""
    return names_agree(normalise_name(register), {normalise_name(name) for name in ours})


@dataclass(frozen=True)
class RegisterEntry:
    number: str
    name: str
    status: str
    registered_on: dt.date | None
    removed_on: dt.date | None
    latest_income_pence: int | None
    income_period_end: dt.date | None
    extract_date: dt.date | None


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


def _sniff(stream: IO[bytes], filename: str) -> tuple[str, IO[bytes], int]:
    """('json' or 'txt', the data stream, its size in bytes); open a zip's extract file."""
    head = stream.read(4096)
    stream.seek(0)
    if head.startswith(b"PK\x03\x04"):
        try:
            archive = zipfile.ZipFile(stream)
        except zipfile.BadZipFile as exc:
            raise RegisterFileError(f"{filename} is a damaged zip file") from exc
        members = [
            info for info in archive.infolist() if info.filename.lower().endswith((".json", ".txt"))
        ]
        if len(members) != 1:
            raise RegisterFileError(
                f"{filename} should hold one publicextract.charity .json or .txt file"
            )
        member = members[0]
        kind = "json" if member.filename.lower().endswith(".json") else "txt"
        return kind, archive.open(member), member.file_size
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    size = _size(stream)
    if not text:
        raise RegisterFileError(f"{filename} is empty")
    if text[:1] == b"[":
        return "json", stream, size
    if text[:1] == b"{":
        raise RegisterFileError(
            f"{filename} is a JSON object, not the register extract's list of charities "
            "(it may be a 360Giving or OCDS file): use publicextract.charity.json"
        )
    first_line = text.split(b"\n", 1)[0]
    if b"\t" in first_line:
        return "txt", stream, size
    raise RegisterFileError(
        f"{filename} is neither the register extract's JSON list nor its tab-separated text: "
        "use publicextract.charity.json or publicextract.charity.txt"
    )


def _size(stream: IO[bytes]) -> int:
    position = stream.tell()
    size = stream.seek(0, io.SEEK_END)
    stream.seek(position)
    return size


def _records(kind: str, stream: _Reader, filename: str) -> Iterator[dict[str, Any]]:
    if kind == "json":
        import ijson

        try:
            for number, item in enumerate(ijson.items(stream, "item")):
                if number == 0:
                    _check_fields(item if isinstance(item, dict) else {}, filename)
                yield item
        except ijson.JSONError as exc:
            raise RegisterFileError(f"{filename} is not valid JSON ({exc})") from exc
        return
    text = io.TextIOWrapper(io.BufferedReader(stream), encoding="utf-8", newline="")
    reader = csv.DictReader(text, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\")
    _check_fields(dict.fromkeys(reader.fieldnames or []), filename)
    yield from reader


class _Reader(io.RawIOBase):
    """The file without its byte order mark, telling ``on_read`` how much each read took."""

    def __init__(self, stream: IO[bytes], on_read: Callable[[int], object]) -> None:
        super().__init__()
        self.stream, self.on_read = stream, on_read
        head = stream.read(3)
        on_read(len(head))
        self.head = b"" if head == b"\xef\xbb\xbf" else head

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.head:
            size = min(len(buffer), len(self.head))
            buffer[:size], self.head = self.head[:size], self.head[size:]
            return size
        data = self.stream.read(len(buffer))
        buffer[: len(data)] = data
        self.on_read(len(data))
        return len(data)


def _check_fields(record: dict[str, Any], filename: str) -> None:
    missing = [name for name in REQUIRED_FIELDS if name not in record]
    if missing:
        raise RegisterFileError(
            f"{filename} is not the charity register extract (publicextract.charity): "
            f"its records have no {', '.join(missing)}"
        )


def _entry(record: dict[str, Any], number: str) -> RegisterEntry:
    status_text = synonyms.normalise(record.get("charity_registration_status"))
    removed_on = _date(record.get("date_of_removal"))
    status = STATUSES.get(status_text) or (
        RegisterStatus.REMOVED if removed_on else RegisterStatus.REGISTERED
    )
    return RegisterEntry(
        number=number,
        name=" ".join(str(record.get("charity_name") or "").split()),
        status=status,
        registered_on=_date(record.get("date_of_registration")),
        removed_on=removed_on,
        latest_income_pence=_pence(record.get("latest_income")),
        income_period_end=_date(record.get("latest_acc_fin_period_end_date")),
        extract_date=_date(record.get("date_of_extract")),
    )


def _date(value: Any) -> dt.date | None:
    try:
        return synonyms.date(value)
    except synonyms.NotUnderstood:
        return None


def _pence(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int((Decimal(str(value)) * 100).quantize(Decimal(1)))
    except InvalidOperation:
        return None


def _number(value: Any) -> str:
    text = str(value if value is not None else "").strip()
    return text[:-2] if text.endswith(".0") else text


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
    actor: Any = None,
    progress: Progress | None = None,
) -> RegisterResult:
    """Read the extract and check every charity number the register holds against it."""
    kind, raw, size = _sniff(stream, filename)
    data = _Reader(raw, progress(size) if progress else lambda n: None)
    result = RegisterResult(dry_run=dry_run, source_name=filename, file_format=kind)
    held = _held_numbers()
    found: dict[str, RegisterEntry] = {}
    for record in _records(kind, data, filename):
        result.records_read += 1
        if _number(record.get("linked_charity_number")) not in ("", "0"):
            result.linked_records += 1
            continue
        number = _number(record.get("registered_charity_number"))
        if number in held:
            found[number] = _entry(record, number)
        if result.extract_date is None:
            result.extract_date = _date(record.get("date_of_extract"))
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


def _values(entry: RegisterEntry | None, organisation: Any, extract: dt.date | None) -> dict:
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


def _save(result: RegisterResult, actor: Any) -> None:
    from thrive.opendata.models import ImportKind, ImportRun

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
