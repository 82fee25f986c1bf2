"""The award letter, and the provider's own awards: seeing them and accepting or declining
an offer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from thrive.awards import forms, selectors, services
from thrive.awards.models import Award, AwardStatus
from thrive.awards.views.common import award_for, detail_url
from thrive.core import policy
from thrive.core.pdf import render_pdf


def _letter_context(award: Award) -> dict[str, Any]:
    return {
        "award": award,
        "org_ids": selectors.org_ids(award),
        "totals": selectors.schedule_totals(award),
    }


@policy.rule("awards.view")
def letter(request: HttpRequest, reference: str) -> HttpResponse:
    award = award_for(request, reference, "awards.view")
    back = (
        reverse("awards:yours_detail", kwargs={"reference": award.reference})
        if policy.membership_of(request.user, award.organisation)
        else detail_url(award)
    )
    return render(request, "awards/letter.html", {**_letter_context(award), "back_url": back})


@policy.rule("awards.view")
def letter_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    award = award_for(request, reference, "awards.view")
    pdf = render_pdf("awards/letter_pdf.html", _letter_context(award), council=award.council)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{award.reference}.pdf"'
    return response


@policy.rule("awards.mine")
def yours(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.provider_awards(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "awards/yours.html", {"page": page})


@policy.rule("awards.provider_view")
def yours_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """The provider's award; while it is offered, accept it (typing a name) or decline it."""
    award = award_for(request, reference, "awards.provider_view")
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
