"""The annual report PDF is laid out ahead of being asked for, kept where every process
finds it, and never served with figures other than today's."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader

from thrive.accounts.tests.factories import CouncilFactory
from thrive.awards.tests.factories import AwardFactory, DirectorateFactory
from thrive.core import pdf
from thrive.core.models import StoredDocument
from thrive.reporting import documents
from thrive.reporting.selectors.common import current_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def layouts(monkeypatch):
    """Count the PDFs laid out (the slow part), laying each out for real."""
    laid_out: list[str] = []
    real = pdf.html_to_pdf
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: laid_out.append(html) or real(html))
    return laid_out


@pytest.fixture
def adults(council):
    return DirectorateFactory(council=council, code="adults", name="Adult Social Care")


def _award(council, directorate, pence: int):
    year = current_year()
    return AwardFactory(
        council=council,
        directorate=directorate,
        amount_pence=pence,
        start_date=date(year, 5, 1),
        end_date=date(year, 12, 31),
        years={year: pence},
    )


def _text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_change_to_an_award_builds_the_pdf_in_the_background_so_the_download_lays_out_nothing(
    strategy, council, adults, layouts, settings, django_capture_on_commit_callbacks
) -> None:
    settings.THRIVE_PREBUILD_REPORTS = True
    with django_capture_on_commit_callbacks(execute=True):
        _award(council, adults, 1_234_500)
    built = len(layouts)
    assert built == 2  # this year's report and last year's, each once for the whole change
    assert StoredDocument.objects.count() == 2

    response = strategy.get(f"/reports/annual/{current_year()}/pdf/")
    assert response.status_code == 200
    assert len(layouts) == built  # served as kept: no layout while the user waits
    assert "£12,345.00" in _text(response.content)


def test_many_changes_in_one_transaction_queue_one_build_a_year(
    council, adults, layouts, settings, django_capture_on_commit_callbacks
) -> None:
    settings.THRIVE_PREBUILD_REPORTS = True
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for pence in (10_000, 20_000, 30_000):
            _award(council, adults, pence)
    builds = [callback for callback in callbacks if hasattr(callback, "annual_pdf")]
    assert len(builds) == 2
    assert layouts == []  # nothing laid out until the change has committed


def test_opening_the_report_page_readies_its_pdf(
    strategy, council, adults, layouts, settings, django_capture_on_commit_callbacks
) -> None:
    _award(council, adults, 500_000)
    settings.THRIVE_PREBUILD_REPORTS = True
    year = current_year()
    with django_capture_on_commit_callbacks(execute=True):
        assert strategy.get(f"/reports/annual/{year}/").status_code == 200
    assert len(layouts) == 1
    strategy.get(f"/reports/annual/{year}/pdf/")
    assert len(layouts) == 1


def test_a_changed_figure_is_never_served_from_a_kept_pdf(
    strategy, council, adults, layouts
) -> None:
    year = current_year()
    _award(council, adults, 100_000)
    first = strategy.get(f"/reports/annual/{year}/pdf/")
    _award(council, adults, 23_400)  # the build ahead of time is off: the download must notice
    changed = strategy.get(f"/reports/annual/{year}/pdf/")
    assert len(layouts) == 2
    assert changed.content != first.content
    assert "£1,234.00" in _text(changed.content)


def test_a_pdf_kept_yesterday_serves_today_when_no_figure_has_changed(
    council, adults, layouts, monkeypatch
) -> None:
    year = current_year()
    _award(council, adults, 100_000)
    yesterday = documents.annual_pdf(council, year)
    tomorrow = timezone.now() + timedelta(days=1)
    monkeypatch.setattr("thrive.reporting.selectors.annual.timezone.now", lambda: tomorrow)
    assert documents.annual_pdf(council, year) == yesterday
    assert len(layouts) == 1


def test_each_council_gets_its_own_pdf(council, adults, layouts) -> None:
    other_council = CouncilFactory(name="Eastvale Borough Council", slug="eastvale")
    year = current_year()
    own = documents.annual_pdf(council, year)
    other = documents.annual_pdf(other_council, year)
    assert len(layouts) == 2
    assert council.name in _text(own) and other_council.name not in _text(own)
    assert other_council.name in _text(other) and council.name not in _text(other)


def test_kept_documents_not_asked_for_in_a_week_are_let_go(council, adults, layouts) -> None:
    StoredDocument.objects.create(digest="0" * 64, content=b"%PDF old")
    StoredDocument.objects.filter(digest="0" * 64).update(
        created_at=timezone.now() - timedelta(days=pdf.KEPT_DAYS + 1)
    )
    documents.annual_pdf(council, current_year())
    assert not StoredDocument.objects.filter(digest="0" * 64).exists()
    assert StoredDocument.objects.count() == 1


def test_the_download_reads_the_figures_once(
    strategy,
    council,
    adults,
    layouts,
    django_assert_max_num_queries,
) -> None:
    year = current_year()
    _award(council, adults, 100_000)
    for _, func, _ in transaction.get_connection().run_on_commit:
        if hasattr(func, "kept_figures"):
            func()  # the versions move on, as the commit would
    strategy.get(f"/reports/annual/{year}/pdf/")  # laid out and kept, figures kept too
    with django_assert_max_num_queries(20):
        response = strategy.get(f"/reports/annual/{year}/pdf/")
    assert response.status_code == 200
    assert len(layouts) == 1
    assert "£1,000.00" in _text(response.content)
