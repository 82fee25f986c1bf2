"""Texts in published JSON that are not Unicode: lone surrogates, kept as U+FFFD and warned.

JSON may write any character as a ``\\uXXXX`` escape, and a character beyond the first
65,536 as a pair of them (``\\ud83d\\ude00``). Real published files hold escapes of half
a pair alone (``"\\ud800"``), usually a text cut in the middle of an emoji. Such a text
is no Unicode text at all: PostgreSQL refuses it (in ``text`` and in ``jsonb``), SQLite
would keep it, and the fast JSON reader guesses (``\\ud800`` alone becomes ``?``,
``\\ud800\\u0041`` a wrong character, a lone ``\\udc00`` stops the file).

So the import reads a file holding such an escape through ``_StandIns``, which writes
each lone half as the escaped pair of U+10FFFF (a "noncharacter" no text should hold,
which the fast reader reads right), then puts the replacement character U+FFFD (``�``,
what a UTF-8 decoder puts for what it cannot read) in place of each, keeps the grant, and
warns, naming the grant and the field (a U+10FFFF the publisher wrote is replaced and
warned about the same way). Every database then stores the same text, and the publisher
learns where to look. A file without such an escape (nearly every file) is read as before:
finding out costs one pass over its bytes (about 1 ms of CPU a megabyte); a file with one
costs about 20 microseconds more a grant, for looking through each grant.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

import ijson

REPLACEMENT = "\ufffd"
KIND = "not-unicode"
SURROGATE = re.compile("[\ud800-\udfff\U0010ffff]")
_HIGH = rb"\\u[dD][89abAB][0-9a-fA-F]{2}"
_LOW = rb"\\u[dD][c-fC-F][0-9a-fA-F]{2}"
# Half a pair alone: a first half not followed by a second, or a second without a first.
# (An escaped backslash before "ud800" also matches: the file is then looked through for
# nothing, which is slower but reads the same.)
_LONE_ESCAPE = re.compile(_HIGH + rb"(?!" + _LOW + rb")|(?<!" + _HIGH + rb")" + _LOW)
_ESCAPE_START = (b"\\ud", b"\\uD")
_WIDTH = 12  # two escapes: what a match needs to see around it
READ_SIZE = 1 << 20


def has_lone_surrogate_escape(stream: IO[bytes]) -> bool:
    """Whether the JSON bytes escape half a surrogate pair alone; the stream is put back."""
    start = stream.tell()
    try:
        tail = b""
        while True:
            chunk = stream.read(READ_SIZE)
            last = len(chunk) < READ_SIZE
            data = tail + chunk
            if any(mark in data for mark in _ESCAPE_START):
                for match in _LONE_ESCAPE.finditer(data):
                    # Near the end, the next bytes may yet pair it: look again with them.
                    if last or match.start() < len(data) - _WIDTH:
                        return True
            if last:
                return False
            tail = data[-_WIDTH:]
    finally:
        stream.seek(start)


# Every escape in a JSON text, in order (so an escaped backslash is never taken for the
# start of another escape), with the four digits of a \\u escape.
_AN_ESCAPE = re.compile(rb"\\(?:u([0-9a-fA-F]{4})|.)", re.DOTALL)
# What a lone half is read as: U+10FFFF, a "noncharacter" no text should hold, written as
# the pair the fast reader reads right; each is then made U+FFFD with a warning.
_STAND_IN = rb"\udbff\udfff"
STAND_IN = "\U0010ffff"


def _is_high(digits: bytes | None) -> bool:
    return digits is not None and 0xD800 <= int(digits, 16) <= 0xDBFF


def _is_low(digits: bytes | None) -> bool:
    return digits is not None and 0xDC00 <= int(digits, 16) <= 0xDFFF


class _StandIns:
    """The JSON bytes with each lone surrogate escape written as ``_STAND_IN``, read in
    pieces as ijson reads a file."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.held = b""  # the end of the last piece, where an escape may not yet be whole
        self.done = False

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""
        out = b""
        while not out and not (self.done and not self.held):
            chunk = b"" if self.done else self.stream.read(max(size, READ_SIZE))
            self.done = not chunk
            out = self._rewrite(self.held + chunk)
        return out

    def _rewrite(self, data: bytes) -> bytes:
        escapes = list(_AN_ESCAPE.finditer(data))
        cut = len(data) if self.done else _safe_cut(data, escapes)
        self.held = data[cut:]
        parts: list[bytes] = []
        kept = 0
        for index, escape in enumerate(escapes):
            if escape.start() >= cut:
                break
            digits = escape.group(1)
            if _is_high(digits):
                after = escapes[index + 1] if index + 1 < len(escapes) else None
                paired = after is not None and after.start() == escape.end()
                lone = not (paired and _is_low(after.group(1)))
            elif _is_low(digits):
                before = escapes[index - 1] if index else None
                paired = before is not None and before.end() == escape.start()
                lone = not (paired and _is_high(before.group(1)))
            else:
                continue
            if lone:
                parts += [data[kept : escape.start()], _STAND_IN]
                kept = escape.end()
        parts.append(data[kept:cut])
        return b"".join(parts)


def _safe_cut(data: bytes, escapes: list[re.Match[bytes]]) -> int:
    """Where to stop in a piece so that no escape, nor a pair of them, is cut in two: the
    rest waits for the next piece."""
    cut = max(len(data) - _WIDTH, 0)
    for index, escape in enumerate(escapes):
        if escape.end() > cut:
            before = escapes[index - 1] if index else None
            if before and before.end() == escape.start() and _is_high(before.group(1)):
                return before.start()
            return escape.start()
    return cut


def readable(stream: IO[bytes]) -> _StandIns:
    """The JSON bytes with every lone surrogate escape made one the fast reader reads
    (for a look at a file's start, such as its package's keys, that must not fail on one)."""
    return _StandIns(stream)


def json_items(stream: IO[bytes], prefix: str) -> Iterator[tuple[Any, tuple[str, ...]]]:
    """Each item at ``prefix`` with the places in it given U+FFFD for a lone surrogate.

    Only a file that escapes a lone surrogate is rewritten as it is read and each item
    looked through; any other is read as it is and nothing else done.
    """
    if not has_lone_surrogate_escape(stream):
        for item in ijson.items(stream, prefix):
            yield item, ()
        return
    for item in ijson.items(_StandIns(stream), prefix):
        if isinstance(item, str):  # not a grant at all, but quoted in the error
            yield item.replace(STAND_IN, REPLACEMENT), ()
        else:
            yield item, tuple(replace_lone_surrogates(item))


def replace_lone_surrogates(node: Any, pointer: str = "") -> list[str]:
    """Put U+FFFD in place of every lone surrogate in the texts and names of ``node`` (its
    dicts and lists changed in place, names kept in order); return the JSON pointers of
    the texts changed."""
    changed: list[str] = []
    if isinstance(node, dict):
        if any(isinstance(key, str) and SURROGATE.search(key) for key in node):
            items = list(node.items())
            node.clear()
            for key, value in items:
                if isinstance(key, str) and SURROGATE.search(key):
                    key = SURROGATE.sub(REPLACEMENT, key)
                    changed.append(_within(pointer, key))
                node[key] = value
        places = list(node.items())
    elif isinstance(node, list):
        places = list(enumerate(node))
    else:
        return changed
    for key, value in places:
        place = _within(pointer, key)
        if isinstance(value, str):
            if SURROGATE.search(value):
                node[key] = SURROGATE.sub(REPLACEMENT, value)
                changed.append(place)
        elif isinstance(value, (dict, list)):
            changed += replace_lone_surrogates(value, place)
    return changed


def _within(pointer: str, step: Any) -> str:
    return f"{pointer}/{step}" if pointer else str(step)


def words(name: str) -> tuple[str, str]:
    """The warning for one text: its kind and what was wrong and done, in words."""
    return (
        KIND,
        f"{name} holds half of an escaped character pair (a lone surrogate, such as "
        f"\\ud800), which is not text; it is kept with {REPLACEMENT} (U+FFFD) in its place; "
        "expected whole characters",
    )
