"""Assessment pages: panels, declarations, blind scoring, moderation, results, decisions,
feedback and settings. Views ask the policy, bind a form, call one service and redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from thrive.accounts.models import Council, Role, User
from thrive.applications.models import ApplicationStatus
from thrive.assessment import forms, selectors
from thrive.assessment.models import DecisionStatus, PanelMember
from thrive.assessment.scoring import TIE_RULE, mean_score
from thrive.assessment.services import decisions, panels, scores
from thrive.assessment.services import settings as settings_services
from thrive.core import branding, policy
from thrive.core.exports import EXPORT_FORMATS, export_response
from thrive.core.forms import add_service_errors
from thrive.organisations.models import Organisation
from thrive.strategy import selectors as strategy_selectors


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _opportunity(request: HttpRequest, opportunity_id: int, action: str) -> Any:
    opportunity = selectors.get_opportunity(pk=opportunity_id)
    policy.require(request.user, action, opportunity)
    return opportunity


def _form_page(request: HttpRequest, form: Any, **context: Any) -> HttpResponse:
    return render(request, "core/form.html", {"form": form, **context})


@policy.rule("assessment.home")
def home(request: HttpRequest) -> HttpResponse:
    """My panels (with what to do next) and, for officers, the council's panels."""
    return render(
        request,
        "assessment/home.html",
        {
            "assignments": selectors.assignments_for(request.user),
            "panels": selectors.panels_for_staff(request.user)[:50]
            if request.user.has_role(*Role) or policy.is_system_admin(request.user)
            else [],
            "may_configure": policy.can(request.user, "assessment.settings.manage"),
        },
    )


@policy.rule("assessment.panel.view")
def panel(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """The panel: members and declarations, applications, moderation and decisions."""
    opportunity = _opportunity(request, opportunity_id, "assessment.panel.view")
    user = request.user
    found = selectors.panel_of(opportunity)
    member = selectors.membership(user, opportunity)
    declaration = selectors.latest_declaration(member)
    applications = (
        list(selectors.panel_applications(opportunity)) if declaration or not member else []
    )
    members = (
        list(found.members.select_related("user").prefetch_related("declarations")) if found else []
    )
    # Panel applications share one opportunity, status and seal: the rule for one is for all.
    may_moderate = bool(applications) and policy.can(user, "assessment.moderate", applications[0])
    return render(
        request,
        "assessment/panel.html",
        {
            "opportunity": opportunity,
            "panel": found,
            "members": members,
            "member": member,
            "declaration": declaration,
            "applications": applications,
            "conflicted_ids": {
                a.pk
                for a in applications
                if selectors.is_conflicted(declaration, a.organisation_id)
            },
            "may_manage": policy.can(user, "assessment.panel.manage", opportunity),
            "may_see_results": policy.can(user, "assessment.results.view", opportunity),
            "may_moderate": may_moderate,
            "scored_ids": selectors.scored_application_ids(user, opportunity) if member else set(),
            "decisions": opportunity.decisions.select_related("lot"),
        },
    )


@policy.rule("assessment.panel.manage")
def add_member(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _opportunity(request, opportunity_id, "assessment.panel.manage")
    users = (
        User.objects.filter(
            council_id=opportunity.council_id,
            is_active=True,
            role_assignments__role__in=panels.PANEL_ROLES,
        )
        .exclude(panel_memberships__panel__opportunity=opportunity)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    form = forms.MemberForm(_posted(request), users=users)
    if request.method == "POST" and form.is_valid():
        try:
            panels.assign_assessor(
                opportunity=opportunity, user=form.cleaned_data["user"], actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Assessor added to the panel.")
            return redirect("assessment:panel", opportunity_id=opportunity.pk)
    return _form_page(
        request,
        form,
        title="Add an assessor to the panel",
        caption=opportunity.reference,
        back_url=reverse("assessment:panel", args=[opportunity.pk]),
        submit_label="Add to the panel",
    )


@policy.rule("assessment.panel.manage")
def remove_member(request: HttpRequest, opportunity_id: int, member_id: int) -> HttpResponse:
    """Take an assessor who has not yet declared or scored off the panel, with a reason."""
    opportunity = _opportunity(request, opportunity_id, "assessment.panel.manage")
    member = get_object_or_404(
        PanelMember.objects.select_related("user"), pk=member_id, panel__opportunity=opportunity
    )
    form = forms.RemoveMemberForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            panels.remove_member(
                member=member, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{member.user} was taken off the panel.")
            return redirect("assessment:panel", opportunity_id=opportunity.pk)
    return _form_page(
        request,
        form,
        title=f"Take {member.user} off the panel",
        caption=opportunity.reference,
        back_url=reverse("assessment:panel", args=[opportunity.pk]),
        submit_label="Take off the panel",
    )


@policy.rule("assessment.declare")
def declare(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Declare conflicts of interest, naming the organisations, before seeing applications."""
    opportunity = _opportunity(request, opportunity_id, "assessment.declare")
    member = selectors.membership(request.user, opportunity)
    applicants = Organisation.objects.filter(
        pk__in=selectors.panel_applications(opportunity).values("organisation_id")
    ).order_by("name")
    form = forms.DeclarationForm(_posted(request), organisations=applicants)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            panels.declare_conflict(
                member=member,
                has_conflict=data["has_conflict"],
                organisations=data["organisations"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Declaration recorded.")
            return redirect("assessment:panel", opportunity_id=opportunity.pk)
    return render(
        request,
        "assessment/declare.html",
        {"opportunity": opportunity, "form": form, "applicants": applicants},
    )


def _conflict_page(request: HttpRequest, application: Any) -> HttpResponse:
    return render(request, "assessment/conflict.html", {"application": application}, status=403)


@policy.rule("assessment.score")
def score(request: HttpRequest, application_id: int) -> HttpResponse:
    """Score one application blind: the assessor sees only their own scores."""
    application = selectors.get_application(pk=application_id)
    policy.require(request.user, "assessment.score", application)
    opportunity = application.opportunity
    member = selectors.membership(request.user, opportunity)
    declaration = selectors.latest_declaration(member)
    if declaration is None:
        messages.info(request, "Declare any conflicts of interest before you see applications.")
        return redirect("assessment:declare", opportunity_id=opportunity.pk)
    if selectors.is_conflicted(declaration, application.organisation_id):
        return _conflict_page(request, application)
    criteria = selectors.criteria_for(application)
    own = selectors.own_scores(application, request.user)
    data = _posted(request)
    form = forms.ScoresForm(data, criteria=criteria, initial=forms.initial_from(own))
    if data is not None and form.is_valid():
        try:
            scores.record_scores(member=member, application=application, given=form.given())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Your scores for {application} are saved.")
            return redirect("assessment:panel", opportunity_id=opportunity.pk)
    return render(
        request,
        "assessment/score.html",
        {
            "application": application,
            "form": form,
            "price_criteria": [c for c in criteria if c.is_price],
            "closed": member.panel.moderation_open,
            "track_record": selectors.track_record(application.organisation),
            "other_funding": selectors.other_funding(application.organisation),
        },
    )


@policy.rule("assessment.panel.manage")
def open_moderation(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _opportunity(request, opportunity_id, "assessment.panel.manage")
    errors: list[str] = []
    found = selectors.panel_of(opportunity)
    if request.method == "POST":
        try:
            if found is None:
                raise ValidationError("The opportunity has no panel yet")
            scores.open_moderation(panel=found, actor=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, "Moderation is open: the panel can now see every score.")
            return redirect("assessment:panel", opportunity_id=opportunity.pk)
    return render(
        request,
        "assessment/open_moderation.html",
        {
            "opportunity": opportunity,
            "panel": found,
            "errors": errors,
            "waiting": [
                p
                for p in (selectors.panel_progress(found) if found else [])
                if not p.declared or p.unscored
            ],
        },
    )


@policy.rule("assessment.moderate")
def moderate(request: HttpRequest, application_id: int) -> HttpResponse:
    """Agree a score per criterion; assessors' scores and their mean are shown beside it."""
    application = selectors.get_application(pk=application_id)
    policy.require(request.user, "assessment.moderate", application)
    opportunity = application.opportunity
    member = selectors.membership(request.user, opportunity)
    if member and selectors.is_conflicted(
        selectors.latest_declaration(member), application.organisation_id
    ):
        return _conflict_page(request, application)
    found = selectors.panel_of(opportunity)
    if found is None or not found.moderation_open:
        return render(request, "assessment/moderation_closed.html", {"application": application})
    criteria = selectors.criteria_for(application)
    data = _posted(request)
    form = forms.ScoresForm(
        data,
        criteria=criteria,
        comment_label="Reason for the agreed score",
        initial=forms.initial_from(selectors.moderated(application)),
    )
    if data is not None and form.is_valid():
        try:
            scores.moderate(application=application, actor=request.user, agreed=form.given())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Agreed scores for {application} are saved.")
            return redirect("assessment:results", opportunity_id=opportunity.pk)
    by_criterion = selectors.scores_by_criterion(application)
    return render(
        request,
        "assessment/moderate.html",
        {
            "application": application,
            "form": form,
            "rows": [
                (
                    score_field,
                    comment_field,
                    c,
                    by_criterion.get(c.pk, []),
                    mean_score([s.score for s in by_criterion.get(c.pk, [])]),
                )
                for score_field, comment_field, c in form.pairs()
            ],
            "track_record": selectors.track_record(application.organisation),
            "other_funding": selectors.other_funding(application.organisation),
        },
    )


@policy.rule("assessment.results.view")
def results(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Agreed scores, weighted totals and the ranking per lot, with the tie rule stated."""
    opportunity = _opportunity(request, opportunity_id, "assessment.results.view")
    by_lot = selectors.results_by_lot(opportunity)
    first = next((r.application for _, found in by_lot for r in found), None)
    return render(
        request,
        "assessment/results.html",
        {
            "opportunity": opportunity,
            "by_lot": by_lot,
            "may_moderate": first is not None
            and policy.can(request.user, "assessment.moderate", first),
            "tie_rule": TIE_RULE,
            "formats": EXPORT_FORMATS,
            "may_recommend": policy.can(request.user, "assessment.panel.manage", opportunity),
        },
    )


@policy.rule("assessment.results.view")
def results_export(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _opportunity(request, opportunity_id, "assessment.results.view")
    fmt = request.GET.get("format", "csv")
    fmt = fmt if fmt in EXPORT_FORMATS else "csv"
    rows = [
        [
            lot.number if lot else "",
            r.position or "",
            r.application.reference,
            r.application.organisation.name,
            r.application.amount_requested_pence,
            str(r.total),
            str(r.quality),
            "yes" if r.passed_gates else "no",
            "yes" if r.complete else "no",
        ]
        for lot, found in selectors.results_by_lot(opportunity)
        for r in found
    ]
    return export_response(
        headers=[
            "Lot",
            "Rank",
            "Application",
            "Organisation",
            "Bid (pence)",
            "Weighted total",
            "Quality total",
            "Passed gates",
            "Moderated",
        ],
        rows=rows,
        fmt=fmt,
        filename=f"assessment-{opportunity.reference}",
        title="Assessment results",
    )


@policy.rule("assessment.panel.manage")
def recommend(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Recommend the ranked winner(s) of a lot with the pot and dates, for approval."""
    opportunity = _opportunity(request, opportunity_id, "assessment.panel.manage")
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
    form = forms.RecommendForm(
        _posted(request), applications=candidates, pots=pots, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = decisions.recommend(
                opportunity=opportunity,
                lot=lot,
                applications=list(data["applications"]),
                pot=data["pot"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                reason=data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Recommendation sent for approval.")
            return redirect("assessment:decision", decision_id=decision.pk)
    return render(
        request,
        "assessment/recommend.html",
        {
            "opportunity": opportunity,
            "lot": lot,
            "lots": lots.values(),
            "ranked": ranked,
            "form": form,
        },
    )


@policy.rule("assessment.decision.view")
def decision(request: HttpRequest, decision_id: int) -> HttpResponse:
    """The recommendation, its approval (within delegated limits) and the awards it makes."""
    found = selectors.get_decision(pk=decision_id)
    policy.require(request.user, "assessment.decision.view", found)
    form = forms.ApproveForm(_posted(request))
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
            "is_contract": decisions.is_contract(found.opportunity),
            "may_award": policy.can(request.user, "assessment.panel.manage", found.opportunity),
            "years": decisions.planned_years(found),
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


def _award_url(award: Any) -> str:
    from django.urls import NoReverseMatch

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
        if decisions.is_contract(application.opportunity):
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


def _settings_council(request: HttpRequest) -> Council:
    if request.user.council_id:
        return request.user.council
    slug = request.GET.get("council", "")
    council = Council.objects.filter(slug=slug).first() or Council.objects.first()
    if council is None:
        raise PermissionDenied("No council")
    return council


@policy.rule("assessment.settings.manage")
def assessment_settings(request: HttpRequest) -> HttpResponse:
    """Council administrators set the standstill period and each role's delegated limit."""
    council = _settings_council(request)
    policy.require(request.user, "assessment.settings.manage", council)
    limits = selectors.limits_for_council(council)
    initial = {"standstill_days": selectors.standstill_days(council)}
    initial.update({f"limit_{role}": limits.get(role, 0) for role in forms.LIMIT_ROLES})
    form = forms.SettingsForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            settings_services.save_settings(
                council=council,
                standstill_days=form.cleaned_data["standstill_days"],
                limits=form.limits(),
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Assessment settings saved.")
            return redirect("assessment:settings")
    return _form_page(
        request,
        form,
        title="Standstill and delegated limits",
        caption=council.name,
        intro="An officer may approve a recommendation only up to their delegated limit, and "
        "never their own. Contracts wait for the standstill period after approval before "
        "the award is made.",
        submit_label="Save settings",
    )
