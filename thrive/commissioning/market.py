"""Market analysis for an intention, from the register (§2.6).

Who offers services towards the intention's outcomes in its areas, split into those the
council funds, those funded by others (another council here, or found in other funders'
open data) and those unfunded, with size bands; and, for providers the council funds, its
funding as a share of their income, warning where withdrawal could threaten the service.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from thrive.awards.models import Award, AwardStatus
from thrive.commissioning.models import Intention
from thrive.commissioning.services.needs import settings_for
from thrive.opendata.models import ExternalGrant
from thrive.organisations.models import Organisation, SizeBand

LIST_LIMIT = 200
FUNDED_BY_COUNCIL = "council"
FUNDED_BY_OTHERS = "others"
UNFUNDED = "unfunded"
CATEGORY_LABELS = {
    FUNDED_BY_COUNCIL: "Funded by the council",
    FUNDED_BY_OTHERS: "Funded by others",
    UNFUNDED: "Not funded",
}


@dataclass
class Dependency:
    organisation: Organisation
    annual_funding_pence: int
    income_pence: int | None
    share_percent: int | None
    at_risk: bool


@dataclass
class MarketAnalysis:
    total: int
    counts: dict[str, int]
    size_bands: list[tuple[str, dict[str, int]]]
    organisations: dict[str, list[Organisation]]
    dependencies: list[Dependency] = field(default_factory=list)
    threshold_percent: int = 0
    labels: dict[str, str] = field(default_factory=lambda: dict(CATEGORY_LABELS))

    @property
    def contestable(self) -> bool:
        return self.total >= 3


def matching_organisations(*, intention: Intention) -> Any:
    """Active organisations with a service towards the intention's outcomes, in its areas."""
    outcome_ids = [o.pk for o in intention.outcomes.all()]
    found = Organisation.objects.active().filter(services__outcomes__in=outcome_ids)
    areas = [a for a in intention.areas.all()]
    if areas and not any(a.county_wide for a in areas):
        found = found.filter(Q(areas__in=areas) | Q(areas__county_wide=True))
    return found.distinct()


def _annual(award: Award) -> int:
    days = max((award.end_date - award.start_date).days + 1, 1)
    return award.amount_pence if days <= 366 else award.amount_pence * 365 // days


def analyse(*, intention: Intention, today: date | None = None) -> MarketAnalysis:
    """Split the matching providers by who funds them, with sizes and dependency warnings."""
    today = today or timezone.localdate()
    active = Award.objects.filter(
        status=AwardStatus.ACTIVE, end_date__gte=today, organisation=OuterRef("pk")
    )
    organisations = list(
        matching_organisations(intention=intention)
        .annotate(
            council_funded=Exists(active.filter(council_id=intention.council_id)),
            other_council_funded=Exists(active.exclude(council_id=intention.council_id)),
            open_data_funded=Exists(ExternalGrant.objects.filter(recipient=OuterRef("pk"))),
        )
        .order_by("name")
    )
    grouped: dict[str, list[Organisation]] = {
        FUNDED_BY_COUNCIL: [],
        FUNDED_BY_OTHERS: [],
        UNFUNDED: [],
    }
    for org in organisations:
        if org.council_funded:
            grouped[FUNDED_BY_COUNCIL].append(org)
        elif org.other_council_funded or org.open_data_funded:
            grouped[FUNDED_BY_OTHERS].append(org)
        else:
            grouped[UNFUNDED].append(org)
    bands = []
    for band, label in SizeBand.choices:
        counts = {
            key: sum(1 for o in orgs if (o.size_band or SizeBand.UNKNOWN) == band)
            for key, orgs in grouped.items()
        }
        if any(counts.values()):
            bands.append((label, counts))
    threshold = settings_for(intention.council).withdrawal_share_percent
    return MarketAnalysis(
        total=len(organisations),
        counts={key: len(orgs) for key, orgs in grouped.items()},
        size_bands=bands,
        organisations={key: orgs[:LIST_LIMIT] for key, orgs in grouped.items()},
        dependencies=_dependencies(intention, grouped[FUNDED_BY_COUNCIL], threshold, today),
        threshold_percent=threshold,
    )


def _dependencies(
    intention: Intention, funded: list[Organisation], threshold: int, today: date
) -> list[Dependency]:
    awards = Award.objects.filter(
        council_id=intention.council_id,
        status=AwardStatus.ACTIVE,
        end_date__gte=today,
        organisation__in=funded,
    )
    annual: Counter[int] = Counter()
    for award in awards:
        annual[award.organisation_id] += _annual(award)
    result = []
    for org in funded:
        income = org.latest_income_pence
        share = round(annual[org.pk] * 100 / income) if income else None
        result.append(
            Dependency(
                organisation=org,
                annual_funding_pence=annual[org.pk],
                income_pence=income,
                share_percent=share,
                at_risk=share is None or share >= threshold,
            )
        )
    return sorted(result, key=lambda d: (-(d.share_percent or 101), d.organisation.name))
