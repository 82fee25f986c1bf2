"""The councils' awards on the organisation register and on an organisation's page.

Added to ``thrive.organisations.extensions`` from ``AwardsConfig.ready()``: the register's
"funded by your council" column and filter, and the page's funding summary.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from thrive.accounts.models import User
from thrive.awards.models import Award
from thrive.awards.selectors import funding_summary
from thrive.core import policy
from thrive.organisations import extensions
from thrive.organisations.models import Organisation
from thrive.organisations.selectors import RegisterFilters


def _funded_by(user: User) -> Exists:
    awards = Award.objects.funded().filter(organisation=OuterRef("pk"))
    if not policy.is_system_admin(user) and getattr(user, "council_id", None):
        awards = awards.filter(council_id=user.council_id)
    return Exists(awards)


def with_funded(organisations: QuerySet[Organisation], *, user: User) -> QuerySet[Organisation]:
    """Annotate ``funded``: funded by the user's own council (by any, for an administrator)."""
    return organisations.annotate(funded=_funded_by(user))


def funded_filter(
    organisations: QuerySet[Organisation], *, filters: RegisterFilters
) -> QuerySet[Organisation]:
    """Keep the organisations the "Funded by your council" filter asks for."""
    if filters.funded in ("yes", "no"):
        organisations = organisations.filter(funded=filters.funded == "yes")
    return organisations


AWARDS_SHOWN = 50  # the page lists the latest; the totals count every award


def funding_part(*, organisation: Organisation, user: User, context: dict[str, Any]) -> dict:
    """The page's funding summary, as this user may see it."""
    return {"funding": funding_summary(organisation=organisation, user=user, latest=AWARDS_SHOWN)}


def register_organisation_parts() -> None:
    """Add the awards to the register and the organisation's page."""
    extensions.register_parts.add(
        extensions.RegisterPart(annotate=with_funded, narrow=funded_filter),
        key="awards.funded",
        order=10,
    )
    extensions.profile_parts.add(funding_part, key="awards.funding", order=10)
    extensions.comparison_parts.add(funding_part, key="awards.funding", order=10)
