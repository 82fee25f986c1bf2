"""Pages for the dated sets of procurement thresholds (§2.9)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from thrive.core import policy
from thrive.core.form_views import handle_form, posted
from thrive.strategy import forms, selectors, services
from thrive.strategy.models import ThresholdSet
from thrive.strategy.views.common import council_of


@policy.rule("strategy.thresholds.view")
def thresholds(request: HttpRequest) -> HttpResponse:
    council = council_of(request)
    return render(
        request,
        "strategy/thresholds.html",
        {
            "council": council,
            "sets": selectors.threshold_sets_for(council=council),
            "may_manage": policy.can(request.user, "strategy.thresholds.manage"),
            "is_system_admin": policy.is_system_admin(request.user),
        },
    )


def _threshold_form(request: HttpRequest, threshold_set: ThresholdSet) -> HttpResponse:
    policy.require(request.user, "strategy.thresholds.manage", threshold_set)
    scope = threshold_set.council.name if threshold_set.council_id else "National (all councils)"
    return handle_form(
        request,
        forms.ThresholdSetForm(posted(request), instance=threshold_set),
        save=lambda form: services.save_threshold_set(
            threshold_set=form.instance, actor=request.user
        ),
        success_url=reverse("strategy:thresholds"),
        message="Thresholds saved.",
        title="Change thresholds" if threshold_set.pk else "Add thresholds",
        caption=scope,
        intro="Amounts include VAT. The set in force on a procurement's start date applies.",
        back_url=reverse("strategy:thresholds"),
        submit_label="Save thresholds",
    )


@policy.rule("strategy.thresholds.manage")
def threshold_add(request: HttpRequest) -> HttpResponse:
    council = None if policy.is_system_admin(request.user) else request.user.council
    latest = selectors.threshold_sets_for(council=council).first() if council else None
    initial = ThresholdSet(council=council)
    if latest is not None:
        for name in services.THRESHOLD_FIELDS[1:-1]:
            setattr(initial, name, getattr(latest, name))
    return _threshold_form(request, initial)


@policy.rule("strategy.thresholds.manage")
def threshold_edit(request: HttpRequest, threshold_id: int) -> HttpResponse:
    return _threshold_form(request, get_object_or_404(ThresholdSet, pk=threshold_id))
