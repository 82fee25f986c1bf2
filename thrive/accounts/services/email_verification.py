"""Verifying a self-registered person's email address (issue 14 must-have 7).

Until they follow the emailed link, the policy refuses them every action taken for an
organisation (``thrive.core.policy.ACTS_FOR_ORGANISATION``). Staff, people who accepted an
invitation (the link proved their address) and accounts made by administrators are verified
when they are created.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from thrive.accounts import tasks
from thrive.accounts.models import User
from thrive.accounts.tokens import read_email_verification_token
from thrive.audit.services import log_action
from thrive.core.tasks import enqueue_with_transaction

EXPIRED = "This link has expired. Sign in and ask for a new one."
NOT_VALID = (
    "This link is not valid. Check it is the whole link from the email, or ask for a new one."
)


def require_verification(*, user: User) -> User:
    """Mark a newly self-registered account unverified and email it the link."""
    User.objects.filter(pk=user.pk).update(email_verified_at=None)
    user.email_verified_at = None
    enqueue_with_transaction(tasks.send_verification_email, user.pk)
    return user


def resend_verification(*, user: User) -> None:
    """Email the link again (the URL is rate limited by name: ``accounts:resend_verification``)."""
    if user.email_verified:
        raise ValidationError("Your email address is already confirmed.")
    enqueue_with_transaction(tasks.send_verification_email, user.pk)


def verify_email(*, token: str) -> User:
    """Confirm the address the link was sent to; a forged, expired or outdated link is refused."""
    max_age = settings.THRIVE_EMAIL_VERIFICATION_DAYS * 24 * 60 * 60
    try:
        data = read_email_verification_token(token, max_age_seconds=max_age)
    except signing.SignatureExpired as exc:
        raise ValidationError(EXPIRED) from exc
    except signing.BadSignature as exc:
        raise ValidationError(NOT_VALID) from exc
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=data["u"], is_active=True).first()
        if user is None or user.email.lower() != str(data["e"]):
            raise ValidationError(NOT_VALID)
        mark_verified(user=user)
    return user


def mark_verified(*, user: User) -> User:
    """Record that the person has proven they hold their email address."""
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        User.objects.filter(pk=user.pk).update(email_verified_at=user.email_verified_at)
        log_action(action="accounts.email.verified", actor=user, obj=user)
    return user
