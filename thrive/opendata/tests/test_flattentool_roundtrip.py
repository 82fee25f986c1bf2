"""A 360Giving file survives JSON -> sheet -> JSON through Thrive and through flattentool.

The grants fill every field of the official schema, each list with several items (and
nested lists), so nothing can be lost on the way without a test failing.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from thrive.core import exports
from thrive.opendata import flat, standards, xlsxstream

flattentool = pytest.importorskip("flattentool")

SCHEMA = str(standards.standards_dir() / flat.SCHEMA)


def _value(field: flat.Field, tag: str) -> Any:
    name = field.names[-1]
    if field.kind == "number":
        return 1250 if name.startswith("amount") or name == "value" else 12.5
    if field.kind == "integer":
        return 3
    if field.kind == "boolean":
        return True
    if field.kind == "string_array":
        return [f"{name} {tag} one", f"{name} {tag} two"]
    if name == "dateModified":
        return "2024-03-01T10:30:00+00:00"
    if name.endswith("Date"):
        return "2024-03-01"
    return f"{name} {tag}"


def _fill(node: dict[str, Any], fields: list[flat.Field], depth: int, tag: str, items: int):
    groups: dict[str, list[flat.Field]] = {}
    for each in fields:
        groups.setdefault(each.names[depth], []).append(each)
    for name, group in groups.items():
        first = group[0]
        if len(first.names) == depth + 1:
            node[name] = _value(first, tag)
        elif depth in first.lists:
            node[name] = []
            for number in range(items):
                item: dict[str, Any] = {}
                _fill(item, group, depth + 1, f"{tag}.{name}{number}", items)
                node[name].append(item)
        else:
            node[name] = {}
            _fill(node[name], group, depth + 1, tag, items)


def every_field_grant(number: int, items: int = 3) -> dict[str, Any]:
    """A grant with every field of the schema filled, each list holding ``items`` items."""
    grant: dict[str, Any] = {}
    _fill(grant, list(flat.fields()), 0, f"g{number}", items)
    grant["id"] = f"360G-example-{number}"
    return grant


def _leaves(node: Any, path: tuple = ()) -> set[tuple]:
    if isinstance(node, dict):
        return set().union(*(_leaves(v, (*path, k)) for k, v in node.items()))
    if isinstance(node, list) and node and isinstance(node[0], dict):
        return set().union(*(_leaves(item, path) for item in node))
    return {path}


@pytest.fixture
def grants() -> list[dict[str, Any]]:
    made = [every_field_grant(number) for number in range(3)]
    assert _leaves(made[0]) == {each.names for each in flat.fields()}
    return made


def _thrive_xlsx(grants: list[dict[str, Any]], path: Path) -> Path:
    headers, rows = flat.sheet(grants)
    with path.open("wb") as out:
        xlsxstream.write_xlsx(out, headers=headers, rows=rows, title="grants")
    return path


def _read(path: Path) -> list[dict[str, Any]]:
    book = load_workbook(path, read_only=True, data_only=True)
    return [grant for _, grant, _ in flat.read_workbook(book)]


def _unflatten(path: Path, tmp_path: Path) -> list[dict[str, Any]]:
    out = tmp_path / "unflattened.json"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        flattentool.unflatten(
            str(path),
            output_name=str(out),
            input_format="xlsx",
            root_list_path="grants",
            root_id="",
            id_name="id",
            schema=SCHEMA,
            convert_titles=True,
        )
    return json.loads(out.read_text())["grants"]


def _flatten(grants: list[dict[str, Any]], tmp_path: Path, *, rollup: bool) -> Path:
    source = tmp_path / "grants.json"
    source.write_text(json.dumps({"grants": grants}))
    out = tmp_path / f"flattened-{rollup}.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        flattentool.flatten(
            str(source),
            schema=SCHEMA,
            output_name=str(out),
            output_format="xlsx",
            main_sheet_name="grants",
            root_list_path="grants",
            root_id="",
            rollup=rollup,
            use_titles=True,
        )
    return out


def test_thrive_sheet_unflattens_in_flattentool_to_the_same_json(grants, tmp_path) -> None:
    path = _thrive_xlsx(grants, tmp_path / "thrive.xlsx")
    assert _unflatten(path, tmp_path) == grants


def test_thrive_sheet_reads_back_in_thrive_to_the_same_grants(grants, tmp_path) -> None:
    path = _thrive_xlsx(grants, tmp_path / "thrive.xlsx")
    assert _read(path) == grants
    headers, rows = flat.sheet(grants)
    text = "".join(exports.iter_csv(headers=headers, rows=rows))
    back = [flat.row_to_grant(row)[0] for row in csv.DictReader(io.StringIO(text))]
    assert back == grants


def test_flattentool_workbook_reads_in_thrive_to_the_same_grants(grants, tmp_path) -> None:
    path = _flatten(grants, tmp_path, rollup=False)
    assert len(load_workbook(path, read_only=True).sheetnames) > 10  # a sheet per list
    assert _read(path) == grants


def test_flattentool_rolled_up_columns_are_not_read_twice(tmp_path) -> None:
    # flattentool's --rollup (as 360Giving's own guidance uses it) copies a single item's
    # fields into the grants sheet; it cannot roll up items holding lists (locations).
    grants = [every_field_grant(number, items=1) for number in range(2)]
    for grant in grants:
        for key in ("recipientOrganization", "fundingOrganization"):
            for organisation in grant[key]:
                del organisation["location"]
    path = _flatten(grants, tmp_path, rollup=True)
    headers = next(load_workbook(path, read_only=True)["grants"].iter_rows(values_only=True))
    assert "Planned Dates:Start Date" in headers
    assert _read(path) == grants


@pytest.mark.django_db
def test_a_flattentool_workbook_imports_with_every_location(tmp_path) -> None:
    from thrive.opendata.importing import import_360giving
    from thrive.opendata.models import ExternalGrant

    grants = [
        {
            "id": f"360G-example-{number}",
            "title": "Community garden",
            "currency": "GBP",
            "amountAwarded": 3000 + number,
            "awardDate": "2024-03-01",
            "recipientOrganization": [
                {"id": f"360G-example-org-{number}", "name": f"Example Garden Group {number}"}
            ],
            "fundingOrganization": [
                {"id": "360G-example-funder", "name": "Example Trust", "department": "Grants"}
            ],
            "beneficiaryLocation": [
                {"name": "Ashbourne Vale", "geoCode": "E07000032", "geoCodeType": "LAD"},
                {"name": "Brook District", "geoCode": "E07000033", "geoCodeType": "LAD"},
            ],
        }
        for number in range(2)
    ]
    path = _flatten(grants, tmp_path, rollup=True)
    result = import_360giving(stream=io.BytesIO(path.read_bytes()), filename="flattened.xlsx")
    assert result.errors == []
    assert not [w for w in result.warnings if "not a 360Giving field" in w.message]
    stored = ExternalGrant.objects.get(grant_id="360G-example-1")
    assert stored.funder_department == "Grants"
    assert [place["geoCode"] for place in stored.data["beneficiaryLocation"]] == [
        "E07000032",
        "E07000033",
    ]


@pytest.mark.django_db
def test_the_xlsx_benchmark_times_thrive_beside_flattentool() -> None:
    from thrive.awards.tests.factories import AwardFactory
    from thrive.opendata.bench_flat import measure_xlsx_export

    award = AwardFactory()
    ((name, value, target, _met),) = measure_xlsx_export(award.council, count=40)
    assert "40 grants" in name
    assert "flattentool" in value
    assert value.endswith("×")
    assert "5×" in target
