"""Pages for the outcomes framework and the directorates."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from thrive.accounts.models import Council
from thrive.core import policy
from thrive.core.form_views import handle_form, posted
from thrive.strategy import forms, selectors, services
from thrive.strategy.models import Directorate, Outcome
from thrive.strategy.views.common import council_of, councils_for_admin


@policy.rule("strategy.framework.view")
def outcomes(request: HttpRequest) -> HttpResponse:
    """The council's outcomes framework as a tree."""
    council = council_of(request)
    return render(
        request,
        "strategy/outcomes.html",
        {
            "council": council,
            "tree": selectors.outcome_tree(council=council),
            "may_manage": policy.can(request.user, "strategy.framework.manage", council),
            "councils": councils_for_admin(request),
        },
    )


def _outcome_form(request: HttpRequest, council: Council, outcome: Outcome) -> HttpResponse:
    policy.require(request.user, "strategy.framework.manage", council)
    return handle_form(
        request,
        forms.OutcomeForm(posted(request), instance=outcome, council=council),
        save=lambda form: services.save_outcome(outcome=form.instance, actor=request.user),
        success_url=f"{reverse('strategy:outcomes')}?council={council.pk}",
        message=lambda saved: f"Outcome {saved.code} saved.",
        title="Change an outcome" if outcome.pk else "Add an outcome",
        caption=council.name,
        back_url=reverse("strategy:outcomes"),
        submit_label="Save outcome",
    )


@policy.rule("strategy.framework.manage")
def outcome_add(request: HttpRequest) -> HttpResponse:
    council = council_of(request)
    return _outcome_form(request, council, Outcome(council=council))


@policy.rule("strategy.framework.manage")
def outcome_edit(request: HttpRequest, outcome_id: int) -> HttpResponse:
    outcome = get_object_or_404(Outcome.objects.select_related("council"), pk=outcome_id)
    return _outcome_form(request, outcome.council, outcome)


@policy.rule("strategy.framework.view")
def directorates(request: HttpRequest) -> HttpResponse:
    council = council_of(request)
    return render(
        request,
        "strategy/directorates.html",
        {
            "council": council,
            "directorates": selectors.directorates_for(council=council),
            "may_manage": policy.can(request.user, "strategy.framework.manage", council),
            "councils": councils_for_admin(request),
        },
    )


def _directorate_form(
    request: HttpRequest, council: Council, directorate: Directorate
) -> HttpResponse:
    policy.require(request.user, "strategy.framework.manage", council)
    return handle_form(
        request,
        forms.DirectorateForm(posted(request), instance=directorate, council=council),
        save=lambda form: services.save_directorate(directorate=form.instance, actor=request.user),
        success_url=f"{reverse('strategy:directorates')}?council={council.pk}",
        message=lambda saved: f"{saved.name} saved.",
        title="Change a directorate" if directorate.pk else "Add a directorate",
        caption=council.name,
        back_url=reverse("strategy:directorates"),
        submit_label="Save directorate",
    )


@policy.rule("strategy.framework.manage")
def directorate_add(request: HttpRequest) -> HttpResponse:
    council = council_of(request)
    return _directorate_form(request, council, Directorate(council=council))


@policy.rule("strategy.framework.manage")
def directorate_edit(request: HttpRequest, directorate_id: int) -> HttpResponse:
    directorate = get_object_or_404(
        Directorate.objects.select_related("council"), pk=directorate_id
    )
    return _directorate_form(request, directorate.council, directorate)
