"""Recording an instalment as paid, and asking for and deciding a change to an award."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from thrive.awards import forms, services
from thrive.awards.models import Instalment, Variation, VariationStatus
from thrive.awards.views.common import award_for, caption, detail_url
from thrive.core import policy
from thrive.core.form_views import handle_form, posted


@policy.rule("awards.pay")
def pay(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    award = award_for(request, reference, "awards.pay")
    instalment = get_object_or_404(Instalment, award=award, number=number)
    return handle_form(
        request,
        forms.PaymentForm(posted(request)),
        save=lambda form: services.record_payment(
            instalment=instalment, actor=request.user, note=form.cleaned_data["note"]
        ),
        success_url=detail_url(award),
        message=f"Instalment {number} has been recorded as paid",
        title=f"Record instalment {number} as paid",
        caption=caption(award),
        back_url=detail_url(award),
        intro=f"{instalment.amount_pence / 100:,.2f} pounds due on "
        f"{instalment.due_date:%-d %B %Y}; now {instalment.state_label.lower()}.",
        submit_label="Record as paid",
    )


@policy.rule("awards.vary")
def vary(request: HttpRequest, reference: str) -> HttpResponse:
    award = award_for(request, reference, "awards.vary")

    def save(form: forms.VariationForm) -> Variation:
        data = form.cleaned_data
        return services.request_variation(
            award=award,
            actor=request.user,
            kind=data["kind"],
            reason=data["reason"],
            new_amount_pence=data["new_amount"],
            new_end_date=data["new_end_date"],
            notice_given_on=data["notice_given_on"],
        )

    return handle_form(
        request,
        forms.VariationForm(posted(request)),
        save=save,
        success_url=detail_url(award),
        message="The change has been requested; a finance officer or council administrator "
        "will decide it",
        title="Ask for a change to the award",
        caption=caption(award),
        back_url=detail_url(award),
        intro=f"The notice period is {award.notice_period_days} days. Another officer "
        "(a finance officer or council administrator) approves the change.",
        submit_label="Ask for the change",
    )


@policy.rule("awards.vary.decide")
def decide(request: HttpRequest, reference: str, variation_id: int) -> HttpResponse:
    award = award_for(request, reference, "awards.vary.decide")
    variation = get_object_or_404(
        Variation, pk=variation_id, award=award, status=VariationStatus.REQUESTED
    )
    return handle_form(
        request,
        forms.VariationDecisionForm(posted(request)),
        save=lambda form: services.decide_variation(
            variation=variation,
            actor=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        ),
        success_url=detail_url(award),
        message="The decision has been recorded",
        template="awards/decide.html",
        award=award,
        variation=variation,
        back_url=detail_url(award),
    )
