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


def _funding_awards(user: User) -> QuerySet[Award]:
    """The awards that make an organisation "funded" to the user: its own council's (any
    council's, for an administrator)."""
    awards = Award.objects.funded()
    if not policy.is_system_admin(user) and getattr(user, "council_id", None):
        awards = awards.filter(council_id=user.council_id)
    return awards


def with_funded(organisations: QuerySet[Organisation], *, user: User) -> QuerySet[Organisation]:
    """Annotate ``funded``: funded by the user's own council (by any, for an administrator)."""
    awards = _funding_awards(user).filter(organisation=OuterRef("pk"))
    return organisations.annotate(funded=Exists(awards))


def funded_among(listed: QuerySet[Any], *, user: User) -> QuerySet[Any]:
    """The ids of the listed organisations ``with_funded`` says are funded, in one query."""
    awards = _funding_awards(user).filter(organisation_id__in=listed).order_by()
    return awards.values_list("organisation_id", flat=True).distinct()


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
        extensions.RegisterPart(
            column="funded", annotate=with_funded, narrow=funded_filter, marked=funded_among
        ),
        key="awards.funded",
        order=10,
    )
    extensions.profile_parts.add(funding_part, key="awards.funding", order=10)
    extensions.comparison_parts.add(funding_part, key="awards.funding", order=10)
