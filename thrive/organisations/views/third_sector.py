"""An officer reviews an organisation's Third Sector test answers (§1.4)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from thrive.core import policy
from thrive.core.form_views import form_page, handle_form, posted
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
    form = ThirdSectorReviewForm(posted(request))
    page = {
        "template": "organisations/third_sector_review.html",
        "organisation": organisation,
        "answered": answered,
    }
    if not answered:
        return form_page(request, form, **page)
    return handle_form(
        request,
        form,
        save=lambda form: review_third_sector_test(
            organisation=organisation,
            actor=request.user,
            review=form.cleaned_data["review"],
            reason=form.cleaned_data["reason"],
        ),
        success_url=reverse("organisations:detail", args=[organisation.pk]),
        message=lambda reviewed: (
            f"Review recorded: {reviewed.get_third_sector_review_display().lower()}."
        ),
        **page,
    )
