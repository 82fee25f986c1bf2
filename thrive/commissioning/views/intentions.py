"""Commissioning intention pages: the task list and each step (§2.4–§2.10, §4.3)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from thrive.commissioning import forms, selectors
from thrive.commissioning.extensions import INTENTION_PAGES
from thrive.commissioning.models import Direction, Intention, IntentionStatus
from thrive.commissioning.selectors import settings_for
from thrive.commissioning.services import equality, readiness
from thrive.commissioning.services import intentions as services
from thrive.commissioning.views.common import (
    MANAGE,
    VIEW,
    council_of,
    intention_url,
    manage_intention,
    my_directorates,
)
from thrive.core import policy
from thrive.core.form_views import form_page, handle_form, posted
from thrive.core.forms import add_service_errors
from thrive.strategy import selectors as strategy_selectors


@policy.rule(VIEW)
def intention_list(request: HttpRequest) -> HttpResponse:
    council = council_of(request)
    status = request.GET.get("status", "")
    intentions = selectors.intentions_for_user(user=request.user, council=council, status=status)
    page = Paginator(intentions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "commissioning/intentions.html",
        {
            "council": council,
            "page": page,
            "status": status,
            "statuses": IntentionStatus.choices,
            "may_write": policy.can(request.user, MANAGE),
            "may_combine": policy.can(request.user, "commissioning.intentions.combine", council),
        },
    )


@policy.rule(MANAGE)
def intention_add(request: HttpRequest) -> HttpResponse:
    council = request.user.council
    directorates = my_directorates(request.user)
    needs = selectors.needs_for_user(user=request.user, council=council)
    form = forms.IntentionForm(
        posted(request), council=council, needs=needs, directorates=directorates
    )

    def save(form: forms.IntentionForm) -> Intention:
        data = form.cleaned_data
        return services.create_intention(
            council=council,
            directorate=data.get("directorate") or directorates[0],
            title=data["title"],
            summary=data["summary"],
            direction=data["direction"],
            outcomes=list(data["outcomes"]),
            needs=list(data["needs"]),
            stopped_outcomes=list(data["stopped_outcomes"]),
            actor=request.user,
        )

    return handle_form(
        request,
        form,
        save=save,
        success_url=intention_url,
        message=lambda made: f"Intention {made.reference} started.",
        title="Write a commissioning intention",
        back_url=reverse("commissioning:intentions"),
        submit_label="Save and continue",
    )


def _tasks(intention: Intention, spec_missing: list[str], funding: str) -> list[dict[str, Any]]:
    """The task list: each step with its status (GOV.UK task list pattern)."""
    eqia = getattr(intention, "eqia", None)
    method = getattr(intention, "method", None)
    has_consultation = intention.consultations.exists()
    tasks = [
        ("Needs and outcomes", "intention_basics", "Completed"),
        (
            "Service specification",
            "intention_specification",
            "Incomplete" if spec_missing else "Completed",
        ),
        (
            "Budget, pot and length of funding",
            "intention_funding",
            "Incomplete" if funding or not intention.budget_pence else "Completed",
        ),
        (
            "Equality impact assessment",
            "intention_eqia",
            "Completed"
            if eqia and eqia.is_complete
            else ("In progress" if eqia else "Not yet started"),
        ),
        ("Consultation", "intention_consultation", "Started" if has_consultation else "Optional"),
        (
            "Soft market testing",
            "market_test_add",
            "Started" if intention.market_tests.exists() else "Optional",
        ),
        ("Method advisor", "intention_method", _method_status(method)),
    ]
    return [
        {"name": n, "url": reverse(f"commissioning:{u}", args=[intention.pk]), "status": s}
        for n, u, s in tasks
    ]


def _method_status(method: Any) -> str:
    if method is None:
        return "Not yet started"
    if not method.is_confirmed:
        return "Recommendation ready"
    if not method.is_settled:
        return "Waiting for procurement"
    return "Completed"


@policy.rule(VIEW)
def intention_detail(request: HttpRequest, intention_id: int) -> HttpResponse:
    intention = selectors.get_intention(
        user=request.user,
        intention_id=intention_id,
        related=(*selectors.INTENTION_RELATED, "consultations", "market_tests"),
    )
    may_manage = policy.can(request.user, MANAGE, intention)
    approved = may_manage and intention.status == IntentionStatus.APPROVED
    spec_missing = readiness.specification_problems(intention=intention)
    funding = readiness.length_of_funding_problem(intention=intention)
    publish_wait = readiness.consultation_still_open(intention=intention) if approved else ""
    return render(
        request,
        "commissioning/intention_detail.html",
        {
            "intention": intention,
            "tasks": _tasks(intention, spec_missing, funding),
            "may_manage": may_manage and intention.status in services.EDITABLE,
            "may_publish": approved and not publish_wait,
            "publish_wait": publish_wait,
            "may_mark": may_manage and intention.status == IntentionStatus.PUBLISHED,
            "may_withdraw": may_manage
            and intention.status not in (IntentionStatus.WITHDRAWN, IntentionStatus.COMMISSIONED),
            "may_agree": policy.can(request.user, "commissioning.method.agree", intention),
            "overlaps": selectors.overlapping_intentions(intention=intention),
            "problems": readiness.approval_problems(
                intention=intention, specification=spec_missing, term=funding
            )
            if intention.status in services.EDITABLE
            else [],
            "consultations": intention.consultations.all(),
            "market_tests": intention.market_tests.all(),
            "notices": intention.notices.select_related("organisation", "award"),
            "stops_something": intention.direction == Direction.DECOMMISSIONING
            or intention.stopped_outcomes.exists(),
            "pages": [
                (page.label, reverse(f"commissioning:{page.name}", args=[intention.pk]))
                for page in INTENTION_PAGES
            ],
        },
    )


@policy.rule(MANAGE)
def intention_basics(request: HttpRequest, intention_id: int) -> HttpResponse:
    intention = manage_intention(request, intention_id)
    needs = selectors.needs_for_user(user=request.user, council=intention.council)
    initial = {
        "title": intention.title,
        "summary": intention.summary,
        "direction": intention.direction,
        "outcomes": list(intention.outcomes.all()),
        "needs": list(intention.needs.all()),
        "stopped_outcomes": list(intention.stopped_outcomes.all()),
    }
    form = forms.IntentionForm(
        posted(request), council=intention.council, needs=needs, initial=initial
    )

    def save(form: forms.IntentionForm) -> Intention:
        data = form.cleaned_data
        return services.update_basics(
            intention=intention,
            title=data["title"],
            summary=data["summary"],
            direction=data["direction"],
            outcomes=list(data["outcomes"]),
            needs=list(data["needs"]),
            stopped_outcomes=list(data["stopped_outcomes"]),
            actor=request.user,
        )

    return handle_form(
        request,
        form,
        save=save,
        success_url=intention_url,
        message="Needs and outcomes saved.",
        title="Needs and outcomes",
        caption=str(intention),
        back_url=intention_url(intention),
        submit_label="Save and continue",
    )


@policy.rule(MANAGE)
def intention_specification(request: HttpRequest, intention_id: int) -> HttpResponse:
    intention = manage_intention(request, intention_id)
    fields = readiness.specification_fields(intention=intention)
    initial = {name: getattr(intention, name) for name in fields}
    initial |= {"groups": list(intention.groups.all()), "areas": list(intention.areas.all())}
    required = readiness.required_specification(intention=intention)
    form = forms.SpecificationForm(
        posted(request),
        council=intention.council,
        required=required,
        omit=tuple(name for name in readiness.SPEC_LABELS if name not in fields),
        initial=initial,
    )

    def save(form: forms.SpecificationForm) -> Intention:
        data = form.cleaned_data
        return services.update_specification(
            intention=intention,
            fields={name: data[name] for name in fields},
            groups=list(data["groups"]),
            areas=list(data["areas"]),
            actor=request.user,
        )

    return handle_form(
        request,
        form,
        save=save,
        success_url=intention_url,
        message="Specification saved.",
        title="Service specification",
        caption=str(intention),
        intro="The standard format (§2.5). Detail is proportionate to the value: small amounts "
        "need only aims, outcomes and target group."
        if "aims" in fields
        else "A service no longer prioritised needs no aims or target group: say what the "
        "change means for outcomes and how it will be monitored.",
        back_url=intention_url(intention),
        submit_label="Save and continue",
    )


@policy.rule(MANAGE)
def intention_funding(request: HttpRequest, intention_id: int) -> HttpResponse:
    intention = manage_intention(request, intention_id)
    pots = strategy_selectors.pots_for_user(user=request.user, council=intention.council).filter(
        merged_into__isnull=True
    )
    initial = {
        "budget": intention.budget_pence or None,
        "pot": intention.pot_id,
        "service_start": intention.service_start,
        "service_end": intention.service_end,
        "procurement_start": intention.procurement_start,
        "short_term_justification": intention.short_term_justification,
    }
    form = forms.FundingForm(posted(request), pots=pots, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_funding(
                intention=intention,
                budget_pence=data["budget"],
                pot=data["pot"],
                service_start=data["service_start"],
                service_end=data["service_end"],
                procurement_start=data["procurement_start"],
                short_term_justification=data["short_term_justification"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            problem = readiness.length_of_funding_problem(intention=intention)
            if problem:
                messages.warning(request, problem)
            else:
                messages.success(request, "Budget and timeline saved.")
            return redirect(intention_url(intention))
    minimum = settings_for(council=intention.council).minimum_term_months
    return form_page(
        request,
        form,
        title="Budget, pot and length of funding",
        caption=str(intention),
        intro=f"Funding for at least {minimum} months is the norm (§2.10). "
        "A shorter term needs a recorded reason.",
        back_url=intention_url(intention),
        submit_label="Save and continue",
    )


@policy.rule(MANAGE)
def intention_eqia(request: HttpRequest, intention_id: int) -> HttpResponse:
    """The equality impact assessment: every protected characteristic, with mitigation."""
    intention = manage_intention(request, intention_id)
    form = forms.EqualityAssessmentForm(
        posted(request),
        characteristics=equality.protected_characteristics(),
        assessment=getattr(intention, "eqia", None),
    )
    if form.is_valid():
        done = "complete" in request.POST
        try:
            equality.save_equality_assessment(
                intention=intention,
                impacts=form.impacts(),
                summary=form.cleaned_data["summary"],
                complete=done,
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, "Equality impact assessment completed." if done else "Saved as a draft."
            )
            return redirect(intention_url(intention))
    errors = {key: list(messages_) for key, messages_ in form.errors.items()}
    return render(
        request,
        "commissioning/eqia.html",
        {
            "intention": intention,
            "rows": form.rows(),
            "summary": form["summary"].value() or "",
            "errors": errors,
            "error_list": [(k, m) for k, ms in errors.items() for m in ms],
            "page_has_errors": bool(errors),
        },
    )
