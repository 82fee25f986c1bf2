"""The 360Giving spreadsheet titles are the schema's, derived and read as flattentool does."""

from __future__ import annotations

import datetime as dt
import io
import warnings

import pytest
from openpyxl import Workbook, load_workbook

from thrive.opendata import flat, standards

flattentool_schema = pytest.importorskip("flattentool.schema")

SCHEMA = standards.standards_dir() / flat.SCHEMA


def _flattentool_parser():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parser = flattentool_schema.SchemaParser(
            schema_filename=str(SCHEMA), use_titles=True, rollup=True, root_id=""
        )
        parser.parse()
    return parser


def _lookup_paths(lookup, prefix: str = "") -> dict[str, str]:
    found = {}
    for key, child in lookup.items():
        found[prefix + key] = getattr(child, "property_name", None) or child.name
        found.update(_lookup_paths(getattr(child, "data", child), prefix + key + ":"))
    return found


def test_every_titled_field_has_the_title_flattentool_gives_it() -> None:
    parser = _flattentool_parser()
    theirs = set(parser.main_sheet.titles.values())
    for sheet in parser.sub_sheets.values():
        theirs |= set(sheet.titles.values())
    ours = {title for title in flat.titles() if "/" not in title}
    assert ours == theirs
    assert {"Recipient Org:Country", "Funding Org:Department", "Recipient Org:City"} <= ours
    assert "Recipient Org:Location:Geographic Code" in ours
    assert len(flat.titles()) > 100  # the whole schema, not a hand-kept list


def test_titles_are_looked_up_exactly_as_flattentool_looks_them_up() -> None:
    parser = _flattentool_parser()
    assert _lookup_paths(flat.standard().lookup) == _lookup_paths(parser.title_lookup.data)


def test_standard_titles_once_missing_are_360giving_fields() -> None:
    grant, unknown = flat.row_to_grant(
        {
            "Identifier": "360G-example-1",
            "Recipient Org:Country": "England",
            "Recipient Org:City": "Ashbourne",
            "Funding Org:Department": "Adult Social Care",
            "funding org:identifier": "GB-EXAMPLE-1",
            "RecipientOrg : Charity Number": "1234567",
        }
    )
    assert unknown == []
    assert grant["recipientOrganization"] == [
        {"addressCountry": "England", "addressLocality": "Ashbourne", "charityNumber": "1234567"}
    ]
    assert grant["fundingOrganization"] == [
        {"department": "Adult Social Care", "id": "GB-EXAMPLE-1"}
    ]


def test_numbered_repeats_nested_lists_and_json_paths() -> None:
    grant, unknown = flat.row_to_grant(
        {
            "Beneficiary Location:0:Name": "Ashbourne Vale",
            "Beneficiary Location:1:Name": "Brook District",
            "Recipient Org:0:Location:1:Geographic Code": "E07000033",
            "Recipient Org:0:Location:0:Geographic Code": "E07000032",
            "disbursementTransaction/1/value": 500,
            "disbursementTransaction/0/value": 250,
            "To Individuals Details:Grant Purpose": "Food;Fuel",
        }
    )
    assert unknown == []
    assert [place["name"] for place in grant["beneficiaryLocation"]] == [
        "Ashbourne Vale",
        "Brook District",
    ]
    assert grant["recipientOrganization"][0]["location"] == [
        {"geoCode": "E07000032"},
        {"geoCode": "E07000033"},
    ]
    assert grant["disbursementTransaction"] == [{"value": 250}, {"value": 500}]
    assert grant["toIndividualsDetails"] == {"grantPurpose": ["Food", "Fuel"]}


def test_written_titles_number_every_list_item() -> None:
    headers, rows = flat.sheet(
        [
            {
                "id": "360G-example-1",
                "beneficiaryLocation": [{"name": "A"}, {"name": "B"}],
                "recipientOrganization": [{"id": "GB-X", "location": [{"name": "C"}]}],
                "publisherNote": "kept",
            }
        ]
    )
    assert headers == [
        "Identifier",
        "Recipient Org:0:Identifier",
        "Recipient Org:0:Location:0:Name",
        "Beneficiary Location:0:Name",
        "Beneficiary Location:1:Name",
        "publisherNote",
    ]
    (row,) = list(rows)
    assert row == ["360G-example-1", "GB-X", "C", "A", "B", "kept"]


def test_excel_dates_are_read_as_flattentool_writes_them_and_are_valid() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "grants"
    sheet.append(["Identifier", "Award Date", "Planned Dates:Start Date", "Last Modified"])
    sheet.append(
        [
            "360G-example-1",
            dt.datetime(2024, 3, 1),
            dt.datetime(2024, 4, 1),
            dt.datetime(2024, 3, 2, 9, 30),
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    ((_, grant, unknown),) = list(flat.read_workbook(load_workbook(io.BytesIO(buffer.getvalue()))))
    assert unknown == []
    assert grant["awardDate"] == "2024-03-01T00:00:00+00:00"
    assert grant["plannedDates"] == [{"startDate": "2024-04-01T00:00:00+00:00"}]
    assert grant["dateModified"] == "2024-03-02T09:30:00+00:00"
    date_errors = [
        error.message
        for error in standards.grant_validator().iter_errors(grant)
        if error.absolute_path and str(error.absolute_path[-1]).endswith(("Date", "Modified"))
    ]
    assert date_errors == []
