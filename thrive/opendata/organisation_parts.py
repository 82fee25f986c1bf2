"""Other funders' grants on the organisation register and on an organisation's page.

Added to ``thrive.organisations.extensions`` from ``OpendataConfig.ready()``: the
register's "funded by other funders" column and filters (by funder too), what each row
of a page shows of other funding, and the organisation page's other funding.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from thrive.accounts.models import User
from thrive.opendata.models import ExternalGrant
from thrive.organisations import extensions
from thrive.organisations.models import Organisation
from thrive.organisations.selectors import RegisterFilters


def _grants_to_row() -> QuerySet[ExternalGrant]:
    return ExternalGrant.objects.filter(recipient=OuterRef("pk"))


def with_funded_by_others(
    organisations: QuerySet[Organisation], *, user: User
) -> QuerySet[Organisation]:
    """Annotate ``funded_by_others``: an imported grant from another funder went to it."""
    return organisations.annotate(funded_by_others=Exists(_grants_to_row()))


def funded_by_others_among(listed: QuerySet[Any], *, user: User) -> QuerySet[Any]:
    """The ids of the listed organisations ``with_funded_by_others`` says yes of, in one query."""
    grants = ExternalGrant.objects.filter(recipient_id__in=listed).order_by()
    return grants.values_list("recipient_id", flat=True).distinct()


def other_funders_filter(
    organisations: QuerySet[Organisation], *, filters: RegisterFilters
) -> QuerySet[Organisation]:
    """Keep the organisations the "Funded by other funders" and "By funder" filters ask for."""
    if filters.funded_by_others in ("yes", "no"):
        organisations = organisations.filter(funded_by_others=filters.funded_by_others == "yes")
    if filters.funder:
        grants = _grants_to_row().filter(funder_org_id=filters.funder)
        organisations = organisations.filter(Exists(grants))
    return organisations


def show_other_funding(organisations: Sequence[Organisation]) -> None:
    """Set ``other_funding`` on each row of a register page, in two queries in all."""
    # lazy: opendata's selectors load the publishing and export libraries: not at start-up
    from thrive.opendata.selectors import other_funding

    others = other_funding([org.pk for org in organisations])
    for org in organisations:
        org.other_funding = others.get(org.pk)


def funder_known(*, user: User, funder_org_id: str) -> bool:
    """Whether an imported grant the user may read, to an organisation, is from this funder."""
    # lazy: as in show_other_funding, not at start-up
    from thrive.opendata.selectors import external_grants_for

    grants = external_grants_for(user).filter(recipient__isnull=False)
    return grants.filter(funder_org_id=funder_org_id).exists()


def other_funding_part(*, organisation: Organisation, user: User, context: dict[str, Any]) -> dict:
    """The page's other funding, shown to whoever may see the funding summary."""
    # lazy: as in show_other_funding, not at start-up
    from thrive.opendata.selectors import other_funding_of

    funding = context.get("funding")
    shown = getattr(funding, "scope", "none") != "none"
    return {"other_funding": other_funding_of(organisation) if shown else None}


def funder_choices() -> list[tuple[str, str]]:
    """Each funder of an imported grant with a recipient on the register, once."""
    # lazy: as in show_other_funding, not at start-up
    from thrive.opendata.selectors import funders_in_imported_data

    return funders_in_imported_data()


def register_organisation_parts() -> None:
    """Add other funders' grants to the register and the organisation's page."""
    extensions.register_parts.add(
        extensions.RegisterPart(
            column="funded_by_others",
            annotate=with_funded_by_others,
            narrow=other_funders_filter,
            marked=funded_by_others_among,
        ),
        key="opendata.funded_by_others",
        order=20,
    )
    extensions.register_page_rows.add(show_other_funding, key="opendata.other_funding")
    extensions.funders.add(
        extensions.Funders(choices=funder_choices, known=funder_known),
        key="opendata.funders",
    )
    extensions.profile_parts.add(other_funding_part, key="opendata.other_funding", order=20)
