"""Commissioning intention pages: the task list and each step (§2.4–§2.10, §4.3)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from thrive.commissioning import advisor, forms, selectors
from thrive.commissioning.extensions import INTENTION_PAGES
from thrive.commissioning.models import Direction, Intention, IntentionStatus
from thrive.commissioning.selectors import settings_for
from thrive.commissioning.services import equality, readiness
from thrive.commissioning.services import intentions as services
from thrive.commissioning.services import joint as joint_services
from thrive.commissioning.services import method as method_services
from thrive.commissioning.services import notices as notice_services
from thrive.commissioning.views.common import council_of, form_page, my_directorates, posted
from thrive.core import policy
from thrive.core.forms import add_service_errors
from thrive.strategy import selectors as strategy_selectors

MANAGE = "commissioning.intentions.manage"
VIEW = "commissioning.intentions.view"


def _manage(request: HttpRequest, intention_id: int) -> Intention:
    return selectors.get_intention(user=request.user, intention_id=intention_id, action=MANAGE)


def _back(intention: Intention) -> str:
    return reverse("commissioning:intention_detail", args=[intention.pk])


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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            intention = services.create_intention(
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
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Intention {intention.reference} started.")
            return redirect("commissioning:intention_detail", intention_id=intention.pk)
    return form_page(
        request,
        form,
        title="Write a commissioning intention",
        back_url=reverse("commissioning:intentions"),
        submit_label="Save and continue",
    )


def _tasks(intention: Intention) -> list[dict[str, Any]]:
    """The task list: each step with its status (GOV.UK task list pattern)."""
    eqia = getattr(intention, "eqia", None)
    method = getattr(intention, "method", None)
    spec_missing = readiness.specification_problems(intention=intention)
    funding = readiness.length_of_funding_problem(intention=intention)
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
    intention = selectors.get_intention(user=request.user, intention_id=intention_id)
    may_manage = policy.can(request.user, MANAGE, intention)
    approved = may_manage and intention.status == IntentionStatus.APPROVED
    publish_wait = readiness.consultation_still_open(intention=intention) if approved else ""
    return render(
        request,
        "commissioning/intention_detail.html",
        {
            "intention": intention,
            "tasks": _tasks(intention),
            "may_manage": may_manage and intention.status in services.EDITABLE,
            "may_publish": approved and not publish_wait,
            "publish_wait": publish_wait,
            "may_mark": may_manage and intention.status == IntentionStatus.PUBLISHED,
            "may_withdraw": may_manage
            and intention.status not in (IntentionStatus.WITHDRAWN, IntentionStatus.COMMISSIONED),
            "may_agree": policy.can(request.user, "commissioning.method.agree", intention),
            "overlaps": selectors.overlapping_intentions(intention=intention),
            "problems": readiness.approval_problems(intention=intention)
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
    intention = _manage(request, intention_id)
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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_basics(
                intention=intention,
                title=data["title"],
                summary=data["summary"],
                direction=data["direction"],
                outcomes=list(data["outcomes"]),
                needs=list(data["needs"]),
                stopped_outcomes=list(data["stopped_outcomes"]),
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Needs and outcomes saved.")
            return redirect(_back(intention))
    return form_page(
        request,
        form,
        title="Needs and outcomes",
        caption=str(intention),
        back_url=_back(intention),
        submit_label="Save and continue",
    )


@policy.rule(MANAGE)
def intention_specification(request: HttpRequest, intention_id: int) -> HttpResponse:
    intention = _manage(request, intention_id)
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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_specification(
                intention=intention,
                fields={name: data[name] for name in fields},
                groups=list(data["groups"]),
                areas=list(data["areas"]),
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Specification saved.")
            return redirect(_back(intention))
    return form_page(
        request,
        form,
        title="Service specification",
        caption=str(intention),
        intro="The standard format (§2.5). Detail is proportionate to the value: small amounts "
        "need only aims, outcomes and target group."
        if "aims" in fields
        else "A service no longer prioritised needs no aims or target group: say what the "
        "change means for outcomes and how it will be monitored.",
        back_url=_back(intention),
        submit_label="Save and continue",
    )


@policy.rule(MANAGE)
def intention_funding(request: HttpRequest, intention_id: int) -> HttpResponse:
    intention = _manage(request, intention_id)
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
            return redirect(_back(intention))
    minimum = settings_for(council=intention.council).minimum_term_months
    return form_page(
        request,
        form,
        title="Budget, pot and length of funding",
        caption=str(intention),
        intro=f"Funding for at least {minimum} months is the norm (§2.10). "
        "A shorter term needs a recorded reason.",
        back_url=_back(intention),
        submit_label="Save and continue",
    )


@policy.rule(MANAGE)
def intention_eqia(request: HttpRequest, intention_id: int) -> HttpResponse:
    """The equality impact assessment: every protected characteristic, with mitigation."""
    intention = _manage(request, intention_id)
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
            return redirect(_back(intention))
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


@policy.rule(MANAGE)
def intention_method(request: HttpRequest, intention_id: int) -> HttpResponse:
    """The method advisor's questionnaire (§2.7, §2.8, §4.4)."""
    intention = _manage(request, intention_id)
    decision = getattr(intention, "method", None)
    finding = method_services.market_test_finding(intention=intention)
    initial: dict[str, Any] = dict(decision.answers) if decision else {}
    if decision:
        initial["service_type"] = decision.service_type
    if finding is not None and finding.no_commercial_market:
        initial["no_commercial_market"] = True
    form = forms.MethodForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            method_services.run_advisor(
                intention=intention,
                answers={rule.code: data[rule.code] for rule in advisor.RULES},
                service_type=data["service_type"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("commissioning:intention_method_confirm", intention_id=intention.pk)
    intro = "Tick every statement that applies. Each comes from the strategy's own lists."
    if finding is not None:
        found = "no" if finding.no_commercial_market else "a"
        intro += f" Soft market testing found {found} commercial market."
    return form_page(
        request,
        form,
        title="Method advisor",
        caption=str(intention),
        intro=intro,
        back_url=_back(intention),
        submit_label="Get a recommendation",
    )


@policy.rule(MANAGE)
def intention_method_confirm(request: HttpRequest, intention_id: int) -> HttpResponse:
    intention = _manage(request, intention_id)
    decision = getattr(intention, "method", None)
    if decision is None:
        return redirect("commissioning:intention_method", intention_id=intention.pk)
    initial = {
        "method": decision.method or decision.recommended_method,
        "route": decision.route or decision.recommended_route,
        "regime": decision.regime or decision.recommended_regime,
        "reason": decision.override_reason,
    }
    form = forms.ConfirmMethodForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            method_services.confirm_method(decision=decision, actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Method confirmed.")
            return redirect(_back(intention))
    return render(
        request,
        "commissioning/method_confirm.html",
        {"intention": intention, "decision": decision, "form": form, "back_url": _back(intention)},
    )


@policy.rule("commissioning.method.agree")
def intention_method_agree(request: HttpRequest, intention_id: int) -> HttpResponse:
    """The procurement officer agrees the route (§2.9)."""
    intention = selectors.get_intention(
        user=request.user, intention_id=intention_id, action="commissioning.method.agree"
    )
    decision = getattr(intention, "method", None)
    form = forms.NoteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            if decision is None:
                raise ValidationError("The commissioner must run the method advisor first")
            method_services.agree_route(
                decision=decision, actor=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Procurement route agreed.")
            return redirect(_back(intention))
    return render(
        request,
        "commissioning/method_confirm.html",
        {
            "intention": intention,
            "decision": decision,
            "form": form,
            "agreeing": True,
            "back_url": _back(intention),
        },
    )


@policy.rule(MANAGE)
def intention_approve(request: HttpRequest, intention_id: int) -> HttpResponse:
    """Check the whole intention, then approve it."""
    intention = _manage(request, intention_id)
    form = forms.ConfirmForm(posted(request))
    if request.method == "POST":
        try:
            services.approve_intention(intention=intention, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Intention approved. You can now publish it.")
            return redirect(_back(intention))
    return render(
        request,
        "commissioning/approve.html",
        {
            "intention": intention,
            "form": form,
            "problems": readiness.approval_problems(intention=intention),
            "back_url": _back(intention),
        },
    )


@policy.rule(MANAGE)
def intention_publish(request: HttpRequest, intention_id: int) -> HttpResponse:
    intention = _manage(request, intention_id)
    form = forms.ConfirmForm(posted(request))
    if request.method == "POST":
        try:
            services.publish_intention(intention=intention, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Intention {intention.reference} published.")
            return redirect(_back(intention))
    return form_page(
        request,
        form,
        title="Publish this intention",
        caption=str(intention),
        intro="It will appear on the public list of commissioning intentions and in its feed, "
        "so providers have time to consider whether what they do fits the council's priorities.",
        back_url=_back(intention),
        submit_label="Publish intention",
    )


@policy.rule(MANAGE)
def intention_commissioned(request: HttpRequest, intention_id: int) -> HttpResponse:
    intention = _manage(request, intention_id)
    form = forms.ConfirmForm(posted(request))
    if request.method == "POST":
        try:
            services.mark_commissioned(intention=intention, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Marked as commissioned.")
            return redirect(_back(intention))
    return form_page(
        request,
        form,
        title="Mark as commissioned",
        caption=str(intention),
        back_url=_back(intention),
        submit_label="Mark as commissioned",
    )


@policy.rule(MANAGE)
def intention_withdraw(request: HttpRequest, intention_id: int) -> HttpResponse:
    intention = _manage(request, intention_id)
    form = forms.ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_intention(
                intention=intention, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Intention withdrawn.")
            return redirect(_back(intention))
    return form_page(
        request,
        form,
        title="Withdraw this intention",
        caption=str(intention),
        back_url=_back(intention),
        submit_label="Withdraw intention",
    )


@policy.rule(MANAGE)
def intention_notices(request: HttpRequest, intention_id: int) -> HttpResponse:
    """The awards affected and the decommissioning notices sent (§2.4, the Compact)."""
    intention = _manage(request, intention_id)
    months = settings_for(council=intention.council).notice_months
    awards = notice_services.affected_awards(intention=intention)
    rows = [(a, notice_services.notice_due_by(award=a, months=months)) for a in awards]
    form = forms.NoticeForm(posted(request), awards=awards)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sent = notice_services.send_notices(
                intention=intention,
                awards=list(data["awards"]),
                message=data["message"],
                late_reason=data["late_reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{len(sent)} notice{'s' if len(sent) != 1 else ''} sent.")
            return redirect("commissioning:intention_notices", intention_id=intention.pk)
    from django.utils import timezone

    return render(
        request,
        "commissioning/notices_staff.html",
        {
            "intention": intention,
            "rows": rows,
            "today": timezone.localdate(),
            "months": months,
            "form": form,
            "notices": intention.notices.select_related("organisation", "award"),
            "back_url": _back(intention),
            "stopped": notice_services.stopped_outcomes(intention=intention),
            "may_send": intention.status in notice_services.NOTICE_STATUSES,
            "publish_first": notice_services.PUBLISH_FIRST,
        },
    )


@policy.rule("commissioning.intentions.combine")
def intention_combine(request: HttpRequest) -> HttpResponse:
    """Combine overlapping intentions of different directorates into a joint one (§4.3)."""
    council = council_of(request)
    if not policy.can(request.user, "commissioning.intentions.combine", council):
        raise PermissionDenied
    pairs = selectors.overlaps_in_council(council=council)
    candidates = Intention.objects.filter(
        pk__in={i.pk for pair in pairs for i in pair}
    ).select_related("directorate")
    form = forms.CombineForm(posted(request), intentions=candidates, council=council)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = list(data["intentions"])
        reads_all = policy.has_council_role(request.user, "strategy_group", "council_admin")
        if not reads_all and data["lead"].pk not in request.user.directorate_ids():
            form.add_error("lead", "Choose your own directorate as the lead")
        if not form.errors:
            try:
                joint = joint_services.combine_intentions(
                    intentions=chosen, lead=data["lead"], title=data["title"], actor=request.user
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Joint intention {joint.reference} created.")
                return redirect("commissioning:intention_detail", intention_id=joint.pk)
    overlaps = "; ".join(
        f"{a.reference} ({a.directorate}) and {b.reference} ({b.directorate})" for a, b in pairs
    )
    return form_page(
        request,
        form,
        title="Combine intentions into a joint intention",
        caption=council.name,
        intro=f"Overlapping outcomes: {overlaps}."
        if pairs
        else "No intentions of different directorates share an outcome.",
        back_url=reverse("commissioning:intentions"),
        submit_label="Create joint intention",
    )
