"""Organisation pages: members and invitations."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from thrive.accounts import services as account_services
from thrive.accounts.forms import InviteColleagueForm
from thrive.core import policy
from thrive.core.forms import add_service_errors
from thrive.organisations import selectors
from thrive.organisations.models import Organisation


@policy.rule("organisation.members.view")
def members(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """The organisation's members and pending invitations."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    policy.require(request.user, "organisation.members.view", organisation)
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": organisation,
            **selectors.members_and_invitations(organisation=organisation),
            "may_invite": policy.can(request.user, "organisation.members.invite", organisation),
        },
    )


@policy.rule("organisation.members.invite")
def invite(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """An organisation admin invites a colleague by email."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    policy.require(request.user, "organisation.members.invite", organisation)
    form = InviteColleagueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.invite_colleague(
                organisation=organisation,
                email=form.cleaned_data["email"],
                as_admin=form.cleaned_data["as_admin"],
                invited_by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect("organisations:members", organisation_id=organisation.pk)
    return render(
        request, "organisations/invite.html", {"organisation": organisation, "form": form}
    )
