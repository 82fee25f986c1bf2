"""Council administrators keep their council's contact details and logo."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from thrive.accounts.council_forms import CouncilDetailsForm
from thrive.accounts.models import Council
from thrive.accounts.services import council_details
from thrive.core import policy
from thrive.core.form_views import handle_form, posted, posted_files


@policy.rule("council.details.edit")
def council_edit(request: HttpRequest) -> HttpResponse:
    """How organisations reach the council, shown on its pages, emails and letters."""
    council = request.user.council
    policy.require(request.user, "council.details.edit", council)
    initial = {
        "contact_email": council.contact_email,
        "phone": council.phone,
        "website": council.website,
        "postal_address": council.postal_address,
    }

    def save(form: CouncilDetailsForm) -> Council:
        data = form.cleaned_data
        return council_details.save_council_details(
            council=council,
            actor=request.user,
            details=council_details.ContactDetails(**{k: data[k] for k in initial}),
            logo=data["logo"],
            remove_logo=data["remove_logo"],
        )

    return handle_form(
        request,
        CouncilDetailsForm(posted(request), posted_files(request), initial=initial),
        save=save,
        success_url=reverse("accounts:council"),
        message="Council contact details saved.",
        template="accounts/council_edit.html",
        council=council,
    )
