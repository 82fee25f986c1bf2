"""Pages of the survey that need the register: a round's results by organisation size, and
where an organisation's administrator answers. Their addresses are the strategy's."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from thrive.core import branding, policy
from thrive.core.exports import EXPORT_FORMATS, export_response
from thrive.core.form_views import handle_form, posted
from thrive.organisations.models import Organisation
from thrive.organisations.survey import forms, selectors, services
from thrive.strategy import charts
from thrive.strategy import selectors as strategy_selectors
from thrive.strategy import survey as survey_text
from thrive.strategy.models import SurveyResponse, SurveyRound


@policy.rule("strategy.survey.results")
def survey_results(request: HttpRequest, round_id: int) -> HttpResponse:
    survey = strategy_selectors.get_round(
        user=request.user, round_id=round_id, action="strategy.survey.results"
    )
    results = selectors.survey_results(survey)
    return render(
        request,
        "organisations/survey/survey_results.html",
        {
            "survey": survey,
            "results": results,
            "overall_chart": charts.horizontal_bars(results["overall"]),
            "overall_question": survey_text.OVERALL_QUESTION,
            "method": survey_text.METHOD,
            "small_group": selectors.SMALL_GROUP,
            "export_formats": EXPORT_FORMATS,
            "may_manage": policy.can(request.user, "strategy.survey.manage", survey),
        },
    )


@policy.rule("strategy.survey.results")
def survey_results_export(request: HttpRequest, round_id: int) -> HttpResponse:
    """The round's aggregate answers as a table: question, answer, organisations, share."""
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        raise Http404("Unknown format")
    survey = strategy_selectors.get_round(
        user=request.user, round_id=round_id, action="strategy.survey.results"
    )
    return export_response(
        headers=["Question", "Answer", "Organisations", "Share (%)"],
        rows=selectors.survey_result_rows(selectors.survey_results(survey)),
        fmt=fmt,
        filename=f"ni7-survey-{survey.financial_year.start_year}",
        title=f"Survey {survey.financial_year}",
    )


@policy.rule("strategy.survey.take")
def sector_survey(request: HttpRequest) -> HttpResponse:
    """For organisations: the surveys open now and whether each organisation has answered."""
    return render(
        request,
        "organisations/survey/sector_survey.html",
        {
            "open_rounds": selectors.open_rounds_for_provider(user=request.user),
            "anonymity": survey_text.ANONYMITY,
        },
    )


def _closed_message(survey: SurveyRound, organisation: Organisation) -> str:
    """Why the organisation cannot answer the round now, or "" when it can."""
    if SurveyResponse.objects.filter(round=survey, organisation=organisation).exists():
        return f"{organisation.name} has already answered this survey. Thank you."
    if survey.is_open():
        return ""
    if timezone.localdate() > survey.closes_on:
        return f"This survey closed on {survey.closes_on:%-d %B %Y}; answers can no longer be sent."
    return f"This survey opens on {survey.opens_on:%-d %B %Y}."


@policy.rule("strategy.survey.answer")
def sector_survey_answer(request: HttpRequest, round_id: int, organisation_id: int) -> HttpResponse:
    """An organisation's administrator answers the survey, once per round."""
    survey = get_object_or_404(
        SurveyRound.objects.select_related("council", "financial_year"), pk=round_id
    )
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    policy.require(request.user, "strategy.survey.answer", organisation)
    branding.page_council(request, survey.council)
    closed_message = _closed_message(survey, organisation)
    return handle_form(
        request,
        forms.SurveyAnswerForm(posted(request)),
        save=lambda form: services.answer_survey(
            survey=survey, organisation=organisation, answers=form.cleaned_data, actor=request.user
        ),
        success_url=reverse("strategy:sector_survey"),
        message=f"Thank you. {organisation.name}\u2019s answers have been sent.",
        template="organisations/survey/sector_survey_answer.html",
        survey=survey,
        organisation=organisation,
        closed_message=closed_message if request.method != "POST" else "",
        anonymity=survey_text.ANONYMITY,
    )
