"""The awards register's search: a title word, a reference, a provider's name or org-id."""

from __future__ import annotations

import operator
from functools import reduce

from django.db.models import Q, QuerySet

from thrive.awards.models import Award
from thrive.organisations.models import Identifier, Organisation

SEARCH_IDS_LIMIT = 5_000  # a search reads up to this many ids a way first (``search``)


def search(awards: QuerySet[Award], text: str) -> tuple[QuerySet[Award], bool]:
    """Awards whose title has ``text``, whose reference is it, or whose provider's name has it
    or whose org-id is it.

    Each way of matching is read through its own index, ids only, up to ``SEARCH_IDS_LIMIT``:
    given the list, the planner reads the matches by id (True is said with them). Asked for
    them all at once, it guessed from its statistics' sample, and a provider's thousands of
    old awards could be guessed common enough to walk the register newest first past every
    newer award. A way matching more than the limit leaves the search to the planner.
    """
    by_name = Organisation.objects.filter(name__icontains=text).order_by().values("pk")
    by_org_id = Identifier.objects.filter(org_id__iexact=text).order_by().values("organisation_id")
    provider_ids = [row["pk"] for row in by_name.union(by_org_id)]
    matches = [Q(title__icontains=text), Q(reference__iexact=text)]
    if provider_ids:
        matches.append(Q(organisation_id__in=provider_ids))
    ids: set[int] = set()
    for match in matches:
        found = awards.filter(match).order_by().values_list("pk", flat=True)
        found = list(found[: SEARCH_IDS_LIMIT + 1])
        if len(found) > SEARCH_IDS_LIMIT:
            return awards.filter(reduce(operator.or_, matches)), False
        ids.update(found)
    return awards.filter(pk__in=sorted(ids)), True
