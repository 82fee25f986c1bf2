"""Organisations funded by several directorates, and which directorate to propose as lead (§4.3)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet

from thrive.awards.models import Award, AwardStatus
from thrive.core.money import format_pence
from thrive.monitoring.models import LeadFunder, LeadRule, MonitoringSettings

if TYPE_CHECKING:
    from thrive.accounts.models import Council
    from thrive.organisations.models import Organisation
    from thrive.strategy.models import Directorate


def settings_for(*, council: Council) -> MonitoringSettings:
    """The council's monitoring settings; the defaults, unsaved, until it first changes them."""
    found = MonitoringSettings.objects.filter(council=council).first()
    return found if found is not None else MonitoringSettings(council=council)


def active_awards(organisation: Organisation, council: Council) -> QuerySet[Award]:
    """The organisation's active awards from the council, with their directorates."""
    return Award.objects.filter(
        organisation=organisation, council=council, status=AwardStatus.ACTIVE
    ).select_related("directorate")


def propose_lead(awards: list[Award], rule: str) -> tuple[Directorate | None, str]:
    """The directorate the rule proposes as lead funder, and why (§4.3)."""
    if not awards:
        return None, ""
    totals: dict[Directorate, list[Award]] = defaultdict(list)
    for award in awards:
        totals[award.directorate].append(award)

    def key(directorate: Directorate) -> tuple[int, int, str]:
        mine = totals[directorate]
        value = sum(a.amount_pence for a in mine)
        first = min(a.start_date for a in mine)
        if rule == LeadRule.MOST_AWARDS:
            return (len(mine), value, directorate.name)
        if rule == LeadRule.LONGEST_RELATIONSHIP:
            return (-first.toordinal(), value, directorate.name)
        return (value, len(mine), directorate.name)

    chosen = max(totals, key=key)
    mine = totals[chosen]
    reasons = {
        LeadRule.MOST_AWARDS: f"it has the most awards ({len(mine)})",
        LeadRule.LONGEST_RELATIONSHIP: (
            f"it has funded longest (since {min(a.start_date for a in mine):%-d %B %Y})"
        ),
    }
    default = f"it funds the most ({format_pence(sum(a.amount_pence for a in mine))})"
    return chosen, reasons.get(rule, default)


@dataclass
class MultiFunded:
    organisation: Organisation
    awards: list[Award]
    proposed: Directorate | None
    why: str
    lead: LeadFunder | None


def multi_funded_ids(council: Council) -> QuerySet[Award, int]:
    """The ids of organisations with active awards from more than one directorate, by name."""
    return (
        Award.objects.filter(council=council, status=AwardStatus.ACTIVE)
        .values("organisation_id")
        .annotate(n=Count("directorate_id", distinct=True))
        .filter(n__gt=1)
        .order_by("organisation__name", "organisation_id")
        .values_list("organisation_id", flat=True)
    )


def multi_funded(
    council: Council, rule: str, organisation_ids: list[int] | None = None
) -> list[MultiFunded]:
    """Organisations with active awards from more than one of the council's directorates.

    Every such organisation, or only those in ``organisation_ids`` (a page of them).
    """
    if organisation_ids is None:
        organisation_ids = list(multi_funded_ids(council))
    awards = (
        Award.objects.filter(
            council=council, status=AwardStatus.ACTIVE, organisation_id__in=organisation_ids
        )
        .select_related("organisation", "directorate")
        .order_by("organisation__name", "pk")
    )
    grouped: dict[int, list[Award]] = defaultdict(list)
    for award in awards:
        grouped[award.organisation_id].append(award)
    leads = {
        lf.organisation_id: lf
        for lf in LeadFunder.objects.filter(
            council=council, active=True, organisation_id__in=list(grouped)
        ).select_related("directorate")
    }
    found = []
    for org_awards in grouped.values():
        proposed, why = propose_lead(org_awards, rule)
        organisation = org_awards[0].organisation
        found.append(
            MultiFunded(organisation, org_awards, proposed, why, leads.get(organisation.pk))
        )
    return found
