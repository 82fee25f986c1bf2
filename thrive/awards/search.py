"""The awards register's search: a title word, a reference, a provider's name or org-id."""

from __future__ import annotations

import operator
from functools import reduce

from django.db.models import Q, QuerySet

from thrive.awards.models import Award
from thrive.organisations.models import Identifier, Organisation

# A search whose every way of matching finds at most this many awards sorts its matches.
FEW = 5_000


def search(awards: QuerySet[Award], text: str) -> tuple[QuerySet[Award], bool]:
    """Awards whose title has ``text``, whose reference is it, or whose provider's name has it
    or whose org-id is it, and whether they are few.

    The providers are found first, so that each way of matching reads an index of its own
    and no join multiplies the rows. Each way is then counted, up to ``FEW``, through its
    index. When every way finds few, the register sorts the matches (``register``): left to
    itself, the planner takes matches to be spread evenly through the register and may walk
    it newest first looking for them, past every newer award when a provider's thousands are
    all old. How many it expects turns on its statistics' sample, so the same search took
    35 ms or 380 ms. Matches that many are soon met in the register's order.
    """
    by_name = Organisation.objects.filter(name__icontains=text).order_by().values("pk")
    by_org_id = Identifier.objects.filter(org_id__iexact=text).order_by().values("organisation_id")
    provider_ids = [row["pk"] for row in by_name.union(by_org_id)]
    matches = [Q(reference__iexact=text), Q(title__icontains=text)]
    if provider_ids:
        matches.insert(1, Q(organisation_id__any_of=provider_ids))
    few = all(awards.filter(match).order_by()[: FEW + 1].count() <= FEW for match in matches)
    return awards.filter(reduce(operator.or_, matches)), few
