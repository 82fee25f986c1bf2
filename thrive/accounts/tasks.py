"""Emails about accounts, sent by the task worker."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_encode
from django_tasks import task

from thrive.accounts.models import Invitation, User
from thrive.accounts.tokens import email_verification_token, invitation_token
from thrive.core.email import send_templated_email


def _password_path(user: User) -> str:
    return reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


@task()
def send_password_reset_email(user_id: int) -> None:
    """Send a password-reset link to an active user; the link is made here, never stored."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    send_templated_email(
        to=[user.email],
        template="password_reset",
        context={"user": user, "path": _password_path(user)},
    )


@task()
def send_welcome_email(user_id: int) -> None:
    """Welcome a new staff member with a link to choose their password."""
    user = User.objects.select_related("council").filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    send_templated_email(
        to=[user.email],
        template="welcome_staff",
        context={"user": user, "path": _password_path(user)},
        council=user.council,
    )


@task()
def send_invitation_email(invitation_id: int) -> None:
    """Send an invitation to join an organisation, if it is still pending."""
    invitation = (
        Invitation.objects.pending()
        .select_related("organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return
    path = reverse("accounts:invitation", kwargs={"token": invitation_token(invitation)})
    send_templated_email(
        to=[invitation.email],
        template="invitation",
        context={"invitation": invitation, "path": path},
    )


@task()
def send_verification_email(user_id: int) -> None:
    """Send a self-registered person the link that confirms their email address."""
    user = User.objects.filter(pk=user_id, is_active=True, email_verified_at__isnull=True).first()
    if user is None:
        return
    token = urlencode({"token": email_verification_token(user)})
    path = f"{reverse('accounts:verify_email')}?{token}"
    send_templated_email(
        to=[user.email],
        template="verify_email",
        context={"user": user, "path": path, "days": settings.THRIVE_EMAIL_VERIFICATION_DAYS},
    )
