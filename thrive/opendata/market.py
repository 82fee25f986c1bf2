"""Market analysis for an intention, from the register (§2.6).

Who offers services towards the intention's outcomes in its areas, split into those the
council funds, those funded by others (another council here, or found in other funders'
open data) and those unfunded, with size bands; and, for providers the council funds, its
funding as a share of their income, warning where withdrawal could threaten the service.

"Funded by others" does not rest on declared services alone: an organisation another
funder's grant (360Giving) or another buyer's contract (OCDS) reached in the intention's
areas counts too, found by the beneficiary location's GSS code (``thrive.opendata.areas``).
Those grants are also counted by the intention's beneficiary groups and outcomes where a
published classification names one (its code or its title is the group's or outcome's), and
by each classification's title otherwise: the service keeps no mapping from other funders'
classification vocabularies to the outcomes framework.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from thrive.awards.models import Award, AwardStatus
from thrive.commissioning.models import Intention
from thrive.commissioning.selectors import matching_organisation_ids, settings_for
from thrive.opendata import areas as open_areas
from thrive.opendata.models import ExternalContract, ExternalGrant, ExternalGrantClassification
from thrive.organisations.models import Organisation, SizeBand

LIST_LIMIT = 200
# What the analysis and the view's permission check read of the intention.
INTENTION_RELATED = ("outcomes", "partner_directorates", "groups", "areas")
# What the page shows of each organisation (the rest of its record is not read).
SHOWN = ("id", "name", "size_band", "latest_income_pence")
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
class GrantCount:
    """Organisations and grants (or contracts) counted under one heading."""

    label: str
    organisations: int
    grants: int
    maps_to: str = ""


@dataclass
class OthersInAreas:
    """Other funders' grants and other buyers' contracts reaching the intention's areas."""

    codes: list[str]
    areas_without_code: list[str]
    grants: int = 0
    contracts: int = 0
    organisations: int = 0
    by_group: list[GrantCount] = field(default_factory=list)
    by_outcome: list[GrantCount] = field(default_factory=list)
    by_classification: list[GrantCount] = field(default_factory=list)

    @property
    def mapped(self) -> bool:
        """Whether any classification published names one of the groups or outcomes."""
        return any(c.maps_to for c in self.by_classification)


@dataclass
class MarketAnalysis:
    total: int
    counts: dict[str, int]
    size_bands: list[tuple[str, dict[str, int]]]
    organisations: dict[str, list[Organisation]]
    dependencies: list[Dependency] = field(default_factory=list)
    threshold_percent: int = 0
    labels: dict[str, str] = field(default_factory=lambda: dict(CATEGORY_LABELS))
    others_in_areas: OthersInAreas | None = None

    @property
    def contestable(self) -> bool:
        return self.total >= 3


def intention_codes(*, intention: Intention) -> tuple[list[str], list[str]]:
    """The GSS codes of the intention's areas (every area of the council when it has none
    or covers the whole county), and the names of the areas without a code."""
    chosen = open_areas.council_areas(intention.council_id, intention.areas.all())
    return open_areas.gss_codes(chosen), open_areas.without_code(chosen)


def _organisation(row: tuple, db: str) -> Organisation:
    """An organisation record with the columns the page shows, from a row of them (the
    others are read if asked for, as with ``only()``)."""
    names = [f.attname for f in Organisation._meta.concrete_fields if f.attname in SHOWN]
    return Organisation.from_db(db, names, [row[SHOWN.index(name)] for name in names])


def funded_in_areas(*, codes: list[str]) -> tuple[QuerySet, QuerySet]:
    """Other funders' grants and other buyers' contracts reaching the areas' codes."""
    return open_areas.grants_in(codes), open_areas.contracts_in(codes)


def _annual(amount_pence: int, start_date: date, end_date: date) -> int:
    """An award's money a year: all of it within a year, else spread over its days."""
    days = max((end_date - start_date).days + 1, 1)
    return amount_pence if days <= 366 else amount_pence * 365 // days


def analyse(*, intention: Intention, today: date | None = None) -> MarketAnalysis:
    """Split the matching providers by who funds them, with sizes and dependency warnings."""
    today = today or timezone.localdate()
    active = Award.objects.filter(
        status=AwardStatus.ACTIVE, end_date__gte=today, organisation=OuterRef("pk")
    )
    codes, missing = intention_codes(intention=intention)
    grants, contracts = funded_in_areas(codes=codes)
    # One list of ids (a union the planner sizes well) rather than three alternatives
    # (``OR``) it cannot, which made it read every organisation by name.
    in_areas = matching_organisation_ids(intention=intention).union(
        grants.filter(recipient__isnull=False).order_by().values("recipient_id"),
        contracts.filter(recipient__isnull=False).order_by().values("recipient_id"),
    )
    rows = (
        Organisation.objects.active()
        .filter(pk__in=in_areas)
        .annotate(
            council_funded=Exists(active.filter(council_id=intention.council_id)),
            other_council_funded=Exists(active.exclude(council_id=intention.council_id)),
            open_data_funded=Exists(ExternalGrant.objects.filter(recipient=OuterRef("pk"))),
            open_data_contracted=Exists(ExternalContract.objects.filter(recipient=OuterRef("pk"))),
        )
        .order_by("name")
        .values_list(*SHOWN, "council_funded", "other_council_funded", "open_data_funded",
                     "open_data_contracted")
    )  # fmt: skip
    # Every match is counted; only those listed or weighed for dependence are made records.
    grouped: dict[str, list[tuple]] = {FUNDED_BY_COUNCIL: [], FUNDED_BY_OTHERS: [], UNFUNDED: []}
    for row in rows:
        council_funded, *others = row[len(SHOWN) :]
        key = FUNDED_BY_COUNCIL if council_funded else FUNDED_BY_OTHERS if any(others) else UNFUNDED
        grouped[key].append(row)
    size_band = SHOWN.index("size_band")
    bands = []
    for band, label in SizeBand.choices:
        counts = {
            key: sum(1 for row in found if (row[size_band] or SizeBand.UNKNOWN) == band)
            for key, found in grouped.items()
        }
        if any(counts.values()):
            bands.append((label, counts))
    funded = [_organisation(row, rows.db) for row in grouped[FUNDED_BY_COUNCIL]]
    listed = {
        key: funded[:LIST_LIMIT]
        if key == FUNDED_BY_COUNCIL
        else [_organisation(row, rows.db) for row in found[:LIST_LIMIT]]
        for key, found in grouped.items()
    }
    threshold = settings_for(council=intention.council).withdrawal_share_percent
    return MarketAnalysis(
        total=sum(len(found) for found in grouped.values()),
        counts={key: len(found) for key, found in grouped.items()},
        size_bands=bands,
        organisations=listed,
        dependencies=_dependencies(intention, funded, threshold, today),
        threshold_percent=threshold,
        others_in_areas=_others_in_areas(intention, codes, missing, grants, contracts),
    )


def _others_in_areas(
    intention: Intention,
    codes: list[str],
    missing: list[str],
    grants: QuerySet[ExternalGrant],
    contracts: QuerySet[ExternalContract],
) -> OthersInAreas:
    result = OthersInAreas(codes=codes, areas_without_code=missing)
    if not codes:
        return result
    # recipients by published identifier: held ones count as well as those in the register
    found = grants.order_by().aggregate(
        grants=Count("pk"), recipients=Count("recipient_org_id", distinct=True)
    )
    result.grants = found["grants"]
    result.contracts = contracts.count()
    result.organisations = (
        found["recipients"]
        + contracts.values("supplier_org_id", "supplier_name").order_by().distinct().count()
    )
    classifications = ExternalGrantClassification.objects.filter(grant__in=grants)
    headings = [(g.name, g.code, g.name) for g in intention.groups.all()]
    groups = len(headings)
    headings += [(o.label, o.code, o.title) for o in intention.outcomes.all()]
    names: dict[str, str] = {}
    for label, code, title in headings:
        names.setdefault(code.lower(), label)
        names.setdefault(title.lower(), label)
    counted = _counts(
        classifications,
        [(label, Q(code__iexact=code) | Q(title__iexact=title)) for label, code, title in headings],
    )
    result.by_group, result.by_outcome = counted[:groups], counted[groups:]
    rows = (
        classifications.values("code", "title")
        .annotate(
            grants=Count("grant", distinct=True),
            organisations=Count("grant__recipient_org_id", distinct=True),
        )
        .order_by("-grants", "title", "code")[:LIST_LIMIT]
    )
    result.by_classification = [
        GrantCount(
            label=row["title"] or row["code"] or "Not named",
            organisations=row["organisations"],
            grants=row["grants"],
            maps_to=names.get(row["code"].lower()) or names.get(row["title"].lower(), ""),
        )
        for row in rows
    ]
    return result


def _counts(classifications: QuerySet, named: list[tuple[str, Q]]) -> list[GrantCount]:
    """Organisations and grants with a classification naming each heading, in one query."""
    if not named:
        return []
    aggregates: dict[str, Count] = {}
    for index, (_, matches) in enumerate(named):
        aggregates[f"g{index}"] = Count("grant", distinct=True, filter=matches)
        aggregates[f"o{index}"] = Count("grant__recipient_org_id", distinct=True, filter=matches)
    found = classifications.aggregate(**aggregates)
    return [
        GrantCount(label=label, organisations=found[f"o{i}"], grants=found[f"g{i}"])
        for i, (label, _) in enumerate(named)
    ]


def _dependencies(
    intention: Intention, funded: list[Organisation], threshold: int, today: date
) -> list[Dependency]:
    awards = Award.objects.filter(
        council_id=intention.council_id,
        status=AwardStatus.ACTIVE,
        end_date__gte=today,
        organisation__in=[org.pk for org in funded],
    ).values_list("organisation_id", "amount_pence", "start_date", "end_date")
    annual: Counter[int] = Counter()
    for organisation_id, amount_pence, start_date, end_date in awards:
        annual[organisation_id] += _annual(amount_pence, start_date, end_date)
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
