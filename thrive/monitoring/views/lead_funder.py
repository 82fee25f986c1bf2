"""Lead funder pages: organisations several directorates fund, and appointing their lead (§4.3)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from thrive.core import policy
from thrive.core.exports import EXPORT_FORMATS, export_response
from thrive.core.form_views import handle_form, posted
from thrive.monitoring import forms, selectors, services
from thrive.monitoring.models import LeadFunder
from thrive.opendata.selectors import funders_in_words, other_funding
from thrive.organisations.models import Organisation

EXPORT_HEADERS = [
    "Organisation",
    "Awards",
    "Total (£)",
    "Proposed lead",
    "Proposed because",
    "Lead funder",
    "Other funders (imported grants)",
]


@policy.rule("monitoring.lead.view")
def lead_funders(request: HttpRequest) -> HttpResponse:
    """Organisations funded by more than one directorate, with the proposed lead (§4.3)."""
    council = request.user.council
    rule = selectors.settings_for(council=council).lead_rule
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
    found = selectors.multi_funded(council, selectors.settings_for(council=council).lead_rule)
    others = other_funding([row.organisation.pk for row in found])
    rows = (
        [
            row.organisation.name,
            "; ".join(each.in_words() for each in row.funding),
            row.total_pence / 100,
            row.proposed.name,
            row.why,
            row.lead.directorate.name if row.lead else "",
            funders_in_words(others.get(row.organisation.pk)),
        ]
        for row in found
    )
    return export_response(
        headers=EXPORT_HEADERS, rows=rows, fmt=fmt, filename="lead-funders", title="Lead funders"
    )


@policy.rule("monitoring.lead.appoint")
def lead_appoint(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Appoint the lead directorate; one consolidated plan then covers all the awards."""
    council = request.user.council
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    awards = list(selectors.active_awards(organisation, council))
    directorates = sorted({a.directorate for a in awards}, key=lambda d: d.name)
    rule = selectors.settings_for(council=council).lead_rule
    proposed, why = selectors.propose_lead(selectors.funding_by_directorate(awards), rule)
    form = forms.AppointForm(
        posted(request),
        directorates=directorates,
        initial={"directorate": proposed.pk if proposed else None},
    )

    def appoint(form: forms.AppointForm) -> LeadFunder:
        chosen = next(d for d in directorates if d.pk == form.cleaned_data["directorate"])
        return services.appoint_lead_funder(
            council=council,
            organisation=organisation,
            directorate=chosen,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )

    return handle_form(
        request,
        form,
        save=appoint,
        success_url=lambda lead: reverse("monitoring:plan", kwargs={"plan_id": lead.plan_id}),
        message=lambda lead: f"{lead.directorate.name} is now the lead funder.",
        template="monitoring/lead_appoint.html",
        title="Appoint a lead funder",
        caption=organisation.name,
        back_url=reverse("monitoring:lead_funders"),
        submit_label="Appoint the lead funder",
        organisation=organisation,
        awards=awards,
        proposed=proposed,
        why=why,
    )
