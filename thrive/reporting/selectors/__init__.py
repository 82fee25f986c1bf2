"""Reads for reporting: every figure by database aggregation, a fixed number of queries."""

from thrive.reporting.selectors.annual import AnnualReport, annual_report
from thrive.reporting.selectors.feedback import (
    feedback_comment_choices,
    feedback_comments,
    feedback_readable_by,
    feedback_summary,
)
from thrive.reporting.selectors.indicators import indicators
from thrive.reporting.selectors.investment import (
    Filters,
    Investment,
    Row,
    Table,
    financial_years,
    funded_awards,
    investment,
)
from thrive.reporting.selectors.outcomes import outcome_progress

__all__ = [
    "AnnualReport",
    "Filters",
    "Investment",
    "Row",
    "Table",
    "annual_report",
    "feedback_comment_choices",
    "feedback_comments",
    "feedback_readable_by",
    "feedback_summary",
    "financial_years",
    "funded_awards",
    "indicators",
    "investment",
    "outcome_progress",
]
