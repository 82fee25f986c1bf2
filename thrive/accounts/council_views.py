"""Council administrators keep their council's contact details and logo."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from thrive.accounts.council_forms import CouncilDetailsForm
from thrive.accounts.services import council_details
from thrive.core import policy
from thrive.core.forms import add_service_errors


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
    form = CouncilDetailsForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            council_details.save_council_details(
                council=council,
                actor=request.user,
                details=council_details.ContactDetails(**{k: data[k] for k in initial}),
                logo=data["logo"],
                remove_logo=data["remove_logo"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Council contact details saved.")
            return redirect("accounts:council")
    return render(request, "accounts/council_edit.html", {"form": form, "council": council})
