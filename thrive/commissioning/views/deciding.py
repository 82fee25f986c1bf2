"""Commissioning intention pages that decide it: the method, approval, publishing,
withdrawal, decommissioning notices and joint commissioning (§2.4, §2.7–§2.9, §4.3)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from thrive.commissioning import advisor, forms, selectors
from thrive.commissioning.models import NOTICE_STATUSES, Intention, MethodDecision
from thrive.commissioning.selectors import settings_for
from thrive.commissioning.services import intentions as services
from thrive.commissioning.services import joint as joint_services
from thrive.commissioning.services import method as method_services
from thrive.commissioning.services import notices as notice_services
from thrive.commissioning.services import readiness
from thrive.commissioning.views.common import (
    MANAGE,
    council_of,
    intention_url,
    manage_intention,
)
from thrive.core import policy
from thrive.core.form_views import handle_form, posted


@policy.rule(MANAGE)
def intention_method(request: HttpRequest, intention_id: int) -> HttpResponse:
    """The method advisor's questionnaire (§2.7, §2.8, §4.4)."""
    intention = manage_intention(request, intention_id)
    decision = getattr(intention, "method", None)
    finding = method_services.market_test_finding(intention=intention)
    initial: dict[str, Any] = dict(decision.answers) if decision else {}
    if decision:
        initial["service_type"] = decision.service_type
    if finding is not None and finding.no_commercial_market:
        initial["no_commercial_market"] = True
    form = forms.MethodForm(posted(request), initial=initial)
    intro = "Tick every statement that applies. Each comes from the strategy's own lists."
    if finding is not None:
        found = "no" if finding.no_commercial_market else "a"
        intro += f" Soft market testing found {found} commercial market."
    return handle_form(
        request,
        form,
        save=lambda f: method_services.run_advisor(
            intention=intention,
            answers={rule.code: f.cleaned_data[rule.code] for rule in advisor.RULES},
            service_type=f.cleaned_data["service_type"],
            actor=request.user,
        ),
        success_url=reverse("commissioning:intention_method_confirm", args=[intention.pk]),
        title="Method advisor",
        caption=str(intention),
        intro=intro,
        back_url=intention_url(intention),
        submit_label="Get a recommendation",
    )


@policy.rule(MANAGE)
def intention_method_confirm(request: HttpRequest, intention_id: int) -> HttpResponse:
    intention = manage_intention(request, intention_id)
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
    return handle_form(
        request,
        form,
        save=lambda f: method_services.confirm_method(
            decision=decision, actor=request.user, **f.cleaned_data
        ),
        success_url=intention_url(intention),
        message="Method confirmed.",
        template="commissioning/method_confirm.html",
        intention=intention,
        decision=decision,
        back_url=intention_url(intention),
    )


@policy.rule("commissioning.method.agree")
def intention_method_agree(request: HttpRequest, intention_id: int) -> HttpResponse:
    """The procurement officer agrees the route (§2.9)."""
    intention = selectors.get_intention(
        user=request.user, intention_id=intention_id, action="commissioning.method.agree"
    )
    decision = getattr(intention, "method", None)
    form = forms.NoteForm(posted(request))

    def save(form: forms.NoteForm) -> MethodDecision:
        if decision is None:
            raise ValidationError("The commissioner must run the method advisor first")
        return method_services.agree_route(
            decision=decision, actor=request.user, note=form.cleaned_data["note"]
        )

    return handle_form(
        request,
        form,
        save=save,
        success_url=intention_url(intention),
        message="Procurement route agreed.",
        template="commissioning/method_confirm.html",
        intention=intention,
        decision=decision,
        agreeing=True,
        back_url=intention_url(intention),
    )


@policy.rule(MANAGE)
def intention_approve(request: HttpRequest, intention_id: int) -> HttpResponse:
    """Check the whole intention, then approve it."""
    intention = manage_intention(request, intention_id)
    form = forms.ConfirmForm(posted(request))
    return handle_form(
        request,
        form,
        save=lambda f: services.approve_intention(intention=intention, actor=request.user),
        success_url=intention_url(intention),
        message="Intention approved. You can now publish it.",
        template="commissioning/approve.html",
        intention=intention,
        problems=readiness.approval_problems(intention=intention),
        back_url=intention_url(intention),
    )


@policy.rule(MANAGE)
def intention_publish(request: HttpRequest, intention_id: int) -> HttpResponse:
    intention = manage_intention(request, intention_id)
    form = forms.ConfirmForm(posted(request))
    return handle_form(
        request,
        form,
        save=lambda f: services.publish_intention(intention=intention, actor=request.user),
        success_url=intention_url(intention),
        message=f"Intention {intention.reference} published.",
        title="Publish this intention",
        caption=str(intention),
        intro="It will appear on the public list of commissioning intentions and in its feed, "
        "so providers have time to consider whether what they do fits the council's priorities.",
        back_url=intention_url(intention),
        submit_label="Publish intention",
    )


@policy.rule(MANAGE)
def intention_commissioned(request: HttpRequest, intention_id: int) -> HttpResponse:
    intention = manage_intention(request, intention_id)
    form = forms.ConfirmForm(posted(request))
    return handle_form(
        request,
        form,
        save=lambda f: services.mark_commissioned(intention=intention, actor=request.user),
        success_url=intention_url(intention),
        message="Marked as commissioned.",
        title="Mark as commissioned",
        caption=str(intention),
        back_url=intention_url(intention),
        submit_label="Mark as commissioned",
    )


@policy.rule(MANAGE)
def intention_withdraw(request: HttpRequest, intention_id: int) -> HttpResponse:
    intention = manage_intention(request, intention_id)
    form = forms.ReasonForm(posted(request))
    return handle_form(
        request,
        form,
        save=lambda f: services.withdraw_intention(
            intention=intention, actor=request.user, reason=f.cleaned_data["reason"]
        ),
        success_url=intention_url(intention),
        message="Intention withdrawn.",
        title="Withdraw this intention",
        caption=str(intention),
        back_url=intention_url(intention),
        submit_label="Withdraw intention",
    )


@policy.rule(MANAGE)
def intention_notices(request: HttpRequest, intention_id: int) -> HttpResponse:
    """The awards affected and the decommissioning notices sent (§2.4, the Compact)."""
    intention = manage_intention(request, intention_id)
    months = settings_for(council=intention.council).notice_months
    awards = notice_services.affected_awards(intention=intention)
    rows = [(a, notice_services.notice_due_by(award=a, months=months)) for a in awards]
    form = forms.NoticeForm(posted(request), awards=awards)
    return handle_form(
        request,
        form,
        save=lambda f: notice_services.send_notices(
            intention=intention,
            awards=list(f.cleaned_data["awards"]),
            message=f.cleaned_data["message"],
            late_reason=f.cleaned_data["late_reason"],
            actor=request.user,
        ),
        success_url=reverse("commissioning:intention_notices", args=[intention.pk]),
        message=lambda sent: f"{len(sent)} notice{'s' if len(sent) != 1 else ''} sent.",
        template="commissioning/notices_staff.html",
        intention=intention,
        rows=rows,
        today=timezone.localdate(),
        months=months,
        notices=intention.notices.select_related("organisation", "award"),
        back_url=intention_url(intention),
        stopped=notice_services.stopped_outcomes(intention=intention),
        may_send=intention.status in NOTICE_STATUSES,
        publish_first=notice_services.PUBLISH_FIRST,
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
    overlaps = "; ".join(
        f"{a.reference} ({a.directorate}) and {b.reference} ({b.directorate})" for a, b in pairs
    )
    return handle_form(
        request,
        form,
        save=lambda f: joint_services.combine_intentions(
            intentions=list(f.cleaned_data["intentions"]),
            lead=f.cleaned_data["lead"],
            title=f.cleaned_data["title"],
            actor=request.user,
        ),
        success_url=intention_url,
        message=lambda joint: f"Joint intention {joint.reference} created.",
        title="Combine intentions into a joint intention",
        caption=council.name,
        intro=f"Overlapping outcomes: {overlaps}."
        if pairs
        else "No intentions of different directorates share an outcome.",
        back_url=reverse("commissioning:intentions"),
        submit_label="Create joint intention",
    )
