"""An award for staff: its page, the terms, targets, schedule and social value of a draft,
and issuing the offer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from thrive.accounts.models import User
from thrive.awards import forms, selectors, services
from thrive.awards.models import Award, AwardStatus
from thrive.awards.views.common import award_for, caption, detail_url, draft_for_edit
from thrive.core import policy
from thrive.core.form_views import handle_form, posted
from thrive.strategy.models import FundingPot, Outcome
from thrive.strategy.selectors import pots_to_commit

# The form's fields passed to ``update_terms`` under their own names (not the amount).
TERMS = tuple(name for name in services.TERM_FIELDS if name != "amount_pence")


@policy.rule("awards.staff_view")
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    award = award_for(request, reference, "awards.staff_view")
    user = request.user
    is_draft = award.status == AwardStatus.DRAFT
    return render(
        request,
        "awards/detail.html",
        {
            "award": award,
            "route": selectors.route_label(award),
            "org_ids": selectors.org_ids(award),
            "totals": selectors.schedule_totals(award),
            "history": selectors.history(award),
            "problems": services.offer_problems(award=award) if is_draft else [],
            "may_edit": is_draft and policy.can(user, "awards.edit", award),
            "may_pay": policy.can(user, "awards.pay", award),
            "may_vary": award.status == AwardStatus.ACTIVE
            and policy.can(user, "awards.vary", award),
            "may_decide": policy.can(user, "awards.vary.decide", award),
            "may_audit": policy.can(user, "audit.view"),
            "deciders": "finance officer or council administrator",
        },
    )


def _pots_and_outcomes(award: Award, user: User) -> tuple[list[FundingPot], list[Outcome]]:
    """The pots this officer may commit the award from (open, this year or later), with the
    award's own pot kept when already chosen; and the council's outcomes."""
    pots = list(pots_to_commit(user=user, council=award.council))
    if award.pot_id and award.pot_id not in {pot.pk for pot in pots}:
        pots.insert(0, FundingPot.objects.select_related("financial_year").get(pk=award.pot_id))
    outcomes = list(Outcome.objects.active().for_council(award.council_id).order_by("order"))
    return pots, outcomes


def _terms_initial(award: Award) -> dict[str, Any]:
    return {
        "title": award.title,
        "description": award.description,
        "amount": award.amount_pence,
        "start_date": award.start_date.strftime("%d/%m/%Y"),
        "end_date": award.end_date.strftime("%d/%m/%Y"),
        "payment_timing": award.payment_timing,
        "pot": award.pot_id,
        "outcomes": [o.pk for o in award.outcomes.all()],
        "conditions": award.conditions,
        "short_term_reason": award.short_term_reason,
        "notice_period_days": award.notice_period_days,
    }


@policy.rule("awards.edit")
def edit(request: HttpRequest, reference: str) -> HttpResponse:
    """The terms of a draft award."""
    award = draft_for_edit(request, reference)
    if isinstance(award, HttpResponse):
        return award
    pots, outcomes = _pots_and_outcomes(award, request.user)

    def save(form: forms.TermsForm) -> Award:
        data = form.cleaned_data
        return services.update_terms(
            award=award,
            actor=request.user,
            outcomes=[o for o in outcomes if o.pk in set(data["outcomes"])],
            pot=next((p for p in pots if p.pk == data["pot"]), None),
            amount_pence=data["amount"],
            **{name: data[name] for name in TERMS},
        )

    form = forms.TermsForm(
        posted(request), initial=_terms_initial(award), pots=pots, outcomes=outcomes
    )
    return handle_form(
        request,
        form,
        save=save,
        success_url=detail_url(award),
        message="The terms have been saved",
        renames={"amount_pence": "amount"},
        title="Terms of the award",
        caption=caption(award),
        back_url=detail_url(award),
        submit_label="Save terms",
    )


def _formset_page(
    request: HttpRequest,
    award: Award,
    formset: BaseFormSet,
    *,
    title: str,
    columns: list[str],
    intro: str = "",
    errors: list[str] | None = None,
) -> HttpResponse:
    return render(
        request,
        "awards/formset.html",
        {
            "award": award,
            "formset": formset,
            "title": title,
            "intro": intro,
            "columns": columns,
            "errors": errors or [],
            "back_url": detail_url(award),
        },
    )


@policy.rule("awards.edit")
def targets(request: HttpRequest, reference: str) -> HttpResponse:
    award = draft_for_edit(request, reference)
    if isinstance(award, HttpResponse):
        return award
    _, outcomes = _pots_and_outcomes(award, request.user)
    initial = [
        {
            "description": t.description,
            "unit": t.unit,
            "target_value": t.target_value,
            "outcome": t.outcome_id,
        }
        for t in award.targets.all()
    ]
    formset = forms.TargetFormSet(
        posted(request), initial=initial, form_kwargs={"outcomes": outcomes}, prefix="targets"
    )
    if request.method == "POST" and formset.is_valid():
        by_id = {o.pk: o for o in outcomes}
        rows = [
            {
                "description": f["description"],
                "unit": f["unit"],
                "target_value": f["target_value"],
                "outcome": by_id.get(f["outcome"]),
            }
            for f in formset.cleaned_data
            if f.get("description")
        ]
        services.set_targets(award=award, rows=rows, actor=request.user)
        messages.success(request, "The targets have been saved")
        return redirect(detail_url(award))
    return _formset_page(
        request,
        award,
        formset,
        title="Outcomes targets",
        columns=["description", "unit", "target_value", "outcome"],
        intro="Leave a target's description empty to remove it.",
    )


@policy.rule("awards.edit")
def schedule(request: HttpRequest, reference: str) -> HttpResponse:
    award = draft_for_edit(request, reference)
    if isinstance(award, HttpResponse):
        return award
    initial = [
        {
            "due_date": i.due_date.strftime("%d/%m/%Y"),
            "amount": i.amount_pence,
            "requires_accepted_return": i.requires_accepted_return,
        }
        for i in award.instalments.all()
    ]
    formset = forms.InstalmentFormSet(posted(request), initial=initial, prefix="instalments")
    errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        rows = [
            {
                "due_date": f["due_date"],
                "amount_pence": f["amount"],
                "requires_accepted_return": f["requires_accepted_return"],
            }
            for f in formset.cleaned_data
            if f.get("due_date")
        ]
        try:
            services.set_schedule(award=award, rows=rows, actor=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, "The payment schedule has been saved")
            return redirect(detail_url(award))
    return _formset_page(
        request,
        award,
        formset,
        title="Payment schedule",
        columns=["due_date", "amount", "requires_accepted_return"],
        intro="The instalments must add up to the award's amount. Leave a row empty to remove it.",
        errors=errors,
    )


@policy.rule("awards.edit")
def social_value(request: HttpRequest, reference: str) -> HttpResponse:
    award = draft_for_edit(request, reference)
    if isinstance(award, HttpResponse):
        return award
    initial = [
        {
            "theme": s.theme,
            "description": s.description,
            "measure": s.measure,
            "target_value": s.target_value,
        }
        for s in award.social_value.all()
    ]
    formset = forms.SocialValueFormSet(posted(request), initial=initial, prefix="social")
    if request.method == "POST" and formset.is_valid():
        rows = [
            {
                "theme": f["theme"],
                "description": f["description"],
                "measure": f["measure"],
                "target_value": f["target_value"] or 0,
            }
            for f in formset.cleaned_data
            if f.get("description")
        ]
        services.set_social_value(award=award, rows=rows, actor=request.user)
        messages.success(request, "The social value commitments have been saved")
        return redirect(detail_url(award))
    return _formset_page(
        request,
        award,
        formset,
        title="Social value commitments",
        columns=["theme", "description", "measure", "target_value"],
        intro="Leave a commitment's description empty to remove it.",
    )


@policy.rule("awards.edit")
def offer(request: HttpRequest, reference: str) -> HttpResponse:
    """Check the draft and issue the offer: the award letter goes to the organisation."""
    award = award_for(request, reference, "awards.edit")
    problems = services.offer_problems(award=award)
    if request.method == "POST":
        try:
            services.issue_offer(award=award, actor=request.user)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request, f"The offer has been issued and {award.organisation.name} told"
            )
            return redirect(detail_url(award))
    return render(
        request,
        "awards/offer.html",
        {"award": award, "problems": problems, "back_url": detail_url(award)},
    )
