"""The small grants eligibility checker (§3.1): each "no" comes with its reason."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from thrive.applications import forms
from thrive.applications.defaults import active_purposes, scheme_settings
from thrive.applications.services import small_grants
from thrive.applications.third_sector import KeptTest, kept_test_for
from thrive.core import branding, policy
from thrive.opportunities import selectors as opportunity_selectors
from thrive.opportunities.models import OpportunityKind


def _kept_test_context(request: HttpRequest, kept: KeptTest | None, form: Any) -> dict[str, Any]:
    """The kept Third Sector test, and where an admin whose answer differs records the new one."""
    answer = form.cleaned_data["third_sector"] if form is not None else ""
    differs = kept is not None and kept.differs_from(answer)
    back = request.get_full_path()
    return {
        "kept": kept,
        "kept_change_url": kept.change_url(answer or kept.answer, back) if kept else "",
        "kept_differs": differs,
    }


@policy.rule(policy.PUBLIC)
def eligibility(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """The small grants eligibility checker: each "no" comes with its reason (§3.1)."""
    opportunity = opportunity_selectors.get_public_opportunity(pk=opportunity_id)
    if opportunity.kind != OpportunityKind.SMALL_GRANTS:
        raise Http404("Not a small grants scheme")
    branding.page_council(request, opportunity.council)
    scheme = scheme_settings(council=opportunity.council)
    purposes = list(active_purposes(council=opportunity.council).items())
    kept = kept_test_for(request.user)
    initial = {"third_sector": kept.answer} if kept else None
    form = forms.EligibilityForm(request.GET or None, purposes=purposes, initial=initial)
    checks = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        checks = small_grants.check_eligibility(
            council=opportunity.council,
            answers=small_grants.EligibilityAnswers(
                third_sector=data["third_sector"],
                income_pence=data["income"],
                local_benefit=data["local_benefit"],
                purpose=data["purpose"],
                amount_pence=data["amount"],
                current_grant=data["current_grant"],
            ),
        )
    return render(
        request,
        "applications/eligibility.html",
        {
            "opportunity": opportunity,
            "form": form,
            "checks": checks,
            "eligible": checks is not None and all(c.passed for c in checks),
            "may_apply": policy.may_start_application(request.user),
            "scheme": scheme,
            **_kept_test_context(request, kept, form if checks is not None else None),
            "page_has_errors": bool(request.GET and form.errors),
        },
    )
