"""Public files are inert: a hostile organisation name is text in every CSV and XLSX the
council publishes, and exactly itself in the JSON (issue 14, finding 6)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from thrive.accounts.tests.factories import MembershipFactory
from thrive.awards.models import AwardKind
from thrive.awards.tests.factories import AwardFactory
from thrive.core.exports import is_formula_like
from thrive.opendata import grant_sheets, publishing, transparency
from thrive.opportunities.tests.factories import TenderFactory
from thrive.organisations.services.profile import update_organisation

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil","x")'


@pytest.fixture
def world():
    council = TenderFactory().council
    grant = AwardFactory(council=council, kind=AwardKind.FUNDING_AGREEMENT, amount_pence=900_000)
    AwardFactory(
        council=council,
        organisation=grant.organisation,
        kind=AwardKind.CONTRACT,
        amount_pence=900_000,
        title="Day services",
    )
    admin = MembershipFactory(organisation=grant.organisation, is_admin=True).user
    return {"council": council, "organisation": grant.organisation, "admin": admin}


def _csv(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_a_formula_for_a_name_is_text_in_every_public_file(world) -> None:
    update_organisation(
        organisation=world["organisation"], actor=world["admin"], changes={"name": HOSTILE}
    )
    slug = world["council"].slug
    anonymous = Client()

    grants_csv = _csv(anonymous.get(f"/open-data/{slug}/360giving.csv"))
    assert [row["Recipient Org:0:Name"] for row in grants_csv] == ["'" + HOSTILE]

    response = anonymous.get(f"/open-data/{slug}/360giving.xlsx")
    sheet = load_workbook(io.BytesIO(response.content))["grants"]
    column = [cell.value for cell in sheet[1]].index("Recipient Org:0:Name")
    cell = sheet.cell(row=2, column=column + 1)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (HOSTILE, "s", True)
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]

    contracts = _csv(anonymous.get(f"/open-data/{slug}/transparency-contracts.csv"))
    assert {row["Supplier name"] for row in contracts} == {"'" + HOSTILE}
    grants = _csv(anonymous.get(f"/open-data/{slug}/transparency-grants.csv"))
    assert [row["Beneficiary"] for row in grants] == ["'" + HOSTILE]

    package = json.loads(
        b"".join(anonymous.get(f"/api/v1/opendata/360giving.json?council={slug}").streaming_content)
    )
    assert package["grants"][0]["recipientOrganization"][0]["name"] == HOSTILE
    releases = json.loads(
        b"".join(anonymous.get(f"/api/v1/opendata/ocds.json?council={slug}").streaming_content)
    )["releases"]
    suppliers = {p["name"] for r in releases for p in r["parties"] if "supplier" in p["roles"]}
    assert suppliers == {HOSTILE}


def test_the_json_publication_is_unchanged_by_the_spreadsheet_rules(world) -> None:
    world["organisation"].name = HOSTILE
    world["organisation"].save()
    body = b"".join(publishing.iter_json(world["council"]))
    grant = json.loads(body)["grants"][0]
    assert grant["recipientOrganization"][0]["name"] == HOSTILE
    assert json.dumps(HOSTILE)[1:-1].encode() in body


names = st.one_of(
    st.sampled_from([HOSTILE, "=cmd|' /C calc'!A0", "@SUM(1+1)", "+44 1632", "-x", "\t=1"]),
    st.builds(
        lambda prefix, body: prefix + body,
        st.sampled_from(["=", "+", "-", "@", "\t", "\r", ""]),
        st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20),
    ),
).filter(lambda name: name.strip())


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=names)
def test_any_hostile_name_is_inert_in_the_publications(world, name: str) -> None:
    organisation, council = world["organisation"], world["council"]
    organisation.name = name
    organisation.save()
    rows = list(csv.reader(io.StringIO("".join(grant_sheets.iter_csv(council)), newline="")))
    for dataset in ("contracts", "grants"):
        text = "".join(transparency.iter_csv(council, dataset))
        rows += list(csv.reader(io.StringIO(text, newline="")))
    assert not [cell for row in rows for cell in row if is_formula_like(cell)]
    buffer = io.BytesIO()
    grant_sheets.write_xlsx(council, buffer)
    sheet = load_workbook(buffer)["grants"]
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    expected = name.replace("\r", "\n")
    assert expected in [c.value for row in sheet.iter_rows() for c in row]
