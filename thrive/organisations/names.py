"""How two names of one organisation are recognised as the same.

Published grant data, the charity register and our own register spell names differently
("THE FOOD BANK LTD", "Food Bank"): a name is made comparable by the rules below, and two
comparable names agree when they are the same or differ by a slip of spelling. The
360Giving recipient matching, the charity register check and the organisation import use it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

# How a published name is made comparable: lower case first, then each rule in turn.
# Every rule has an example in tests/test_matching.py.
NAME_RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("apostrophes", re.compile(r"['’‘`]"), ""),
    ("ampersand", re.compile(r"\s*(?:&|\+)\s*"), " and "),
    ("punctuation", re.compile(r"[^\w\s]|_"), " "),
    (
        "legal form",
        re.compile(
            r"\b(?:community interest company|charitable incorporated organisation"
            r"|company limited by guarantee|limited|ltd|cio|cic|plc|llp|inc|incorporated)\b"
        ),
        " ",
    ),
    ("the", re.compile(r"\bthe\b"), " "),
    ("spaces", re.compile(r"\s+"), " "),
    ("charity or trust suffix", re.compile(r"(?<=\w) (?:charitable trust|charity|trust) ?$"), ""),
)

# Two normalised names this similar (rapidfuzz, 0-100) are a spelling slip, not two bodies.
SIMILAR_ENOUGH = 92


def normalise_name(name: str) -> str:
    """The name with case, punctuation, legal forms, "The" and Charity/Trust set aside."""
    text = name or ""
    # A file names the same recipients again and again: a name of usual length is
    # worked out once (a few thousand kept, so a hostile file's long names cost no memory).
    return _normalised(text) if len(text) <= NAME_LENGTH else _normalise(text)


NAME_LENGTH = 255


def _normalise(text: str) -> str:
    text = text.lower()
    for _label, pattern, replacement in NAME_RULES:
        text = pattern.sub(replacement, text)
    return text.strip()


_normalised = lru_cache(maxsize=4096)(_normalise)


def names_agree(normalised: str, known: set[str]) -> bool:
    """Whether a normalised name is one of the known ones, or differs by a slip of spelling."""
    if not normalised:
        return False
    if normalised in known:
        return True
    return any(
        fuzz.token_sort_ratio(normalised, other) >= SIMILAR_ENOUGH for other in known if other
    )


def same_name(register: str, ours: list[str]) -> bool:
    """Whether the register's name is one of ours after normalising, as grant matching does
    ('THE FOOD BANK LTD' = 'Food Bank'), allowing a slip of spelling."""
    return names_agree(normalise_name(register), {normalise_name(name) for name in ours})
