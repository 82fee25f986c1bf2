"""Monitoring plan pages and the staff overview: a plan and its visits, every return, exports."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from thrive.accounts.models import User
from thrive.core import branding, export_jobs, policy
from thrive.core.export_registry import Table
from thrive.core.exports import EXPORT_FORMATS
from thrive.core.form_views import handle_form, posted
from thrive.core.streaming import stream_rows
from thrive.monitoring import forms, selectors, services
from thrive.monitoring.models import MonitoringPlan, MonitoringReturn, Rating, ReturnStatus


def _plan(request: HttpRequest, plan_id: int, action: str) -> MonitoringPlan:
    plan = selectors.get_plan(plan_id)
    policy.require(request.user, action, plan)
    branding.page_council(request, plan.council)
    return plan


@policy.rule("monitoring.plan.view")
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    """A plan: the awards it covers, the rule that applied and why, returns, payments, visits."""
    plan = _plan(request, plan_id, "monitoring.plan.view")
    awards = selectors.visible_awards(request.user, plan)
    return render(
        request,
        "monitoring/plan_detail.html",
        {
            "plan": plan,
            "awards": awards,
            "returns": plan.returns.order_by("due_date"),
            "payments": selectors.payment_schedule(awards),
            "visits": plan.visits.all(),
            "may_record_visit": policy.can(request.user, "monitoring.visits.record", plan),
            "today": timezone.localdate(),
        },
    )


@policy.rule("monitoring.visits.record")
def visit_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Record a visit, inspection or review meeting (the lead co-ordinates them, §4.3)."""
    plan = _plan(request, plan_id, "monitoring.visits.record")
    return handle_form(
        request,
        forms.VisitForm(posted(request)),
        save=lambda form: services.record_visit(plan=plan, actor=request.user, **form.cleaned_data),
        success_url=reverse("monitoring:plan", kwargs={"plan_id": plan.pk}),
        message="Visit recorded.",
        template="monitoring/visit_add.html",
        plan=plan,
    )


# --- staff overview ---------------------------------------------------------------------------


@policy.rule("monitoring.staff")
def overview(request: HttpRequest) -> HttpResponse:
    """Returns due and overdue by directorate, ratings, and awards at risk."""
    today = timezone.localdate()
    return render(
        request,
        "monitoring/overview.html",
        {
            "rows": selectors.overview_by_directorate(request.user, today),
            "at_risk": selectors.plans_at_risk(request.user, today)[:50],
            "today": today,
        },
    )


def _filtered(request: HttpRequest) -> tuple[forms.ReturnFilterForm, QuerySet[MonitoringReturn]]:
    return _filter_returns(request.user, request.GET)


def _filter_returns(
    user: User, params: QueryDict
) -> tuple[forms.ReturnFilterForm, QuerySet[MonitoringReturn]]:
    form = forms.ReturnFilterForm(params or None, directorates=selectors.directorates_for(user))
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.filtered_returns(
        user,
        status=data.get("status", ""),
        directorate=data.get("directorate", ""),
        rating=data.get("rating", ""),
    )
    return form, rows


@policy.rule("monitoring.staff")
def returns(request: HttpRequest) -> HttpResponse:
    """Every return the officer may see, filtered by status, directorate and rating."""
    form, rows = _filtered(request)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/returns.html",
        {
            "form": form,
            "page": page,
            "formats": EXPORT_FORMATS,
            "query": request.GET.urlencode(),
            "today": timezone.localdate(),
        },
    )


EXPORT_HEADERS = [
    "Return",
    "Organisation",
    "Lead directorate",
    "Period start",
    "Period end",
    "Due",
    "Status",
    "Submitted",
    "Rating",
    "Rating reason",
    "Spend (pence)",
    "Volunteers",
    "Volunteer hours",
]

EXPORT_FIELDS = [
    "pk",
    "plan__organisation__name",
    "plan__lead_directorate__name",
    "period_start",
    "period_end",
    "due_date",
    "status",
    "submitted_at",
    "rating",
    "rating_reason",
    "visible_spend_pence",
    "volunteers_count",
    "volunteer_hours",
]


def returns_table(user: User, params: QueryDict) -> Table:
    """The returns the officer may see, filtered as on the page, as export rows."""
    _form, rows = _filter_returns(user, params)
    statuses, ratings = dict(ReturnStatus.choices), dict(Rating.choices)
    zone = timezone.get_current_timezone()
    data = (
        [
            *row[:6],
            statuses.get(row[6], row[6]),
            row[7].astimezone(zone).strftime("%Y-%m-%d %H:%M") if row[7] else "",
            ratings.get(row[8], ""),
            *row[9:],
        ]
        for row in stream_rows(selectors.with_visible_spend(rows, user).values_list(*EXPORT_FIELDS))
    )
    return Table(
        title="Returns",
        headers=EXPORT_HEADERS,
        rows=data,
        filename="monitoring-returns",
        count=rows.count,
    )


@policy.rule("monitoring.staff")
def returns_export(request: HttpRequest) -> HttpResponse:
    """The filtered returns as CSV, XLSX or ODS (a large export is made in the background)."""
    return export_jobs.respond(request, "monitoring.returns")
