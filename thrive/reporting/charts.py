"""Accessible SVG charts drawn on the server: no JavaScript, readable in PDFs.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` naming every
value, referenced by ``aria-labelledby``; pages always show the data table beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_COLOUR = "#1d70b8"  # GOV.UK blue
TEXT_COLOUR = "#0b0c0c"
AXIS_COLOUR = "#b1b4b6"
_ids = count(1)


def _label(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe(title: str, rows: Sequence[tuple[str, float]], fmt: Callable) -> str:
    if not rows:
        return f"{title}: no data."
    return f"{title}: " + "; ".join(f"{label} {fmt(value)}" for label, value in rows) + "."


def bar_chart(
    *,
    title: str,
    rows: Sequence[tuple[str, float]],
    fmt: Callable[[float], str] = str,
    width: int = 640,
) -> SafeString:
    """Horizontal bars, one per row, labelled with the row's name and formatted value."""
    n = next(_ids)
    bar_height, gap, label_width, value_width = 22, 8, 230, 110
    height = max(1, len(rows)) * (bar_height + gap) + gap
    top = max((value for _, value in rows), default=0) or 1
    plot = width - label_width - value_width
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="chart-{n}-title chart-{n}-desc">',
        f'<title id="chart-{n}-title">{escape(title)}</title>',
        f'<desc id="chart-{n}-desc">{escape(_describe(title, rows, fmt))}</desc>',
        f'<line x1="{label_width}" y1="0" x2="{label_width}" y2="{height}" '
        f'stroke="{AXIS_COLOUR}"/>',
    ]
    for index, (label, value) in enumerate(rows):
        y = gap + index * (bar_height + gap)
        bar = max(0.0, value) / top * plot
        text_y = y + bar_height * 0.7
        parts += [
            f'<text x="{label_width - 6}" y="{text_y:.1f}" text-anchor="end" font-size="13" '
            f'fill="{TEXT_COLOUR}">{escape(_label(str(label)))}</text>',
            f'<rect x="{label_width}" y="{y}" width="{bar:.1f}" height="{bar_height}" '
            f'fill="{BAR_COLOUR}"/>',
            f'<text x="{label_width + bar + 6:.1f}" y="{text_y:.1f}" font-size="13" '
            f'fill="{TEXT_COLOUR}">{escape(fmt(value))}</text>',
        ]
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every label and value is escaped above  # nosec B308 B703


def column_chart(
    *,
    title: str,
    rows: Sequence[tuple[str, float]],
    fmt: Callable[[float], str] = str,
    width: int = 640,
    height: int = 260,
) -> SafeString:
    """Vertical columns for a series over time (years along the bottom)."""
    n = next(_ids)
    bottom, top_margin = 40, 24
    plot_height = height - bottom - top_margin
    top = max((value for _, value in rows), default=0) or 1
    slot = width / max(1, len(rows))
    column = slot * 0.6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="chart-{n}-title chart-{n}-desc">',
        f'<title id="chart-{n}-title">{escape(title)}</title>',
        f'<desc id="chart-{n}-desc">{escape(_describe(title, rows, fmt))}</desc>',
        f'<line x1="0" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" '
        f'stroke="{AXIS_COLOUR}"/>',
    ]
    for index, (label, value) in enumerate(rows):
        size = max(0.0, value) / top * plot_height
        x = index * slot + (slot - column) / 2
        y = height - bottom - size
        middle = x + column / 2
        parts += [
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{column:.1f}" height="{size:.1f}" '
            f'fill="{BAR_COLOUR}"/>',
            f'<text x="{middle:.1f}" y="{y - 6:.1f}" text-anchor="middle" font-size="12" '
            f'fill="{TEXT_COLOUR}">{escape(fmt(value))}</text>',
            f'<text x="{middle:.1f}" y="{height - bottom + 18}" text-anchor="middle" '
            f'font-size="12" fill="{TEXT_COLOUR}">{escape(str(label))}</text>',
        ]
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every label and value is escaped above  # nosec B308 B703
