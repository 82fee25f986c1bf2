"""What is wrong with a published grant, in words its publisher can act on.

Each problem names the grant (its identifier, and its place: ``grants/3`` in JSON,
``row 5`` in a sheet), the field (the standard's name, or in a sheet its column title),
what is wrong and what is expected, and a short ``kind`` by which problems are counted.
Never a dump of the grant.

The official schema is checked with the compiled ``jsonschema_rs`` validator and its
findings are put in words from their kind and place, not from the validator's message.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from thrive.opendata import flat, standards
from thrive.opendata.storing import _first, _text

ERROR = "error"
WARNING = "warning"
REPORT_COLUMNS = ["severity", "location", "grant_id", "field", "kind", "message"]

ID_LENGTH = 255  # identifiers are kept whole or not at all
LARGEST_AMOUNT = Decimal(10) ** 14  # 16 digits with pence
SHOWN_TEXT = 50  # the most of a published value quoted in a message
LISTED_CODES = 10  # a codelist this short is listed whole in a message


class Problem(NamedTuple):
    """One problem: ``location`` is the grant's place, ``field`` the field within it.

    An OCDS problem (``ocds``) is of a contract award: its ``location`` is already the
    field's own place and ``grant_id`` holds the release's ocid.
    """

    location: str
    message: str
    grant_id: str = ""
    field: str = ""
    kind: str = ""
    severity: str = WARNING
    ocds: bool = False

    @property
    def place(self) -> str:
        if not self.field or self.ocds:
            return self.location
        if self.location.startswith("row "):
            return f"{self.location}, column {self.field}"
        return f"{self.location}/{self.field}"

    def __str__(self) -> str:
        noun = "" if self.ocds else "grant "
        ident = f" ({noun}{self.grant_id})" if self.grant_id else ""
        return f"{self.place}{ident}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        """The form ``ImportRun.problems`` keeps."""
        return {
            "severity": self.severity,
            "location": self.location,
            "grant_id": self.grant_id,
            "field": self.field,
            "kind": self.kind,
            "message": self.message,
        }


# --- values in words ------------------------------------------------------------------


def _clip(text: str) -> str:
    return text if len(text) <= SHOWN_TEXT else f"{text[: SHOWN_TEXT - 1]}…"


def quoted(value: Any) -> str:
    """A published value as a message quotes it: '31/12/2021', 12, true."""
    if isinstance(value, str):
        return f"'{_clip(value)}'"
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
    return "schema", f"{name}: {_clip(error.message)}"


# --- the checks -----------------------------------------------------------------------


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or len(value) < 10 or value[4:5] != "-":
        return False
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


class GrantChecker:
    """Check grants of one file: what stops each being used (errors) and what else is wrong.

    ``sheet`` says the grants came from a spreadsheet, so fields are named by their
    column titles. What is the same for many grants (names of places, verdicts on
    organisation identifiers) is worked out once.
    """

    def __init__(self, *, sheet: bool = False) -> None:
        self.sheet = sheet
        self.fast_check = standards.grant_fast_check()
        self.detail = standards.grant_detail_validator()
        self.required = standards.grant_required()
        self.common = frozenset.intersection(*self.required)
        self.common_keys = tuple(sorted(self.common))
        codelists: dict[str, Any] = {}  # the codelist places as a tree of steps
        for path, listname in standards.codelist_paths():
            node = codelists
            for step in path:
                node = node.setdefault(step, {})
            node[LISTNAME] = listname
        self.codelists = _code_tree(codelists)
        self.names: dict[str, str] = {}
        self.org_ids: dict[str, tuple[str, str] | None] = {}

    def name(self, pointer: str) -> str:
        """The field as the publisher knows it: its column title in a sheet, else its path."""
        known = self.names.get(pointer)
        if known is None:
            known = (flat.column_for(pointer) if self.sheet else None) or pointer
            self.names[pointer] = known
        return known

    def problem(
        self, location: str, grant_id: str, pointer: str, found: tuple[str, str], severity: str
    ) -> Problem:
        kind, message = found
        return Problem(location, message, grant_id, self.name(pointer), kind, severity)

    # -- a whole grant

    def check(self, location: str, grant: dict[str, Any]) -> tuple[list[Problem], list[Problem]]:
        """The grant's errors (it cannot be used) and warnings (it is kept as published)."""
        grant_id = _text(grant.get("id"))
        unusable = self.unusable(grant)
        found = self.codes(grant) + self.organisation_ids(grant)
        if not self.fast_check(grant):
            found = self.schema(grant) + found
        if unusable:  # a field already named as an error is not warned about again
            taken = {pointer for pointer, _ in unusable}
            found = [(p, f) for p, f in found if p not in taken and p.split("/", 1)[0] not in taken]
        errors = [self.problem(location, grant_id, p, f, ERROR) for p, f in unusable]
        return errors, [self.problem(location, grant_id, p, f, WARNING) for p, f in found]

    def unusable(self, grant: dict[str, Any]) -> list[tuple[str, tuple[str, str]]]:
        """What stops a grant being used at all, as (pointer, (kind, message))."""
        found: list[tuple[str, tuple[str, str]]] = []
        name = self.name
        ident = grant.get("id")
        ident_text = _text(ident)
        if not ident_text:
            blank = ident is None or isinstance(ident, str)
            found.append(
                ("id", missing(name("id")) if blank else wrong_type(name("id"), ident, ["string"]))
            )
        elif len(ident_text) > ID_LENGTH:
            found.append(("id", _too_long_id(name("id"))))
        amount = grant.get("amountAwarded")
        if amount is None:
            found.append(("amountAwarded", missing(name("amountAwarded"))))
        elif isinstance(amount, bool) or not isinstance(amount, (int, float, Decimal)):
            found.append(("amountAwarded", wrong_type(name("amountAwarded"), amount, ["number"])))
        elif not abs(Decimal(str(amount))) < LARGEST_AMOUNT:
            found.append(
                (
                    "amountAwarded",
                    (
                        "too-large",
                        f"{name('amountAwarded')} {amount} is too large to be an amount of "
                        f"money; expected less than {LARGEST_AMOUNT:,}",
                    ),
                )
            )
        award_date = grant.get("awardDate")
        if award_date is None:
            found.append(("awardDate", missing(name("awardDate"))))
        elif not _is_date(award_date):
            found.append(("awardDate", not_a_date(name("awardDate"), award_date)))
        if not _text(grant.get("currency")):
            found.append(("currency", missing(name("currency"))))
        found.extend(self._parties(grant))
        return found

    def _parties(self, grant: dict[str, Any]) -> list[tuple[str, tuple[str, str]]]:
        found: list[tuple[str, tuple[str, str]]] = []
        name = self.name
        recipient = _first(grant, "recipientOrganization")
        funder = _first(grant, "fundingOrganization")
        if grant.get("recipientIndividual"):
            found.append(
                (
                    "recipientIndividual",
                    (
                        "to-individual",
                        "this is a grant to an individual; grants to individuals are never "
                        "imported",
                    ),
                )
            )
        elif recipient:
            for key in ("id", "name"):
                if not _text(recipient.get(key)):
                    pointer = f"recipientOrganization/0/{key}"
                    found.append((pointer, missing(name(pointer))))
        else:
            found.append(("recipientOrganization", missing(name("recipientOrganization"))))
        if not _text(funder.get("id")):
            pointer = "fundingOrganization/0/id"
            found.append((pointer, missing(name(pointer))))
        for key, first in (("recipientOrganization", recipient), ("fundingOrganization", funder)):
            if len(_text(first.get("id"))) > ID_LENGTH:
                pointer = f"{key}/0/id"
                found.append((pointer, _too_long_id(name(pointer))))
        return found

    # -- the official schema, in words

    def schema(self, grant: dict[str, Any]) -> list[tuple[str, tuple[str, str]]]:
        found = self._required(grant)
        for error in self.detail.iter_errors(grant):
            path = error.instance_path
            pointer = "/".join(str(step) for step in path)
            kind = error.kind
            if kind.name == "required":
                pointer = f"{pointer}/{kind.property}" if pointer else str(kind.property)
                found.append((pointer, missing(self.name(pointer))))
                continue
            found.append((pointer, schema_fault(self.name(pointer), error)))
        return found

    def _required(self, grant: dict[str, Any]) -> list[tuple[str, tuple[str, str]]]:
        """The top-level required fields: each one missing, and the recipient kinds."""
        found = [(key, missing(self.name(key))) for key in self.common_keys if key not in grant]
        branches = [branch for branch in self.required if branch <= grant.keys()]
        if (found or branches) and len(branches) < 2:
            return found
        alternatives = [key for branch in self.required for key in sorted(branch - self.common)]
        names = " and ".join(self.name(key) for key in alternatives)
        if not branches:
            message = f"{names} are both missing; expected one of them"
            found.append((alternatives[0], ("missing", message)))
        else:
            message = f"the grant has both {names}; expected only one of them"
            found.append((alternatives[0], ("both-recipients", message)))
        return found

    # -- codelists and organisation identifiers

    def codes(self, grant: dict[str, Any]) -> list[tuple[str, tuple[str, str]]]:
        """Each code not in its codelist, in one walk over the places that name a codelist."""
        found: list[tuple[str, tuple[str, str]]] = []
        _walk_codes(grant, self.codelists, [], found)
        return found

    def organisation_ids(self, grant: dict[str, Any]) -> list[tuple[str, tuple[str, str]]]:
        found = []
        for key in ("recipientOrganization", "fundingOrganization"):
            items = grant.get(key)
            if not isinstance(items, list):
                continue
            for index, organisation in enumerate(items):
                value = organisation.get("id") if isinstance(organisation, dict) else None
                if not isinstance(value, str) or not value.strip():
                    continue
                pointer = f"{key}/{index}/id"
                verdict = self.org_ids.get(value, ())
                if verdict == ():
                    verdict = self.org_ids[value] = _org_id_problem(value)
                if verdict is not None:
                    kind, words = verdict
                    found.append((pointer, (kind, f"{self.name(pointer)} {words}")))
        return found

    # -- problems of the file rather than of one grant's fields

    def unknown_column(self, location: str, title: str) -> Problem:
        message = (
            f"column '{_clip(title)}' is not a 360Giving field; expected a column title "
            "from the 360Giving standard"
        )
        return Problem(location, message, "", title, "unknown-column", WARNING)

    @staticmethod
    def not_a_grant(location: str, value: Any) -> Problem:
        message = f"this item is {described(value)}; expected a grant (a group of fields)"
        return Problem(location, message, "", "", "not-a-grant", ERROR)

    def repeated(self, location: str, grant_id: str, first: str) -> Problem:
        message = (
            f"{self.name('id')} {quoted(grant_id)} repeats a grant identifier already used at "
            f"{first}; expected each grant to have its own identifier"
        )
        return Problem(location, message, grant_id, self.name("id"), "repeated-id", ERROR)


LISTNAME = ""  # the key under which a tree of codelist places names its list


# A tree of codelist places ready to walk: (its codelist or None, (field, subtree) pairs,
# the subtree of a list's items or None).
CodeTree = tuple[str | None, tuple[tuple[str, Any], ...], Any]


def _code_tree(tree: dict[str, Any]) -> CodeTree:
    fields = tuple(
        (key, _code_tree(subtree)) for key, subtree in tree.items() if key and key != "[]"
    )
    items = _code_tree(tree["[]"]) if "[]" in tree else None
    return tree.get(LISTNAME), fields, items


def _walk_codes(
    node: Any, tree: CodeTree, steps: list[Any], found: list[tuple[str, tuple[str, str]]]
) -> None:
    listname, fields, items = tree
    if listname is not None and isinstance(node, str):
        if node not in standards.codelist(listname):
            found.append(("/".join(map(str, steps)), not_in_codelist(node, listname)))
        return
    if isinstance(node, dict):
        for key, subtree in fields:
            if key in node:
                _walk_codes(node[key], subtree, [*steps, key], found)
    elif items is not None and isinstance(node, list):
        for index, item in enumerate(node):
            _walk_codes(item, items, [*steps, index], found)


def _too_long_id(name: str) -> tuple[str, str]:
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


def _org_id_problem(value: str) -> tuple[str, str] | None:
    """What is wrong with an organisation identifier, after its field's name; None if nothing.

    360Giving asks for an org-id (a prefix from org-id.guide and the organisation's number
    in that list) or, where there is none, ``360G-`` and the publisher's own prefix.
    """
    from django.core.exceptions import ValidationError

    from thrive.organisations.identifiers import REGISTERS, canonical_value, prefixes

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


# --- reporting ------------------------------------------------------------------------


def counts_by_kind(problems: Iterable[Problem]) -> list[tuple[str, str, int, Problem]]:
    """(severity, kind, count, first example) for each sort of problem, most common first."""
    counts: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], Problem] = {}
    for problem in problems:
        key = (problem.severity, problem.kind)
        counts[key] += 1
        examples.setdefault(key, problem)
    ranked = sorted(counts.items(), key=lambda item: (item[0][0] != ERROR, -item[1], item[0][1]))
    return [
        (severity, kind, count, examples[(severity, kind)]) for (severity, kind), count in ranked
    ]


def write_report(problems: Iterable[Problem], path: Path) -> int:
    """Write every problem to a CSV file, one a row; return how many were written."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REPORT_COLUMNS)
        for problem in problems:
            writer.writerow(
                (
                    problem.severity,
                    problem.location,
                    problem.grant_id,
                    problem.field,
                    problem.kind,
                    problem.message,
                )
            )
            count += 1
    return count
