"""The annual report covers its own year, is offered once the year has begun, and every
table on it can be downloaded."""

from __future__ import annotations

import re
from datetime import date

import pytest

from thrive.awards.models import AwardTarget
from thrive.awards.tests.factories import AwardFactory, DirectorateFactory
from thrive.reporting.tests.factories import ProcessFeedbackFactory
from thrive.strategy.tests.factories import (
    OutcomeFactory,
    PlanActionFactory,
    SurveyResponseFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(monkeypatch):
    """Set the day the reports think it is."""

    def set_day(day: date) -> None:
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)

    return set_day


@pytest.fixture
def awards(council):
    adults = DirectorateFactory(council=council, code="adults", name="Adult Social Care")
    return [
        AwardFactory(council=council, directorate=adults, amount_pence=900_000,
                     start_date=date(2024, 5, 1), end_date=date(2027, 4, 30),
                     years={2024: 100_000, 2025: 300_000, 2026: 500_000}),
        AwardFactory(council=council, directorate=adults, amount_pence=70_000,
                     start_date=date(2027, 4, 1), end_date=date(2027, 9, 30),
                     years={2027: 70_000}),
    ]  # fmt: skip


def _years_table(page: str) -> str:
    start = page.index("Over the years")
    return page[start : page.index("</table>", start)]


def test_the_over_the_years_table_and_chart_stop_at_the_reports_year(
    strategy, awards, today
) -> None:
    today(date(2026, 12, 6))
    page = strategy.get("/reports/annual/2025/").content.decode()
    table = _years_table(page)
    assert "2024/25" in table and "2025/26" in table
    assert "2026/27" not in table and "2027/28" not in table
    chart = page[page.index("Investment by financial year:") :]
    chart = chart[: chart.index("</desc>")]
    assert "2025/26 £3,000" in chart
    assert "2026/27" not in chart
    pdf_context = strategy.get("/reports/annual/2026/").content.decode()
    assert "2026/27" in _years_table(pdf_context)
    assert "2027/28" not in _years_table(pdf_context)


def test_the_reports_indicators_stop_at_the_reports_year(strategy, council, awards) -> None:
    from thrive.strategy.services import get_financial_year

    for year in (2024, 2025, 2026):
        SurveyResponseFactory(
            round__council=council, round__financial_year=get_financial_year(start_year=year)
        )
    page = strategy.get("/reports/annual/2025/").content.decode()
    ni7 = page[page.index("NI 7 by survey year") :]
    ni7 = ni7[: ni7.index("</table>")]
    assert "2024/25" in ni7 and "2025/26" in ni7
    assert "2026/27" not in ni7
    export = strategy.get("/reports/export/ni7/?year=2025&format=csv").content.decode()
    assert "2025/26" in export and "2026/27" not in export


def test_a_year_is_offered_once_it_has_started_and_the_running_year_is_so_far(
    strategy, awards, today
) -> None:
    today(date(2026, 3, 31))
    index = strategy.get("/reports/annual/").content.decode()
    assert "Annual report 2025 to 2026</a> (so far)" in index
    assert "Annual report 2024 to 2025</a></li>" in index
    assert "/reports/annual/2026/" not in index
    assert strategy.get("/reports/annual/2026/").status_code == 404
    assert strategy.get("/reports/annual/2026/pdf/").status_code == 404
    dashboard = strategy.get("/reports/").content.decode()
    assert '<option value="2025">2025/26 (so far)</option>' in dashboard
    assert 'value="2026"' not in dashboard
    api = strategy.get("/api/v1/reports/investment").json()
    assert api["years"] == [
        {"start_year": 2025, "label": "2025/26", "so_far": True},
        {"start_year": 2024, "label": "2024/25", "so_far": False},
    ]
    refused = strategy.get("/api/v1/reports/investment?year=2026")
    assert refused.status_code == 422
    assert "2026/27 has not started" in refused.json()["message"]

    today(date(2026, 4, 1))
    index = strategy.get("/reports/annual/").content.decode()
    assert "Annual report 2026 to 2027</a> (so far)" in index
    assert "Annual report 2025 to 2026</a></li>" in index
    page = strategy.get("/reports/annual/2026/").content.decode()
    assert "Annual report to Cabinet 2026/27 (so far)</h1>" in page
    assert strategy.get("/api/v1/reports/investment?year=2026").status_code == 200


def _full_report(council, awards) -> None:
    """Data for every table the annual report can show for 2025/26."""
    from thrive.strategy.services import get_financial_year

    year = get_financial_year(start_year=2025)
    outcome = OutcomeFactory(council=council, title="Young people feel engaged")
    AwardTarget.objects.create(
        award=awards[0], outcome=outcome, description="Sessions", target_value=10
    )
    PlanActionFactory(council=council, financial_year=year, title="Publish the strategy")
    SurveyResponseFactory(round__council=council, round__financial_year=year)
    ProcessFeedbackFactory(
        application__opportunity__council=council,
        application__submitted_at=awards[0].created_at.replace(year=2025, month=6),
        submitted_at=awards[0].created_at.replace(year=2025, month=7),
    )


def test_every_table_on_the_annual_report_has_its_download_links(strategy, council, awards) -> None:
    _full_report(council, awards)
    page = strategy.get("/reports/annual/2025/").content.decode()
    tables = page.count("<table")
    assert tables >= 12  # headline breakdowns, years, outcomes, NI 7, actions, feedback
    after_each = page.split("</table>")[1:]
    for index, following in enumerate(after_each):
        block = following.split("<table")[0].split("<h2")[0]
        assert "Download this table:" in block, f"table {index + 1} has no download links"
        links = re.findall(r'href="(/reports/export/[^"]+)"', block)
        assert [link.rsplit("format=", 1)[1] for link in links] == ["csv", "xlsx", "ods"]
        for link in links:
            response = strategy.get(link.replace("&amp;", "&"))
            assert response.status_code == 200, link
    assert page.count("Download this table:") == tables
    actions = strategy.get("/reports/export/actions/?year=2025&format=csv").content.decode()
    assert "Publish the strategy" in actions


def test_download_text_never_appears_without_links(strategy, council, awards) -> None:
    _full_report(council, awards)
    for path in ("/reports/", "/reports/outcomes/", "/reports/indicators/",
                 "/reports/annual/2025/"):  # fmt: skip
        page = strategy.get(path).content.decode()
        for match in re.finditer("Download this table:", page):
            paragraph = page[match.end() : page.index("</p>", match.end())]
            assert paragraph.count('href="/reports/export/') == 3, path


def test_the_pdf_is_laid_out_once_and_again_when_its_figures_change(
    strategy, council, awards, monkeypatch
) -> None:
    import io

    from pypdf import PdfReader

    from thrive.core import pdf

    layouts = []
    real = pdf.html_to_pdf
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: layouts.append(html) or real(html))
    first = strategy.get("/reports/annual/2025/pdf/")
    again = strategy.get("/reports/annual/2025/pdf/")
    assert len(layouts) == 1
    assert again.content == first.content
    AwardFactory(
        council=council, directorate=awards[0].directorate, amount_pence=12_300,
        start_date=date(2025, 6, 1), end_date=date(2025, 12, 31), years={2025: 12_300},
    )  # fmt: skip
    changed = strategy.get("/reports/annual/2025/pdf/")
    assert len(layouts) == 2
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(changed.content)).pages)
    assert "£3,123.00" in text
