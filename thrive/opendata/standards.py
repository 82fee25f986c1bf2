"""The official 360Giving schema and codelists, loaded for offline validation.

Both packages refer to their item schema by absolute URL; the registry maps those URLs
to the shipped files so that no validator ever fetches anything.

The Python ``jsonschema`` package (and its format checkers, slow to import) is imported
only by the validators that use it, so that ``thrive import`` starts quickly; importing
grants uses the compiled ``jsonschema_rs`` validators.
"""

from __future__ import annotations

import copy
import csv
import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs
from django.conf import settings

if TYPE_CHECKING:
    from jsonschema import Draft4Validator, Draft202012Validator
    from referencing import Registry

GRANT_URLS = [
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json",
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/360-giving-schema.json",
]


def standards_dir() -> Path:
    configured = getattr(settings, "THRIVE_STANDARDS_DIR", None)
    return Path(configured) if configured else Path(__file__).resolve().parent / "standards"


def _load(relative: str, base: Path | None = None) -> dict[str, Any]:
    return json.loads(((base or standards_dir()) / relative).read_text(encoding="utf-8"))


@cache
def threesixty_registry(base: Path | None = None) -> Registry:
    from referencing import Registry, Resource  # lazy: slow to import
    from referencing.jsonschema import DRAFT202012  # lazy: slow to import

    grant = Resource.from_contents(
        _load("360giving/schema/360-giving-schema.json", base), default_specification=DRAFT202012
    )
    return Registry().with_resources((url, grant) for url in GRANT_URLS)


@cache
def grant_validator(base: Path | None = None) -> Draft202012Validator:
    """A validator for one grant, with formats (dates, URIs) checked."""
    from jsonschema import Draft202012Validator, FormatChecker  # lazy: slow to import

    schema = _load("360giving/schema/360-giving-schema.json", base)
    return Draft202012Validator(
        schema, registry=threesixty_registry(base), format_checker=FormatChecker()
    )


@cache
def grant_fast_check(base: Path | None = None) -> Callable[[Any], bool]:
    """The same official grant schema in a compiled validator: a quick yes or no.

    Only a grant it passes skips the detailed checks; any grant it doubts is checked again
    by ``grant_detail_validator`` and ``grant_required``, whose findings are put in words.
    """
    schema = _load("360giving/schema/360-giving-schema.json", base)
    return jsonschema_rs.validator_for(schema, validate_formats=True).is_valid


@cache
def grant_required(base: Path | None = None) -> tuple[frozenset[str], ...]:
    """The official schema's top-level ``oneOf``: the sets of fields a grant must have.

    A grant must satisfy exactly one set (one names ``recipientOrganization``, the other
    ``recipientIndividual``); checking them apart lets each missing field be named.
    """
    schema = _load("360giving/schema/360-giving-schema.json", base)
    return tuple(frozenset(branch["required"]) for branch in schema["oneOf"])


@cache
def grant_detail_validator(base: Path | None = None) -> jsonschema_rs.Validator:
    """The official grant schema, compiled, less what other checks say better by name.

    Left out: the top-level ``oneOf`` of required fields (see ``grant_required``) and
    each ``enum`` beside a ``codelist`` (the codelist check names the list). Used only
    on grants the whole official schema (``grant_fast_check``) has already doubted.
    """
    schema = copy.deepcopy(_load("360giving/schema/360-giving-schema.json", base))
    if not all(set(branch) == {"required"} for branch in schema["oneOf"]):
        raise ValueError("the grant schema's top-level oneOf is no longer only required fields")
    del schema["oneOf"]

    def drop_codelist_enums(node: Any) -> None:
        if isinstance(node, dict):
            if "codelist" in node:
                node.pop("enum", None)
            for child in node.values():
                drop_codelist_enums(child)
        elif isinstance(node, list):
            for child in node:
                drop_codelist_enums(child)

    drop_codelist_enums(schema)
    return jsonschema_rs.validator_for(schema, validate_formats=True)


@cache
def codelist_codes(name: str, base: Path | None = None) -> tuple[str, ...]:
    """The codes of a 360Giving codelist in the order its CSV gives them."""
    path = (base or standards_dir()) / "360giving" / "codelists" / name
    with path.open(encoding="utf-8") as handle:
        return tuple(dict.fromkeys(row["Code"] for row in csv.DictReader(handle)))


@cache
def package_validator(base: Path | None = None) -> Draft202012Validator:
    """A validator for a whole 360Giving data package."""
    from jsonschema import Draft202012Validator, FormatChecker  # lazy: slow to import

    schema = _load("360giving/schema/360-giving-package-schema.json", base)
    return Draft202012Validator(
        schema, registry=threesixty_registry(base), format_checker=FormatChecker()
    )


@cache
def codelist(name: str, base: Path | None = None) -> frozenset[str]:
    """The codes of a 360Giving codelist, from its CSV."""
    path = (base or standards_dir()) / "360giving" / "codelists" / name
    with path.open(encoding="utf-8") as handle:
        return frozenset(row["Code"] for row in csv.DictReader(handle))


@cache
def codelist_paths(base: Path | None = None) -> tuple[tuple[tuple[str, ...], str], ...]:
    """Every place in a grant whose value is named by a ``codelist`` keyword, with its file."""
    return _codelist_paths(_load("360giving/schema/360-giving-schema.json", base), "$defs")


def _codelist_paths(schema: dict[str, Any], defs: str) -> tuple[tuple[tuple[str, ...], str], ...]:
    """Walk a schema (following its local ``$ref``s) for the places that name a codelist."""
    found: list[tuple[tuple[str, ...], str]] = []
    local = f"#/{defs}/"

    def walk(node: dict[str, Any], path: tuple[str, ...], seen: frozenset[str]) -> None:
        if "$ref" in node and node["$ref"].startswith(local):
            name = node["$ref"].rsplit("/", 1)[1]
            if name not in seen:
                walk(schema[defs][name], path, seen | {name})
        named = node.get("codelist") or _codelist_in_description(node.get("description", ""))
        if named:
            found.append((path, named))
        if "items" in node and isinstance(node["items"], dict):
            walk(node["items"], (*path, "[]"), seen)
        for key, child in node.get("properties", {}).items():
            walk(child, (*path, key), seen)

    walk(schema, (), frozenset())
    return tuple(found)


_CODELIST_LINK = re.compile(r"codelists/(\w+\.csv)")


def _codelist_in_description(description: str) -> str | None:
    """Some fields name their codelist only by a link in the description (geoCodeType)."""
    match = _CODELIST_LINK.search(description)
    return match.group(1) if match else None


def values_at(data: Any, path: tuple[str, ...], where: str = "") -> Iterator[tuple[str, Any]]:
    """Yield (location, value) for each value at a codelist path within a grant."""
    if not path:
        yield where, data
        return
    head, rest = path[0], path[1:]
    if head == "[]":
        if isinstance(data, list):
            for index, item in enumerate(data):
                yield from values_at(item, rest, f"{where}/{index}")
        return
    if isinstance(data, dict) and head in data:
        yield from values_at(data[head], rest, f"{where}/{head}")


# --- OCDS -----------------------------------------------------------------------------

OCDS_RELEASE_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"


@cache
def ocds_package_validator(
    base: Path | None = None, release_schema: str = "ocds/release-schema.json"
) -> Draft4Validator:
    """A Draft 4 validator for an OCDS release package, the release schema mapped offline.

    ``release_schema`` may name a profile's release schema instead of the core one, such as
    ``ocds/profile-uk-cdp/release-schema.json`` (core with the UK extensions applied).
    """
    from jsonschema import Draft4Validator, FormatChecker  # lazy: slow to import
    from referencing import Registry, Resource  # lazy: slow to import
    from referencing.jsonschema import DRAFT4  # lazy: slow to import

    release = Resource.from_contents(_load(release_schema, base), default_specification=DRAFT4)
    registry = Registry().with_resource(OCDS_RELEASE_URL, release)
    return Draft4Validator(
        _load("ocds/release-package-schema.json", base),
        registry=registry,
        format_checker=FormatChecker(),
    )


@cache
def ocds_codelist(name: str, base: Path | None = None) -> frozenset[str]:
    """The codes of an OCDS codelist, from its CSV."""
    path = (base or standards_dir()) / "ocds" / "codelists" / name
    with path.open(encoding="utf-8") as handle:
        return frozenset(row["Code"] for row in csv.DictReader(handle))


@cache
def ocds_codelist_paths(base: Path | None = None) -> tuple[tuple[tuple[str, ...], str], ...]:
    """Every place in a release whose value comes from a codelist, with its file."""
    return _codelist_paths(_load("ocds/release-schema.json", base), "definitions")


def ocds_codelist_problems(release: dict[str, Any], base: Path | None = None) -> list[str]:
    """Codes in a release that are not in their codelist (open codelists included)."""
    problems = []
    for path, name in ocds_codelist_paths(base):
        codes = ocds_codelist(name, base)
        for place, value in values_at(release, path):
            for code in value if isinstance(value, list) else [value]:
                if isinstance(code, str) and code not in codes:
                    problems.append(f"{place}: {code!r} is not in {name}")
    return problems
