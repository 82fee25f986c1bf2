"""Geometry for the small SVG charts on the action plan and survey pages.

Charts are drawn server-side as SVG with a title and description for screen readers;
each page shows the same figures in a table beside the chart.
"""

from __future__ import annotations

from typing import Any

BAR_HEIGHT = 28
BAR_GAP = 12
LABEL_WIDTH = 220
CHART_WIDTH = 470


def horizontal_bars(rows: list[dict[str, Any]], *, value_key: str = "count") -> dict[str, Any]:
    """One horizontal bar per row, scaled to the largest value; rows keep their other keys."""
    largest = max((row[value_key] or 0 for row in rows), default=0) or 1
    room = CHART_WIDTH - LABEL_WIDTH - 60
    bars = []
    for index, row in enumerate(rows):
        value = row[value_key] or 0
        y = index * (BAR_HEIGHT + BAR_GAP)
        width = round(room * value / largest)
        bars.append(
            {
                **row,
                "y": y,
                "text_y": y + BAR_HEIGHT // 2 + 5,
                "width": width,
                "value_x": LABEL_WIDTH + width + 8,
            }
        )
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": max(1, len(rows)) * (BAR_HEIGHT + BAR_GAP),
        "label_width": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
    }


def percentage_columns(points: list[tuple[str, float | None]]) -> dict[str, Any]:
    """Vertical columns on a 0–100% scale, one per year, for a time series."""
    top, plot_height, column, gap, left = 20, 200, 48, 28, 44
    columns = []
    for index, (label, value) in enumerate(points):
        x = left + gap + index * (column + gap)
        height = round(plot_height * (value or 0) / 100)
        columns.append(
            {
                "label": label,
                "value": value,
                "x": x,
                "y": top + plot_height - height,
                "height": height,
                "centre": x + column // 2,
            }
        )
    return {
        "columns": columns,
        "width": left + gap + max(1, len(points)) * (column + gap),
        "height": top + plot_height + 40,
        "column": column,
        "left": left,
        "baseline": top + plot_height,
        "axis_label_y": top + plot_height + 24,
        "gridlines": [
            {"value": v, "y": top + plot_height - round(plot_height * v / 100)}
            for v in (0, 25, 50, 75, 100)
        ],
    }
