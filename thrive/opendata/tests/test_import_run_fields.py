"""A run's page and its download say each problem as the import said it: every field named
once, for a 360Giving run (a grant's place, then the field within it) as for an OCDS run
(the field's own place in the file, the release named by its ocid)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.urls import reverse

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.opendata.importing import import_360giving
from thrive.opendata.models import ImportRun
from thrive.opendata.ocds_import import import_ocds

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data"
GRANT = {
    "id": "360G-testtrust-1",
    "title": "Community lunch club",
    "currency": "GBP",
    "amountAwarded": 4999,
    "awardDate": "2025-06-01",
    "recipientOrganization": [{"id": "360G-testtrust-ORG-1", "name": "Lunch Club"}],
    "fundingOrganization": [{"id": "360G-testtrust", "name": "Test Trust"}],
}


def _ocds(actor):
    data = (DATA / "ocds_release_package.json").read_bytes()
    return import_ocds(stream=io.BytesIO(data), filename="contracts-finder.json", actor=actor)


def _threesixty(actor):
    grants = [GRANT, {**GRANT, "id": "360G-testtrust-2", "awardDate": "1 June 2025"}]
    data = json.dumps({"grants": grants}).encode()
    return import_360giving(stream=io.BytesIO(data), filename="trust.json", actor=actor)


@pytest.mark.parametrize("importer", [_ocds, _threesixty], ids=["ocds", "360giving"])
def test_a_runs_page_and_download_say_each_field_once(client, importer) -> None:
    officer = staff_with_role(Role.COMMISSIONER)
    result = importer(officer)
    said = [p for p in result.problems if p.field]
    assert said, "the file should give problems naming fields"
    client.force_login(officer)
    url = reverse("opendata:import_run", kwargs={"pk": ImportRun.objects.get().pk})

    page = client.get(url)

    assert page.status_code == 200
    # each kind's example reads as the import printed it
    examples = [str(example) for *_, example in page.context["by_kind"]]
    assert examples and set(examples) <= {str(p) for p in result.problems}
    html = page.content.decode()
    for problem in said:
        if problem.location.endswith(f"/{problem.field}"):  # an OCDS field's own place
            assert f"{problem.location}/{problem.field}" not in html

    download = client.get(url, {"format": "csv"})

    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0][1] == "Where" and rows[0][3] == "Field"
    assert [(row[1], row[2], row[3]) for row in rows[1:]] == [
        (p.location, p.grant_id, p.field) for p in result.problems
    ]
