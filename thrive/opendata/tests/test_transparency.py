"""Local Government Transparency Code CSVs: the Code's columns and the £5,000 threshold."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from thrive.awards.models import AwardKind, AwardStatus
from thrive.awards.tests.factories import AwardFactory
from thrive.opendata import transparency
from thrive.opportunities.models import OpportunityKind
from thrive.opportunities.tests.factories import OpportunityFactory, TenderFactory
from thrive.organisations.models import SizeBand, TestOutcome
from thrive.organisations.tests.factories import IdentifierFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

CODE_CONTRACT_FIELDS = [
    "Reference",
    "Title",
    "Department",
    "Description",
    "Supplier name",
    "Supplier registration number",
    "Total value (£)",
    "Irrecoverable VAT (£)",
    "Start date",
    "End date",
    "Review date",
    "Procurement route",
    "SME",
    "VCSE",
]
CODE_TENDER_FIELDS = [
    "Reference",
    "Title",
    "Description",
    "Start date",
    "End date",
    "Review date",
    "Department",
]
CODE_GRANT_FIELDS = [
    "Date",
    "Period start",
    "Period end",
    "Department",
    "Beneficiary",
    "Beneficiary registration number",
    "Purpose",
    "Amount (£)",
]


def _rows(council, dataset: str) -> list[dict[str, str]]:
    text = "".join(transparency.iter_csv(council, dataset))
    return list(csv.DictReader(io.StringIO(text)))


def _header(council, dataset: str) -> list[str]:
    return next(csv.reader(io.StringIO("".join(transparency.iter_csv(council, dataset)))))


@pytest.fixture
def council():
    return TenderFactory().council


def test_each_dataset_has_the_codes_fields_first(council) -> None:
    assert _header(council, "contracts")[: len(CODE_CONTRACT_FIELDS)] == CODE_CONTRACT_FIELDS
    assert _header(council, "tenders")[: len(CODE_TENDER_FIELDS)] == CODE_TENDER_FIELDS
    assert _header(council, "grants")[: len(CODE_GRANT_FIELDS)] == CODE_GRANT_FIELDS


def test_contracts_over_five_thousand_pounds_only(council) -> None:
    supplier = OrganisationFactory(name="Hilltop Care CIC", size_band=SizeBand.SMALL)
    IdentifierFactory(organisation=supplier, scheme="GB-COH", value="09506232")
    AwardFactory(council=council, kind=AwardKind.CONTRACT, amount_pence=500_000, title="Exactly")
    AwardFactory(
        council=council,
        organisation=supplier,
        kind=AwardKind.CONTRACT,
        amount_pence=500_001,
        title="Just over",
    )
    AwardFactory(council=council, kind=AwardKind.SMALL_GRANT, amount_pence=400_000)
    AwardFactory(
        council=council, kind=AwardKind.CONTRACT, amount_pence=900_000, status=AwardStatus.DRAFT
    )
    rows = _rows(council, "contracts")
    assert [row["Title"] for row in rows] == ["Just over"]
    row = rows[0]
    assert row["Total value (£)"] == "5000.01"
    assert row["Supplier name"] == "Hilltop Care CIC"
    assert row["Supplier registration number"] == "GB-COH-09506232"
    assert (row["SME"], row["VCSE"]) == ("Yes", "Yes")
    assert row["Procurement route"] == "Direct award"
    assert row["Review date"] < row["End date"]


def test_tenders_over_five_thousand_pounds_only(council) -> None:
    now = timezone.now()
    directorate = TenderFactory(council=council).directorate
    common = {"council": council, "directorate": directorate, "published_at": now}
    OpportunityFactory(kind=OpportunityKind.RFQ, value_pence=500_000, title="At five", **common)
    OpportunityFactory(kind=OpportunityKind.RFQ, value_pence=600_000, title="Quote", **common)
    OpportunityFactory(kind=OpportunityKind.SMALL_GRANTS, value_pence=9_000_000, **common)
    OpportunityFactory(
        kind=OpportunityKind.TENDER,
        value_pence=9_000_000,
        title="Unpublished",
        status="draft",
        opens_at=now + timedelta(days=3),
        **common,
    )
    titles = {row["Title"] for row in _rows(council, "tenders")}
    assert "Quote" in titles
    assert not titles & {"At five", "Unpublished"}
    assert all(
        row["Kind"] in {"Tender", "Request for quotations"} for row in _rows(council, "tenders")
    )


def test_grants_go_to_vcse_organisations_only(council) -> None:
    company = OrganisationFactory(name="Profit Ltd", third_sector_outcome=TestOutcome.DOES_NOT_MEET)
    AwardFactory(council=council, kind=AwardKind.SMALL_GRANT, amount_pence=250_050, title="Lunch")
    AwardFactory(council=council, organisation=company, kind=AwardKind.SMALL_GRANT, title="No")
    AwardFactory(council=council, kind=AwardKind.CONTRACT, title="A contract")
    rows = _rows(council, "grants")
    assert [row["Purpose"] for row in rows] == ["Lunch"]
    assert rows[0]["Amount (£)"] == "2500.50"


def test_nothing_about_bids_is_published(council) -> None:
    from thrive.applications.tests.factories import SubmittedApplicationFactory

    tender = TenderFactory(council=council, value_pence=9_000_000)
    SubmittedApplicationFactory(
        opportunity=tender,
        organisation=OrganisationFactory(name="Sealed Bidder"),
        answers={"price": "secret"},
    )
    everything = "".join(
        "".join(transparency.iter_csv(council, dataset)) for dataset in transparency.DATASETS
    )
    assert "Sealed Bidder" not in everything and "secret" not in everything


def test_download_and_command(client, council, tmp_path) -> None:
    AwardFactory(council=council, kind=AwardKind.CONTRACT, amount_pence=900_000, title="Meals")
    response = client.get(f"/open-data/{council.slug}/transparency-contracts.csv")
    assert response.status_code == 200
    assert "Meals" in b"".join(response.streaming_content).decode()
    assert response["Content-Disposition"].endswith('transparency-contracts.csv"')
    assert client.get(f"/open-data/{council.slug}/transparency-bids.csv").status_code == 404
    single = tmp_path / "contracts.csv"
    call_command("export", "transparency", "--dataset", "contracts", "--output", str(single))
    assert "Meals" in single.read_text()
    bundle = tmp_path / "transparency.zip"
    call_command("export", "transparency", "--output", str(bundle))
    names = zipfile.ZipFile(bundle).namelist()
    assert sorted(names) == sorted(transparency.filename(council, d) for d in transparency.DATASETS)
