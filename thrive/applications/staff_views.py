"""Council pages: applications received (never sealed ones), export, screening, the small grant
decision, opening sealed bids and the opening register, the Small Grants Scheme's settings."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from thrive.applications import forms, selectors
from thrive.applications.defaults import scheme_purposes, scheme_settings
from thrive.applications.models import Application
from thrive.applications.pages import answer_rows
from thrive.applications.services import screening, sealed, small_grants
from thrive.applications.services.settings import change_small_grants_settings
from thrive.core import policy
from thrive.core.exports import EXPORT_FORMATS, export_response
from thrive.core.form_views import handle_form, posted
from thrive.core.money import format_pence
from thrive.opportunities import selectors as opportunity_selectors
from thrive.opportunities.models import Opportunity, OpportunityKind
from thrive.strategy import selectors as strategy_selectors


def _opportunity(request: HttpRequest, opportunity_id: int, action: str) -> Opportunity:
    opportunity = opportunity_selectors.get_staff_opportunity(pk=opportunity_id)
    policy.require(request.user, action, opportunity)
    return opportunity


def _application(request: HttpRequest, application_id: int, action: str) -> Application:
    application = selectors.get_application(pk=application_id)
    policy.require(request.user, action, application)
    return application


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
    application = _application(request, application_id, "applications.application.review")
    now = timezone.now()
    return render(
        request,
        "applications/review.html",
        {
            "application": application,
            "rows": answer_rows(application),
            "facts": list((application.organisation_snapshot or {}).items()),
            "screening": getattr(application, "screening", None),
            "decision": getattr(application, "small_grant_decision", None),
            "checks": screening.automatic_checks(application=application, now=now),
            "may_screen": policy.can(request.user, "applications.application.screen", application)
            and screening.may_screen(application=application, now=now)
            and application.status == "submitted",
            "may_decide": application.opportunity.kind == OpportunityKind.SMALL_GRANTS
            and policy.can(request.user, "applications.small_grants.decide", application)
            and application.status in ("submitted", "eligible"),
        },
    )


def _review_url(application: Application) -> str:
    return reverse("applications:review", args=[application.pk])


@policy.rule("applications.application.screen")
def screen(request: HttpRequest, application_id: int) -> HttpResponse:
    """Confirm eligibility after close, with reasons, beside the automatic checks."""
    application = _application(request, application_id, "applications.application.screen")
    return handle_form(
        request,
        forms.ScreeningForm(posted(request)),
        save=lambda form: screening.screen_application(
            application=application,
            actor=request.user,
            eligible=form.cleaned_data["eligible"] == "yes",
            reason=form.cleaned_data["reason"],
        ),
        success_url=_review_url(application),
        message=f"Screening of {application.reference} recorded.",
        template="applications/screen.html",
        application=application,
        checks=screening.automatic_checks(application=application, now=timezone.now()),
    )


def _pounds(pence: int | None) -> str:
    return format_pence(pence) if pence is not None else "not stated"


@policy.rule("applications.small_grants.decide")
def decide(request: HttpRequest, application_id: int) -> HttpResponse:
    """One officer decides a small grant within the delegated limit (§3.1)."""
    application = _application(request, application_id, "applications.small_grants.decide")
    scheme = scheme_settings(council=application.opportunity.council)
    form = forms.DecisionForm(
        posted(request), initial={"amount": application.amount_requested_pence}
    )
    return handle_form(
        request,
        form,
        save=lambda form: small_grants.decide_small_grant(
            application=application,
            actor=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            amount_pence=form.cleaned_data.get("amount") or 0,
            reason=form.cleaned_data["reason"],
        ),
        success_url=_review_url(application),
        message=f"Decision on {application.reference} recorded.",
        title="Decide the small grant",
        caption=f"{application.reference} · {application.organisation.name}",
        intro=f"Asked for: {_pounds(application.amount_requested_pence)}. Your delegated "
        f"limit: {_pounds(scheme.delegated_limit_pence)}.",
        back_url=_review_url(application),
        submit_label="Record decision",
    )


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
    return handle_form(
        request,
        forms.OpenBidsForm(posted(request)),
        save=lambda form: sealed.open_sealed_bids(
            opportunity=opportunity, actor=request.user, note=form.cleaned_data["note"]
        ),
        success_url=reverse("applications:received", args=[opportunity.pk]),
        message=f"The bids for {opportunity.reference} are opened.",
        title="Open the sealed bids",
        caption=opportunity.reference,
        intro="Your name and the time are recorded in the opening register. From then, "
        "the council's staff may read the bids.",
        back_url=reverse("opportunities:manage_detail", args=[opportunity.pk]),
        submit_label="Open the bids",
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


@policy.rule("applications.small_grants.configure")
def small_grants_configure(request: HttpRequest) -> HttpResponse:
    """Council administrators set the scheme's limits and purposes (§3.1).

    A system administrator, who works for no council, chooses one with ``?council=``; nothing
    is saved until the form is.
    """
    council = strategy_selectors.council_for(request.user, request.GET.get("council"))
    policy.require(request.user, "applications.small_grants.configure", council)
    scheme = scheme_settings(council=council)
    purposes = scheme_purposes(council=council)
    initial = {
        "limit_pence": scheme.limit_pence,
        "delegated_limit_pence": scheme.delegated_limit_pence,
        "max_income_pence": scheme.max_income_pence,
        "one_current_grant": scheme.one_current_grant,
        "purposes": [p.code for p in purposes if p.is_active],
    }
    form = forms.SmallGrantsSettingsForm(
        posted(request), initial=initial, purposes=[(p.code, p.label) for p in purposes]
    )
    return handle_form(
        request,
        form,
        save=lambda form: change_small_grants_settings(
            council=council, actor=request.user, **form.cleaned_data
        ),
        success_url=reverse("applications:small_grants_settings"),
        message="Small Grants Scheme settings saved.",
        title="Small Grants Scheme settings",
        caption=council.name,
        intro="The eligibility checker, the application limit and the one-officer "
        "decision all use these values.",
        submit_label="Save settings",
    )
