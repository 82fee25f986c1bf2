"""Accessible SVG charts drawn on the server: no JavaScript, readable in PDFs.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` naming every
value, referenced by ``aria-labelledby``; pages always show the data table beside it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_COLOUR = "#1d70b8"  # GOV.UK blue
TEXT_COLOUR = "#0b0c0c"
AXIS_COLOUR = "#b1b4b6"
FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"

# Advance widths of Arial (and its metric twin Liberation Sans) in thousandths of the font
# size, for the characters whose width differs from the common 556 of digits and most
# lower-case letters; used to leave room for every label instead of cutting it off.
_NARROW = dict.fromkeys("il.,:;'|!", 278) | dict.fromkeys("fjtI/ ()[]-", 333) | {"r": 333}
_WIDE = dict.fromkeys("mMW", 833) | {"w": 722, "£": 556, "%": 889, "…": 1000}
_CAPITAL = 667  # most capitals are 667 to 778 wide; the widest count as 778
_WIDE_CAPITALS = set("CDGHNOQRUw")


def text_width(text: str, size: float) -> float:
    """The width ``text`` takes at ``size`` in Arial, rounded up a little for safety."""
    total = 0
    for char in text:
        if char in _NARROW:
            total += _NARROW[char]
        elif char in _WIDE:
            total += _WIDE[char]
        elif char in _WIDE_CAPITALS:
            total += 778
        elif char.isupper():
            total += _CAPITAL
        else:
            total += 556
    return total * size / 1000 * 1.05


def wrap(text: str, room: float, size: float) -> list[str]:
    """Break ``text`` at spaces into lines no wider than ``room`` (a single word longer than
    that stays whole on its own line; the chart then widens its margin for it)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _chart_id(title: str, rows: Sequence[tuple[str, float]]) -> str:
    """An id from what the chart shows: unique on a page (titles differ) and the same each
    time, so the same report renders the same HTML (and its PDF can be reused)."""
    return hashlib.sha256(repr((title, list(rows))).encode()).hexdigest()[:10]


def _describe(title: str, rows: Sequence[tuple[str, float]], fmt: Callable) -> str:
    if not rows:
        return f"{title}: no data."
    return f"{title}: " + "; ".join(f"{label} {fmt(value)}" for label, value in rows) + "."


def _open(n: str, title: str, description: str, width: float, height: float) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="100%" font-family="{FONT}" '
        f'aria-labelledby="chart-{n}-title chart-{n}-desc">',
        f'<title id="chart-{n}-title">{escape(title)}</title>',
        f'<desc id="chart-{n}-desc">{escape(description)}</desc>',
    ]


def _label_lines(x: float, first_y: float, lines: list[str], size: int, step: float) -> str:
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{first_y + index * step:.1f}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return f'<text text-anchor="end" font-size="{size}" fill="{TEXT_COLOUR}">{spans}</text>'


def bar_chart(
    *,
    title: str,
    rows: Sequence[tuple[str, float]],
    fmt: Callable[[float], str] = str,
    width: int = 640,
) -> SafeString:
    """Horizontal bars, one per row, labelled with the row's whole name and its value.

    The left margin is as wide as the longest label needs, up to 40% of the chart; longer
    labels wrap onto more lines (their row grows), so no label is ever cut off."""
    n = _chart_id(title, rows)
    size, bar_height, gap, pad = 13, 22, 8, 8
    line_step = size * 1.2
    room = width * 0.4
    labelled = [(wrap(str(label), room, size), value) for label, value in rows]
    longest = max((text_width(line, size) for lines, _ in labelled for line in lines), default=0)
    label_width = max(longest, 40) + 2 * pad
    value_width = max((text_width(fmt(value), size) for _, value in rows), default=0) + 2 * pad
    plot = max(width - label_width - value_width, 40)
    total_width = label_width + plot + value_width
    heights = [max(bar_height, len(lines) * line_step + 6) for lines, _ in labelled]
    height = sum(heights) + gap * (len(heights) + 1) if heights else bar_height + 2 * gap
    top = max((value for _, value in rows), default=0) or 1
    parts = _open(n, title, _describe(title, rows, fmt), total_width, height)
    parts.append(
        f'<line x1="{label_width:.1f}" y1="0" x2="{label_width:.1f}" y2="{height}" '
        f'stroke="{AXIS_COLOUR}"/>'
    )
    y = gap
    for (lines, value), row_height in zip(labelled, heights, strict=True):
        bar = max(0.0, value) / top * plot
        bar_y = y + (row_height - bar_height) / 2
        first_line = y + (row_height - len(lines) * line_step) / 2 + size
        parts += [
            _label_lines(label_width - pad, first_line, lines, size, line_step),
            f'<rect x="{label_width:.1f}" y="{bar_y:.1f}" width="{bar:.1f}" '
            f'height="{bar_height}" fill="{BAR_COLOUR}"/>',
            f'<text x="{label_width + bar + 6:.1f}" y="{bar_y + bar_height * 0.7:.1f}" '
            f'font-size="{size}" fill="{TEXT_COLOUR}">{escape(fmt(value))}</text>',
        ]
        y += row_height + gap
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
    """Vertical columns for a series over time (years along the bottom).

    Each column's slot is at least as wide as its widest value or label, so the first and
    last labels stay inside the chart; with many years the chart grows wider and is scaled
    down to fit the page."""
    n = _chart_id(title, rows)
    size, bottom, top_margin = 12, 40, 24
    plot_height = height - bottom - top_margin
    top = max((value for _, value in rows), default=0) or 1
    widest = max(
        (max(text_width(fmt(value), size), text_width(str(label), size)) for label, value in rows),
        default=0,
    )
    slot = max(width / max(1, len(rows)), widest + 8)
    total_width = max(width, slot * len(rows))
    column = min(slot * 0.6, 80)
    parts = _open(n, title, _describe(title, rows, fmt), total_width, height)
    parts.append(
        f'<line x1="0" y1="{height - bottom}" x2="{total_width:.0f}" y2="{height - bottom}" '
        f'stroke="{AXIS_COLOUR}"/>'
    )
    for index, (label, value) in enumerate(rows):
        size_px = max(0.0, value) / top * plot_height
        middle = index * slot + slot / 2
        y = height - bottom - size_px
        parts += [
            f'<rect x="{middle - column / 2:.1f}" y="{y:.1f}" width="{column:.1f}" '
            f'height="{size_px:.1f}" fill="{BAR_COLOUR}"/>',
            f'<text x="{middle:.1f}" y="{y - 6:.1f}" text-anchor="middle" font-size="{size}" '
            f'fill="{TEXT_COLOUR}">{escape(fmt(value))}</text>',
            f'<text x="{middle:.1f}" y="{height - bottom + 18}" text-anchor="middle" '
            f'font-size="{size}" fill="{TEXT_COLOUR}">{escape(str(label))}</text>',
        ]
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every label and value is escaped above  # nosec B308 B703
