"""``thrive import ocds``: other buyers' contract awards from OCDS release and record
packages, matched to the register, kept as published, re-imported without duplicates,
and a file of the wrong kind refused with nothing written.

The files in ``data/`` are made up in the shape Contracts Finder and council record
packages take; every identifier is made up (company numbers 9999000x, charity numbers
199900x), never a real company or charity.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thrive.audit.models import AuditEvent
from thrive.opendata import standards
from thrive.opendata.importing import ImportFileError
from thrive.opendata.models import ExternalContract, ImportKind, ImportRun, RecipientStatus
from thrive.opendata.ocds_import import import_ocds, item_validator
from thrive.organisations.models import Identifier, Organisation

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data"
RELEASES = DATA / "ocds_release_package.json"
RECORDS = DATA / "ocds_record_package.json"
RIVERSIDE = "ocds-b5fd17-0a1b2c3d-0001-4e5f-9a8b-7c6d5e4f3a21"


def _import(content: bytes | Path, name: str = "package.json", **kwargs):
    if isinstance(content, Path):
        content = content.read_bytes()
    return import_ocds(stream=io.BytesIO(content), filename=name, **kwargs)


def _package(**changes) -> dict:
    package = json.loads(RELEASES.read_text())
    package.update(changes)
    return package


def _known(name: str, org_id: str) -> Organisation:
    organisation = Organisation.objects.create(name=name)
    scheme, value = org_id.rsplit("-", 1)
    Identifier.objects.create(organisation=organisation, scheme=scheme, value=value, org_id=org_id)
    return organisation


def test_a_release_package_keeps_one_contract_per_award_and_supplier() -> None:
    riverside = _known("Riverside Care Services", "GB-COH-99990001")
    trust = _known("Northmoor Community Trust", "GB-CHC-1999001")
    result = _import(RELEASES, "contracts-finder.json")

    assert (result.read, result.created, result.updated) == (5, 4, 0)
    assert ExternalContract.objects.count() == 4
    first = ExternalContract.objects.get(ocid=RIVERSIDE)
    # the award update of September replaces the award of March: value, title and end date
    assert first.value == Decimal("135000.50")
    assert first.currency == "GBP"
    assert first.title == "Community day services for older people (extended)"
    assert (first.award_date, first.start_date, first.end_date) == (
        date(2025, 2, 20),
        date(2025, 4, 1),
        date(2027, 9, 30),
    )
    assert first.buyer_name == "Ashvale Borough Council"
    assert first.status == "active"
    assert (first.recipient, first.recipient_status) == (riverside, RecipientStatus.MATCHED)
    assert first.supplier_org_id == "GB-COH-99990001"
    assert first.data["awards"][0]["amendments"][0]["rationale"].startswith("Six months")
    assert first.data["awards"][0]["value"]["amount"] == 135000.5

    # two suppliers of one award: two rows; the tender's title and the contract's period
    parks = ExternalContract.objects.filter(award_id="NDC-PARKS-09-A1")
    assert {c.supplier_name for c in parks} == {
        "Green Lanes Gardening",
        "Northmoor Community Trust",
    }
    assert {(c.title, c.start_date, c.end_date) for c in parks} == {
        ("Parks volunteering and grounds care", date(2025, 6, 1), date(2026, 5, 31))
    }
    # "Companies House" and "gb_chc" are read as GB-COH and GB-CHC: matched by charity number
    assert parks.get(supplier_name="Northmoor Community Trust").recipient == trust
    # a supplier without any register identifier is added to the register by name
    gardening = parks.get(supplier_name="Green Lanes Gardening")
    assert gardening.recipient_status == RecipientStatus.CREATED
    assert gardening.recipient.name == "Green Lanes Gardening"
    assert gardening.recipient.postcode == "NM4 7QT"
    assert result.publishers == ["Ashvale Borough Council", "Northmoor District Council"]


def test_a_supplier_whose_number_the_register_knows_by_another_name_is_held() -> None:
    _known("Quayside Lettings", "GB-COH-99990004")  # Hilltop Youth Project's number
    result = _import(RELEASES, "contracts-finder.json")
    youth = ExternalContract.objects.get(award_id="NDC-YOUTH-02-A1")
    assert (youth.recipient, youth.recipient_status) == (None, RecipientStatus.HELD)
    assert result.held == ImportRun.objects.get().held_for_review == 1
    added = ExternalContract.objects.get(supplier_name="Green Lanes Gardening").recipient
    assert added.source_detail == "OCDS: contracts-finder.json"


def test_the_import_run_counts_and_locates_every_problem_in_words() -> None:
    result = _import(RELEASES, "contracts-finder.json")
    run = ImportRun.objects.get()
    assert run.kind == ImportKind.OCDS
    assert (run.source_name, run.file_format) == ("contracts-finder.json", "json")
    assert run.publishers == ["Ashvale Borough Council", "Northmoor District Council"]
    assert (run.records_read, run.grants_created, run.grants_updated) == (5, 4, 0)
    assert run.organisations_created == result.organisations_created == 4
    assert run.errors == 1
    assert run.warnings == len(result.warnings)
    problems = {(p["location"], p["kind"]): p for p in run.problems}
    assert set(run.problems[0]) == {"severity", "location", "grant_id", "field", "kind", "message"}
    error = problems[("releases/4/awards/1/id", "no-award-id")]
    assert error["severity"] == "error"
    assert error["grant_id"] == "ocds-b5fd17-3e2d1c0b-0004-4a9b-8c7d-6e5f4a3b2c1d"
    status = problems[("releases/4/awards/0/status", "not-allowed")]
    assert status["message"] == (
        "status 'Active' is not allowed; expected 'pending', 'active', 'cancelled' or "
        "'unsuccessful'"
    )
    assert status["field"] == "status"
    amount = problems[("releases/4/awards/0/value/amount", "not-a-number")]
    assert amount["message"] == "amount should be empty or a number; it is the text '12,500'"
    assert ("releases/4/awards/0/value/amount", "value-not-number") in problems
    assert ("releases/4/awards/0/date", "not-a-date") in problems
    # the contract is kept without a value, its warnings with it
    youth = ExternalContract.objects.get(award_id="NDC-YOUTH-02-A1")
    assert youth.value is None and youth.award_date is None
    assert any("12,500" in warning for warning in youth.warnings)

    event = AuditEvent.objects.get(action="opendata.ocds.imported")
    assert event.object_id == str(run.pk)
    assert event.after["created"] == 4


def test_importing_again_updates_and_an_older_release_changes_nothing() -> None:
    _import(RELEASES)
    organisations = Organisation.objects.count()
    again = _import(RELEASES)
    assert (again.created, again.updated, again.organisations_created) == (0, 4, 0)
    assert ExternalContract.objects.count() == 4
    assert Organisation.objects.count() == organisations

    package = _package()
    package["releases"] = package["releases"][:1]  # only the March award, value 120,000
    older = _import(json.dumps(package).encode())
    assert (older.created, older.updated, older.kept_newer) == (0, 0, 1)
    assert ExternalContract.objects.get(ocid=RIVERSIDE).value == Decimal("135000.50")


def test_the_newest_release_wins_whatever_its_place_in_the_file() -> None:
    package = _package()
    package["releases"][0], package["releases"][1] = package["releases"][1], package["releases"][0]
    result = _import(json.dumps(package).encode())
    assert result.kept_newer == 1
    assert ExternalContract.objects.get(ocid=RIVERSIDE).value == Decimal("135000.50")


def test_a_record_package_uses_the_compiled_or_else_the_newest_release() -> None:
    carers = _known("Westmere Carers Network", "GB-CHC-1999002")
    result = _import(RECORDS, "records.json")
    assert (result.kind, result.read, result.created) == ("records", 3, 2)
    compiled = ExternalContract.objects.get(award_id="WMC-CARERS-1")
    assert (compiled.recipient, compiled.value) == (carers, Decimal("210000.00"))
    assert compiled.buyer_org_id == "GB-LAE-WMX"
    assert compiled.data["tag"] == ["compiled"]
    amended = ExternalContract.objects.get(award_id="WMC-ADVICE-1")
    assert amended.value == Decimal("36000.00")
    assert amended.supplier_org_id == "GB-COH-99990005"
    [error] = result.errors
    assert error.location == "records/2"
    assert "no compiledRelease and no embedded release" in error.message
    assert ImportRun.objects.get().publishers == ["Westmere County Council"]


def test_a_compiled_release_without_its_ocid_takes_the_records() -> None:
    package = json.loads(RECORDS.read_text())
    del package["records"][0]["compiledRelease"]["ocid"]
    _import(json.dumps(package).encode())
    assert ExternalContract.objects.get(award_id="WMC-CARERS-1").ocid == "ocds-x1y2z3-WMC-0101"


def test_a_dry_run_writes_nothing() -> None:
    result = _import(RELEASES, dry_run=True)
    assert result.created == 4
    assert not ExternalContract.objects.exists()
    assert not ImportRun.objects.exists()
    assert not Organisation.objects.exists()


def test_package_fields_after_the_list_are_read() -> None:
    package = _package()
    releases = package.pop("releases")
    reordered = {"releases": releases, **package}
    result = _import(json.dumps(reordered).encode())
    assert not [w for w in result.warnings if w.location == "package"]
    del reordered["publisher"]
    result = _import(json.dumps(reordered).encode())
    assert [(w.location, w.message) for w in result.warnings if w.location == "package"] == [
        ("package", "publisher is missing")
    ]


GRANTS = {"grants": [{"id": "360G-test-1", "title": "Lunch club"}]}
WRONG_FILES = [
    ("grants.json", json.dumps(GRANTS).encode(), "looks like 360Giving grant data"),
    ("list.json", json.dumps([{"ocid": "x"}]).encode(), "looks like a JSON list"),
    ("empty.json", b"", "The file is empty"),
    ("spaces.json", b"  \n ", "The file is empty"),
    ("contracts.csv", b"ocid,award,value\nocds-1,A1,100\n", "looks like a CSV file"),
    ("book.xlsx", b"PK\x03\x04rest-of-a-zip", "looks like a spreadsheet workbook"),
    (
        "release.json",
        json.dumps(json.loads(RELEASES.read_text())["releases"][0]).encode(),
        "looks like a single OCDS release without its package",
    ),
    ("odd.json", b'{"releases": {"ocid": "x"}}', 'whose "releases" is not a list'),
    ("other.json", b'{"name": "Riverside", "items": []}', 'keys "name", "items" and no'),
    ("broken.json", b'{"uri": "x", "releases": [{"ocid": ', "not valid JSON"),
]


@pytest.mark.parametrize(("name", "content", "message"), WRONG_FILES)
def test_a_file_of_the_wrong_kind_is_refused_and_changes_nothing(name, content, message) -> None:
    with pytest.raises(ImportFileError) as caught:
        _import(content, name)
    assert message in str(caught.value)
    assert not ImportRun.objects.exists()
    assert not ExternalContract.objects.exists()


def test_a_package_broken_after_good_releases_changes_nothing() -> None:
    content = RELEASES.read_bytes()
    with pytest.raises(ImportFileError, match="not valid JSON"):
        _import(content[: len(content) - 200])
    assert not ImportRun.objects.exists()
    assert not Organisation.objects.exists()


def test_the_command_prints_a_summary_by_kind_and_writes_every_problem(tmp_path, capsys) -> None:
    report = tmp_path / "problems.csv"
    call_command("import", "ocds", str(RELEASES), "--report", str(report), verbosity=0)
    out = capsys.readouterr().out
    result_line = out.strip().splitlines()[-1]
    assert result_line.startswith(
        "5 releases read: 4 contract awards were added and 0 updated (0 left as they were, "
        "a newer version being held); 4 new organisations were added to the register and "
        "0 suppliers were held for review. 1 awards or releases could not be used;"
    )
    assert "1 errors: no-award-id" in out
    with report.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == ImportRun.objects.get().errors + ImportRun.objects.get().warnings
    assert {"severity", "location", "grant_id", "field", "kind", "message"} == set(rows[0])


def test_the_command_dry_run_and_a_wrong_file(tmp_path, capsys) -> None:
    call_command("import", "ocds", str(RECORDS), "--dry-run", verbosity=0)
    assert "would be added" in capsys.readouterr().out
    assert not ExternalContract.objects.exists()
    grants = tmp_path / "grants.json"
    grants.write_text(json.dumps(GRANTS))
    with pytest.raises(CommandError, match=r"Nothing was imported\. This looks like 360Giving"):
        call_command("import", "ocds", str(grants), verbosity=0)


def test_the_thrive_command_exits_1_on_a_wrong_file(tmp_path) -> None:
    path = tmp_path / "list.json"
    path.write_text("[]")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "thrive.settings"}
    done = subprocess.run(
        [sys.executable, "-m", "thrive.cli", "import", "ocds", str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1
    assert "This looks like a JSON list, not OCDS data" in done.stderr


@pytest.mark.parametrize(
    "change",
    [
        lambda r: None,
        lambda r: r.update(date="yesterday"),
        lambda r: r["awards"][0].update(status="Awarded"),
        lambda r: r["awards"][0]["value"].update(amount="lots"),
        lambda r: r.pop("initiationType"),
        lambda r: r["parties"][0].update(roles="buyer"),
    ],
)
def test_the_compiled_schema_finds_what_the_reference_validator_finds(change) -> None:
    """The import's compiled validator agrees with the reference Python validator."""
    package = _package()
    release = package["releases"][0]
    change(release)
    package["releases"] = [release]
    reference = {
        "/".join(str(p) for p in e.absolute_path)
        for e in standards.ocds_package_validator().iter_errors(package)
    }
    found = {
        "/".join(str(p) for p in e.instance_path)
        for e in item_validator("releases").iter_errors(release)
    }
    assert found == {
        path.removeprefix("releases/0/").removeprefix("releases/0") for path in reference
    }
