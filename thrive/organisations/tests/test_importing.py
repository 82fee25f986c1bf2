"""The bulk import: valid, malformed and re-imported files, from the service and the command."""

from __future__ import annotations

import io

import pytest
import tablib
from django.core.management import CommandError, call_command
from django.utils import timezone

from thrive.audit.models import AuditEvent
from thrive.organisations.importing import COLUMNS, import_organisations
from thrive.organisations.models import DuplicateCandidate, Organisation, RecordSource, SizeBand
from thrive.organisations.tests.factories import IdentifierFactory, OrganisationFactory

HEADER = ",".join(COLUMNS)
VALID = "\n".join(
    [
        HEADER,
        "Brackenford Food Bank,BFB;Brackenford Foodbank,cio,1990095,,,ws1 2ab,"
        "Brackenford;Dunholm,low-income;Older people,45000,2025,https://bfb.example,"
        "Info@BFB.example",
        "Dunholm Men's Shed,,Unincorporated group,,,,WS2 3CD,County-wide,,,,,",
        "Greystone Arts CIC,,cic,,99506232,,,,,1500000,2024,,",
    ]
)
MALFORMED = "\n".join(
    [
        HEADER,
        ",,charity,12,,,nowhere,Atlantis,aliens,lots,1800,not a url,bad@",
        "Good Name,,,,,ZZ-NOPE-1,,,,,,,",
        "Second Good,,,1990095,,GB-CHC-1990095,,,,,,,",
    ]
)


def _run(text: str, **kwargs):
    return import_organisations(content=text.encode(), filename="orgs.csv", **kwargs)


def test_a_valid_file_creates_every_organisation_with_its_details(areas, groups) -> None:
    result = _run(VALID)
    assert result.ok, result.errors
    assert result.count("create") == 3
    food_bank = Organisation.objects.get(name="Brackenford Food Bank")
    assert food_bank.source == RecordSource.IMPORTED
    assert food_bank.source_detail == "orgs.csv"
    assert food_bank.postcode == "WS1 2AB"
    assert food_bank.other_names_list == ["BFB", "Brackenford Foodbank"]
    assert food_bank.email == "info@bfb.example"
    assert [i.org_id for i in food_bank.identifiers.all()] == ["GB-CHC-1990095"]
    assert {a.name for a in food_bank.areas.all()} == {"Brackenford", "Dunholm"}
    assert {g.code for g in food_bank.beneficiary_groups.all()} == {"low-income", "older-people"}
    assert (food_bank.size_band, food_bank.latest_income_year) == (SizeBand.SMALL, 2025)
    arts = Organisation.objects.get(name="Greystone Arts CIC")
    assert arts.size_band == SizeBand.LARGE
    assert arts.identifiers.get().org_id == "GB-COH-99506232"
    assert AuditEvent.objects.filter(action="organisations.import.completed").count() == 1


def test_a_malformed_file_lists_every_error_and_writes_nothing(areas, groups) -> None:
    before = AuditEvent.objects.count()
    result = _run(MALFORMED)
    assert [str(e) for e in result.errors] == [
        "row 2, column name: Enter the organisation's name",
        "row 2, column charity_number: Enter a Charity Commission for England and Wales number "
        "in the correct format, like 1090095",
        "row 2, column postcode: Enter a real postcode, like SW1A 1AA",
        "row 2, column areas: 'Atlantis' is not an area on the register",
        "row 2, column beneficiary_groups: 'aliens' is not a beneficiary group",
        "row 2, column annual_income: 'lots' is not an amount in pounds; write it like 1500, "
        "£1,500.50 or £45k",
        f"row 2, column income_year: Enter a year between 1900 and {timezone.localdate().year}",
        "row 2, column website: Enter a website address in the correct format, "
        "like https://www.example.org",
        "row 2, column email: Enter an email address in the correct format, like name@example.com",
        "row 3, column org_id: Enter an identifier that starts with a prefix from the org-id "
        "list, like GB-CHC-1090095",
    ]
    assert Organisation.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_the_same_identifier_twice_in_a_file_is_an_error(db) -> None:
    text = "\n".join([HEADER, "A One,,,1990095,,,,,,,,,", "A Two,,,,,GB-CHC-1990095,,,,,,,"])
    result = _run(text)
    assert [str(e) for e in result.errors] == [
        "row 3, column org_id: repeats the organisation in row 2"
    ]


def test_unknown_and_missing_columns_are_reported_on_row_1(db) -> None:
    result = _run("title,colour\nA,B")
    assert [str(e) for e in result.errors] == [
        "row 1, column name: the column is missing",
        f"row 1, column title: unknown column; use only {', '.join(COLUMNS)}",
        f"row 1, column colour: unknown column; use only {', '.join(COLUMNS)}",
    ]


def test_reimporting_the_same_file_updates_rather_than_duplicates(areas, groups) -> None:
    assert _run(VALID).ok
    again = _run(VALID)
    assert again.ok
    assert again.count("update") == 3
    assert Organisation.objects.count() == 3
    assert DuplicateCandidate.objects.count() == 0


def test_a_row_with_a_known_identifier_updates_that_record(db) -> None:
    existing = IdentifierFactory(organisation__name="Old Name", value="1990095").organisation
    result = _run("\n".join([HEADER, "New Name,,,1990095,,,,,,,,,"]))
    assert result.count("update") == 1
    existing.refresh_from_db()
    assert existing.name == "New Name"


def test_a_dry_run_reports_the_plan_and_writes_nothing(areas, groups) -> None:
    OrganisationFactory(name="Dunholm Mens Shed Ltd", postcode="WS2 3CD")
    result = _run(VALID, dry_run=True)
    assert result.ok
    assert [p.action for p in result.plan] == ["create", "hold", "create"]
    assert result.plan[1].possible_duplicates == ["Dunholm Mens Shed Ltd"]
    assert Organisation.objects.count() == 1
    assert "would be created" in result.summary()


def test_a_possible_duplicate_is_created_and_held_for_review(areas, groups) -> None:
    OrganisationFactory(name="Dunholm Mens Shed Ltd", postcode="WS2 3CD")
    result = _run(VALID)
    assert result.count("hold") == 1
    assert DuplicateCandidate.objects.open().count() == 1


def test_an_xlsx_file_is_read_like_a_csv(areas, groups) -> None:
    data = tablib.Dataset(headers=COLUMNS)
    data.append(
        ["Castlemere Carers", "", "charity", "1990417", "", "", "WS4 1AA"]
        + [""] * (len(COLUMNS) - 7)
    )
    result = import_organisations(content=data.export("xlsx"), filename="orgs.xlsx")
    assert result.ok, result.errors
    assert Organisation.objects.get().identifiers.get().org_id == "GB-CHC-1990417"


def test_the_command_imports_a_file(tmp_path, areas, groups) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text(VALID, encoding="utf-8")
    out = io.StringIO()
    call_command("import", "organisations", str(path), stdout=out, verbosity=0)
    assert "3 organisation(s) were created" in out.getvalue()
    assert Organisation.objects.count() == 3


def test_the_command_dry_run_writes_nothing(tmp_path, areas, groups) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text(VALID, encoding="utf-8")
    out = io.StringIO()
    call_command("import", "organisations", str(path), "--dry-run", stdout=out, verbosity=0)
    assert "row 2: create Brackenford Food Bank" in out.getvalue()
    assert "Nothing was written" in out.getvalue()
    assert Organisation.objects.count() == 0


def test_the_command_lists_every_error_and_fails(tmp_path, areas, groups) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text(MALFORMED, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="10 error"):
        call_command("import", "organisations", str(path), stderr=err, verbosity=0)
    assert "row 2, column name: Enter the organisation's name" in err.getvalue()
    assert "row 3, column org_id:" in err.getvalue()
    assert Organisation.objects.count() == 0


def test_the_command_exits_non_zero_on_errors(tmp_path, db) -> None:
    import subprocess
    import sys

    path = tmp_path / "orgs.csv"
    path.write_text("colour\nred\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "thrive.cli", "import", "organisations", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env={"THRIVE_ENV": "test", "DATABASE_URL": "sqlite:///:memory:", "PATH": ""},
    )
    assert done.returncode != 0
    assert "row 1, column name: the column is missing" in done.stderr
