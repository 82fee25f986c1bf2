"""Check each grant of a file: what stops it being used (errors) and what else is wrong."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from thrive.opendata import flat, standards
from thrive.opendata.problems.problem import ERROR, WARNING, Problem
from thrive.opendata.problems.words import (
    ID_LENGTH,
    clip,
    described,
    missing,
    not_a_date,
    not_in_codelist,
    org_id_problem,
    quoted,
    schema_fault,
    too_long_id,
    wrong_type,
)
from thrive.opendata.storing import _first, _text

LARGEST_AMOUNT = Decimal(10) ** 14  # 16 digits with pence


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
            found.append(("id", too_long_id(name("id"))))
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
                found.append((pointer, too_long_id(name(pointer))))
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
                    verdict = self.org_ids[value] = org_id_problem(value)
                if verdict is not None:
                    kind, words = verdict
                    found.append((pointer, (kind, f"{self.name(pointer)} {words}")))
        return found

    # -- problems of the file rather than of one grant's fields

    def unknown_column(self, location: str, title: str) -> Problem:
        message = (
            f"column '{clip(title)}' is not a 360Giving field; expected a column title "
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
