"""An organisation admin manages its people: withdraws invitations, removes members and
changes who is an admin."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from thrive.accounts.models import Invitation, Membership
from thrive.core import policy
from thrive.core.form_views import handle_form, posted
from thrive.organisations import selectors, services
from thrive.organisations.forms import MemberRoleForm
from thrive.organisations.views.common import load_organisation

MANAGE = "organisation.members.manage"


def _membership(request: HttpRequest, organisation_id: int, membership_id: int) -> Membership:
    organisation = load_organisation(request, organisation_id, MANAGE)
    return get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        pk=membership_id,
        organisation=organisation,
    )


def _back(organisation_id: int) -> HttpResponse:
    return redirect("organisations:members", organisation_id)


@policy.rule(MANAGE)
def remove_member(request: HttpRequest, organisation_id: int, membership_id: int) -> HttpResponse:
    """Confirm, then take a person out of the organisation (never its only admin)."""
    membership = _membership(request, organisation_id, membership_id)
    if request.method == "POST":
        try:
            services.remove_member(membership=membership, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return _back(organisation_id)
        messages.success(
            request, f"{membership.user} is no longer a member of {membership.organisation.name}."
        )
        if membership.user_id == request.user.pk:
            return redirect("core:home")
        return _back(organisation_id)
    return render(
        request,
        "organisations/member_remove.html",
        {
            "organisation": membership.organisation,
            "membership": membership,
            "only_admin": _only_admin(membership),
        },
    )


@policy.rule(MANAGE)
def member_role(request: HttpRequest, organisation_id: int, membership_id: int) -> HttpResponse:
    """Make a member an organisation admin, or an admin a member."""
    membership = _membership(request, organisation_id, membership_id)
    initial = {"role": "admin" if membership.is_admin else "member"}

    def said(_: object) -> str:
        role = "an organisation admin" if membership.is_admin else "a member"
        return f"{membership.user} is now {role}."

    return handle_form(
        request,
        MemberRoleForm(posted(request), initial=initial),
        save=lambda form: services.set_member_role(
            membership=membership,
            is_admin=form.cleaned_data["role"] == "admin",
            actor=request.user,
        ),
        success_url=reverse("organisations:members", args=[organisation_id]),
        message=said,
        template="organisations/member_role.html",
        organisation=membership.organisation,
        membership=membership,
    )


@policy.rule(MANAGE)
def withdraw_invitation(
    request: HttpRequest, organisation_id: int, invitation_id: int
) -> HttpResponse:
    """Confirm, then withdraw an invitation nobody has answered yet."""
    organisation = load_organisation(request, organisation_id, MANAGE)
    invitation = get_object_or_404(
        Invitation.objects.pending(), pk=invitation_id, organisation=organisation
    )
    if request.method == "POST":
        services.withdraw_invitation(invitation=invitation, actor=request.user)
        messages.success(request, f"The invitation to {invitation.email} is withdrawn.")
        return _back(organisation_id)
    return render(
        request,
        "organisations/invitation_withdraw.html",
        {"organisation": organisation, "invitation": invitation},
    )


def _only_admin(membership: Membership) -> bool:
    """Whether this is the organisation's only active admin, who cannot be removed."""
    return membership.is_admin and not selectors.other_active_admins(membership=membership).exists()
