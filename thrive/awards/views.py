"""Pages for awards: the register, an award's terms and workflow, the letter, the
provider's awards, payments and variations. Business rules live in ``services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from thrive.awards import forms, selectors, services
from thrive.awards.models import Award, AwardStatus, Instalment, Variation, VariationStatus
from thrive.core import branding, policy
from thrive.core.exports import EXPORT_FORMATS, export_response
from thrive.core.forms import add_service_errors
from thrive.core.pdf import render_pdf
from thrive.strategy.models import Directorate, FinancialYear, FundingPot, Outcome
from thrive.strategy.selectors import pots_to_commit


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _award(request: HttpRequest, reference: str, action: str) -> Award:
    award = selectors.award_for_page(reference)
    policy.require(request.user, action, award)
    branding.page_council(request, award.council)
    return award


def _detail_url(award: Award) -> str:
    return reverse("awards:detail", kwargs={"reference": award.reference})


def _form_page(request: HttpRequest, form: Any, award: Award, **context: Any) -> HttpResponse:
    return render(
        request,
        "awards/form.html",
        {"form": form, "award": award, "back_url": _detail_url(award), **context},
    )


# --- the register --------------------------------------------------------------------


def _register_filters(request: HttpRequest) -> tuple[forms.RegisterFilterForm, Any]:
    council_id = request.user.council_id
    directorates = list(
        Directorate.objects.filter(council_id=council_id).order_by("name")
        if council_id
        else Directorate.objects.order_by("council__name", "name")
    )
    calendar_years = set(
        Award.objects.filter(council_id=council_id)
        .annotate(y=ExtractYear("start_date"))
        .values_list("y", flat=True)
        .distinct()
    )
    years = sorted(
        {y - 1 for y in calendar_years}
        | calendar_years
        | {FinancialYear.start_year_for(timezone.localdate())},
        reverse=True,
    )
    form = forms.RegisterFilterForm(request.GET or None, directorates=directorates, years=years)
    filters = selectors.RegisterFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.RegisterFilters(
            q=data.get("q") or "",
            kind=data.get("kind") or "",
            directorate=data.get("directorate"),
            status=data.get("status") or "",
            year=data.get("year"),
        )
    return form, selectors.register(user=request.user, filters=filters)


@policy.rule("awards.register")
def register(request: HttpRequest) -> HttpResponse:
    """The register of agreements, contracts and small grants, searchable and exportable."""
    form, awards = _register_filters(request)
    page = Paginator(awards, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "awards/register.html",
        {
            "form": form,
            "page": page,
            "rows": [(a, selectors.route_label(a), selectors.org_ids(a)) for a in page],
            "export_formats": EXPORT_FORMATS,
            "query": query.urlencode(),
        },
    )


@policy.rule("awards.register")
def export(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        raise Http404("Unknown format")
    _, awards = _register_filters(request)
    return export_response(
        headers=selectors.REGISTER_HEADERS,
        rows=selectors.register_rows(awards),
        fmt=fmt,
        filename="awards-register",
        title="Awards",
    )


# --- an award, for staff ---------------------------------------------------------------


@policy.rule("awards.staff_view")
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    award = _award(request, reference, "awards.staff_view")
    user = request.user
    return render(
        request,
        "awards/detail.html",
        {
            "award": award,
            "route": selectors.route_label(award),
            "org_ids": selectors.org_ids(award),
            "totals": selectors.schedule_totals(award),
            "history": selectors.history(award),
            "problems": services.offer_problems(award) if award.status == AwardStatus.DRAFT else [],
            "may_edit": award.status == AwardStatus.DRAFT
            and policy.can(user, "awards.edit", award),
            "may_pay": policy.can(user, "awards.pay", award),
            "may_vary": award.status == AwardStatus.ACTIVE
            and policy.can(user, "awards.vary", award),
            "may_decide": policy.can(user, "awards.vary.decide", award),
            "may_audit": policy.can(user, "audit.view"),
            "deciders": "finance officer or council administrator",
        },
    )


def _pots_and_outcomes(award: Award, user: Any) -> tuple[list[Any], list[Any]]:
    """The pots this officer may commit the award from (open, this year or later), with the
    award's own pot kept when already chosen; and the council's outcomes."""
    pots = list(pots_to_commit(user=user, council=award.council))
    if award.pot_id and award.pot_id not in {pot.pk for pot in pots}:
        pots.insert(0, FundingPot.objects.select_related("financial_year").get(pk=award.pot_id))
    outcomes = list(Outcome.objects.active().for_council(award.council_id).order_by("order"))
    return pots, outcomes


@policy.rule("awards.edit")
def edit(request: HttpRequest, reference: str) -> HttpResponse:
    """The terms of a draft award."""
    award = _award(request, reference, "awards.edit")
    if award.status != AwardStatus.DRAFT:
        messages.error(request, "The terms can only be changed while the award is a draft")
        return redirect(_detail_url(award))
    pots, outcomes = _pots_and_outcomes(award, request.user)
    initial = {
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
    form = forms.TermsForm(_posted(request), initial=initial, pots=pots, outcomes=outcomes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pot = next((p for p in pots if p.pk == data["pot"]), None)
        try:
            services.update_terms(
                award=award,
                actor=request.user,
                outcomes=[o for o in outcomes if o.pk in set(data["outcomes"])],
                title=data["title"],
                description=data["description"],
                amount_pence=data["amount"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                payment_timing=data["payment_timing"],
                pot=pot,
                conditions=data["conditions"],
                short_term_reason=data["short_term_reason"],
                notice_period_days=data["notice_period_days"],
            )
        except ValidationError as error:
            add_service_errors(form, _rename(error, {"amount_pence": "amount"}))
        else:
            messages.success(request, "The terms have been saved")
            return redirect(_detail_url(award))
    return _form_page(request, form, award, title="Terms of the award", submit_label="Save terms")


def _rename(error: ValidationError, names: dict[str, str]) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({names.get(k, k): v for k, v in error.error_dict.items()})


def _formset_page(
    request: HttpRequest,
    award: Award,
    formset: Any,
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
            "back_url": _detail_url(award),
        },
    )


def _draft_for_edit(request: HttpRequest, reference: str) -> Award | HttpResponse:
    award = _award(request, reference, "awards.edit")
    if award.status != AwardStatus.DRAFT:
        messages.error(request, "The terms can only be changed while the award is a draft")
        return redirect(_detail_url(award))
    return award


@policy.rule("awards.edit")
def targets(request: HttpRequest, reference: str) -> HttpResponse:
    award = _draft_for_edit(request, reference)
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
        _posted(request), initial=initial, form_kwargs={"outcomes": outcomes}, prefix="targets"
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
        return redirect(_detail_url(award))
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
    award = _draft_for_edit(request, reference)
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
    formset = forms.InstalmentFormSet(_posted(request), initial=initial, prefix="instalments")
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
            return redirect(_detail_url(award))
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
    award = _draft_for_edit(request, reference)
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
    formset = forms.SocialValueFormSet(_posted(request), initial=initial, prefix="social")
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
        return redirect(_detail_url(award))
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
    award = _award(request, reference, "awards.edit")
    problems = services.offer_problems(award)
    if request.method == "POST":
        try:
            services.issue_offer(award=award, actor=request.user)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request, f"The offer has been issued and {award.organisation.name} told"
            )
            return redirect(_detail_url(award))
    return render(
        request,
        "awards/offer.html",
        {"award": award, "problems": problems, "back_url": _detail_url(award)},
    )


# --- the letter ----------------------------------------------------------------------


def _letter_context(award: Award) -> dict[str, Any]:
    return {
        "award": award,
        "org_ids": selectors.org_ids(award),
        "totals": selectors.schedule_totals(award),
    }


@policy.rule("awards.view")
def letter(request: HttpRequest, reference: str) -> HttpResponse:
    award = _award(request, reference, "awards.view")
    back = (
        reverse("awards:yours_detail", kwargs={"reference": award.reference})
        if policy.membership_of(request.user, award.organisation)
        else _detail_url(award)
    )
    return render(request, "awards/letter.html", {**_letter_context(award), "back_url": back})


@policy.rule("awards.view")
def letter_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    award = _award(request, reference, "awards.view")
    pdf = render_pdf("awards/letter_pdf.html", _letter_context(award), council=award.council)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{award.reference}.pdf"'
    return response


# --- the provider's awards -----------------------------------------------------------


@policy.rule("awards.mine")
def yours(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.provider_awards(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "awards/yours.html", {"page": page})


@policy.rule("awards.provider_view")
def yours_detail(request: HttpRequest, reference: str) -> HttpResponse:
    award = _award(request, reference, "awards.provider_view")
    may_respond = award.status == AwardStatus.OFFERED and policy.can(
        request.user, "awards.respond", award
    )
    accept_form = forms.AcceptForm()
    decline_form = forms.DeclineForm()
    if request.method == "POST" and may_respond:
        if request.POST.get("action") == "decline":
            decline_form = forms.DeclineForm(request.POST)
            if decline_form.is_valid():
                services.decline_offer(
                    award=award, actor=request.user, reason=decline_form.cleaned_data["reason"]
                )
                messages.success(request, "You have declined the award")
                return redirect(request.path)
        else:
            accept_form = forms.AcceptForm(request.POST)
            if accept_form.is_valid():
                services.accept_offer(
                    award=award, actor=request.user, name=accept_form.cleaned_data["name"]
                )
                messages.success(request, "You have accepted the award")
                return redirect(request.path)
    return render(
        request,
        "awards/yours_detail.html",
        {
            "award": award,
            "totals": selectors.schedule_totals(award),
            "may_respond": may_respond,
            "accept_form": accept_form,
            "decline_form": decline_form,
            "form": accept_form if accept_form.errors else decline_form,
        },
    )


# --- payments and variations ----------------------------------------------------------


@policy.rule("awards.pay")
def pay(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    award = _award(request, reference, "awards.pay")
    instalment = get_object_or_404(Instalment, award=award, number=number)
    form = forms.PaymentForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_payment(
                instalment=instalment, actor=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Instalment {number} has been recorded as paid")
            return redirect(_detail_url(award))
    return _form_page(
        request,
        form,
        award,
        title=f"Record instalment {number} as paid",
        caption=award.reference,
        intro=f"{instalment.amount_pence / 100:,.2f} pounds due on "
        f"{instalment.due_date:%-d %B %Y}; now {instalment.state_label.lower()}.",
        submit_label="Record as paid",
    )


@policy.rule("awards.vary")
def vary(request: HttpRequest, reference: str) -> HttpResponse:
    award = _award(request, reference, "awards.vary")
    form = forms.VariationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_variation(
                award=award,
                actor=request.user,
                kind=data["kind"],
                reason=data["reason"],
                new_amount_pence=data["new_amount"],
                new_end_date=data["new_end_date"],
                notice_given_on=data["notice_given_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "The change has been requested; a finance officer or council administrator "
                "will decide it",
            )
            return redirect(_detail_url(award))
    return _form_page(
        request,
        form,
        award,
        title="Ask for a change to the award",
        caption=award.reference,
        intro=f"The notice period is {award.notice_period_days} days. Another officer "
        "(a finance officer or council administrator) approves the change.",
        submit_label="Ask for the change",
    )


@policy.rule("awards.vary.decide")
def decide(request: HttpRequest, reference: str, variation_id: int) -> HttpResponse:
    award = _award(request, reference, "awards.vary.decide")
    variation = get_object_or_404(
        Variation, pk=variation_id, award=award, status=VariationStatus.REQUESTED
    )
    form = forms.VariationDecisionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_variation(
                variation=variation,
                actor=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The decision has been recorded")
            return redirect(_detail_url(award))
    return render(
        request,
        "awards/decide.html",
        {"award": award, "variation": variation, "form": form, "back_url": _detail_url(award)},
    )
