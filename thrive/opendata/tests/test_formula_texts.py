"""Texts a spreadsheet would run as formulas, in other funders' grants: exact in the JSON
and XLSX exports (the XLSX marks them with a cell style), kept text in the CSV by a
leading apostrophe, as every CSV the service writes, and the command says so."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from thrive.opendata.importing import import_360giving
from thrive.opendata.models import ExternalGrant

pytestmark = pytest.mark.django_db

RISKY = {
    "title": '=HYPERLINK("http://evil","x")',
    "description": "- weekly lunches, + teas",
    "x-contact": "@lunchclub",
}


def _grant() -> dict:
    return {
        "id": "360G-testtrust-1",
        **RISKY,
        "currency": "GBP",
        "amountAwarded": 4999,
        "awardDate": "2025-06-01",
        "recipientOrganization": [{"id": "360G-testtrust-ORG-1", "name": "+Plus Lunch Club"}],
        "fundingOrganization": [{"id": "360G-testtrust", "name": "Test Trust"}],
        "x-balance": "-12.50",  # a number as text: nothing a spreadsheet would run
    }


def _export(tmp_path: Path, name: str) -> tuple[Path, str]:
    out = tmp_path / name
    said = io.StringIO()
    call_command("export", "external-grants", str(out), stdout=said)
    return out, said.getvalue()


def test_json_and_xlsx_keep_formula_like_texts_exactly_and_the_csv_marks_them(tmp_path) -> None:
    grant = _grant()
    import_360giving(stream=io.BytesIO(json.dumps({"grants": [grant]}).encode()), filename="t.json")

    out, said = _export(tmp_path, "g.json")
    assert json.loads(out.read_text(encoding="utf-8"))["grants"] == [grant]
    assert "apostrophe" not in said

    out, said = _export(tmp_path, "g.xlsx")
    sheet = load_workbook(out).active
    cells = {title.value: cell for title, cell in zip(sheet[1], sheet[2], strict=True)}
    assert (cells["Title"].value, cells["Title"].data_type) == (RISKY["title"], "s")
    assert cells["Title"].quotePrefix and cells["Description"].quotePrefix
    assert cells["x-balance"].value == "-12.50" and not cells["x-balance"].quotePrefix
    ExternalGrant.objects.all().delete()
    with out.open("rb") as stream:
        assert import_360giving(stream=stream, filename="again.xlsx").created == 1
    assert ExternalGrant.objects.get().data == grant  # the sheet read back: nothing changed

    out, said = _export(tmp_path, "g.csv")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        row = next(csv.DictReader(handle))
    assert row["Title"] == "'" + RISKY["title"]
    assert row["Description"] == "'" + RISKY["description"]
    assert row["x-contact"] == "'@lunchclub"
    assert row["Recipient Org:0:Name"] == "'+Plus Lunch Club"
    assert row["x-balance"] == "-12.50"
    assert "4 texts a spreadsheet program would run as formulas" in said
    assert ".json and .xlsx exports hold them exactly" in said
