"""Applicants' comments on the process, for the Corporate Third Sector Group and
commissioners, without saying who made them (§5.2)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from thrive.core import policy
from thrive.core.exports import EXPORT_FORMATS, export_response
from thrive.opportunities.models import OpportunityKind
from thrive.reporting import forms, selectors
from thrive.reporting.models import ProcessFeedback
from thrive.strategy import selectors as strategy_selectors

PAGE_SIZE = 50
VIEW = "reporting.feedback.view"
HEADERS = [
    "Received",
    "Opportunity",
    "Kind of opportunity",
    "Directorate",
    "Clarity",
    "Proportionality",
    "Fairness",
    "Comment",
]


def _comments(request: HttpRequest) -> tuple[Any, forms.FeedbackCommentsForm, QuerySet]:
    """The council, the filters form and the comments the reader may see, filtered."""
    council = strategy_selectors.council_for(request.user, request.GET.get("council"))
    policy.require(request.user, VIEW, council)
    readable = selectors.feedback_readable_by(user=request.user, council=council)
    opportunities, years = selectors.feedback_comment_choices(readable)
    form = forms.FeedbackCommentsForm(request.GET or None, opportunities=opportunities, years=years)
    chosen: dict[str, Any] = {"opportunity": None, "year": None}
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data
    comments = selectors.feedback_comments(
        readable, opportunity_id=chosen["opportunity"], year=chosen["year"]
    )
    return council, form, comments


def _row(item: ProcessFeedback, kinds: dict[str, str]) -> list[Any]:
    return [
        f"{timezone.localtime(item.submitted_at):%B %Y}",
        item.opportunity_title,
        kinds.get(item.opportunity_kind, item.opportunity_kind),
        item.directorate.name if item.directorate else "",
        item.clarity,
        item.proportionality,
        item.fairness,
        item.comment,
    ]


@policy.rule(VIEW)
def feedback_comments(request: HttpRequest) -> HttpResponse:
    """Applicants' comments, filtered by opportunity and year, newest first."""
    council, form, comments = _comments(request)
    page = Paginator(comments, PAGE_SIZE).get_page(request.GET.get("page"))
    kinds = dict(OpportunityKind.choices)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "reporting/feedback_comments.html",
        {
            "council": council,
            "filters_form": form,
            "page_has_errors": form.is_bound and bool(form.errors),
            "page": page,
            "rows": [_row(item, kinds) for item in page],
            "headers": HEADERS,
            "query": query.urlencode(),
            "formats": EXPORT_FORMATS,
        },
    )


@policy.rule(VIEW)
def feedback_comments_export(request: HttpRequest) -> HttpResponse:
    """The filtered comments as CSV, XLSX or ODS."""
    _, _, comments = _comments(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        fmt = "csv"
    kinds = dict(OpportunityKind.choices)
    return export_response(
        headers=HEADERS,
        rows=(_row(item, kinds) for item in comments.iterator(chunk_size=2000)),
        fmt=fmt,
        filename="applicants-comments",
        title="Applicants' comments",
    )
