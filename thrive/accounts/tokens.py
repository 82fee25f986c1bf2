"""Signed invitation links and hashed API tokens: no secret is ever stored in plain text."""

from __future__ import annotations

import hashlib
import secrets

from django.core import signing

INVITATION_SALT = "thrive.accounts.invitation"
TOKEN_PREFIX = "thr_"  # noqa: S105 - a public marker, not a secret


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
