"""Personal API tokens: made, revoked, and read from a request's bearer header."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from thrive.accounts.models import ApiToken, User
from thrive.accounts.selectors import token_holder
from thrive.accounts.tokens import TOKEN_PREFIX, hash_api_secret, new_api_secret
from thrive.audit.services import log_action


def create_api_token(*, user: User, name: str, actor: User | None = None) -> tuple[ApiToken, str]:
    """Create a personal API token; return it and the secret, which is never shown again."""
    name = (name or "").strip() or "API token"
    secret = new_api_secret()
    token = ApiToken(
        user=user, name=name[:100], prefix=secret[:12], key_hash=hash_api_secret(secret)
    )
    token.full_clean()
    token.save()
    log_action(
        action="accounts.api_token.created",
        actor=actor or user,
        obj=token,
        after={"user_id": user.pk, "name": token.name, "prefix": token.prefix},
    )
    return token, secret


def revoke_api_token(*, token: ApiToken, actor: User | None = None) -> ApiToken:
    """Revoke a token; requests bearing it are refused from now on."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_action(action="accounts.api_token.revoked", actor=actor or token.user, obj=token)
    return token


def authenticate_api_token(*, secret: str) -> User | None:
    """Return the active user a bearer token belongs to, or None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    holder = token_holder(key_hash=hash_api_secret(secret))
    if holder is None:
        return None
    now = timezone.now()
    if holder.last_used_at is None or now - holder.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=holder.token_id).update(last_used_at=now)
    return holder.user
