"""An OCDS package holding half a surrogate pair (``\\ud800`` alone) imports the same on
every database: each such text kept with U+FFFD in its place and a warning naming the
release and the field, in the package's own fields as in its releases and records."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from thrive.opendata.models import ExternalContract, ImportRun
from thrive.opendata.ocds_import import import_ocds

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data"
PARKS = "ocds-b5fd17-5e6f7a8b-0002-4c3d-8e9f-0a1b2c3d4e5f"
YOUTH = "ocds-b5fd17-3e2d1c0b-0004-4a9b-8c7d-6e5f4a3b2c1d"
CARERS = "ocds-x1y2z3-WMC-0101"


def _escaped(package: dict) -> bytes:
    """JSON as published, every character beyond ASCII written as a \\u escape."""
    return json.dumps(package, ensure_ascii=True).encode()


def _not_unicode(result) -> list[tuple[str, str, str]]:
    return sorted(
        (p.location, p.grant_id, p.field) for p in result.warnings if p.kind == "not-unicode"
    )


def test_a_lone_surrogate_in_a_release_package_is_kept_as_a_replacement_character() -> None:
    package = json.loads((DATA / "ocds_release_package.json").read_text(encoding="utf-8"))
    package["publisher"]["name"] = "Crown \udc00 Service"  # a second half, before the list
    releases = package["releases"]
    releases[2]["awards"][0]["title"] = "Parks \udc00 care"  # a second half alone
    releases[4]["awards"][0]["title"] = "Youth \ud83d club"  # an emoji cut in half
    releases[4]["awards"][0]["description"] = "Whole \U0001f600 kept"

    result = import_ocds(stream=io.BytesIO(_escaped(package)), filename="cf.json")

    assert result.created == 4, result.errors
    parks = ExternalContract.objects.filter(ocid=PARKS)
    assert {c.title for c in parks} == {"Parks \ufffd care"}
    youth = ExternalContract.objects.get(ocid=YOUTH)
    assert youth.title == "Youth \ufffd club"
    assert youth.data["awards"][0]["title"] == "Youth \ufffd club"
    assert youth.description == "Whole \U0001f600 kept"
    assert _not_unicode(result) == [
        ("package/publisher/name", "", "name"),
        ("releases/2/awards/0/title", PARKS, "title"),
        ("releases/4/awards/0/title", YOUTH, "title"),
    ]
    warning = next(p for p in result.warnings if p.grant_id == YOUTH and p.kind == "not-unicode")
    assert str(warning).startswith(f"releases/4/awards/0/title ({YOUTH}): title holds half")
    assert "U+FFFD" in warning.message
    # kept with the contract and with the run, as every other warning is
    assert any("U+FFFD" in text for text in youth.warnings)
    kept = ImportRun.objects.get().problems
    assert sum(1 for p in kept if p["kind"] == "not-unicode") == 3


def test_a_lone_surrogate_in_a_record_package_is_located_in_its_compiled_release() -> None:
    package = json.loads((DATA / "ocds_record_package.json").read_text(encoding="utf-8"))
    award = package["records"][0]["compiledRelease"]["awards"][0]
    award["title"] = "Carers \ud800A break"  # a first half followed by no second

    result = import_ocds(stream=io.BytesIO(_escaped(package)), filename="council.json")

    assert result.created >= 1, result.errors
    assert {c.title for c in ExternalContract.objects.filter(ocid=CARERS)} == {
        "Carers \ufffdA break"
    }
    assert _not_unicode(result) == [
        ("records/0/compiledRelease/awards/0/title", CARERS, "title"),
    ]


def test_a_package_without_a_lone_surrogate_has_no_such_warning() -> None:
    data = (DATA / "ocds_release_package.json").read_bytes()
    result = import_ocds(stream=io.BytesIO(data), filename="cf.json")
    assert result.created == 4
    assert _not_unicode(result) == []
