"""Reporting pages: the investment dashboard, outcomes, indicators, the annual report,
process feedback and guidance for commissioners."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from thrive.applications.models import Application
from thrive.core import branding, policy
from thrive.core.db_router import replica_reads
from thrive.core.exports import EXPORT_FORMATS, export_response
from thrive.core.form_views import handle_form, posted
from thrive.reporting import documents, forms, guidance, presentation, selectors, services
from thrive.reporting.models import ProcessFeedback
from thrive.reporting.selectors.common import current_year
from thrive.strategy import selectors as strategy_selectors


def _filters(request: HttpRequest) -> tuple[selectors.Filters, forms.FiltersForm, Any]:
    """The council, the filters form and the chosen filters ('all' where a value is bad)."""
    council = strategy_selectors.council_for(request.user, request.GET.get("council"))
    policy.require(request.user, "reporting.view", council)
    directorates = list(strategy_selectors.directorates_for(council=council))
    form = forms.FiltersForm(
        request.GET or None,
        years=selectors.financial_years(council),
        directorates=directorates,
    )
    year = directorate = None
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"]
        directorate = form.cleaned_data["directorate"]
    return selectors.Filters(council, year, directorate), form, council


@policy.rule("reporting.view")
@replica_reads
def dashboard(request: HttpRequest) -> HttpResponse:
    """The whole picture of the council's investment in the Third Sector (§3.2)."""
    filters, form, council = _filters(request)
    result = selectors.investment(filters)
    return render(
        request,
        "reporting/dashboard.html",
        {
            **presentation.report_context(result),
            "council": council,
            "filters_form": form,
            "page_has_errors": form.is_bound and bool(form.errors),
            "query": filters.query(),
            **presentation.feedback_context(selectors.feedback_summary(filters)),
            "formats": EXPORT_FORMATS,
        },
    )


@policy.rule("reporting.view")
@replica_reads
def export(request: HttpRequest, key: str) -> HttpResponse:
    """One dashboard table as CSV, XLSX or ODS, with the same filters."""
    filters, _, _ = _filters(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        fmt = "csv"
    title, headers, rows = presentation.export_table(key, filters)
    return export_response(
        headers=headers, rows=rows, fmt=fmt, filename=f"investment-{key}", title=title
    )


@policy.rule("reporting.view")
@replica_reads
def outcomes(request: HttpRequest) -> HttpResponse:
    """Targets against achievements per outcome, across awards."""
    filters, form, council = _filters(request)
    return render(
        request,
        "reporting/outcomes.html",
        {
            "council": council,
            "filters_form": form,
            "query": filters.query(),
            "lines": selectors.outcome_progress(filters),
            "formats": EXPORT_FORMATS,
        },
    )


@policy.rule("reporting.view")
@replica_reads
def indicators(request: HttpRequest) -> HttpResponse:
    """NI 6 from monitoring returns beside NI 7 from the sector survey (§5.1)."""
    council = strategy_selectors.council_for(request.user, request.GET.get("council"))
    policy.require(request.user, "reporting.view", council)
    found = selectors.indicators(council)
    return render(
        request,
        "reporting/indicators.html",
        {
            "council": council,
            "indicators": found,
            **presentation.indicator_charts(found),
            "formats": EXPORT_FORMATS,
        },
    )


def _annual(request: HttpRequest, year: int) -> selectors.AnnualReport:
    if not 2000 <= year <= current_year():
        raise Http404("No report for a year that has not started")
    council = strategy_selectors.council_for(request.user, request.GET.get("council"))
    policy.require(request.user, "reporting.view", council)
    return selectors.annual_report(council, year)


@policy.rule("reporting.view")
def annual_index(request: HttpRequest) -> HttpResponse:
    """The financial years with an annual report."""
    council = strategy_selectors.council_for(request.user, request.GET.get("council"))
    policy.require(request.user, "reporting.view", council)
    years = selectors.financial_years(council)
    return render(
        request,
        "reporting/annual_index.html",
        {"council": council, "years": years, "current_year": current_year()},
    )


@policy.rule("reporting.view")
@replica_reads
def annual(request: HttpRequest, year: int) -> HttpResponse:
    """The annual report to Cabinet for a financial year, as a page."""
    report = _annual(request, year)
    documents.queue_build(report.council.pk, [year])  # the download that may follow is ready
    query: dict[str, Any] = {"year": report.year}
    if not request.user.council_id:
        query["council"] = report.council.pk
    return render(
        request,
        "reporting/annual.html",
        {**presentation.annual_context(report), "query": query, "formats": EXPORT_FORMATS},
    )


@policy.rule("reporting.view")
@replica_reads
def annual_pdf(request: HttpRequest, year: int) -> HttpResponse:
    """The annual report to Cabinet as a PDF."""
    report = _annual(request, year)
    content = documents.annual_pdf(report.council, year, report)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="annual-report-{report.council.slug}-{year}.pdf"'
    )
    return response


@policy.rule("reporting.feedback.give")
def feedback(request: HttpRequest, application_id: int) -> HttpResponse:
    """The applicant rates how clear, proportionate and fair the process was (§5.2)."""
    application = get_object_or_404(
        Application.objects.select_related("opportunity__council", "organisation"),
        pk=application_id,
    )
    policy.require(request.user, "reporting.feedback.give", application)
    branding.page_council(request, application.opportunity.council)
    given = ProcessFeedback.objects.filter(application=application).first()
    if given is not None:
        return render(
            request, "reporting/feedback_given.html", {"application": application, "given": given}
        )
    form = forms.ProcessFeedbackForm(posted(request))
    return handle_form(
        request,
        form,
        save=lambda form: services.give_process_feedback(
            application=application, actor=request.user, **form.cleaned_data
        ),
        success_url=reverse("reporting:feedback", kwargs={"application_id": application.pk}),
        message="Thank you. Your feedback has been recorded.",
        template="reporting/feedback.html",
        application=application,
    )


@policy.rule("reporting.guidance.view")
def guidance_index(request: HttpRequest) -> HttpResponse:
    """Guidance for commissioners at each stage of the commissioning cycle (§5.2)."""
    return render(request, "reporting/guidance_index.html", {"stages": guidance.STAGES})


@policy.rule("reporting.guidance.view")
def guidance_stage(request: HttpRequest, stage: str) -> HttpResponse:
    """One stage's guidance, with the strategy sections it applies."""
    found = guidance.get_stage(stage)
    index = guidance.STAGES.index(found)
    return render(
        request,
        "reporting/guidance_stage.html",
        {
            "stage": found,
            "previous": guidance.STAGES[index - 1] if index else None,
            "next": guidance.STAGES[index + 1] if index + 1 < len(guidance.STAGES) else None,
        },
    )
