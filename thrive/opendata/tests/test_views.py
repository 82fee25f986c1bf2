"""The open data page, downloads, the streamed API with ETags, and the export command."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from thrive.core.seeding import SCALES, SeedContext, run_seed
from thrive.opendata import publishing

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return run_seed(SeedContext(scale=SCALES["demo"], random_seed=5, show_progress=False)).data[
        "council"
    ]


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_open_data_page_links_every_download_and_the_licence(client, council) -> None:
    content = client.get("/open-data/").content.decode()
    assert "Open Government Licence v3.0" in content
    assert f"/api/v1/opendata/360giving.json?council={council.slug}" in content
    assert f"/open-data/{council.slug}/360giving.xlsx" in content
    assert f"/open-data/{council.slug}/360giving.csv" in content
    assert "Last updated" in content
    assert f"/api/v1/opendata/ocds.json?council={council.slug}" in content
    for dataset in ("tenders", "contracts", "grants"):
        assert f"/open-data/{council.slug}/transparency-{dataset}.csv" in content


def test_api_streams_the_package_with_an_etag(client, council) -> None:
    response = client.get(f"/api/v1/opendata/360giving.json?council={council.slug}")
    assert response.status_code == 200
    assert response.streaming
    package = json.loads(_body(response))
    assert len(package["grants"]) == publishing.grant_awards(council).count()
    etag = response["ETag"]
    again = client.get(
        f"/api/v1/opendata/360giving.json?council={council.slug}", HTTP_IF_NONE_MATCH=etag
    )
    assert again.status_code == 304


def test_the_etag_changes_when_a_grant_is_added(client, council) -> None:
    from thrive.awards.models import Award

    before = client.get("/api/v1/opendata/360giving.json")["ETag"]
    award = publishing.grant_awards(council).first()
    award.pk = award.reference = award.commitment = award.application = None
    award.save()
    assert Award.objects.filter(pk=award.pk).exists()
    assert client.get("/api/v1/opendata/360giving.json")["ETag"] != before


def test_unknown_council_is_a_structured_404(client, council) -> None:
    response = client.get("/api/v1/opendata/360giving.json?council=nowhere")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_openapi_documents_the_open_data_endpoint(client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    operation = paths["/api/v1/opendata/360giving.json"]["get"]
    assert {"200", "304", "404"} <= set(operation["responses"])


def test_spreadsheet_downloads(client, council) -> None:
    count = publishing.grant_awards(council).count()
    response = client.get(f"/open-data/{council.slug}/360giving.csv")
    rows = list(csv.reader(io.StringIO(_body(response).decode())))
    assert rows[0][:2] == ["Identifier", "Title"] and len(rows) == count + 1
    response = client.get(f"/open-data/{council.slug}/360giving.xlsx")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True)["grants"]
    assert sum(1 for _ in sheet.iter_rows()) == count + 1
    assert client.get(f"/open-data/{council.slug}/360giving.pdf").status_code == 404


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_export_command_writes_each_format(tmp_path, council, capsys, fmt) -> None:
    output = tmp_path / f"grants.{fmt}"
    call_command("export", "360giving", "--format", fmt, "--output", str(output))
    assert output.stat().st_size > 100
    assert "grants of" in capsys.readouterr().out
