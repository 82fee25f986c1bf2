"""Reporting pages: what staff see, filters, exports, the annual report and its PDF."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import CouncilFactory, staff_with_role
from thrive.awards.models import AwardKind
from thrive.awards.tests.factories import AwardFactory, DirectorateFactory
from thrive.reporting.tests.factories import ProcessFeedbackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def awards(council):
    adults = DirectorateFactory(council=council, code="adults", name="Adult Social Care")
    children = DirectorateFactory(council=council, code="children", name="Children's Services")
    return [
        AwardFactory(council=council, directorate=adults, amount_pence=1_000_000,
                     start_date=date(2025, 5, 1), end_date=date(2028, 4, 30),
                     years={2025: 300_000, 2026: 350_000, 2027: 350_000}),
        AwardFactory(council=council, directorate=children, amount_pence=250_000,
                     kind=AwardKind.SMALL_GRANT, start_date=date(2025, 9, 1),
                     end_date=date(2026, 8, 31), years={2025: 250_000}),
        AwardFactory(council=council, directorate=adults, amount_pence=400_000,
                     start_date=date(2024, 9, 1), end_date=date(2025, 8, 31),
                     years={2024: 300_000, 2025: 100_000}),
    ]  # fmt: skip


def test_dashboard_shows_totals_charts_beside_tables_and_exports(
    strategy, awards, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(30):
        response = strategy.get("/reports/")
    content = response.content.decode()
    assert response.status_code == 200
    assert '<dd class="govuk-summary-list__value" id="total-awarded">£16,500.00</dd>' in content
    assert content.count('role="img"') == content.count("<title id=")
    assert "<desc id=" in content
    assert "Investment by directorate: Adult Social Care £14,000; Children" in content
    assert "/reports/export/directorate/?format=xlsx" in content


def test_dashboard_filters_by_year_and_directorate(strategy, awards) -> None:
    adults = awards[0].directorate
    response = strategy.get(f"/reports/?year=2025&directorate={adults.pk}")
    # Only the money paid in 2025/26: £3,000 of the first award and £1,000 of the third.
    assert '<dd class="govuk-summary-list__value" id="total-awarded">£4,000.00</dd>' in (
        response.content.decode()
    )


def test_bad_filters_show_an_error_summary_and_all_figures(strategy, awards) -> None:
    response = strategy.get("/reports/?year=1890&directorate=abc")
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert "<title>Error: " in content
    assert "£16,500.00" in content


def test_query_count_does_not_grow_with_awards(
    strategy, awards, council, django_assert_max_num_queries
) -> None:
    for _ in range(30):
        AwardFactory(council=council, directorate=awards[0].directorate)
    with django_assert_max_num_queries(30):
        assert strategy.get("/reports/?year=2025").status_code == 200


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_every_table_exports(strategy, awards, fmt) -> None:
    for key in ["directorate", "method", "size_band", "area", "beneficiary_group", "year",
                "outcomes", "ni6", "feedback_directorate", "feedback_kind"]:  # fmt: skip
        response = strategy.get(f"/reports/export/{key}/?format={fmt}&year=2025")
        assert response.status_code == 200, key
        assert response["Content-Disposition"].endswith(f'.{fmt}"')
    response = strategy.get("/reports/export/directorate/?format=xlsx&year=2025")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Directorate", "Amount (pence)", "Amount (£)")
    assert {r[0]: r[1] for r in rows[1:]} == {
        "Adult Social Care": 400_000,
        "Children's Services": 250_000,
    }


def test_unknown_export_is_not_found(strategy) -> None:
    assert strategy.get("/reports/export/nothing/").status_code == 404


def test_another_councils_staff_see_only_their_own_figures(client, awards) -> None:
    other = CouncilFactory(name="Eastvale", slug="eastvale")
    client.force_login(staff_with_role(Role.COUNCIL_ADMIN, council=other))
    assert "£0.00" in client.get("/reports/").content.decode()


@pytest.mark.parametrize("role", [Role.PROCUREMENT_OFFICER, Role.ASSESSOR])
def test_procurement_and_assessors_cannot_read_reports(client, council, role) -> None:
    client.force_login(staff_with_role(role, council=council))
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/guidance/").status_code == 200


def test_annual_report_page_and_pdf(strategy, awards) -> None:
    ProcessFeedbackFactory(
        application__opportunity__council=awards[0].council,
        application__submitted_at=awards[0].created_at.replace(year=2025, month=6),
        submitted_at=awards[0].created_at.replace(year=2025, month=7),
        clarity=1,
        proportionality=2,
        fairness=2,
    )
    page = strategy.get("/reports/annual/2025/").content.decode()
    for heading in ["1. Summary", "2. Investment", "3. Outcomes", "4. Indicators",
                    "5. Action plan progress", "6. Applicants", "7. Concerns"]:  # fmt: skip
        assert heading in page
    assert "Low feedback scores" in page
    assert "made 3 awards worth £6,500.00 to 3 Third Sector organisations" in page
    response = strategy.get("/reports/annual/2025/pdf/")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Annual report to Cabinet 2025/26" in text
    assert "Concerns" in text


def test_annual_report_for_an_impossible_year_is_not_found(strategy) -> None:
    assert strategy.get("/reports/annual/1500/").status_code == 404


def test_outcomes_and_indicators_pages(strategy, awards) -> None:
    assert (
        "Targets and achievements by outcome" in strategy.get("/reports/outcomes/").content.decode()
    )
    assert "NI 6: participation" in strategy.get("/reports/indicators/").content.decode()


def test_guidance_stages_link_the_strategy(strategy) -> None:
    index = strategy.get("/reports/guidance/").content.decode()
    assert "/reports/guidance/monitoring/" in index
    stage = strategy.get("/reports/guidance/monitoring/").content.decode()
    assert "§4.3 Lead funder model" in stage
    assert strategy.get("/reports/guidance/nothing/").status_code == 404


def test_annual_report_names_pots_nearly_exhausted(strategy, awards) -> None:
    from thrive.strategy.models import FundingPot
    from thrive.strategy.services import get_financial_year

    directorate = awards[0].directorate
    year = get_financial_year(start_year=2025)
    for name, committed in (("Carers fund", 9_000_000), ("Youth fund", 8_999_999)):
        FundingPot.objects.create(
            council=directorate.council, directorate=directorate, financial_year=year,
            name=name, budget_pence=10_000_000, committed_pence=committed,
        )  # fmt: skip
    page = strategy.get("/reports/annual/2025/").content.decode()
    assert "Funding pots 90% or more committed: 1" in page
    assert "Carers fund: £90,000.00 of £100,000.00 committed" in page
    assert "Youth fund" not in page
