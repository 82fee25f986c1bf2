"""Published values, schema faults and codelist misses said in words a publisher can act on."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError

from thrive.opendata import standards
from thrive.organisations.identifiers import REGISTERS, canonical_value, prefixes

ID_LENGTH = 255  # identifiers are kept whole or not at all
SHOWN_TEXT = 50  # the most of a published value quoted in a message
LISTED_CODES = 10  # a codelist this short is listed whole in a message


def clip(text: str) -> str:
    return text if len(text) <= SHOWN_TEXT else f"{text[: SHOWN_TEXT - 1]}…"


def quoted(value: Any) -> str:
    """A published value as a message quotes it: '31/12/2021', 12, true."""
    if isinstance(value, str):
        return f"'{clip(value)}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    return "a list" if isinstance(value, list) else "a group of fields"


def described(value: Any) -> str:
    """What a published value is: 'the text '12,000'', 'the number 12', 'a list'."""
    if isinstance(value, str):
        return f"the text {quoted(value)}"
    if isinstance(value, bool) or value is None:
        return quoted(value)
    if isinstance(value, (int, float, Decimal)):
        return f"the number {value}"
    return quoted(value)


TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "array": "a list",
    "object": "a group of fields",
    "boolean": "true or false",
    "null": "empty",
}
DATE = "YYYY-MM-DD"
PARTIAL_DATE = "YYYY-MM-DD (or YYYY-MM, or YYYY)"
DATE_TIME = "a date and time with a time zone, such as 2025-06-01T09:30:00Z"
WEB_ADDRESS = "a full web address such as https://www.example.org.uk/"
YEAR_OR_MONTH = "^[0-9]{4}(-(0[1-9]|1[012]))?$"


def _either(options: list[str]) -> str:
    shown = [f"'{option}'" for option in options]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"


def missing(name: str) -> tuple[str, str]:
    return "missing", f"{name} is missing"


def wrong_type(name: str, value: Any, expected: list[str]) -> tuple[str, str]:
    kind = "not-a-number" if {"number", "integer"} & set(expected) else "wrong-type"
    words = " or ".join(TYPE_WORDS.get(each, each) for each in expected)
    return kind, f"{name} should be {words}; it is {described(value)}"


def not_a_date(name: str, value: Any, expected: str = DATE) -> tuple[str, str]:
    if expected == DATE_TIME:
        return "not-a-date", f"{name} {quoted(value)} is not a date and time; expected {expected}"
    return "not-a-date", f"{name} {quoted(value)} is not a date; expected {expected}"


PLAIN_FAULTS = {  # schema faults said the same whatever their details
    "minLength": ("empty", "is empty; expected a value"),
    "minProperties": ("empty", "is empty; expected a value"),
    "uniqueItems": ("repeated-item", "lists the same item more than once; expected each once"),
}


def schema_fault(name: str, error: Any) -> tuple[str, str]:
    """(kind, message) for a fault the schema found in the field ``name``, other than a
    missing field (``missing``), said from the fault's kind and place."""
    kind = error.kind
    value = error.instance
    what = kind.name
    if what == "type":
        return wrong_type(name, value, list(kind.types))
    if what == "format":
        if kind.format == "date-time":
            return not_a_date(name, value, DATE_TIME)
        if kind.format in ("uri", "iri"):
            return "not-a-web-address", (
                f"{name} {quoted(value)} is not a web address; expected {WEB_ADDRESS}"
            )
    if what == "oneOf" and isinstance(value, str):
        patterns = {getattr(sub.kind, "pattern", "") for branch in kind.context for sub in branch}
        return not_a_date(name, value, PARTIAL_DATE if YEAR_OR_MONTH in patterns else DATE)
    if what == "enum":
        return "not-allowed", (
            f"{name} {quoted(value)} is not allowed; expected "
            f"{_either([option for option in kind.options if option is not None])}"
        )
    if what == "minimum":
        return "too-small", f"{name} is {quoted(value)}; expected {kind.limit} or more"
    if what == "minItems":
        return "empty-list", f"{name} is an empty list; expected at least {kind.limit}"
    if what in PLAIN_FAULTS:
        kind_name, words = PLAIN_FAULTS[what]
        return kind_name, f"{name} {words}"
    return "schema", f"{name}: {clip(error.message)}"


def too_long_id(name: str) -> tuple[str, str]:
    return (
        "too-long",
        f"{name} is longer than {ID_LENGTH} characters; expected {ID_LENGTH} or fewer",
    )


@lru_cache(maxsize=4096)
def not_in_codelist(value: str, listname: str) -> tuple[str, str]:
    """'XYZ' is not in the geoCodeType codelist; expected one of ..."""
    codes = standards.codelist_codes(listname)
    short = listname.removesuffix(".csv")
    same = [code for code in codes if code.lower() == value.strip().lower()]
    if same:
        expected = f"'{same[0]}', written exactly so"
    elif len(codes) <= LISTED_CODES:
        expected = f"one of {_either(list(codes))}"
    else:
        expected = f"one of its {len(codes)} codes, such as {_either(list(codes[:5]))}"
    return "not-in-codelist", f"{quoted(value)} is not in the {short} codelist; expected {expected}"


def org_id_problem(value: str) -> tuple[str, str] | None:
    """What is wrong with an organisation identifier, after its field's name; None if nothing.

    360Giving asks for an org-id (a prefix from org-id.guide and the organisation's number
    in that list) or, where there is none, ``360G-`` and the publisher's own prefix.
    """
    text = value.strip()
    if text.upper().startswith("360G-"):
        return None
    # The longest known prefix (org-id.guide's have at most three parts), as split_org_id
    # finds it, without sorting the whole list for each identifier.
    parts = text.split("-")
    scheme = next(
        (
            "-".join(parts[:size]).upper()
            for size in (3, 2, 1)
            if len(parts) > size and "-".join(parts[:size]).upper() in prefixes()
        ),
        None,
    )
    if scheme is None or not text[len(scheme) + 1 :]:
        return "org-id-prefix", (
            f"{quoted(value)} does not start with an org-id prefix; expected a list's "
            "prefix from org-id.guide and the number in that list, such as GB-CHC-1234567 "
            "or GB-COH-01234567, or 360G- and your own prefix where there is none"
        )
    try:
        canonical_value(scheme, text[len(scheme) + 1 :])
    except ValidationError as exc:
        register = REGISTERS.get(scheme)
        if register is not None:
            return "org-id-format", (
                f"{quoted(value)} is not a {register.label} in its usual form; "
                f"expected one like {scheme}-{register.example}"
            )
        return "org-id-format", f"{quoted(value)} is not a usable org-id: {exc.messages[0]}"
    return None
