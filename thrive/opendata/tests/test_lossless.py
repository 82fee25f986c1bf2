"""An imported 360Giving grant is kept whole and exported back exactly as published."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from thrive.opendata import standards
from thrive.opendata.importing import import_360giving
from thrive.opendata.models import (
    ExternalGrant,
    ExternalGrantClassification,
    ExternalGrantLocation,
    ImportRun,
)

pytestmark = pytest.mark.django_db

SCHEMA = standards.standards_dir() / "360giving" / "schema" / "360-giving-schema.json"
# Numbers a float would spoil if anything on the way wrote them carelessly.
NUMBERS = [Decimal("0.1"), Decimal("1234.567"), 10**15, Decimal("99.99"), 7]
# The import leaves out grants to individuals by design: the one property it cannot hold.
NEVER_IMPORTED = {"recipientIndividual"}


class _Builder:
    """A value for every property of the schema, found by walking it (so a field added to
    the schema is covered without changing this test)."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.defs = schema.get("$defs", {})
        self.count = 0

    def _resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = {**self.defs[node["$ref"].rsplit("/", 1)[-1]], **node}
            del node["$ref"]
        return node

    def value(self, node: dict[str, Any], path: str) -> Any:
        node = self._resolve(node)
        kinds = node.get("type", "string")
        kinds = [kinds] if isinstance(kinds, str) else [k for k in kinds if k != "null"]
        kind = kinds[0] if kinds else "string"
        self.count += 1
        if "properties" in node or kind == "object":
            return self.object(node, path)
        if kind == "array":
            items = node.get("items", {"type": "string"})
            return [self.value(items, f"{path}/{index}") for index in range(2)]
        if kind == "number":
            return NUMBERS[self.count % len(NUMBERS)]
        if kind == "integer":
            return 10**15 + self.count
        if kind == "boolean":
            return True
        if "enum" in node:
            return next(choice for choice in node["enum"] if choice is not None)
        if node.get("format") == "date-time":
            return "2025-03-04T05:06:07+00:00"
        if node.get("format") == "date":
            return "2025-03-04"
        if node.get("format") == "uri":
            return f"https://example.org/{path}"
        return f"Text at {path} — é ☃"

    def object(self, node: dict[str, Any], path: str) -> dict[str, Any]:
        return {
            name: self.value(child, f"{path}/{name}")
            for name, child in node.get("properties", {}).items()
            if name not in NEVER_IMPORTED or path
        }


def _every_field_grant() -> dict[str, Any]:
    schema = json.loads(SCHEMA.read_text())
    grant = _Builder(schema).object(schema, "")
    grant.update(
        id="360G-lossless-0001",
        currency="GBP",
        awardDate="2025-06-01",
        amountAwarded=Decimal("1234.567"),
        amountAppliedFor=Decimal("0.1"),
        amountDisbursed=10**15,
    )
    grant["recipientOrganization"][0].update(id="XE-EXAMPLE-REC-1", name="Made Up Lunch Club")
    grant["fundingOrganization"][0].update(id="XE-EXAMPLE-FUN-1", name="Made Up Trust")
    # A publisher's own fields, at the top and deep inside, kept as published.
    grant["x-ownReference"] = {"code": "A/1", "scores": [Decimal("0.1"), 3, None, True]}
    grant["recipientOrganization"][0]["x-branch"] = "North"
    grant["beneficiaryLocation"][1]["x-ward"] = {"population": 12345}
    grant["x-precise"] = [Decimal("0.123456789012345678901"), Decimal("1.50"), Decimal("-0.00001")]
    return grant


def _dumps(value: Any) -> str:
    """JSON as a publisher writes it: each number with its own digits."""
    return (
        json.dumps(value, default=_number, ensure_ascii=False).replace('"#', "").replace('#"', "")
    )


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"#{value}#"  # unquoted by _dumps
    raise TypeError(value)


def _import(grants: list[dict[str, Any]], filename: str = "other.json", **kwargs: Any):
    data = _dumps({"grants": grants}).encode()
    return import_360giving(stream=io.BytesIO(data), filename=filename, **kwargs)


def _exported(tmp_path: Path, *args: str) -> dict[str, Any]:
    out = tmp_path / "back.json"
    call_command("export", "external-grants", str(out), *args, stdout=io.StringIO())
    text = out.read_text(encoding="utf-8")
    # Numbers read as Decimal: 0.1 written as 0.1000000000000000055 would not be equal.
    return json.loads(text, parse_float=Decimal)


def _exact(grant: dict[str, Any]) -> Any:
    return json.loads(_dumps(grant), parse_float=Decimal)


def test_every_schema_field_and_extra_field_comes_back_unchanged(tmp_path: Path) -> None:
    grant = _every_field_grant()
    schema = json.loads(SCHEMA.read_text())
    assert set(grant) >= set(schema["properties"]) - NEVER_IMPORTED
    result = _import([grant])
    assert result.created == 1, result.errors

    package = _exported(tmp_path)

    assert package["grants"] == [_exact(grant)]
    back = package["grants"][0]
    assert back["amountAwarded"] == Decimal("1234.567")
    assert back["amountAppliedFor"] == Decimal("0.1")
    assert back["amountDisbursed"] == 10**15
    assert back["x-ownReference"]["scores"] == [Decimal("0.1"), 3, None, True]
    # Beyond what a float holds, and each number's own digits.
    assert [str(number) for number in back["x-precise"]] == [
        "0.123456789012345678901",
        "1.50",
        "-0.00001",
    ]


def test_a_whole_number_beyond_64_bits_comes_back_unchanged(tmp_path: Path) -> None:
    grant = _grant(1)
    grant["x-count"] = [10**20, -(10**30)]
    grant["x-rate"] = Decimal("1.50")
    _import([grant])

    back = _exported(tmp_path)["grants"]
    assert back == [_exact(grant)]
    assert str(back[0]["x-rate"]) == "1.50"


def _place(code: str, kind: str, name: str, **more: str) -> dict[str, str]:
    return {"geoCode": code, "geoCodeType": kind, "name": name, **more}


def _grant(number: int, **changes: Any) -> dict[str, Any]:
    grant = {
        "id": f"360G-lossless-{number:04d}",
        "title": "Community lunch club",
        "description": "Weekly lunches for older people in the three wards",
        "currency": "GBP",
        "amountAwarded": 4999,
        "awardDate": "2025-06-01",
        "plannedDates": [{"startDate": "2025-07-01", "endDate": "2026-06-30", "duration": 12}],
        "fromOpenCall": "Yes",
        "recipientOrganization": [{"id": "XE-EXAMPLE-REC-2", "name": "Made Up Lunch Club"}],
        "fundingOrganization": [
            {"id": "XE-EXAMPLE-FUN-2", "name": "Made Up Trust", "department": "Communities"}
        ],
        "beneficiaryLocation": [
            {
                "geoCode": "E05000001",
                "geoCodeType": "WD",
                "name": "North Ward",
                "countryCode": "GB",
            },
            {
                "geoCode": "E05000002",
                "geoCodeType": "WD",
                "name": "South Ward",
                "countryCode": "GB",
            },
            {"geoCode": "E08000003", "geoCodeType": "LAD", "name": "Made Up Borough"},
        ],
        "classifications": [
            {"vocabulary": "XE-EXAMPLE-THEMES", "code": "older", "title": "Older people"},
            {"vocabulary": "XE-EXAMPLE-THEMES", "code": "food", "title": "Food"},
        ],
    }
    grant.update(changes)
    return grant


def _locations(grant: ExternalGrant) -> list[tuple[str, str, str, str]]:
    return sorted(grant.locations.values_list("geo_code", "geo_code_type", "name", "country_code"))


def test_typed_fields_locations_and_classifications_are_kept() -> None:
    _import([_grant(1), _grant(2, beneficiaryLocation=[], classifications=[])])

    grant = ExternalGrant.objects.get(grant_id="360G-lossless-0001")
    assert grant.description == "Weekly lunches for older people in the three wards"
    assert grant.funder_department == "Communities"
    assert str(grant.planned_start) == "2025-07-01"
    assert str(grant.planned_end) == "2026-06-30"
    assert grant.from_open_call == "Yes"
    assert grant.recipient_status in {"matched", "created"}
    assert _locations(grant) == [
        ("E05000001", "WD", "North Ward", "GB"),
        ("E05000002", "WD", "South Ward", "GB"),
        ("E08000003", "LAD", "Made Up Borough", ""),
    ]
    assert sorted(grant.classifications.values_list("vocabulary", "code", "title")) == [
        ("XE-EXAMPLE-THEMES", "food", "Food"),
        ("XE-EXAMPLE-THEMES", "older", "Older people"),
    ]
    other = ExternalGrant.objects.get(grant_id="360G-lossless-0002")
    assert not other.locations.exists() and not other.classifications.exists()


def test_a_reimport_replaces_the_locations_and_classifications() -> None:
    _import([_grant(1), _grant(2)])
    moved = [{"geoCode": "E05000009", "geoCodeType": "WD", "name": "East Ward"}]
    result = _import(
        [
            _grant(1, beneficiaryLocation=moved, classifications=[]),
            _grant(3),
        ]
    )

    assert (result.created, result.updated) == (1, 1)
    changed = ExternalGrant.objects.get(grant_id="360G-lossless-0001")
    assert _locations(changed) == [("E05000009", "WD", "East Ward", "")]
    assert not changed.classifications.exists()
    assert changed.data["beneficiaryLocation"] == moved
    # The grant the second file did not hold keeps its own.
    assert len(_locations(ExternalGrant.objects.get(grant_id="360G-lossless-0002"))) == 3
    assert ExternalGrantLocation.objects.count() == 1 + 3 + 3
    assert ExternalGrantClassification.objects.count() == 2 + 2


def test_a_long_location_or_classification_text_is_cut_to_fit_and_kept_whole_in_data() -> None:
    long_code = "E" * 80
    grant = _grant(
        1,
        beneficiaryLocation=[{"geoCode": long_code, "name": "N" * 600, "countryCode": 826}],
        classifications=[{"code": "c" * 300, "title": None}],
    )
    _import([grant])

    kept = ExternalGrant.objects.get()
    location = kept.locations.get()
    assert (len(location.geo_code), len(location.name), location.country_code) == (50, 500, "826")
    assert kept.classifications.get().code == "c" * 255
    assert kept.data["beneficiaryLocation"][0]["geoCode"] == long_code


def test_a_dry_run_writes_nothing() -> None:
    result = _import([_grant(1), _grant(2)], dry_run=True)

    assert result.created == 2
    assert not ExternalGrant.objects.exists()
    assert not ExternalGrantLocation.objects.exists()
    assert not ExternalGrantClassification.objects.exists()


def test_the_export_chooses_grants_by_import_run_and_by_funder(tmp_path: Path) -> None:
    _import([_grant(1), _grant(2)])
    second = _grant(3, fundingOrganization=[{"id": "XE-EXAMPLE-FUN-3", "name": "Other Trust"}])
    _import([second], filename="second.json")
    run = ImportRun.objects.get(source_name="second.json")

    by_run = _exported(tmp_path, "--run", str(run.pk))
    by_funder = _exported(tmp_path, "--funder", "XE-EXAMPLE-FUN-2")
    everything = _exported(tmp_path)

    assert [g["id"] for g in by_run["grants"]] == ["360G-lossless-0003"]
    assert [g["id"] for g in by_funder["grants"]] == ["360G-lossless-0001", "360G-lossless-0002"]
    assert len(everything["grants"]) == 3
    assert everything["grants"][2] == _exact(second)
    valid = json.loads(json.dumps(everything, default=float))
    assert list(standards.package_validator().iter_errors(valid)) == []


def test_the_export_refuses_an_unknown_run_or_format(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No import run 999"):
        call_command("export", "external-grants", str(tmp_path / "a.json"), "--run", "999")
    with pytest.raises(CommandError, match=r"\.json, \.xlsx or \.csv"):
        call_command("export", "external-grants", str(tmp_path / "a.txt"))


def _rows_of_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_sheet_exports_read_back_as_the_same_grants(tmp_path: Path) -> None:
    grants = [_grant(1), _grant(2, beneficiaryLocation=[{"geoCode": "E05000004"}])]
    grants[0]["x-ownReference"] = "A/1"
    _import(grants)

    for suffix in ("csv", "xlsx"):
        out = tmp_path / f"back.{suffix}"
        call_command("export", "external-grants", str(out), stdout=io.StringIO())
        back = tmp_path / f"again.{suffix}"
        ExternalGrant.objects.all().delete()
        with out.open("rb") as stream:
            result = import_360giving(stream=stream, filename=back.name)
        assert result.created == 2, result.errors
        for grant in grants:
            assert ExternalGrant.objects.get(grant_id=grant["id"]).data == json.loads(_dumps(grant))


def test_a_sheet_keeps_its_unknown_columns_under_their_titles(tmp_path: Path) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            *("Identifier", "Title", "Currency", "Amount Awarded", "Award Date"),
            *("Recipient Org:Identifier", "Recipient Org:Name", "Funding Org:Identifier"),
            "Our Panel Score",
        ]
    )
    writer.writerow(
        [
            *("360G-lossless-0009", "Play", "GBP", "1234.567", "2025-06-01"),
            *("XE-EXAMPLE-REC-9", "Made Up Playgroup", "XE-EXAMPLE-FUN-9", "A+"),
        ]
    )
    import_360giving(stream=io.BytesIO(out.getvalue().encode()), filename="sheet.csv")

    data = ExternalGrant.objects.get().data
    assert data["Our Panel Score"] == "A+"
    assert data["amountAwarded"] == pytest.approx(1234.567)
    assert _exported(tmp_path)["grants"][0]["amountAwarded"] == Decimal("1234.567")
