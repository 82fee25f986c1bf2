"""A 360Giving sheet never loses the end of a long text: a text longer than an Excel cell
holds stops the XLSX with a message naming the grant and field; JSON and CSV keep it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from thrive.core.exports import XLSX_CELL_LIMIT
from thrive.opendata import flat, xlsxstream
from thrive.opendata.importing import import_360giving

LONG = "".join(f"Session {index} for older people. " for index in range(1400))[:40_000]


def _grant(number: int, description: str) -> dict:
    return {
        "id": f"360G-testtrust-{number}",
        "title": "Community lunch club",
        "description": description,
        "currency": "GBP",
        "amountAwarded": 4999,
        "awardDate": "2025-06-01",
        "recipientOrganization": [{"id": "360G-testtrust-ORG-1", "name": "Lunch Club"}],
        "fundingOrganization": [{"id": "360G-testtrust", "name": "Test Trust"}],
    }


def test_the_360giving_xlsx_refuses_a_40000_character_description_naming_grant_and_field():
    headers, rows = flat.sheet([_grant(1, "Short"), _grant(2, LONG)])

    with pytest.raises(xlsxstream.TooLongForExcel) as refused:
        xlsxstream.write_xlsx(io.BytesIO(), headers=headers, rows=rows, title="grants")

    message = str(refused.value)
    assert "360G-testtrust-2" in message and "Description" in message
    assert "40,000 characters" in message and "32,767" in message
    assert "JSON or CSV" in message


def test_a_description_that_just_fits_is_written_whole() -> None:
    text = "z" * XLSX_CELL_LIMIT
    headers, rows = flat.sheet([_grant(1, text)])
    out = io.BytesIO()
    xlsxstream.write_xlsx(out, headers=headers, rows=rows, title="grants")
    sheet = load_workbook(out).active
    column = [cell.value for cell in sheet[1]].index("Description")
    assert sheet.cell(row=2, column=column + 1).value == text


@pytest.mark.django_db
def test_the_export_command_writes_no_xlsx_and_the_json_and_csv_hold_the_text(tmp_path: Path):
    data = json.dumps({"grants": [_grant(1, "Short"), _grant(2, LONG)]}).encode()
    assert import_360giving(stream=io.BytesIO(data), filename="trust.json").created == 2
    xlsx = tmp_path / "grants.xlsx"

    with pytest.raises(CommandError, match=r"360G-testtrust-2's Description has 40,000"):
        call_command("export", "external-grants", str(xlsx), stdout=io.StringIO())
    assert not xlsx.exists()

    call_command("export", "external-grants", str(tmp_path / "g.json"), stdout=io.StringIO())
    grants = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))["grants"]
    assert grants[1]["description"] == LONG
    call_command("export", "external-grants", str(tmp_path / "g.csv"), stdout=io.StringIO())
    with (tmp_path / "g.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert [row["Description"] for row in csv.DictReader(handle)] == ["Short", LONG]
