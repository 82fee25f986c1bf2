"""Shape report figures for pages, PDFs and exports: charts beside tables, export rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils.safestring import SafeString

from thrive.reporting import charts, selectors
from thrive.reporting.selectors import Filters, Investment, Table
from thrive.reporting.selectors.indicators import action_plan_progress


def whole_pounds(pence: float) -> str:
    return f"£{round(pence / 100):,}"


def percent(share: float) -> str:
    return f"{share * 100:.1f}%"


@dataclass
class ChartTable:
    table: Table
    chart: SafeString


def chart_tables(result: Investment) -> list[ChartTable]:
    """Each breakdown with its bar chart (the table is shown beside it)."""
    return [
        ChartTable(
            table,
            charts.bar_chart(
                title=f"Investment {table.title.lower()}", rows=table.chart_rows, fmt=whole_pounds
            ),
        )
        for table in result.tables
    ]


def years_chart(result: Investment) -> SafeString | None:
    if result.years is None:
        return None
    return charts.column_chart(
        title="Investment by financial year", rows=result.years.chart_rows, fmt=whole_pounds
    )


def report_context(result: Investment) -> dict[str, Any]:
    return {
        "investment": result,
        "chart_tables": chart_tables(result),
        "years_chart": years_chart(result),
    }


# --- exports -----------------------------------------------------------------

TABLE_HEADERS = ["Amount (pence)", "Amount (£)", "Awards", "Share of total (%)"]
FEEDBACK_HEADERS = ["Responses", "Clarity", "Proportionality", "Fairness"]


def _investment_rows(table: Table) -> list[list[Any]]:
    return [
        [row.label, row.amount_pence, round(row.amount_pence / 100, 2), row.awards,
         round(row.share * 100, 1)]
        for row in table.rows
    ]  # fmt: skip


def _feedback_rows(lines: Sequence[Any]) -> list[list[Any]]:
    return [
        [line.label, line.responses, round(line.clarity, 2), round(line.proportionality, 2),
         round(line.fairness, 2)]
        for line in lines
    ]  # fmt: skip


def _outcome_export(filters: Filters) -> tuple[str, list[str], list[list[Any]]]:
    lines = selectors.outcome_progress(filters) or []
    headers = ["Outcome code", "Outcome", "Unit", "Awards", "Targets", "Target", "Achieved"]
    rows = [
        [line.code, line.title, line.unit, line.awards, line.targets,
         float(line.target_value), float(line.achieved_value)]
        for line in lines
    ]  # fmt: skip
    return "Targets and achievements", headers, rows


def _ni6_export(filters: Filters) -> tuple[str, list[str], list[list[Any]]]:
    series = selectors.indicators(filters.council, up_to=filters.year).ni6 or []
    headers = ["Financial year", "Returns", "Organisations reporting", "Volunteers", "Hours"]
    rows = [
        [y.label, y.returns, y.organisations_reporting, y.volunteers, y.volunteer_hours]
        for y in series
    ]
    return "NI 6 volunteering", headers, rows


def _ni7_export(filters: Filters) -> tuple[str, list[str], list[list[Any]]]:
    series = selectors.indicators(filters.council, up_to=filters.year).ni7 or []
    rows = [[point.year, point.respondents, point.ni7] for point in series]
    return "NI 7 by survey year", ["Survey year", "Respondents", "NI 7 (%)"], rows


def _actions_export(filters: Filters) -> tuple[str, list[str], list[list[Any]]]:
    if filters.year is None:
        raise Http404("Choose a year")
    progress = action_plan_progress(filters.council, filters.year)
    headers = ["Action", "Strategy section", "Owner", "Due", "Status"]
    rows = [
        [a.title, a.section_label, str(a.owner or ""), a.due_date, a.status_label]
        for a in (progress.actions if progress else [])
    ]
    return "Action plan", headers, rows


EXTRA_EXPORTS = ("feedback_directorate", "feedback_kind", "outcomes", "ni6", "ni7", "actions")
SIMPLE_EXPORTS = {
    "outcomes": _outcome_export,
    "ni6": _ni6_export,
    "ni7": _ni7_export,
    "actions": _actions_export,
}


def export_table(key: str, filters: Filters) -> tuple[str, list[str], list[list[Any]]]:
    """Title, headers and rows of one dashboard table, for CSV, XLSX or ODS."""
    if key in SIMPLE_EXPORTS:
        return SIMPLE_EXPORTS[key](filters)
    if key in ("feedback_directorate", "feedback_kind"):
        summary = selectors.feedback_summary(filters)
        if key == "feedback_directorate":
            return (
                "Feedback by directorate",
                ["Directorate", *FEEDBACK_HEADERS],
                _feedback_rows(summary.by_directorate),
            )
        return (
            "Feedback by kind",
            ["Kind of opportunity", *FEEDBACK_HEADERS],
            _feedback_rows(summary.by_kind),
        )
    table = selectors.investment(filters).table(key)
    if table is None:
        raise Http404("No such table")
    return table.title, [table.heading, *TABLE_HEADERS], _investment_rows(table)


# --- indicators and the annual report ----------------------------------------


def indicator_charts(found: Any) -> dict[str, SafeString | None]:
    """Column charts of NI 6 volunteer hours and NI 7 over the years, when there are data."""
    ni6 = found.ni6 or []
    ni7 = [point for point in (found.ni7 or []) if point.ni7 is not None]
    return {
        "ni6_chart": charts.column_chart(
            title="NI 6: volunteer hours reported by funded organisations",
            rows=[(y.label, y.volunteer_hours) for y in ni6],
            fmt=lambda v: f"{round(v):,}",
        )
        if ni6
        else None,
        "ni7_chart": charts.column_chart(
            title="NI 7: organisations saying the council's influence is positive",
            rows=[(point.year, point.ni7) for point in ni7],
            fmt=lambda v: f"{v:.1f}%",
        )
        if ni7
        else None,
    }


def action_plan_chart(progress: Any) -> SafeString | None:
    if progress is None or not getattr(progress, "total", 0):
        return None
    return charts.bar_chart(
        title="Action plan progress",
        rows=[(bar["label"], bar["count"]) for bar in progress.bars()],
        fmt=lambda v: f"{round(v):,}",
    )


def feedback_chart(summary: Any) -> SafeString | None:
    if not summary.overall.responses:
        return None
    overall = summary.overall
    return charts.bar_chart(
        title="Applicants' average ratings of the process, out of 5",
        rows=[
            ("Clarity", overall.clarity),
            ("Proportionality", overall.proportionality),
            ("Fairness", overall.fairness),
        ],
        fmt=lambda v: f"{v:.1f}",
    )


def annual_context(report: Any) -> dict[str, Any]:
    """Everything the annual report's page, PDF and command render."""
    return {
        "report": report,
        "council": report.council,
        **report_context(report.investment),
        **indicator_charts(report.indicators),
        "action_chart": action_plan_chart(report.action_plan),
        **feedback_context(report.feedback),
    }


def feedback_context(summary: Any) -> dict[str, Any]:
    return {
        "feedback": summary,
        "feedback_chart": feedback_chart(summary),
        "feedback_tables": [
            (summary.by_directorate, "Directorate", "feedback_directorate"),
            (summary.by_kind, "Kind of opportunity", "feedback_kind"),
        ],
    }
