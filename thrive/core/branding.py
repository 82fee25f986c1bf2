"""Whose name a page, email or PDF carries: its record's council, or the installation's.

A page about one council's record (an opportunity, application, award, return, notice,
intention, consultation) carries that council's name and contact details in its title,
header and footer: its view calls :func:`page_council` with the record's council. Staff
pages carry the staff member's council. Pages that belong to no one council (home, the
register, accounts, statements, errors) carry the installation's name
(``THRIVE_INSTALLATION_NAME``). Emails and PDFs take the council the same way through
:func:`branding`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from thrive.core.extensions import Slot

_ATTRIBUTE = "thrive_page_council"
_INSTALLATION = object()


def installation_name() -> str:
    """The name of this installation, for pages and messages of no one council."""
    return settings.THRIVE_INSTALLATION_NAME


def page_council(request: HttpRequest, council: Any) -> None:
    """Say that the page being answered is about a record of ``council``."""
    setattr(request, _ATTRIBUTE, council)


council_sources: Slot[Callable[[], list[str]]] = Slot("council names")
"""Where the installation's council names come from (the app that keeps councils adds it)."""


def council_names() -> list[str]:
    """The names of the councils on this installation, for the installation's statements."""
    return [name for source in council_sources for name in source()]


def installation_page(request: HttpRequest) -> None:
    """Say that the page is the installation's (a statement), whoever reads it."""
    setattr(request, _ATTRIBUTE, _INSTALLATION)


def council_of_page(request: HttpRequest) -> Any:
    """The council the page speaks for: its record's, else the signed-in staff member's."""
    council = getattr(request, _ATTRIBUTE, None)
    if council is _INSTALLATION:
        return None
    if council is not None:
        return council
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return getattr(user, "council", None)
    return None


def branding(council: Any) -> dict[str, Any]:
    """The template names for whose page or message this is: ``council_name`` and
    ``page_council`` (the council, with its contact details and logo, or ``None``)."""
    return {
        "page_council": council,
        "council_name": council.name if council is not None else installation_name(),
        "installation_name": installation_name(),
    }
