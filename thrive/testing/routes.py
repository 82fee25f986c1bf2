"""Route expectations: what each kind of user gets from every page (GET).

Each app lists its routes in ``<app>/tests/routes.py`` as ``ROUTES = {url_name: Expect(...)}``;
``thrive/core/tests/test_routes.py`` fails for any route that has no expectation or
no policy rule, so every new page declares who may see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from thrive.accounts.models import Role

ANONYMOUS = "anonymous"
PROVIDER_ADMIN = "provider_admin"
PROVIDER_MEMBER = "provider_member"
PROVIDER_OTHER = "provider_other"
STAFF_ROLES = [r.value for r in Role]
ACTORS = [ANONYMOUS, PROVIDER_ADMIN, PROVIDER_MEMBER, PROVIDER_OTHER, *STAFF_ROLES]

LOGIN = 302


@dataclass
class Expect:
    """Expected status per actor; ``default`` covers anyone not named."""

    default: int
    statuses: dict[str, int] = field(default_factory=dict)
    kwargs: Callable[[Any], dict[str, Any]] | None = None

    def status_for(self, actor: str) -> int:
        return self.statuses.get(actor, self.default)


def public(**kwargs: Any) -> Expect:
    return Expect(200, **kwargs)


def signed_in(**kwargs: Any) -> Expect:
    return Expect(200, {ANONYMOUS: LOGIN}, **kwargs)


def only(*actors: str, kwargs: Callable[[Any], dict[str, Any]] | None = None) -> Expect:
    """200 for the named actors, sign-in for anonymous, 403 for everyone else."""
    statuses = {actor: 200 for actor in actors}
    statuses.setdefault(ANONYMOUS, LOGIN)
    return Expect(403, statuses, kwargs)
