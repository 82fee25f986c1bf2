"""Pages for the yearly NI 7 survey's rounds and the NI 7 series (§5.1).

The pages where organisations answer and where staff read a round's results by
organisation size need the register, so they live in ``thrive.organisations.survey``
and join these URLs through ``thrive.strategy.extensions.url_modules``.
"""

from __future__ import annotations

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from thrive.core import policy
from thrive.core.exports import EXPORT_FORMATS, export_response
from thrive.core.form_views import handle_form, posted
from thrive.strategy import charts, forms, selectors, services
from thrive.strategy import survey as survey_text
from thrive.strategy.models import SurveyRound
from thrive.strategy.views.common import (
    council_allowed,
    council_of,
    councils_for_admin,
    export_format,
)


@policy.rule("strategy.survey.results")
def surveys(request: HttpRequest) -> HttpResponse:
    """Every year's survey with respondents and the NI 7 figure, and the series as a chart."""
    council = council_allowed(request, "strategy.survey.results")
    rounds = selectors.survey_rounds(council=council)
    series = list(reversed([(str(r.financial_year), r.ni7) for r in rounds]))
    return render(
        request,
        "strategy/surveys.html",
        {
            "council": council,
            "rounds": rounds,
            "chart": charts.percentage_columns(series),
            "method": survey_text.METHOD,
            "may_manage": policy.can(request.user, "strategy.survey.manage", council),
            "export_formats": EXPORT_FORMATS,
            "councils": councils_for_admin(request),
        },
    )


@policy.rule("strategy.survey.results")
def surveys_export(request: HttpRequest) -> HttpResponse:
    council = council_allowed(request, "strategy.survey.results")
    fmt = export_format(request)
    return export_response(
        headers=["Financial year", "Respondents", "NI 7 (%)"],
        rows=([p.year, p.respondents, p.ni7] for p in selectors.ni7_series(council)),
        fmt=fmt,
        filename="ni7-series",
        title="NI 7",
    )


def _round_form(request: HttpRequest, survey: SurveyRound) -> HttpResponse:
    policy.require(request.user, "strategy.survey.manage", survey)
    initial = {}
    if survey.pk:
        initial = {
            "year": survey.financial_year.start_year,
            "opens_on": survey.opens_on,
            "closes_on": survey.closes_on,
            "introduction": survey.introduction,
        }
    extra = survey.financial_year.start_year if survey.pk else None

    def save(form: Form) -> SurveyRound:
        data = form.cleaned_data
        survey.financial_year = services.get_financial_year(start_year=data["year"])
        survey.opens_on, survey.closes_on = data["opens_on"], data["closes_on"]
        survey.introduction = data["introduction"]
        return services.save_round(survey=survey, actor=request.user)

    return handle_form(
        request,
        forms.SurveyRoundForm(posted(request), initial=initial, extra_year=extra),
        save=save,
        success_url=lambda saved: f"{reverse('strategy:surveys')}?council={saved.council_id}",
        message=lambda saved: f"{saved} saved.",
        title="Change the survey's dates" if survey.pk else "Run this year's Third Sector survey",
        caption=survey.council.name,
        intro="Organisations answer once each inside the service while the survey is open.",
        back_url=reverse("strategy:surveys"),
        submit_label="Save survey",
    )


@policy.rule("strategy.survey.manage")
def survey_add(request: HttpRequest) -> HttpResponse:
    council = council_of(request)
    return _round_form(request, SurveyRound(council=council))


@policy.rule("strategy.survey.manage")
def survey_edit(request: HttpRequest, round_id: int) -> HttpResponse:
    survey = selectors.get_round(
        user=request.user, round_id=round_id, action="strategy.survey.manage"
    )
    return _round_form(request, survey)
