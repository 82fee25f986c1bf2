"""Assessment pages for decisions: recommending, approving, making awards and feedback."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from thrive.applications.models import ApplicationStatus
from thrive.assessment import forms, selectors
from thrive.assessment.models import DecisionStatus
from thrive.assessment.services import decisions
from thrive.assessment.views.common import opportunity_for
from thrive.awards.models import Award
from thrive.core import branding, policy
from thrive.core.form_views import handle_form, posted
from thrive.core.forms import add_service_errors
from thrive.strategy import selectors as strategy_selectors


@policy.rule("assessment.panel.manage")
def recommend(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Recommend the ranked winner(s) of a lot with the pot and dates, for approval."""
    opportunity = opportunity_for(request, opportunity_id, "assessment.panel.manage")
    lots = {lot.number: lot for lot in opportunity.lots.all()}
    lot = lots.get(int(request.GET["lot"])) if request.GET.get("lot", "").isdigit() else None
    if lots and lot is None:
        lot = next(iter(lots.values()))
    ranked = [r for r in selectors.results_for_lot(opportunity, lot) if r.position]
    candidates = selectors.panel_applications(opportunity).filter(
        pk__in=[r.application.pk for r in ranked]
    )
    pots = strategy_selectors.pots_to_commit(user=request.user, council=opportunity.council)
    initial = {"applications": [ranked[0].application.pk]} if ranked else {}
    intention = opportunity.intention
    initial["pot"] = strategy_selectors.default_pot(
        choices=pots, planned=intention.pot if intention else None
    )
    form = forms.RecommendForm(posted(request), applications=candidates, pots=pots, initial=initial)
    return handle_form(
        request,
        form,
        save=lambda f: decisions.recommend(
            opportunity=opportunity,
            lot=lot,
            applications=list(f.cleaned_data["applications"]),
            pot=f.cleaned_data["pot"],
            start_date=f.cleaned_data["start_date"],
            end_date=f.cleaned_data["end_date"],
            reason=f.cleaned_data["reason"],
            actor=request.user,
        ),
        success_url=lambda made: reverse("assessment:decision", args=[made.pk]),
        message="Recommendation sent for approval.",
        template="assessment/recommend.html",
        opportunity=opportunity,
        lot=lot,
        lots=lots.values(),
        ranked=ranked,
    )


@policy.rule("assessment.decision.view")
def decision(request: HttpRequest, decision_id: int) -> HttpResponse:
    """The recommendation, its approval (within delegated limits) and the awards it makes."""
    found = selectors.get_decision(pk=decision_id)
    policy.require(request.user, "assessment.decision.view", found)
    form = forms.ApproveForm(posted(request))
    may_approve = policy.can(request.user, "assessment.decision.approve", found)
    approver = policy.can(request.user, "assessment.decision.approver", found)
    refusal = (
        None if may_approve or not approver else selectors.approval_refusal(found, request.user)
    )
    if request.method == "POST" and may_approve and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                decisions.approve(
                    decision=found, actor=request.user, note=form.cleaned_data["note"]
                )
                messages.success(request, "Approved. The applicants are being told the result.")
            else:
                decisions.send_back(
                    decision=found, actor=request.user, note=form.cleaned_data["note"]
                )
                messages.success(request, "Sent back to the panel.")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("assessment:decision", decision_id=found.pk)
    elif request.method == "POST" and refusal:
        form.is_valid()
        form.add_error(None, refusal)
    elif request.method == "POST" and not may_approve:
        raise PermissionDenied("assessment.decision.approve")
    return render(
        request,
        "assessment/decision.html",
        {
            "decision": found,
            "winners": found.winners.select_related("application__organisation", "award"),
            "form": form,
            "may_approve": may_approve and found.status == DecisionStatus.RECOMMENDED,
            "refusal": refusal if found.status == DecisionStatus.RECOMMENDED else None,
            "limit": selectors.delegated_limit(request.user, found.opportunity.council),
            "is_contract": decisions.is_contract(opportunity=found.opportunity),
            "may_award": policy.can(request.user, "assessment.panel.manage", found.opportunity),
            "years": decisions.planned_years(decision=found),
        },
    )


@require_POST
@policy.rule("assessment.award.make")
def make_award(request: HttpRequest, winner_id: int) -> HttpResponse:
    """Make the award once the standstill period has ended; errors come back as messages."""
    winner = selectors.get_winner(pk=winner_id)
    policy.require(request.user, "assessment.award.make", winner)
    try:
        award = decisions.make_award(winner=winner, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("assessment:decision", decision_id=winner.decision_id)
    messages.success(request, f"Award made to {winner.application.organisation}.")
    return redirect(_award_url(award) or reverse("assessment:decision", args=[winner.decision_id]))


def _award_url(award: Award) -> str:
    try:
        return reverse("awards:detail", kwargs={"reference": award.reference})
    except NoReverseMatch:
        return ""


@policy.rule("assessment.feedback")
def feedback(request: HttpRequest, application_id: int) -> HttpResponse:
    """The applicant's agreed scores and reasons; for contracts, against the successful bid(s)."""
    application = selectors.get_application(pk=application_id)
    policy.require(request.user, "assessment.feedback", application)
    branding.page_council(request, application.opportunity.council)
    decided = application.status in (ApplicationStatus.SUCCESSFUL, ApplicationStatus.UNSUCCESSFUL)
    own, winners, ranked = None, [], 0
    if decided:
        found = selectors.results_for_lot(application.opportunity, application.lot)
        own = next((r for r in found if r.application.pk == application.pk), None)
        ranked = sum(1 for r in found if r.position)
        if decisions.is_contract(opportunity=application.opportunity):
            winners = [
                r
                for r in found
                if r.application.status == ApplicationStatus.SUCCESSFUL
                and r.application.pk != application.pk
            ]
    return render(
        request,
        "assessment/feedback.html",
        {
            "application": application,
            "decided": decided,
            "own": own,
            "winners": winners,
            "ranked": ranked,
        },
    )
