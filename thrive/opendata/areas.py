"""Which imported grants and contracts reached a council's areas, by their GSS codes.

A 360Giving grant names its beneficiary locations (``ExternalGrantLocation.geo_code``,
ONS GSS codes such as ``E07000301``); an area of the council has its own GSS code. An OCDS
contract award has no such field of its own: it counts in an area when its published
data names the area's GSS code anywhere (a delivery location's gazetteer identifier or an
address's region), found by the code's text, which no other value in a release shares.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from thrive.core.models import Area
from thrive.opendata.models import ExternalContract, ExternalGrant, ExternalGrantLocation


def council_areas(council_id: int | None, areas: Iterable[Area] = ()) -> list[Area]:
    """The areas meant: those given, or every area of the council when none is given or
    one of them covers the whole council (county-wide)."""
    chosen = list(areas)
    if not chosen or any(a.county_wide for a in chosen):
        return list(Area.objects.filter(council_id=council_id))
    return chosen


def gss_codes(areas: Iterable[Area]) -> list[str]:
    """The areas' GSS codes, upper case, leaving out areas without one."""
    return sorted({a.gss_code.strip().upper() for a in areas if a.gss_code.strip()})


def without_code(areas: Iterable[Area]) -> list[str]:
    """The names of the areas (other than county-wide ones) that have no GSS code."""
    return sorted(a.name for a in areas if not a.gss_code.strip() and not a.county_wide)


def grants_in(codes: Iterable[str]) -> QuerySet[ExternalGrant]:
    """Imported grants with a beneficiary location in one of the GSS codes."""
    codes = list(codes)
    located = ExternalGrantLocation.objects.filter(geo_code__in=codes).values("grant_id")
    return ExternalGrant.objects.filter(pk__in=located) if codes else ExternalGrant.objects.none()


def contracts_in(codes: Iterable[str]) -> QuerySet[ExternalContract]:
    """Imported contract awards whose published data names one of the GSS codes."""
    codes = list(codes)
    if not codes:
        return ExternalContract.objects.none()
    named = Q()
    for code in codes:
        named |= Q(published__contains=code)
    found: Any = ExternalContract.objects.annotate(published=Cast("data", TextField()))
    return found.filter(named)
