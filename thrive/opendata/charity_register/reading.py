"""Reading the Charity Commission's register extract: JSON, tab-separated text, or zipped.

The file is streamed (ijson for JSON, csv for text), so memory stays flat; a file that is not
the extract raises :class:`RegisterFileError` before anything is changed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from thrive.organisations import synonyms
from thrive.organisations.models import RegisterStatus

REQUIRED_FIELDS = (
    "registered_charity_number",
    "linked_charity_number",
    "charity_name",
    "charity_registration_status",
)
STATUSES = {"registered": RegisterStatus.REGISTERED, "removed": RegisterStatus.REMOVED}


class RegisterFileError(Exception):
    """The file is not the Charity Commission's register extract; nothing was changed."""


def day_text(day: dt.date) -> str:
    """'1 December 2026'."""
    return f"{day.day} {day:%B %Y}"


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


def sniff(stream: IO[bytes], filename: str) -> tuple[str, IO[bytes], int]:
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


def records(kind: str, stream: Reader, filename: str) -> Iterator[dict[str, Any]]:
    if kind == "json":
        import ijson  # lazy: a heavy reader, needed only for a JSON extract

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


class Reader(io.RawIOBase):
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


def entry_of(record: dict[str, Any], number: str) -> RegisterEntry:
    status_text = synonyms.normalise(record.get("charity_registration_status"))
    removed_on = read_date(record.get("date_of_removal"))
    status = STATUSES.get(status_text) or (
        RegisterStatus.REMOVED if removed_on else RegisterStatus.REGISTERED
    )
    return RegisterEntry(
        number=number,
        name=" ".join(str(record.get("charity_name") or "").split()),
        status=status,
        registered_on=read_date(record.get("date_of_registration")),
        removed_on=removed_on,
        latest_income_pence=pence_of(record.get("latest_income")),
        income_period_end=read_date(record.get("latest_acc_fin_period_end_date")),
        extract_date=read_date(record.get("date_of_extract")),
    )


def read_date(value: Any) -> dt.date | None:
    try:
        return synonyms.date(value)
    except synonyms.NotUnderstood:
        return None


def pence_of(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int((Decimal(str(value)) * 100).quantize(Decimal(1)))
    except InvalidOperation:
        return None


def number_of(value: Any) -> str:
    text = str(value if value is not None else "").strip()
    return text[:-2] if text.endswith(".0") else text
