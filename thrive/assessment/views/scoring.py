"""Assessment pages for scores: blind scoring, moderation and the ranked results."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from thrive.assessment import forms, selectors
from thrive.assessment.scoring import TIE_RULE, mean_score
from thrive.assessment.selectors import risk
from thrive.assessment.services import scores
from thrive.assessment.views.common import conflict_page, opportunity_for
from thrive.core import policy
from thrive.core.exports import EXPORT_FORMATS, export_response
from thrive.core.form_views import handle_form, posted
from thrive.core.forms import add_service_errors


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
        return conflict_page(request, application)
    criteria = selectors.criteria_for(application)
    own = selectors.own_scores(application, request.user)
    form = forms.ScoresForm(posted(request), criteria=criteria, initial=forms.initial_from(own))
    return handle_form(
        request,
        form,
        save=lambda f: scores.record_scores(
            member=member, application=application, given=f.given()
        ),
        success_url=reverse("assessment:panel", args=[opportunity.pk]),
        message=f"Your scores for {application} are saved.",
        template="assessment/score.html",
        application=application,
        price_criteria=[c for c in criteria if c.is_price],
        closed=member.panel.moderation_open,
        track_record=risk.track_record(organisation=application.organisation),
        other_funding=risk.other_funding(organisation=application.organisation),
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
        return conflict_page(request, application)
    found = selectors.panel_of(opportunity)
    if found is None or not found.moderation_open:
        return render(request, "assessment/moderation_closed.html", {"application": application})
    criteria = selectors.criteria_for(application)
    data = posted(request)
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
            "track_record": risk.track_record(organisation=application.organisation),
            "other_funding": risk.other_funding(organisation=application.organisation),
        },
    )


@policy.rule("assessment.results.view")
def results(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Agreed scores, weighted totals and the ranking per lot, with the tie rule stated."""
    opportunity = opportunity_for(request, opportunity_id, "assessment.results.view")
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
    opportunity = opportunity_for(request, opportunity_id, "assessment.results.view")
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
