"""Council pages: applications received (never sealed ones), export, screening, the small grant
decision, opening sealed bids and the opening register, the standard forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from thrive.applications import forms, questions, selectors
from thrive.applications.defaults import ensure_default_templates
from thrive.applications.models import FormTemplate, FormTemplateVersion
from thrive.applications.services import screening, sealed, small_grants
from thrive.applications.views import _answer_rows
from thrive.core import policy
from thrive.core.exports import EXPORT_FORMATS, export_response
from thrive.core.forms import add_service_errors
from thrive.opportunities import selectors as opportunity_selectors
from thrive.opportunities.models import OpportunityKind


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _opportunity(request: HttpRequest, opportunity_id: int, action: str) -> Any:
    opportunity = opportunity_selectors.get_staff_opportunity(pk=opportunity_id)
    policy.require(request.user, action, opportunity)
    return opportunity


@policy.rule("applications.received.view")
def received(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Applications received for an opportunity; sealed bids are not listed until opened."""
    opportunity = _opportunity(request, opportunity_id, "applications.received.view")
    page = Paginator(selectors.received_for(opportunity=opportunity), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "applications/received.html",
        {
            "opportunity": opportunity,
            "page": page,
            "sealed": opportunity.is_sealed and not hasattr(opportunity, "bid_opening"),
            "formats": EXPORT_FORMATS,
        },
    )


EXPORT_HEADERS = [
    "Reference",
    "Organisation",
    "Lot",
    "Status",
    "Amount requested (pence)",
    "Submitted at",
    "Form version",
]


@policy.rule("applications.received.view")
def received_export(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """The received applications as CSV, XLSX or ODS, through the same sealed-bid filter."""
    opportunity = _opportunity(request, opportunity_id, "applications.received.view")
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        fmt = "csv"
    rows = [
        [
            a.reference,
            a.organisation.name,
            a.lot.title if a.lot else "",
            a.get_status_display(),
            a.amount_requested_pence,
            a.submitted_at.isoformat() if a.submitted_at else "",
            str(a.form_version),
        ]
        for a in selectors.received_for(opportunity=opportunity)
    ]
    return export_response(
        headers=EXPORT_HEADERS,
        rows=rows,
        fmt=fmt,
        filename=f"applications-{opportunity.reference}",
        title="Applications",
    )


@policy.rule("applications.application.review")
def review(request: HttpRequest, application_id: int) -> HttpResponse:
    """An application as the council reads it, with screening and decision actions."""
    application = selectors.get_application(pk=application_id)
    policy.require(request.user, "applications.application.review", application)
    now = timezone.now()
    return render(
        request,
        "applications/review.html",
        {
            "application": application,
            "rows": _answer_rows(application),
            "facts": list((application.organisation_snapshot or {}).items()),
            "screening": getattr(application, "screening", None),
            "decision": getattr(application, "small_grant_decision", None),
            "checks": screening.automatic_checks(application, now),
            "may_screen": policy.can(request.user, "applications.application.screen", application)
            and screening.may_screen(application, now)
            and application.status == "submitted",
            "may_decide": application.opportunity.kind == OpportunityKind.SMALL_GRANTS
            and policy.can(request.user, "applications.small_grants.decide", application)
            and application.status in ("submitted", "eligible"),
        },
    )


@policy.rule("applications.application.screen")
def screen(request: HttpRequest, application_id: int) -> HttpResponse:
    """Confirm eligibility after close, with reasons, beside the automatic checks."""
    application = selectors.get_application(pk=application_id)
    policy.require(request.user, "applications.application.screen", application)
    form = forms.ScreeningForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            screening.screen_application(
                application=application,
                actor=request.user,
                eligible=form.cleaned_data["eligible"] == "yes",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Screening of {application.reference} recorded.")
            return redirect("applications:review", application_id=application.pk)
    return render(
        request,
        "applications/screen.html",
        {
            "application": application,
            "form": form,
            "checks": screening.automatic_checks(application, timezone.now()),
        },
    )


@policy.rule("applications.small_grants.decide")
def decide(request: HttpRequest, application_id: int) -> HttpResponse:
    """One officer decides a small grant within the delegated limit (§3.1)."""
    application = selectors.get_application(pk=application_id)
    policy.require(request.user, "applications.small_grants.decide", application)
    form = forms.DecisionForm(
        _posted(request), initial={"amount": application.amount_requested_pence}
    )
    if request.method == "POST" and form.is_valid():
        try:
            small_grants.decide_small_grant(
                application=application,
                actor=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                amount_pence=form.cleaned_data.get("amount") or 0,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Decision on {application.reference} recorded.")
            return redirect("applications:review", application_id=application.pk)
    scheme = small_grants.small_grants_settings(application.opportunity.council)
    return render(
        request,
        "opportunities/form.html",
        {
            "form": form,
            "title": "Decide the small grant",
            "caption": f"{application.reference} · {application.organisation.name}",
            "intro": f"Asked for: {_pounds(application.amount_requested_pence)}. Your delegated "
            f"limit: {_pounds(scheme.delegated_limit_pence)}.",
            "back_url": reverse("applications:review", args=[application.pk]),
            "submit_label": "Record decision",
        },
    )


def _pounds(pence: int | None) -> str:
    from thrive.core.money import format_pence

    return format_pence(pence) if pence is not None else "not stated"


@policy.rule("applications.bids.open")
def open_bids(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """A procurement officer records the opening of sealed bids after the deadline."""
    opportunity = _opportunity(request, opportunity_id, "applications.bids.open")
    opening = getattr(opportunity, "bid_opening", None)
    if opening is not None or not opportunity.has_closed(timezone.now()):
        # Offer the button only when it can be used; say when that will be.
        return render(
            request,
            "applications/open_bids_waiting.html",
            {"opportunity": opportunity, "opening": opening},
        )
    form = forms.OpenBidsForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            sealed.open_sealed_bids(
                opportunity=opportunity, actor=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"The bids for {opportunity.reference} are opened.")
            return redirect("applications:received", opportunity_id=opportunity.pk)
    return render(
        request,
        "opportunities/form.html",
        {
            "form": form,
            "title": "Open the sealed bids",
            "caption": opportunity.reference,
            "intro": "Your name and the time are recorded in the opening register. From then, "
            "the council's staff may read the bids.",
            "back_url": reverse("opportunities:manage_detail", args=[opportunity.pk]),
            "submit_label": "Open the bids",
        },
    )


@policy.rule("applications.openings.view")
def openings(request: HttpRequest) -> HttpResponse:
    """The opening register: who opened what, and when."""
    return render(
        request,
        "applications/openings.html",
        {
            "openings": selectors.openings_for(user=request.user)[:200],
            "waiting": selectors.sealed_waiting(user=request.user)[:100],
            "now": timezone.now(),
        },
    )


@policy.rule("applications.forms.view")
def form_templates(request: HttpRequest) -> HttpResponse:
    """The standard forms and their versions (each version immutable once used)."""
    ensure_default_templates()
    templates = FormTemplate.objects.prefetch_related("versions").order_by("name")
    return render(request, "applications/form_templates.html", {"templates": templates})


@policy.rule("applications.forms.view")
def form_version(request: HttpRequest, version_id: int) -> HttpResponse:
    """A preview of one form version's pages and questions."""
    version = get_object_or_404(
        FormTemplateVersion.objects.select_related("template"), pk=version_id
    )
    pages = [
        {
            "title": s["title"],
            "form": questions.SectionForm(s, {}),
            "files": [q for q in s.get("questions", []) if q["type"] == "file"],
        }
        for s in version.sections
    ]
    return render(
        request,
        "applications/form_version.html",
        {"version": version, "pages": pages, "used": version.is_used},
    )


@policy.rule("applications.small_grants.configure")
def small_grants_configure(request: HttpRequest) -> HttpResponse:
    """Council administrators set the scheme's limits and purposes (§3.1)."""
    from django.core.exceptions import PermissionDenied

    from thrive.applications.defaults import small_grants_settings
    from thrive.applications.models import SmallGrantPurpose
    from thrive.applications.services.settings import change_small_grants_settings

    council = request.user.council
    if council is None:
        from thrive.accounts.models import Council

        council = Council.objects.filter(pk=request.GET.get("council") or 0).first()
        if council is None:
            council = Council.objects.order_by("name").first()
    if council is None:
        raise PermissionDenied("No council")
    policy.require(request.user, "applications.small_grants.configure", council)
    scheme = small_grants_settings(council)
    rows = list(SmallGrantPurpose.objects.filter(council=council))
    initial = {
        "limit_pence": scheme.limit_pence,
        "delegated_limit_pence": scheme.delegated_limit_pence,
        "max_income_pence": scheme.max_income_pence,
        "one_current_grant": scheme.one_current_grant,
        "purposes": [p.code for p in rows if p.is_active],
    }
    form = forms.SmallGrantsSettingsForm(
        _posted(request), initial=initial, purposes=[(p.code, p.label) for p in rows]
    )
    if request.method == "POST" and form.is_valid():
        try:
            change_small_grants_settings(council=council, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Small Grants Scheme settings saved.")
            return redirect("applications:small_grants_settings")
    return render(
        request,
        "opportunities/form.html",
        {
            "form": form,
            "title": "Small Grants Scheme settings",
            "caption": council.name,
            "intro": "The eligibility checker, the application limit and the one-officer "
            "decision all use these values.",
            "submit_label": "Save settings",
        },
    )
