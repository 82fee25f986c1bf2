"""Pages for the outcomes framework, directorates, funding pots and thresholds."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from thrive.core import branding, policy
from thrive.core.exports import EXPORT_FORMATS, export_response
from thrive.core.forms import add_service_errors
from thrive.strategy import charts, forms, selectors, services
from thrive.strategy import survey as survey_text
from thrive.strategy.models import (
    BudgetCommitment,
    Directorate,
    Outcome,
    PlanAction,
    PotKind,
    SurveyRound,
    ThresholdSet,
)


def _posted(request: HttpRequest) -> Any:
    """The submitted data on POST (even when empty), None on GET."""
    return request.POST if request.method == "POST" else None


def _form_page(request: HttpRequest, form: Any, **context: Any) -> HttpResponse:
    return render(request, "strategy/form.html", {"form": form, **context})


def _council(request: HttpRequest) -> Any:
    return selectors.council_for(request.user, request.GET.get("council"))


def _council_allowed(request: HttpRequest, action: str) -> Any:
    """The council the page is about, once the policy lets the user do the action there."""
    council = _council(request)
    policy.require(request.user, action, council)
    return council


def _export_format(request: HttpRequest) -> str:
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        raise Http404("Unknown format")
    return fmt


# --- outcomes framework -------------------------------------------------------


@policy.rule("strategy.framework.view")
def outcomes(request: HttpRequest) -> HttpResponse:
    """The council's outcomes framework as a tree."""
    council = _council(request)
    return render(
        request,
        "strategy/outcomes.html",
        {
            "council": council,
            "tree": selectors.outcome_tree(council=council),
            "may_manage": policy.can(request.user, "strategy.framework.manage", council),
            "councils": _councils_for_admin(request),
        },
    )


def _councils_for_admin(request: HttpRequest) -> list[Any]:
    if request.user.council_id:
        return []
    from thrive.accounts.models import Council

    return list(Council.objects.order_by("name"))


def _outcome_form(request: HttpRequest, council: Any, outcome: Outcome) -> HttpResponse:
    policy.require(request.user, "strategy.framework.manage", council)
    form = forms.OutcomeForm(_posted(request), instance=outcome, council=council)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_outcome(outcome=form.instance, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Outcome {saved.code} saved.")
            return redirect(f"{reverse('strategy:outcomes')}?council={council.pk}")
    return _form_page(
        request,
        form,
        title="Change an outcome" if outcome.pk else "Add an outcome",
        caption=council.name,
        back_url=reverse("strategy:outcomes"),
        submit_label="Save outcome",
    )


@policy.rule("strategy.framework.manage")
def outcome_add(request: HttpRequest) -> HttpResponse:
    council = _council(request)
    return _outcome_form(request, council, Outcome(council=council))


@policy.rule("strategy.framework.manage")
def outcome_edit(request: HttpRequest, outcome_id: int) -> HttpResponse:
    outcome = get_object_or_404(Outcome.objects.select_related("council"), pk=outcome_id)
    return _outcome_form(request, outcome.council, outcome)


@policy.rule("strategy.framework.view")
def directorates(request: HttpRequest) -> HttpResponse:
    council = _council(request)
    return render(
        request,
        "strategy/directorates.html",
        {
            "council": council,
            "directorates": selectors.directorates_for(council=council),
            "may_manage": policy.can(request.user, "strategy.framework.manage", council),
            "councils": _councils_for_admin(request),
        },
    )


def _directorate_form(request: HttpRequest, council: Any, directorate: Directorate) -> HttpResponse:
    policy.require(request.user, "strategy.framework.manage", council)
    form = forms.DirectorateForm(_posted(request), instance=directorate, council=council)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_directorate(directorate=form.instance, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{form.instance.name} saved.")
            return redirect(f"{reverse('strategy:directorates')}?council={council.pk}")
    return _form_page(
        request,
        form,
        title="Change a directorate" if directorate.pk else "Add a directorate",
        caption=council.name,
        back_url=reverse("strategy:directorates"),
        submit_label="Save directorate",
    )


@policy.rule("strategy.framework.manage")
def directorate_add(request: HttpRequest) -> HttpResponse:
    council = _council(request)
    return _directorate_form(request, council, Directorate(council=council))


@policy.rule("strategy.framework.manage")
def directorate_edit(request: HttpRequest, directorate_id: int) -> HttpResponse:
    directorate = get_object_or_404(
        Directorate.objects.select_related("council"), pk=directorate_id
    )
    return _directorate_form(request, directorate.council, directorate)


# --- pots --------------------------------------------------------------------


@policy.rule("strategy.pots.view")
def pots(request: HttpRequest) -> HttpResponse:
    """Every pot the user may see in a financial year: budget, committed, remaining."""
    council = _council(request)
    years = list(selectors.years_with_pots(council=council))
    chosen = request.GET.get("year", "")
    year = next((y for y in years if str(y.start_year) == chosen), years[0] if years else None)
    pot_list = selectors.pots_for_user(user=request.user, council=council, year=year)
    return render(
        request,
        "strategy/pots.html",
        {
            "council": council,
            "years": years,
            "year": year,
            "pots": list(pot_list),
            "totals": selectors.pot_totals(pot_list),
            "may_manage": policy.can(request.user, "strategy.pots.manage", council),
        },
    )


@policy.rule("strategy.pots.view")
def pot_detail(request: HttpRequest, pot_id: int) -> HttpResponse:
    pot = selectors.get_pot(user=request.user, pot_id=pot_id)
    return render(
        request,
        "strategy/pot_detail.html",
        {
            "pot": pot,
            "contributions": pot.contributions.select_related("directorate"),
            "commitments": pot.commitments.select_related("committed_by"),
            "former_pots": pot.former_pots.select_related("financial_year"),
            "merge": getattr(pot, "merge", None) if pot.kind == PotKind.MERGED else None,
            "may_manage": policy.can(request.user, "strategy.pots.manage", pot),
        },
    )


@policy.rule("strategy.pots.manage")
def pot_add(request: HttpRequest) -> HttpResponse:
    council = _council(request)
    form = forms.PotForm(_posted(request), council=council)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pot = services.create_pot(
                council=council,
                name=data["name"],
                kind=data["kind"],
                directorate=data["directorate"],
                financial_year=services.get_financial_year(start_year=data["financial_year"]),
                budget_pence=data["budget"] or 0,
                description=data["description"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{pot.name} opened.")
            return redirect("strategy:pot_detail", pot_id=pot.pk)
    return _form_page(
        request,
        form,
        title="Open a funding pot",
        caption=council.name,
        back_url=reverse("strategy:pots"),
        submit_label="Open pot",
    )


def _pot_action(request: HttpRequest, pot_id: int) -> Any:
    pot = selectors.get_pot(user=request.user, pot_id=pot_id)
    policy.require(request.user, "strategy.pots.manage", pot)
    return pot


@policy.rule("strategy.pots.manage")
def pot_budget(request: HttpRequest, pot_id: int) -> HttpResponse:
    pot = _pot_action(request, pot_id)
    form = forms.BudgetForm(_posted(request), initial={"budget": pot.budget_pence})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_pot_budget(
                pot=pot,
                budget_pence=form.cleaned_data["budget"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Budget changed.")
            return redirect("strategy:pot_detail", pot_id=pot.pk)
    return _form_page(
        request,
        form,
        title="Change the budget",
        caption=str(pot),
        back_url=reverse("strategy:pot_detail", args=[pot.pk]),
        submit_label="Change budget",
    )


@policy.rule("strategy.pots.manage")
def pot_contribution(request: HttpRequest, pot_id: int) -> HttpResponse:
    pot = _pot_action(request, pot_id)
    form = forms.ContributionForm(_posted(request), council=pot.council)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_contribution(
                pot=pot,
                amount_pence=form.cleaned_data["amount"],
                directorate=form.cleaned_data["directorate"],
                partner_name=form.cleaned_data["partner_name"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Contribution added.")
            return redirect("strategy:pot_detail", pot_id=pot.pk)
    return _form_page(
        request,
        form,
        title="Add a contribution",
        caption=str(pot),
        back_url=reverse("strategy:pot_detail", args=[pot.pk]),
        submit_label="Add contribution",
    )


@policy.rule("strategy.pots.manage")
def pot_commit(request: HttpRequest, pot_id: int) -> HttpResponse:
    pot = _pot_action(request, pot_id)
    form = forms.CommitForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.commit_budget(
                pot=pot,
                amount_pence=form.cleaned_data["amount"],
                description=form.cleaned_data["description"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Money committed.")
            return redirect("strategy:pot_detail", pot_id=pot.pk)
    return _form_page(
        request,
        form,
        title="Commit money from this pot",
        caption=str(pot),
        remaining_pence=pot.remaining_pence,
        back_url=reverse("strategy:pot_detail", args=[pot.pk]),
        submit_label="Commit money",
    )


@policy.rule("strategy.pots.manage")
def commitment_release(request: HttpRequest, commitment_id: int) -> HttpResponse:
    commitment = get_object_or_404(BudgetCommitment.objects.select_related("pot"), pk=commitment_id)
    pot = _pot_action(request, commitment.pot_id)
    form = forms.ReleaseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.release_commitment(
                commitment=commitment, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Money released back to the pot.")
            return redirect("strategy:pot_detail", pot_id=pot.pk)
    return _form_page(
        request,
        form,
        title=f"Release {commitment.description}",
        caption=str(pot),
        back_url=reverse("strategy:pot_detail", args=[pot.pk]),
        submit_label="Release money",
    )


@policy.rule("strategy.pots.manage")
def pot_merge(request: HttpRequest) -> HttpResponse:
    """Merge former pots of one year into a single pot (§2.4)."""
    council = _council(request)
    policy.require(request.user, "strategy.pots.manage", council)
    candidates = selectors.pots_for_user(user=request.user, council=council).filter(
        merged_into__isnull=True
    )
    form = forms.MergeForm(_posted(request), council=council, pots=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            merged = services.merge_pots(
                pots=list(data["pots"]),
                name=data["name"],
                directorate=data["directorate"],
                actor=request.user,
                reason=data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{merged.name} formed.")
            return redirect("strategy:pot_detail", pot_id=merged.pk)
    return _form_page(
        request,
        form,
        title="Merge pots",
        caption=council.name,
        back_url=reverse("strategy:pots"),
        submit_label="Merge pots",
    )


# --- thresholds ----------------------------------------------------------------


@policy.rule("strategy.thresholds.view")
def thresholds(request: HttpRequest) -> HttpResponse:
    council = _council(request)
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
    form = forms.ThresholdSetForm(_posted(request), instance=threshold_set)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_threshold_set(threshold_set=form.instance, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Thresholds saved.")
            return redirect("strategy:thresholds")
    scope = threshold_set.council.name if threshold_set.council_id else "National (all councils)"
    return _form_page(
        request,
        form,
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


# --- the annual action plan (§5.1) ---------------------------------------------


def _chosen_year(request: HttpRequest, years: list[Any]) -> Any:
    from thrive.strategy.models import FinancialYear

    chosen = request.GET.get("year", "")
    current = FinancialYear.start_year_for(timezone.localdate())
    return next(
        (y for y in years if str(y.start_year) == chosen),
        next((y for y in years if y.start_year == current), years[0] if years else None),
    )


PLAN_HEADERS = ["Action", "Strategy section", "Owner", "Due date", "Status", "Progress note"]


@policy.rule("strategy.plan.view")
def action_plan(request: HttpRequest) -> HttpResponse:
    """The year's action plan: progress counts, a bar display with its table, every action."""
    council = _council_allowed(request, "strategy.plan.view")
    years = selectors.plan_years(council=council)
    year = _chosen_year(request, years)
    progress = selectors.action_plan_progress(council, year)
    return render(
        request,
        "strategy/action_plan.html",
        {
            "council": council,
            "years": years,
            "year": year,
            "progress": progress,
            "chart": charts.horizontal_bars(progress.bars()),
            "may_manage": policy.can(request.user, "strategy.plan.manage", council),
            "export_formats": EXPORT_FORMATS,
            "councils": _councils_for_admin(request),
        },
    )


@policy.rule("strategy.plan.view")
def action_plan_export(request: HttpRequest) -> HttpResponse:
    council = _council_allowed(request, "strategy.plan.view")
    fmt = _export_format(request)
    year = _chosen_year(request, selectors.plan_years(council=council))
    progress = selectors.action_plan_progress(council, year)
    rows = (
        [a.title, a.section_label, a.owner, a.due_date, a.status_label, a.progress_note]
        for a in progress.actions
    )
    return export_response(
        headers=PLAN_HEADERS,
        rows=rows,
        fmt=fmt,
        filename=f"action-plan-{year.start_year if year else ''}",
        title=f"Action plan {year}",
    )


def _action_form(request: HttpRequest, council: Any, action: PlanAction) -> HttpResponse:
    policy.require(request.user, "strategy.plan.manage", action)
    form = forms.PlanActionForm(_posted(request), council=council, action=action)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action.financial_year = services.get_financial_year(start_year=data["year"])
        for name in ("title", "description", "section", "owner", "owner_team", "due_date"):
            setattr(action, name, data[name])
        try:
            saved = services.save_action(action=action, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Action \u201c{saved.title}\u201d saved.")
            return redirect(_plan_url(saved))
    return _form_page(
        request,
        form,
        title="Change an action" if action.pk else "Add an action to the plan",
        caption=council.name,
        back_url=reverse("strategy:action_plan"),
        submit_label="Save action",
    )


def _plan_url(action: PlanAction) -> str:
    return (
        f"{reverse('strategy:action_plan')}?council={action.council_id}"
        f"&year={action.financial_year.start_year}"
    )


@policy.rule("strategy.plan.manage")
def action_add(request: HttpRequest) -> HttpResponse:
    council = _council(request)
    return _action_form(request, council, PlanAction(council=council))


@policy.rule("strategy.plan.manage")
def action_edit(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.get_action(user=request.user, action_id=action_id)
    return _action_form(request, action.council, action)


@policy.rule("strategy.plan.manage")
def action_status(request: HttpRequest, action_id: int) -> HttpResponse:
    """Update an action's status and progress note (audited)."""
    action = selectors.get_action(user=request.user, action_id=action_id)
    initial = {"status": action.status, "progress_note": action.progress_note}
    form = forms.ActionStatusForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_action_status(
                action=action,
                status=form.cleaned_data["status"],
                progress_note=form.cleaned_data["progress_note"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Status of \u201c{action.title}\u201d updated.")
            return redirect(_plan_url(action))
    return _form_page(
        request,
        form,
        title="Update the action's status",
        caption=action.title,
        intro=f"Due {action.due_date:%-d %B %Y}. {action.section_label}.",
        warning="This action is overdue." if action.is_overdue() else "",
        back_url=_plan_url(action),
        submit_label="Save status",
    )


# --- the NI 7 survey (§5.1) ----------------------------------------------------


@policy.rule("strategy.survey.results")
def surveys(request: HttpRequest) -> HttpResponse:
    """Every year's survey with respondents and the NI 7 figure, and the series as a chart."""
    council = _council_allowed(request, "strategy.survey.results")
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
            "councils": _councils_for_admin(request),
        },
    )


@policy.rule("strategy.survey.results")
def surveys_export(request: HttpRequest) -> HttpResponse:
    council = _council_allowed(request, "strategy.survey.results")
    fmt = _export_format(request)
    return export_response(
        headers=["Financial year", "Respondents", "NI 7 (%)"],
        rows=([p.year, p.respondents, p.ni7] for p in selectors.ni7_series(council)),
        fmt=fmt,
        filename="ni7-series",
        title="NI 7",
    )


@policy.rule("strategy.survey.results")
def survey_results(request: HttpRequest, round_id: int) -> HttpResponse:
    survey = selectors.get_round(
        user=request.user, round_id=round_id, action="strategy.survey.results"
    )
    results = selectors.survey_results(survey)
    return render(
        request,
        "strategy/survey_results.html",
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
    fmt = _export_format(request)
    survey = selectors.get_round(
        user=request.user, round_id=round_id, action="strategy.survey.results"
    )
    return export_response(
        headers=["Question", "Answer", "Organisations", "Share (%)"],
        rows=selectors.survey_result_rows(selectors.survey_results(survey)),
        fmt=fmt,
        filename=f"ni7-survey-{survey.financial_year.start_year}",
        title=f"Survey {survey.financial_year}",
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
    form = forms.SurveyRoundForm(_posted(request), initial=initial, extra_year=extra)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        survey.financial_year = services.get_financial_year(start_year=data["year"])
        survey.opens_on, survey.closes_on = data["opens_on"], data["closes_on"]
        survey.introduction = data["introduction"]
        try:
            services.save_round(survey=survey, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{survey} saved.")
            return redirect(f"{reverse('strategy:surveys')}?council={survey.council_id}")
    return _form_page(
        request,
        form,
        title="Change the survey's dates" if survey.pk else "Run this year's Third Sector survey",
        caption=survey.council.name,
        intro="Organisations answer once each inside the service while the survey is open.",
        back_url=reverse("strategy:surveys"),
        submit_label="Save survey",
    )


@policy.rule("strategy.survey.manage")
def survey_add(request: HttpRequest) -> HttpResponse:
    council = _council(request)
    return _round_form(request, SurveyRound(council=council))


@policy.rule("strategy.survey.manage")
def survey_edit(request: HttpRequest, round_id: int) -> HttpResponse:
    survey = selectors.get_round(
        user=request.user, round_id=round_id, action="strategy.survey.manage"
    )
    return _round_form(request, survey)


@policy.rule("strategy.survey.take")
def sector_survey(request: HttpRequest) -> HttpResponse:
    """For organisations: the surveys open now and whether each organisation has answered."""
    return render(
        request,
        "strategy/sector_survey.html",
        {
            "open_rounds": selectors.open_rounds_for_provider(user=request.user),
            "anonymity": survey_text.ANONYMITY,
        },
    )


@policy.rule("strategy.survey.answer")
def sector_survey_answer(request: HttpRequest, round_id: int, organisation_id: int) -> HttpResponse:
    """An organisation's administrator answers the survey, once per round."""
    from thrive.organisations.models import Organisation
    from thrive.strategy.models import SurveyResponse

    survey = get_object_or_404(
        SurveyRound.objects.select_related("council", "financial_year"), pk=round_id
    )
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    policy.require(request.user, "strategy.survey.answer", organisation)
    branding.page_council(request, survey.council)
    answered = SurveyResponse.objects.filter(round=survey, organisation=organisation).exists()
    form = forms.SurveyAnswerForm(_posted(request))
    closed_message = ""
    if answered:
        closed_message = f"{organisation.name} has already answered this survey. Thank you."
    elif not survey.is_open():
        closed_message = (
            f"This survey closed on {survey.closes_on:%-d %B %Y}; answers can no longer be sent."
            if timezone.localdate() > survey.closes_on
            else f"This survey opens on {survey.opens_on:%-d %B %Y}."
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_survey(
                survey=survey,
                organisation=organisation,
                answers=form.cleaned_data,
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"Thank you. {organisation.name}\u2019s answers have been sent."
            )
            return redirect("strategy:sector_survey")
    return render(
        request,
        "strategy/sector_survey_answer.html",
        {
            "survey": survey,
            "organisation": organisation,
            "form": form,
            "closed_message": closed_message if request.method != "POST" else "",
            "anonymity": survey_text.ANONYMITY,
        },
    )
