"""thrive report annual --year YYYY --output FILE writes HTML or PDF by the extension."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from thrive.accounts.tests.factories import CouncilFactory
from thrive.awards.tests.factories import AwardFactory, DirectorateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    council = CouncilFactory(name="Westshire County Council", slug="westshire")
    adults = DirectorateFactory(council=council, code="adults", name="Adult Social Care")
    AwardFactory(council=council, directorate=adults, amount_pence=4_200_000,
                 start_date=date(2025, 4, 1), end_date=date(2028, 3, 31),
                 years={2025: 1_400_000, 2026: 1_400_000, 2027: 1_400_000})  # fmt: skip
    return council


def test_writes_html(council, tmp_path) -> None:
    output = tmp_path / "report.html"
    call_command("report", "annual", "--year", "2025", "--output", str(output))
    html = output.read_text(encoding="utf-8")
    assert "Annual report to Cabinet 2025/26" in html
    assert "£14,000.00" in html  # the 2025/26 part of the three-year award
    assert 'role="img"' in html


def test_writes_pdf(council, tmp_path) -> None:
    output = tmp_path / "report.pdf"
    call_command("report", "annual", "--year", "2025", "--output", str(output), "--council",
                 "westshire")  # fmt: skip
    text = "".join(page.extract_text() for page in PdfReader(output).pages)
    assert "Annual report to Cabinet 2025/26" in text
    assert "Westshire County Council" in text


def test_refuses_other_extensions_and_unknown_councils(council, tmp_path) -> None:
    with pytest.raises(CommandError, match=r"\.html or \.pdf"):
        call_command("report", "annual", "--year", "2025", "--output", str(tmp_path / "r.doc"))
    with pytest.raises(CommandError, match="No council"):
        call_command("report", "annual", "--year", "2025", "--output",
                     str(tmp_path / "r.pdf"), "--council", "nowhere")  # fmt: skip
