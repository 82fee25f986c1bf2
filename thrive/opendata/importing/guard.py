"""Refuse hostile content (huge texts, deep nesting) before anything else looks at it."""

from __future__ import annotations

from typing import Any

MAX_TEXT = 100_000
MAX_DEPTH = 16


class ImportFileError(Exception):
    """The file as a whole cannot be imported; nothing was changed."""


def _hostile(node: Any, depth: int) -> bool:
    """Whether a text is too long or the nesting too deep, anywhere below ``node``."""
    if depth > MAX_DEPTH:
        return True
    items = node.values() if isinstance(node, dict) else node
    for item in items:
        kind = type(item)
        if kind is str:
            if len(item) > MAX_TEXT:
                return True
        elif (kind is dict or kind is list) and _hostile(item, depth + 1):
            return True
    return False


def guard(value: Any, location: str) -> None:
    """Refuse hostile content (huge texts, deep nesting) before anything else looks at it.

    A quick walk with no location text; only a grant it finds hostile is walked again to
    say where (the same rules, so the same grants are refused).
    """
    kind = type(value)
    container = kind is dict or kind is list
    if (container and _hostile(value, 0)) or (kind is str and len(value) > MAX_TEXT):
        _guard_located(value, location)


def _guard_located(value: Any, location: str, depth: int = 0) -> None:
    """Raise for the first hostile value, naming where it is."""
    if depth > MAX_DEPTH:
        raise ImportFileError(f"{location}: nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise ImportFileError(
            f"{location}: a text of {len(value):,} characters is longer than the "
            f"{MAX_TEXT:,} allowed"
        )
    if isinstance(value, dict):
        for key, item in value.items():
            _guard_located(item, f"{location}/{key}", depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _guard_located(item, f"{location}/{index}", depth + 1)
