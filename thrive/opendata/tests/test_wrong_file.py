"""A file that is not 360Giving data is refused with a clear error, writes nothing, and
makes ``thrive import 360giving`` exit 1."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from thrive.opendata.importing import ImportFileError, import_360giving
from thrive.opendata.models import ExternalGrant, ImportRun
from thrive.organisations.models import Organisation

pytestmark = pytest.mark.django_db

RELEASE = {
    "ocid": "ocds-b5fd17-0001",
    "id": "ocds-b5fd17-0001-award",
    "date": "2025-06-01T00:00:00Z",
    "tag": ["award"],
    "initiationType": "tender",
    "awards": [{"id": "1", "suppliers": [{"id": "GB-COH-01234567", "name": "Acme"}]}],
}
RELEASE_PACKAGE = {
    "uri": "https://www.contractsfinder.service.gov.uk/Published/Notices/OCDS/Search",
    "version": "1.1",
    "publishedDate": "2025-06-01T00:00:00Z",
    "publisher": {"name": "Crown Commercial Service"},
    "releases": [RELEASE],
}
RECORD_PACKAGE = {
    "uri": "https://example.gov.uk/records.json",
    "version": "1.1",
    "publishedDate": "2025-06-01T00:00:00Z",
    "publisher": {"name": "Crown Commercial Service"},
    "records": [{"ocid": RELEASE["ocid"], "releases": [RELEASE]}],
}


def _xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


WRONG_FILES = [
    ("package.json", json.dumps(RELEASE_PACKAGE).encode(), "looks like an OCDS release package"),
    ("records.json", json.dumps(RECORD_PACKAGE).encode(), "looks like an OCDS record package"),
    ("release.json", json.dumps(RELEASE).encode(), "looks like a single OCDS release"),
    (
        "random.json",
        json.dumps({"name": "Riverside", "items": [1, 2]}).encode(),
        'keys "name", "items" and no "grants" list',
    ),
    ("list.json", b'[{"id": "360G-x"}]', "looks like a JSON list"),
    ("odd.json", b'{"grants": {"id": "360G-x"}}', 'whose "grants" is not a list'),
    ("empty.json", b"", "The file is empty"),
    ("empty.csv", b"", "The file is empty"),
    ("empty.xlsx", b"", "The file is empty"),
    (
        "people.csv",
        b"Name,Email,Favourite colour\nAsha,asha@example.org,green\n",
        "no Identifier column (its columns are 'Name', 'Email', 'Favourite colour')",
    ),
    (
        "ocds.csv",
        b"ocid,id,date\nocds-b5fd17-0001,1,2025-06-01\n",
        "OCDS contracting data flattened into a sheet",
    ),
    ("blank-header.xlsx", _xlsx([[], ["360G-x", "A grant"]]), "first row of the sheet is empty"),
    (
        "people.xlsx",
        _xlsx([["Name", "Town"], ["Asha", "Ashbourne"]]),
        "no Identifier column (its columns are 'Name', 'Town')",
    ),
]


@pytest.mark.parametrize(
    ("filename", "content", "message"), WRONG_FILES, ids=[f for f, _, _ in WRONG_FILES]
)
def test_a_file_that_is_not_360giving_is_refused_and_changes_nothing(
    filename: str, content: bytes, message: str
) -> None:
    with pytest.raises(ImportFileError, match="a 360Giving file is a JSON object") as caught:
        import_360giving(stream=io.BytesIO(content), filename=filename)
    assert message in str(caught.value)
    assert not ExternalGrant.objects.exists()
    assert not ImportRun.objects.exists()
    assert not Organisation.objects.exists()


def test_the_command_names_an_ocds_package_and_fails(tmp_path) -> None:
    path = tmp_path / "contracts-finder.json"
    path.write_text(json.dumps(RELEASE_PACKAGE))
    with pytest.raises(CommandError, match="looks like an OCDS release package") as caught:
        call_command("import", "360giving", str(path), verbosity=0)
    assert caught.value.returncode == 1
    assert not ImportRun.objects.exists()


def test_a_360giving_package_with_its_grants_after_other_keys_still_imports() -> None:
    grant = {
        "id": "360G-other-0001",
        "title": "Lunch club",
        "currency": "GBP",
        "amountAwarded": 500,
        "awardDate": "2025-06-01",
        "recipientOrganization": [{"id": "360G-other-ORG-1", "name": "Riverside Lunch Club"}],
        "fundingOrganization": [{"id": "GB-CHC-1000000", "name": "Another Trust"}],
    }
    content = json.dumps({"license": "x", "publisher": {"name": "T"}, "grants": [grant]})
    result = import_360giving(stream=io.BytesIO(content.encode()), filename="late.json")
    assert result.errors == []
    assert ExternalGrant.objects.count() == 1
