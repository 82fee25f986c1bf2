"""Sign in and out, password reset, your account, API tokens and invitations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from thrive.accounts import lockout, selectors, services
from thrive.accounts.forms import (
    ApiTokenForm,
    CreateAccountForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    SignInForm,
    TodoEmailsForm,
)
from thrive.accounts.models import ApiToken, Invitation
from thrive.accounts.services import email_verification, notifications
from thrive.accounts.tokens import invitation_id_from_token
from thrive.core import policy
from thrive.core.form_views import handle_form, posted
from thrive.core.forms import add_service_errors

login = policy.rule(policy.PUBLIC)(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html",
        authentication_form=SignInForm,
        redirect_authenticated_user=True,
    )
)
logout = policy.rule(policy.PUBLIC)(auth_views.LogoutView.as_view())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from the emailed link; it ends any sign-in lockout of the account.

    The link proves the person holds the account's email address, which is what the lockout
    page tells them to use. It does not sign them in: they still sign in (and enter a code).
    """

    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: NewPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        lockout.clear_lockout(user=form.user, request=self.request)
        return response


password_reset_confirm = policy.rule(policy.PUBLIC)(PasswordResetConfirmView.as_view())


@policy.rule(policy.PUBLIC)
def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a reset link; the answer is the same whether or not the address is known."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_password_reset(email=form.cleaned_data["email"])
        return redirect("accounts:password_reset_done")
    return render(request, "accounts/password_reset.html", {"form": form})


@policy.rule(policy.PUBLIC)
def password_reset_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_done.html")


@policy.rule(policy.PUBLIC)
def password_reset_complete(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_complete.html")


@policy.rule("account.view")
def account(request: HttpRequest) -> HttpResponse:
    """Who you are, and how you hear of new items on your to-do list (which you may change)."""
    return handle_form(
        request,
        TodoEmailsForm(posted(request), initial={"todo_emails": request.user.todo_emails}),
        save=lambda form: notifications.set_todo_emails(
            user=request.user, choice=form.cleaned_data["todo_emails"]
        ),
        success_url=reverse("accounts:account"),
        message="Your choice of emails about your to-do list is saved.",
        template="accounts/account.html",
        **selectors.account_summary(user=request.user),
    )


@policy.rule("token.manage")
def tokens(request: HttpRequest) -> HttpResponse:
    """List the user's API tokens and create a new one, showing its secret once."""
    form = ApiTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _, secret = services.create_api_token(user=request.user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "secret": secret, "tokens": selectors.tokens_for_user(user=request.user)},
    )


@require_POST
@policy.rule("token.manage")
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    policy.require(request.user, "token.manage", token)
    services.revoke_api_token(token=token, actor=request.user)
    messages.success(
        request, f"Token '{token.name}' revoked. Programs using it can no longer sign in."
    )
    return redirect("accounts:tokens")


def _invitation_from(token: str) -> Invitation:
    invitation_id = invitation_id_from_token(token)
    invitation = (
        Invitation.objects.select_related("organisation").filter(pk=invitation_id).first()
        if invitation_id
        else None
    )
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


@policy.rule("invitation.accept")
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: signed in as the invited person, or by creating an account."""
    invite = _invitation_from(token)
    user = request.user if request.user.is_authenticated else None
    form = CreateAccountForm(request.POST or None, email=invite.email) if user is None else None
    error = ""
    if request.method == "POST" and (form is None or form.is_valid()):
        new_account = (
            services.NewAccount(
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password"],
            )
            if form is not None
            else None
        )
        try:
            membership = services.accept_invitation(
                invitation=invite, user=user, new_account=new_account
            )
        except ValidationError as exc:
            if form is None:
                error = " ".join(exc.messages)
            else:
                add_service_errors(form, exc)
        else:
            if user is None:
                auth_login(
                    request,
                    membership.user,
                    backend="thrive.accounts.backends.EmailOrUsernameBackend",
                )
            messages.success(request, f"You are now a member of {invite.organisation.name}.")
            return redirect("core:home")
    return render(
        request,
        "accounts/invitation.html",
        {"invitation": invite, "form": form, "error": error, "page_has_errors": bool(error)},
    )


@policy.rule(policy.PUBLIC)
def verify_email(request: HttpRequest) -> HttpResponse:
    """The link emailed to a self-registered person: it confirms their address."""
    try:
        user = email_verification.verify_email(token=request.GET.get("token", "")[:500])
    except ValidationError as exc:
        return render(
            request,
            "accounts/verify_email_failed.html",
            {"error": " ".join(exc.messages)},
            status=400,
        )
    return render(request, "accounts/verify_email_done.html", {"verified_user": user})


@require_POST
@policy.rule("account.view")
def resend_verification(request: HttpRequest) -> HttpResponse:
    """Send the confirmation link again."""
    try:
        email_verification.resend_verification(user=request.user)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
    else:
        messages.success(request, f"We have sent a new link to {request.user.email}.")
    wanted = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        wanted = resolve_url("core:home")
    return redirect(wanted)
