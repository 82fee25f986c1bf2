"""Pages for funding pots: budgets, contributions, commitments and merges (§2.4, §5.3)."""

from __future__ import annotations

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from thrive.core import policy
from thrive.core.form_views import handle_form, posted
from thrive.strategy import forms, selectors, services
from thrive.strategy.models import BudgetCommitment, FundingPot, PotKind
from thrive.strategy.views.common import council_of


@policy.rule("strategy.pots.view")
def pots(request: HttpRequest) -> HttpResponse:
    """Every pot the user may see in a financial year: budget, committed, remaining."""
    council = council_of(request)
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
    council = council_of(request)

    def save(form: Form) -> FundingPot:
        data = form.cleaned_data
        return services.create_pot(
            council=council,
            name=data["name"],
            kind=data["kind"],
            directorate=data["directorate"],
            financial_year=services.get_financial_year(start_year=data["financial_year"]),
            budget_pence=data["budget"] or 0,
            description=data["description"],
            actor=request.user,
        )

    return handle_form(
        request,
        forms.PotForm(posted(request), council=council),
        save=save,
        success_url=lambda pot: reverse("strategy:pot_detail", args=[pot.pk]),
        message=lambda pot: f"{pot.name} opened.",
        title="Open a funding pot",
        caption=council.name,
        back_url=reverse("strategy:pots"),
        submit_label="Open pot",
    )


def _pot_action(request: HttpRequest, pot_id: int) -> FundingPot:
    pot = selectors.get_pot(user=request.user, pot_id=pot_id)
    policy.require(request.user, "strategy.pots.manage", pot)
    return pot


def _pot_url(pot: FundingPot) -> str:
    return reverse("strategy:pot_detail", args=[pot.pk])


@policy.rule("strategy.pots.manage")
def pot_budget(request: HttpRequest, pot_id: int) -> HttpResponse:
    pot = _pot_action(request, pot_id)
    return handle_form(
        request,
        forms.BudgetForm(posted(request), initial={"budget": pot.budget_pence}),
        save=lambda form: services.set_pot_budget(
            pot=pot,
            budget_pence=form.cleaned_data["budget"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        ),
        success_url=_pot_url(pot),
        message="Budget changed.",
        title="Change the budget",
        caption=str(pot),
        back_url=_pot_url(pot),
        submit_label="Change budget",
    )


@policy.rule("strategy.pots.manage")
def pot_contribution(request: HttpRequest, pot_id: int) -> HttpResponse:
    pot = _pot_action(request, pot_id)
    return handle_form(
        request,
        forms.ContributionForm(posted(request), council=pot.council),
        save=lambda form: services.add_contribution(
            pot=pot,
            amount_pence=form.cleaned_data["amount"],
            directorate=form.cleaned_data["directorate"],
            partner_name=form.cleaned_data["partner_name"],
            actor=request.user,
        ),
        success_url=_pot_url(pot),
        message="Contribution added.",
        title="Add a contribution",
        caption=str(pot),
        back_url=_pot_url(pot),
        submit_label="Add contribution",
    )


@policy.rule("strategy.pots.manage")
def pot_commit(request: HttpRequest, pot_id: int) -> HttpResponse:
    pot = _pot_action(request, pot_id)
    return handle_form(
        request,
        forms.CommitForm(posted(request)),
        save=lambda form: services.commit_budget(
            pot=pot,
            amount_pence=form.cleaned_data["amount"],
            description=form.cleaned_data["description"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        ),
        success_url=_pot_url(pot),
        message="Money committed.",
        title="Commit money from this pot",
        caption=str(pot),
        remaining_pence=pot.remaining_pence,
        back_url=_pot_url(pot),
        submit_label="Commit money",
    )


@policy.rule("strategy.pots.manage")
def commitment_release(request: HttpRequest, commitment_id: int) -> HttpResponse:
    commitment = get_object_or_404(BudgetCommitment.objects.select_related("pot"), pk=commitment_id)
    pot = _pot_action(request, commitment.pot_id)
    return handle_form(
        request,
        forms.ReleaseForm(posted(request)),
        save=lambda form: services.release_commitment(
            commitment=commitment, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        success_url=_pot_url(pot),
        message="Money released back to the pot.",
        title=f"Release {commitment.description}",
        caption=str(pot),
        back_url=_pot_url(pot),
        submit_label="Release money",
    )


@policy.rule("strategy.pots.manage")
def pot_merge(request: HttpRequest) -> HttpResponse:
    """Merge former pots of one year into a single pot (§2.4)."""
    council = council_of(request)
    policy.require(request.user, "strategy.pots.manage", council)
    candidates = selectors.pots_for_user(user=request.user, council=council).filter(
        merged_into__isnull=True
    )
    return handle_form(
        request,
        forms.MergeForm(posted(request), council=council, pots=candidates),
        save=lambda form: services.merge_pots(
            pots=list(form.cleaned_data["pots"]),
            name=form.cleaned_data["name"],
            directorate=form.cleaned_data["directorate"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        ),
        success_url=_pot_url,
        message=lambda merged: f"{merged.name} formed.",
        title="Merge pots",
        caption=council.name,
        back_url=reverse("strategy:pots"),
        submit_label="Merge pots",
    )
