"""The 360Giving spreadsheet exports keep every beneficiary location and the funding
department, in the numbered column titles flattentool writes and reads."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from thrive.awards.tests.factories import AwardFactory
from thrive.core.models import Area
from thrive.opendata import flat, grant_sheets, publishing, standards
from thrive.opendata.importing import import_360giving
from thrive.opendata.models import ExternalGrant

SHARED = Path(__file__).resolve().parents[4] / "shared" / "standards"
REFERENCE = SHARED if SHARED.is_dir() else None

pytestmark = pytest.mark.django_db

PLACES = [
    ("Ashbourne Vale", "E07000032"),
    ("Brook District", "E07000033"),
    ("Cold Fell", "E07000034"),
]


def _award_in_three_places():
    award = AwardFactory(directorate__name="Public Health and Wellbeing")
    for name, code in PLACES:
        area = Area.objects.create(council=award.council, name=name, gss_code=code)
        award.organisation.areas.add(area)
    return award


def _csv_rows(council) -> list[dict[str, str]]:
    text = "".join(grant_sheets.iter_csv(council))
    return list(csv.DictReader(io.StringIO(text)))


def _xlsx_rows(council) -> list[dict[str, object]]:
    buffer = io.BytesIO()
    grant_sheets.write_xlsx(council, buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue()), read_only=True)["grants"]
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.mark.parametrize("read", [_csv_rows, _xlsx_rows], ids=["csv", "xlsx"])
def test_every_location_and_the_department_are_exported(read) -> None:
    award = _award_in_three_places()
    (row,) = read(award.council)
    assert row["Funding Org:0:Department"] == "Public Health and Wellbeing"
    assert [row[f"Beneficiary Location:{i}:Name"] for i in range(3)] == [n for n, _ in PLACES]
    assert [row[f"Beneficiary Location:{i}:Geographic Code"] for i in range(3)] == [
        c for _, c in PLACES
    ]
    assert row["Recipient Org:0:Name"] == award.organisation.name
    assert "Beneficiary Location:3:Name" not in row


def test_the_json_export_with_three_locations_is_valid_360giving() -> None:
    award = _award_in_three_places()
    package = json.loads(b"".join(publishing.iter_json(award.council)))
    (grant,) = package["grants"]
    assert [place["geoCode"] for place in grant["beneficiaryLocation"]] == [c for _, c in PLACES]
    assert grant["fundingOrganization"][0]["department"] == "Public Health and Wellbeing"
    errors = [e.message for e in standards.package_validator(REFERENCE).iter_errors(package)]
    assert errors == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_exported_sheet_reads_back_with_every_location(fmt: str) -> None:
    award = _award_in_three_places()
    if fmt == "csv":
        content = "".join(grant_sheets.iter_csv(award.council)).encode()
    else:
        buffer = io.BytesIO()
        grant_sheets.write_xlsx(award.council, buffer)
        content = buffer.getvalue()
    result = import_360giving(stream=io.BytesIO(content), filename=f"grants.{fmt}")
    assert result.errors == []
    assert not [w for w in result.warnings if "not a 360Giving field" in w.message]
    assert ExternalGrant.objects.count() == 1


def test_numbered_and_unnumbered_titles_fill_the_same_places() -> None:
    grant, unknown = flat.row_to_grant(
        {
            "Beneficiary Location:Name": "First",
            "Beneficiary Location:1:Name": "Second",
            "Beneficiary Location:2:Geographic Code": "E07000034",
            "Funding Org:0:Department": "Adults",
            "Beneficiary Location:x:Name": "not a number",
        }
    )
    # A column that is no 360Giving field is kept where flattentool keeps it: the
    # unnumbered title's item gets the field "x" (and the column is reported as unknown).
    assert grant["beneficiaryLocation"] == [
        {"name": "First", "x": {"Name": "not a number"}},
        {"name": "Second"},
        {"geoCode": "E07000034"},
    ]
    assert grant["fundingOrganization"] == [{"department": "Adults"}]
    assert unknown == ["Beneficiary Location:x:Name"]
    gap, _ = flat.row_to_grant({"Beneficiary Location:2:Name": "Third only"})
    assert gap["beneficiaryLocation"] == [{"name": "Third only"}]
    assert flat.column_for("beneficiaryLocation/2/geoCode") == (
        "Beneficiary Location:2:Geographic Code"
    )
