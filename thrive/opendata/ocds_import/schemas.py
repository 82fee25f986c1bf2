"""The official OCDS 1.1.5 schemas shipped in ``standards/ocds``, and their faults in words."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from typing import Any

import jsonschema_rs

from thrive.opendata import lone_surrogates
from thrive.opendata.problems import WARNING, Problem, missing, schema_fault
from thrive.opendata.standards import OCDS_RELEASE_URL, standards_dir

SCHEMA_BASE = "https://standard.open-contracting.org/schema/1__1__5/"


def _schema(name: str) -> dict[str, Any]:
    return json.loads((standards_dir() / "ocds" / name).read_text(encoding="utf-8"))


@cache
def _documents() -> dict[str, dict[str, Any]]:
    """The shipped schemas by the absolute URL other schemas refer to them by."""
    return {
        OCDS_RELEASE_URL: _schema("release-schema.json"),
        f"{SCHEMA_BASE}versioned-release-validation-schema.json": _schema(
            "versioned-release-validation-schema.json"
        ),
    }


@cache
def _item_schema(kind: str) -> dict[str, Any]:
    if kind == "releases":
        return _documents()[OCDS_RELEASE_URL]
    return _schema("record-package-schema.json")["definitions"]["record"]


@cache
def item_validator(kind: str) -> Any:
    """The official schema of one release or one record, compiled (refs mapped offline)."""
    documents = _documents()

    def retrieve(uri: str) -> dict[str, Any]:
        return documents[uri]

    return jsonschema_rs.validator_for(
        _item_schema(kind), retriever=retrieve, validate_formats=True
    )


@cache
def metadata_validator(kind: str) -> Any:
    """The package schema without its list: for the package's own fields."""
    name = "release-package-schema.json" if kind == "releases" else "record-package-schema.json"
    schema = _schema(name)
    schema["properties"].pop(kind)
    schema["required"] = [key for key in schema["required"] if key != kind]
    schema.pop("definitions", None)
    return jsonschema_rs.validator_for(schema, validate_formats=True)


def required_fields(kind: str) -> list[str]:
    """The package fields the schema requires besides the list."""
    name = "release-package-schema.json" if kind == "releases" else "record-package-schema.json"
    return [key for key in _schema(name)["required"] if key != kind]


# --- problems -------------------------------------------------------------------


def problem(
    severity: str, location: str, message: str, ocid: str = "", name: str = "", kind: str = ""
) -> Problem:
    """A problem at ``location`` (the field's own place in the file) of the release ``ocid``."""
    return Problem(location, message, ocid, name, kind, severity, ocds=True)


def _in_words(error: Any) -> tuple[str, tuple[str, str]]:
    """(field, (kind, message)) for a schema fault, said as the 360Giving import says it."""
    path = [str(p) for p in error.instance_path if not isinstance(p, int)]
    if error.kind.name == "required":
        name = str(error.kind.property)
        return name, missing(name)
    name = path[-1] if path else ""
    return name, schema_fault(name or "this", error)


def not_unicode(location: str, pointers: Iterable[str], ocid: str) -> list[Problem]:
    """A warning for each text within ``location`` that held a lone surrogate, now kept with
    U+FFFD in its place, naming the field (the last name in its pointer)."""
    problems = []
    for pointer in pointers:
        name = next((step for step in reversed(pointer.split("/")) if not step.isdigit()), "")
        kind, message = lone_surrogates.words(name or "this")
        problems.append(problem(WARNING, f"{location}/{pointer}", message, ocid, name, kind))
    return problems


def schema_problems(validator: Any, value: Any, location: str, ocid: str) -> list[Problem]:
    """Each fault the schema finds, located within the file and said in words."""
    problems = []
    for error in validator.iter_errors(value):
        pointer = "/".join(str(p) for p in error.instance_path)
        name, (kind, message) = _in_words(error)
        where = f"{location}/{pointer}" if pointer else location
        problems.append(problem(WARNING, where, message, ocid, name, kind))
    return problems
