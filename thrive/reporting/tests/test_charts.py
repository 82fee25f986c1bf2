"""Charts keep every label whole and inside the chart, on the page and in the PDF."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from thrive.core.pdf import html_to_pdf
from thrive.reporting import charts

LONG_LABELS = [
    "Children, young people and families with complex needs",
    "Older people living alone in rural villages",
    "Mental health",
    "A",
]
PAGE_LEFT_MARGIN_PT = 18 / 25.4 * 72  # pdf/base.html: @page margin 18 mm left and right
PAGE_RIGHT_EDGE_PT = (210 - 18) / 25.4 * 72


def _pdf_texts(chart: str) -> list[tuple[float, str]]:
    """Each run of text in a PDF of the chart alone, with where on the page it starts."""
    html = (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Chart</title>'
        "<style>@page { size: A4; margin: 20mm 18mm 22mm; } svg { width: 100%; }</style>"
        f"</head><body>{chart}</body></html>"
    )
    page = PdfReader(io.BytesIO(html_to_pdf(html))).pages[0]
    found: list[tuple[float, str]] = []

    def visit(text, cm, tm, font, size) -> None:
        if text.strip():
            found.append((tm[4] * cm[0] + tm[5] * cm[2] + cm[4], text))

    page.extract_text(visitor_text=visit)
    return found


def _words(text: str) -> str:
    return " ".join(text.split())


def test_bar_chart_labels_are_whole_and_start_inside_the_page_in_the_pdf() -> None:
    rows = [(label, 1_000_000 * (index + 1)) for index, label in enumerate(LONG_LABELS)]
    chart = charts.bar_chart(title="Investment by group", rows=rows, fmt=lambda v: f"£{v:,.0f}")
    texts = _pdf_texts(chart)
    joined = _words(" ".join(text for _, text in texts))
    for label in LONG_LABELS:
        assert label in joined, label
    for value in ("£1,000,000", "£4,000,000"):
        assert value in joined
    for x, text in texts:
        assert x >= PAGE_LEFT_MARGIN_PT - 1, f"{text!r} starts left of the chart at {x:.1f}"
        assert x <= PAGE_RIGHT_EDGE_PT, f"{text!r} starts right of the chart at {x:.1f}"


def test_bar_chart_margin_fits_the_longest_label_and_wraps_only_very_long_ones() -> None:
    short = charts.bar_chart(title="T", rows=[("Mental health", 5)])
    long = charts.bar_chart(title="T", rows=[("Older people living alone", 5)])
    axis = re.compile(r'<line x1="([\d.]+)"')
    short_margin = float(axis.search(short).group(1))
    long_margin = float(axis.search(long).group(1))
    assert short_margin < long_margin
    assert long_margin >= charts.text_width("Older people living alone", 13)
    assert long.count("<tspan") == 1
    wrapped = charts.bar_chart(title="T", rows=[(LONG_LABELS[0], 5)])
    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", wrapped)
    assert len(lines) == 2
    assert " ".join(lines) == LONG_LABELS[0]
    width = float(re.search(r'viewBox="0 0 ([\d.]+)', wrapped).group(1))
    assert max(charts.text_width(line, 13) for line in lines) <= width * 0.4


def test_column_chart_keeps_its_first_and_last_labels_inside() -> None:
    rows = [(f"20{year}/{year + 1}", 123_456_789) for year in range(15, 27)]
    chart = charts.column_chart(title="By year", rows=rows, fmt=lambda v: f"£{v:,.0f}")
    width = float(re.search(r'viewBox="0 0 ([\d.]+)', chart).group(1))
    for x, label in re.findall(r'<text x="([\d.]+)"[^>]*text-anchor="middle"[^>]*>([^<]*)<', chart):
        half = charts.text_width(label, 12) / 2
        assert float(x) - half >= 0 and float(x) + half <= width, label
    texts = _pdf_texts(chart)
    joined = _words(" ".join(text for _, text in texts))
    assert "2015/16" in joined and "2026/27" in joined
