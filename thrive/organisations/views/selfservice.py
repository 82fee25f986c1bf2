"""Self-service: registering, finding and joining an organisation; members."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from thrive.accounts import services as account_services
from thrive.accounts.forms import InviteColleagueForm
from thrive.accounts.models import User
from thrive.core import policy
from thrive.core.form_views import handle_form, posted, rename_errors
from thrive.core.forms import add_service_errors
from thrive.organisations import selectors, services
from thrive.organisations.forms import JoinForm
from thrive.organisations.forms.third_sector import RegisterWithTestForm
from thrive.organisations.models import (
    JoinRequest,
    Organisation,
)
from thrive.organisations.views.common import (
    BACKEND,
    load_organisation,
    merged_redirect,
)


@policy.rule("organisations.self_service")
def register(request: HttpRequest) -> HttpResponse:
    """A person registers their organisation, answering the Third Sector test (§1.4), and
    creates their account if they have none."""
    user = request.user if request.user.is_authenticated else None
    form = RegisterWithTestForm(request.POST or None, with_account=user is None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation, user = _register_with_account(form, user)
        except ValidationError as exc:
            renames = {"identifiers": "charity_number", "value": "charity_number"}
            add_service_errors(form, rename_errors(exc, renames))
        else:
            if not request.user.is_authenticated:
                auth_login(request, user, backend=BACKEND)
            messages.success(
                request,
                f"{organisation.name} is registered. Complete the profile so councils find you.",
            )
            return redirect("organisations:detail", organisation.pk)
    return render(request, "organisations/register.html", {"form": form})


def _new_provider(form: RegisterWithTestForm | JoinForm, user: User | None) -> Any:
    """The account to create from the form's details, when the person has none."""
    if user is not None:
        return None
    data = form.cleaned_data
    return services.NewProvider(
        email=data["email"],
        first_name=data["first_name"],
        last_name=data["last_name"],
        password=data["password"],
    )


def _register_with_account(form: RegisterWithTestForm, user: User | None) -> tuple[Any, Any]:
    data = form.cleaned_data
    return services.register_own_organisation(
        user=user,
        new=_new_provider(form, user),
        fields={
            "name": data["name"],
            "legal_form": data["legal_form"],
            "postcode": data["postcode"],
            "email": data["org_email"],
        },
        org_ids=form.org_ids(),
        answers=form.answers(),
        evidence=form.evidence(),
    )


@policy.rule("organisations.self_service")
def find(request: HttpRequest) -> HttpResponse:
    """Find an organisation that is already registered, to ask to join it."""
    text = request.GET.get("q", "").strip()[:200]
    results = selectors.find_for_joining(text=text)
    return render(
        request, "organisations/find.html", {"q": text, "results": results, "searched": bool(text)}
    )


@policy.rule("organisations.self_service")
def join(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Ask to join an organisation already on the register; its admins approve."""
    organisation = selectors.get_organisation(pk=organisation_id)
    moved = merged_redirect(organisation, "organisations:join")
    if moved:
        return moved
    user = request.user if request.user.is_authenticated else None
    if user is not None and policy.membership_of(user, organisation) is not None:
        messages.success(request, f"You are already a member of {organisation.name}.")
        return redirect("organisations:detail", organisation.pk)
    form = JoinForm(request.POST or None, with_account=user is None)
    if request.method == "POST" and form.is_valid():
        try:
            user = _join_with_account(form, organisation, user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not request.user.is_authenticated:
                auth_login(request, user, backend=BACKEND)
            messages.success(
                request,
                f"We have asked the admins of {organisation.name} to approve your request.",
            )
            return redirect("core:home")
    return render(request, "organisations/join.html", {"form": form, "organisation": organisation})


def _join_with_account(form: JoinForm, organisation: Organisation, user: User | None) -> Any:
    return services.join_with_account(
        organisation=organisation,
        user=user,
        new=_new_provider(form, user),
        message=form.cleaned_data["message"],
    )


@policy.rule("organisation.members.view")
def members(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """The organisation's members, pending invitations and requests to join."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    policy.require(request.user, "organisation.members.view", organisation)
    found = selectors.members_and_invitations(organisation=organisation)
    admins = [m for m in found["memberships"] if m.is_admin and m.user.is_active]
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": organisation,
            **found,
            "only_admin_id": admins[0].pk if len(admins) == 1 else None,
            "may_invite": policy.can(request.user, "organisation.members.invite", organisation),
            "may_decide": policy.can(request.user, "organisations.join.decide", organisation),
            "may_manage": policy.can(request.user, "organisation.members.manage", organisation),
        },
    )


@require_POST
@policy.rule("organisations.join.decide")
def decide_join(request: HttpRequest, organisation_id: int, request_id: int) -> HttpResponse:
    """An organisation admin approves or declines a request to join."""
    organisation = load_organisation(request, organisation_id, "organisations.join.decide")
    join_request = get_object_or_404(JoinRequest, pk=request_id, organisation=organisation)
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide_join_request(join_request=join_request, approve=approve, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        verb = "approved" if approve else "declined"
        messages.success(request, f"Request from {join_request.user} {verb}.")
    return redirect("organisations:members", organisation.pk)


@policy.rule("organisation.members.invite")
def invite(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """An organisation admin invites a colleague by email."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    policy.require(request.user, "organisation.members.invite", organisation)
    form = InviteColleagueForm(posted(request))
    return handle_form(
        request,
        form,
        save=lambda form: account_services.invite_colleague(
            organisation=organisation,
            email=form.cleaned_data["email"],
            as_admin=form.cleaned_data["as_admin"],
            invited_by=request.user,
        ),
        success_url=reverse("organisations:members", args=[organisation.pk]),
        message=lambda _: f"Invitation sent to {form.cleaned_data['email']}.",
        template="organisations/invite.html",
        organisation=organisation,
    )
