"""An officer reviews an organisation's Third Sector test answers (§1.4)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from thrive.core import policy
from thrive.core.forms import add_service_errors
from thrive.organisations.forms.third_sector import ThirdSectorReviewForm
from thrive.organisations.models import TestOutcome
from thrive.organisations.services.third_sector import review_third_sector_test
from thrive.organisations.views.common import load_organisation

ACTION = "organisations.third_sector.review"


@policy.rule(ACTION)
def third_sector_review(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Confirm the answers and evidence, or query them with a reason the organisation sees."""
    organisation = load_organisation(request, organisation_id, ACTION)
    answered = organisation.third_sector_outcome != TestOutcome.NOT_ASSESSED
    form = ThirdSectorReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and answered and form.is_valid():
        try:
            review_third_sector_test(
                organisation=organisation,
                actor=request.user,
                review=form.cleaned_data["review"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Review recorded: {organisation.get_third_sector_review_display().lower()}.",
            )
            return redirect("organisations:detail", organisation.pk)
    return render(
        request,
        "organisations/third_sector_review.html",
        {"form": form, "organisation": organisation, "answered": answered},
    )
