"""Signed invitation links and hashed API tokens: no secret is ever stored in plain text."""

from __future__ import annotations

import hashlib
import secrets

from django.core import signing

INVITATION_SALT = "thrive.accounts.invitation"
TOKEN_PREFIX = "thr_"  # noqa: S105 - a public marker, not a secret  # nosec B105


def invitation_token(invitation: object) -> str:
    return signing.dumps({"i": invitation.pk}, salt=INVITATION_SALT)  # type: ignore[attr-defined]


def invitation_id_from_token(token: str) -> int | None:
    """Return the invitation id a link names, or None for a forged or mangled link."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature:
        return None
    return data.get("i") if isinstance(data, dict) else None


def new_api_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_api_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


EMAIL_VERIFICATION_SALT = "thrive.accounts.email_verification"


def email_verification_token(user: object) -> str:
    """A signed, timestamped link token naming the account and the address it was sent to."""
    payload = {"u": user.pk, "e": user.email.lower()}  # type: ignore[attr-defined]
    return signing.dumps(payload, salt=EMAIL_VERIFICATION_SALT)


def read_email_verification_token(token: str, *, max_age_seconds: int) -> dict[str, object]:
    """The account id and address a link names; raises ``SignatureExpired``/``BadSignature``."""
    data = signing.loads(token, salt=EMAIL_VERIFICATION_SALT, max_age=max_age_seconds)
    if not isinstance(data, dict) or "u" not in data or "e" not in data:
        raise signing.BadSignature("Malformed verification token")
    return data
