"""Monitoring pages: the provider's returns, the officer's review, plans, tiers, lead funders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from thrive.core import branding, policy
from thrive.core.exports import EXPORT_FORMATS, export_response
from thrive.core.forms import add_service_errors
from thrive.core.money import format_pence
from thrive.monitoring import forms, selectors, services
from thrive.monitoring.models import (
    MonitoringTier,
    Rating,
    ReturnAttachment,
    ReturnStatus,
)
from thrive.opendata.selectors import funders_in_words, other_funding
from thrive.strategy.models import Directorate


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _plan(request: HttpRequest, plan_id: int, action: str) -> Any:
    plan = selectors.get_plan(plan_id)
    policy.require(request.user, action, plan)
    branding.page_council(request, plan.council)
    return plan


def _return(request: HttpRequest, return_id: int, action: str) -> Any:
    item = selectors.get_return(return_id)
    policy.require(request.user, action, item)
    branding.page_council(request, item.plan.council)
    return item


# --- provider -----------------------------------------------------------------------------------


@policy.rule("monitoring.provider")
def provider(request: HttpRequest) -> HttpResponse:
    """The provider's plans and the returns it owes, soonest first."""
    plans = selectors.plans_with_returns(selectors.plans_to_report(request.user))
    return render(
        request,
        "monitoring/provider.html",
        {"plans": plans[:50], "today": timezone.localdate()},
    )


@policy.rule("monitoring.return.edit")
def return_edit(request: HttpRequest, return_id: int) -> HttpResponse:
    """Fill in a return: save it to finish later, or submit it."""
    item = _return(request, return_id, "monitoring.return.edit")
    if item.status not in services.EDITABLE:
        messages.info(request, "This return has been submitted.")
        return redirect("monitoring:return", return_id=item.pk)
    parts = selectors.return_parts(item, list(item.plan.awards.all()))
    form = forms.ReturnForm(_posted(request), item=item, parts=parts)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.save_return(
                monitoring_return=item, actor=request.user, **form.service_arguments()
            )
            if "submit" in request.POST:
                services.submit_return(monitoring_return=item, actor=request.user)
                messages.success(request, "Return submitted. The council will review it.")
                return redirect("monitoring:return", return_id=item.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Return saved. You can come back and finish it later.")
            return redirect("monitoring:return_edit", return_id=item.pk)
    return render(
        request,
        "monitoring/return_edit.html",
        {
            "item": item,
            "form": form,
            "upload_form": forms.UploadForm(),
            "attachments": item.attachments.all(),
        },
    )


@require_POST
@policy.rule("monitoring.return.edit")
def return_upload(request: HttpRequest, return_id: int) -> HttpResponse:
    """Attach a file to a return, checked by its content and size."""
    item = _return(request, return_id, "monitoring.return.edit")
    form = forms.UploadForm(request.POST, request.FILES)
    form.is_valid()
    try:
        services.add_attachment(
            monitoring_return=item, upload=form.cleaned_data.get("file"), actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "File uploaded.")
    return redirect("monitoring:return_edit", return_id=item.pk)


@policy.rule("monitoring.return.view")
def return_attachment(request: HttpRequest, return_id: int, attachment_id: int) -> FileResponse:
    """Serve a return's file to those who may read the return."""
    item = _return(request, return_id, "monitoring.return.view")
    attachment = get_object_or_404(ReturnAttachment, pk=attachment_id, monitoring_return=item)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


# --- a return, a plan -------------------------------------------------------------------------


@policy.rule("monitoring.return.view")
def return_detail(request: HttpRequest, return_id: int) -> HttpResponse:
    """A return, showing each reader only the parts for the awards they fund (§4.3)."""
    item = _return(request, return_id, "monitoring.return.view")
    awards = selectors.visible_awards(request.user, item.plan)
    return render(
        request,
        "monitoring/return_detail.html",
        {
            "item": item,
            "parts": selectors.return_parts(item, awards),
            "partial": len(awards) < item.plan.awards.count(),
            "attachments": item.attachments.all(),
            "may_edit": policy.can(request.user, "monitoring.return.edit", item)
            and item.status in services.EDITABLE,
            "may_decide": policy.can(request.user, "monitoring.return.decide", item),
            "overdue": item.is_overdue(),
        },
    )


def _decide(request: HttpRequest, item: Any, form: forms.DecisionForm) -> bool:
    data = form.cleaned_data
    try:
        if data["decision"] == "accept":
            services.accept_return(
                monitoring_return=item,
                actor=request.user,
                rating=data["rating"],
                rating_reason=data["rating_reason"],
            )
            messages.success(request, "Return accepted.")
        else:
            services.query_return(
                monitoring_return=item, actor=request.user, reason=data["query_reason"]
            )
            messages.success(request, "Return queried. The provider has been told.")
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "reason" in exc.error_dict:
            exc = ValidationError({"query_reason": exc.error_dict["reason"]})
        add_service_errors(form, exc)
        return False
    return True


@policy.rule("monitoring.return.decide")
def return_decide(request: HttpRequest, return_id: int) -> HttpResponse:
    """Accept a submitted return with a rating, or query it with what must change."""
    item = _return(request, return_id, "monitoring.return.decide")
    form = forms.DecisionForm(_posted(request))
    if item.status != ReturnStatus.SUBMITTED and request.method == "POST":
        form.is_valid()
        form.add_error(None, "Only a submitted return can be accepted or queried")
    elif request.method == "POST" and form.is_valid() and _decide(request, item, form):
        return redirect("monitoring:return", return_id=item.pk)
    return render(request, "monitoring/return_decide.html", {"item": item, "form": form})


@policy.rule("monitoring.return.decide")
def return_rate(request: HttpRequest, return_id: int) -> HttpResponse:
    """Change a return's red/amber/green rating, with the reason."""
    item = _return(request, return_id, "monitoring.return.decide")
    initial = {"rating": item.rating, "rating_reason": item.rating_reason}
    form = forms.RatingForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rate_return(monitoring_return=item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Rating saved.")
            return redirect("monitoring:return", return_id=item.pk)
    return render(request, "monitoring/return_rate.html", {"item": item, "form": form})


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
    form = forms.VisitForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_visit(plan=plan, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Visit recorded.")
            return redirect("monitoring:plan", plan_id=plan.pk)
    return render(request, "monitoring/visit_add.html", {"plan": plan, "form": form})


# --- staff overview ---------------------------------------------------------------------------


def _council_directorates(user: Any) -> list[Directorate]:
    if not user.council_id:
        return list(Directorate.objects.order_by("name")[:100])
    return list(Directorate.objects.filter(council_id=user.council_id).order_by("name"))


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


def _filtered(request: HttpRequest) -> tuple[forms.ReturnFilterForm, Any]:
    form = forms.ReturnFilterForm(
        request.GET or None, directorates=_council_directorates(request.user)
    )
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.filtered_returns(
        request.user,
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


@policy.rule("monitoring.staff")
def returns_export(request: HttpRequest) -> HttpResponse:
    """The filtered returns as CSV, XLSX or ODS."""
    _form, rows = _filtered(request)
    fmt = request.GET.get("format", "csv")
    fmt = fmt if fmt in EXPORT_FORMATS else "csv"
    statuses, ratings = dict(ReturnStatus.choices), dict(Rating.choices)
    zone = timezone.get_current_timezone()
    fields = [
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
    data = (
        [
            *row[:6],
            statuses.get(row[6], row[6]),
            row[7].astimezone(zone).strftime("%Y-%m-%d %H:%M") if row[7] else "",
            ratings.get(row[8], ""),
            *row[9:],
        ]
        for row in selectors.with_visible_spend(rows, request.user)
        .values_list(*fields)
        .iterator(chunk_size=2000)
    )
    return export_response(
        headers=EXPORT_HEADERS, rows=data, fmt=fmt, filename="monitoring-returns", title="Returns"
    )


# --- tiers and settings -------------------------------------------------------------------------


@policy.rule("monitoring.tiers.view")
def tiers(request: HttpRequest) -> HttpResponse:
    """The council's monitoring tiers in the order they are tried, and its settings."""
    council = request.user.council
    rows = (
        services.ensure_default_tiers(council)
        if council
        else list(MonitoringTier.objects.select_related("council")[:200])
    )
    return render(
        request,
        "monitoring/tiers.html",
        {
            "tiers": sorted(rows, key=lambda t: (t.council_id, t.order, t.pk)),
            "settings": services.settings_for(council) if council else None,
            "may_manage": policy.can(request.user, "monitoring.tiers.manage"),
        },
    )


def _tier_form(request: HttpRequest, tier: MonitoringTier, template_title: str) -> HttpResponse:
    form = forms.TierForm(_posted(request), instance=tier)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_tier(
                tier=form.save(commit=False),
                actor=request.user,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Tier saved. It applies to plans made from now on.")
            return redirect("monitoring:tiers")
    return render(
        request, "monitoring/tier_form.html", {"form": form, "tier": tier, "title": template_title}
    )


@policy.rule("monitoring.tiers.manage")
def tier_add(request: HttpRequest) -> HttpResponse:
    """Add a tier rule for the council."""
    if not request.user.council_id:
        raise Http404("Tiers belong to a council")
    tier = MonitoringTier(council=request.user.council, schedule="six_monthly")
    return _tier_form(request, tier, "Add a monitoring tier")


@policy.rule("monitoring.tiers.manage")
def tier_edit(request: HttpRequest, tier_id: int) -> HttpResponse:
    """Change a tier rule; plans already made keep the rule they were given."""
    tier = get_object_or_404(MonitoringTier, pk=tier_id)
    policy.require(request.user, "monitoring.tiers.manage", tier)
    return _tier_form(request, tier, f"Change “{tier.name}”")


@policy.rule("monitoring.tiers.manage")
def settings_edit(request: HttpRequest) -> HttpResponse:
    """How the lead funder is proposed, and when reminders and escalations go."""
    if not request.user.council_id:
        raise Http404("Settings belong to a council")
    current = services.settings_for(request.user.council)
    initial = {
        "lead_rule": current.lead_rule,
        "reminder_days": current.reminder_days,
        "escalation_days": current.escalation_days,
    }
    form = forms.SettingsForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_settings(
            council=request.user.council, actor=request.user, **form.cleaned_data
        )
        messages.success(request, "Monitoring settings saved.")
        return redirect("monitoring:tiers")
    return render(request, "monitoring/settings.html", {"form": form})


# --- lead funder --------------------------------------------------------------------------------


@policy.rule("monitoring.lead.view")
def lead_funders(request: HttpRequest) -> HttpResponse:
    """Organisations funded by more than one directorate, with the proposed lead (§4.3)."""
    council = request.user.council
    rule = services.settings_for(council).lead_rule
    page = Paginator(selectors.multi_funded_ids(council), 50).get_page(request.GET.get("page"))
    rows = selectors.multi_funded(council, rule, list(page.object_list))
    others = other_funding([row.organisation.pk for row in rows])
    return render(
        request,
        "monitoring/lead_funders.html",
        {
            "page": page,
            "rows": [(row, others.get(row.organisation.pk)) for row in rows],
            "may_appoint": policy.can(request.user, "monitoring.lead.appoint"),
            "formats": EXPORT_FORMATS,
        },
    )


@policy.rule("monitoring.lead.view")
def lead_funders_export(request: HttpRequest) -> HttpResponse:
    """Every multi-funded organisation with its awards, proposed lead and lead, as a table."""
    council = request.user.council
    fmt = request.GET.get("format", "csv")
    fmt = fmt if fmt in EXPORT_FORMATS else "csv"
    found = selectors.multi_funded(council, services.settings_for(council).lead_rule)
    others = other_funding([row.organisation.pk for row in found])
    rows = (
        [
            row.organisation.name,
            "; ".join(f"{a.directorate.name}: {format_pence(a.amount_pence)}" for a in row.awards),
            sum(a.amount_pence for a in row.awards) / 100,
            row.proposed.name,
            row.why,
            row.lead.directorate.name if row.lead else "",
            funders_in_words(others.get(row.organisation.pk)),
        ]
        for row in found
    )
    return export_response(
        headers=[
            "Organisation",
            "Awards",
            "Total (£)",
            "Proposed lead",
            "Proposed because",
            "Lead funder",
            "Other funders (imported grants)",
        ],
        rows=rows,
        fmt=fmt,
        filename="lead-funders",
        title="Lead funders",
    )


@policy.rule("monitoring.lead.appoint")
def lead_appoint(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Appoint the lead directorate; one consolidated plan then covers all the awards."""
    from thrive.organisations.models import Organisation

    council = request.user.council
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    awards = list(selectors.active_awards(organisation, council))
    directorates = sorted({a.directorate for a in awards}, key=lambda d: d.name)
    proposed, why = selectors.propose_lead(awards, services.settings_for(council).lead_rule)
    form = forms.AppointForm(
        _posted(request),
        directorates=directorates,
        initial={"directorate": proposed.pk if proposed else None},
    )
    if request.method == "POST" and form.is_valid():
        chosen = next(d for d in directorates if d.pk == form.cleaned_data["directorate"])
        try:
            lead = services.appoint_lead_funder(
                council=council,
                organisation=organisation,
                directorate=chosen,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{chosen.name} is now the lead funder.")
            return redirect(reverse("monitoring:plan", kwargs={"plan_id": lead.plan_id}))
    return render(
        request,
        "monitoring/lead_appoint.html",
        {
            "organisation": organisation,
            "awards": awards,
            "proposed": proposed,
            "why": why,
            "form": form,
        },
    )
