"""Read an OCDS package as a stream: its head (kind and own fields), then each item."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import ijson
from ijson.common import ObjectBuilder

from thrive.opendata import lone_surrogates
from thrive.opendata.importing import FileKind, ImportFileError, guard
from thrive.opendata.ocds_import.schemas import required_fields

LISTS = {"releases": "release package", "records": "record package"}
OCDS = FileKind(
    "OCDS",
    tuple(LISTS),
    'an OCDS file is a JSON release package (an object with a "releases" list) or a '
    'record package (an object with a "records" list)',
)


def _refuse_non_json(stream: IO[bytes]) -> None:
    """Refuse an empty file, a workbook or a text that is not JSON, saying which."""
    start = stream.tell()
    head = stream.read(4096)
    stream.seek(start)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text:
        raise OCDS.empty()
    if text.startswith(b"PK\x03\x04"):
        raise OCDS.refuse("a spreadsheet workbook or other zip file")
    if text[:1] not in (b"{", b"["):
        first = text.split(b"\n", 1)[0].decode("utf-8", "replace").strip()
        if "," in first or "\t" in first:
            raise OCDS.refuse(f"a CSV file (its first row is {first[:80]!r})")
        raise OCDS.refuse("a text file that is not JSON")


class _Head:
    """Reads a package's own fields from its parse events, building each whole."""

    def __init__(self, whole: bool) -> None:
        self.whole = whole
        self.kind = ""
        self.keys: list[str] = []
        self.meta: dict[str, Any] = {}
        self.builder: Any = None  # an ObjectBuilder while a field is being read

    def top(self, event: str, value: Any) -> None:
        OCDS.top(event, value, self.keys)

    def building(self, prefix: str, event: str, value: Any) -> None:
        self.builder.event(event, value)
        if prefix == self.keys[-1] and event in ("end_map", "end_array"):
            self.meta[prefix] = self.builder.value
            self.builder = None

    def field(self, prefix: str, event: str, value: Any) -> bool:
        """Take one event below the top; True once the list starts (when not ``whole``)."""
        if prefix in LISTS and not self.kind and event == "start_array":
            self.kind = prefix
            return not self.whole
        if self.kind and (prefix == self.kind or prefix.startswith(f"{self.kind}.")):
            return False
        if event in ("start_map", "start_array"):
            self.builder = ObjectBuilder()
            self.builder.event(event, value)
        else:
            self.meta[prefix] = value
        return False


def _package_fields(stream: IO[bytes], whole: bool = False) -> tuple[str, dict[str, Any]]:
    """The package's list (``releases`` or ``records``) and its own fields.

    Normally it stops where the list starts; ``whole`` goes on past the list (skipping
    it) for fields a publisher wrote after it.
    """
    head = _Head(whole)
    # a lone surrogate escape here is read as a stand-in, replaced by ``read_package``
    for prefix, event, value in ijson.parse(lone_surrogates.readable(stream), use_float=False):
        if head.builder is not None:
            head.building(prefix, event, value)
        elif prefix == "":
            head.top(event, value)
        elif head.field(prefix, event, value):
            break
    if not head.kind:
        raise OCDS.refuse(OCDS.looks_like(head.keys))
    guard(head.meta, "package")
    return head.kind, head.meta


@dataclass
class Package:
    """What ``read_package`` finds: the list's name (``releases`` or ``records``), the
    package's own fields, the places in them that held a lone surrogate (now U+FFFD), and
    each item with its location and such places within it."""

    kind: str
    meta: dict[str, Any]
    repaired: list[str]
    items: Iterator[tuple[str, Any, tuple[str, ...]]]


def read_package(stream: IO[bytes]) -> Package:
    """The package's list name, its own fields and its items, read from a package file."""
    _refuse_non_json(stream)
    start = stream.tell()
    try:
        kind, meta = _package_fields(stream)
        if any(key not in meta for key in required_fields(kind)):
            # perhaps written after the list: read the whole file for them
            stream.seek(start)
            kind, meta = _package_fields(stream, whole=True)
    except ijson.JSONError as exc:
        raise ImportFileError(f"The file is not valid JSON: {exc}") from exc
    stream.seek(start)

    def items() -> Iterator[tuple[str, Any, tuple[str, ...]]]:
        try:
            found = lone_surrogates.json_items(stream, f"{kind}.item")
            for index, (item, repaired) in enumerate(found):
                yield f"{kind}/{index}", item, repaired
        except ijson.JSONError as exc:
            raise ImportFileError(f"The file is not valid JSON: {exc}") from exc

    return Package(kind, meta, lone_surrogates.replace_lone_surrogates(meta), items())


def embedded(record: dict[str, Any], location: str) -> tuple[str, dict[str, Any]] | None:
    """A record's compiled release, else its newest embedded release, with its location."""
    compiled = record.get("compiledRelease")
    if isinstance(compiled, dict):
        return f"{location}/compiledRelease", compiled
    releases = record.get("releases")
    full = [
        (str(r.get("date") or ""), index, r)
        for index, r in enumerate(releases if isinstance(releases, list) else [])
        if isinstance(r, dict) and ("awards" in r or ("id" in r and "url" not in r))
    ]
    if not full:
        return None
    _, index, release = max(full, key=lambda entry: (entry[0], entry[1]))
    return f"{location}/releases/{index}", release
