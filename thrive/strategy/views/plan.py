"""Pages for the annual action plan (§5.1): progress, export and each action."""

from __future__ import annotations

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from thrive.accounts.models import Council
from thrive.core import policy
from thrive.core.exports import EXPORT_FORMATS, export_response
from thrive.core.form_views import handle_form, posted
from thrive.strategy import charts, forms, selectors, services
from thrive.strategy.models import PlanAction
from thrive.strategy.views.common import (
    chosen_year,
    council_allowed,
    council_of,
    councils_for_admin,
    export_format,
)

PLAN_HEADERS = ["Action", "Strategy section", "Owner", "Due date", "Status", "Progress note"]


@policy.rule("strategy.plan.view")
def action_plan(request: HttpRequest) -> HttpResponse:
    """The year's action plan: progress counts, a bar display with its table, every action."""
    council = council_allowed(request, "strategy.plan.view")
    years = selectors.plan_years(council=council)
    year = chosen_year(request, years)
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
            "councils": councils_for_admin(request),
        },
    )


@policy.rule("strategy.plan.view")
def action_plan_export(request: HttpRequest) -> HttpResponse:
    council = council_allowed(request, "strategy.plan.view")
    fmt = export_format(request)
    year = chosen_year(request, selectors.plan_years(council=council))
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


def _action_form(request: HttpRequest, council: Council, action: PlanAction) -> HttpResponse:
    policy.require(request.user, "strategy.plan.manage", action)

    def save(form: Form) -> PlanAction:
        data = form.cleaned_data
        action.financial_year = services.get_financial_year(start_year=data["year"])
        for name in ("title", "description", "section", "owner", "owner_team", "due_date"):
            setattr(action, name, data[name])
        return services.save_action(action=action, actor=request.user)

    return handle_form(
        request,
        forms.PlanActionForm(posted(request), council=council, action=action),
        save=save,
        success_url=_plan_url,
        message=lambda saved: f"Action \u201c{saved.title}\u201d saved.",
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
    council = council_of(request)
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
    return handle_form(
        request,
        forms.ActionStatusForm(posted(request), initial=initial),
        save=lambda form: services.update_action_status(
            action=action,
            status=form.cleaned_data["status"],
            progress_note=form.cleaned_data["progress_note"],
            actor=request.user,
        ),
        success_url=lambda _: _plan_url(action),
        message=f"Status of \u201c{action.title}\u201d updated.",
        title="Update the action's status",
        caption=action.title,
        intro=f"Due {action.due_date:%-d %B %Y}. {action.section_label}.",
        warning="This action is overdue." if action.is_overdue() else "",
        back_url=_plan_url(action),
        submit_label="Save status",
    )
