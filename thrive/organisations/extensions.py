"""What higher apps add to the register and to an organisation's page (see
``thrive.core.extensions``).

The register and the organisation's page show what other apps know of an organisation:
its councils' awards (awards), its applications (applications), grants to it from other
funders (opendata). Those apps sit above this one, so each adds its part here from its
``AppConfig.ready()``; the register names none of them. The filters' names and wording
(``RegisterFilters``, the filter form, the API's query) stay here, so pages and the API
keep one shape; a part reads the filters it understands and leaves the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from thrive.core.extensions import Slot

if TYPE_CHECKING:
    from thrive.accounts.models import User
    from thrive.organisations.models import Organisation


@dataclass(frozen=True)
class RegisterPart:
    """A yes-or-no column a higher app adds to every row of the register, and its filters.

    ``annotate(organisations, user=...)`` adds the column, named ``column`` (in the same
    query); ``narrow(organisations, filters=...)`` applies the part's filters to the
    annotated rows; ``marked(listed, user=...)`` is the ids, among ``listed`` (a query of
    organisation ids), of those whose column says yes, in one query. The export reads a
    column so for all its rows at once: asked of each row, SQLite without planner statistics
    read every award of the council again for each organisation, minutes for the register.
    """

    column: str
    annotate: Callable[..., QuerySet[Organisation]]
    narrow: Callable[..., QuerySet[Organisation]]
    marked: Callable[..., QuerySet[Any]]


@dataclass(frozen=True)
class Funders:
    """The other funders whose grants were imported: the register's "By funder" filter."""

    choices: Callable[[], list[tuple[str, str]]]  # each funder once: (org-id, name)
    known: Callable[..., bool]  # (*, user, funder_org_id): may the user filter by it?


# A part of the organisation's page: (*, organisation, user, context) -> more context.
# Parts run in order and may read what earlier parts added.
ProfilePart = Callable[..., dict[str, Any]]

# Given a page of the register's rows, set what the page shows beside each (one query).
PageRows = Callable[[Sequence["Organisation"]], None]

register_parts: Slot[RegisterPart] = Slot("register columns and filters")
register_page_rows: Slot[PageRows] = Slot("register page rows")
funders: Slot[Funders] = Slot("funders of imported grants")
profile_parts: Slot[ProfilePart] = Slot("organisation page parts")
# The few profile parts the duplicate review shows beside each record (same signature).
comparison_parts: Slot[ProfilePart] = Slot("duplicate review comparison parts")


def funder_choices() -> list[tuple[str, str]]:
    """Every funder the parts know of, once each, in their order."""
    return [choice for source in funders for choice in source.choices()]


def funder_known(*, user: User, funder_org_id: str) -> bool:
    """Whether any part knows the funder among the grants the user may read."""
    return any(source.known(user=user, funder_org_id=funder_org_id) for source in funders)
