"""Local Government Transparency Code 2015 publications, as CSV (§1.5).

Three datasets, each with the Code's fields first:

- ``tenders``: every invitation to tender or quote worth more than £5,000;
- ``contracts``: every contract or funding agreement worth more than £5,000 (the
  Code's "contract or other legally enforceable agreement");
- ``grants``: grants (small grants and funding agreements) to voluntary, community and
  social enterprise organisations, any amount.

Money is in pounds with two decimals and no symbol, dates are YYYY-MM-DD. Nothing about
bids is published here. VAT is not recorded by the service, so the irrecoverable VAT
column is left empty rather than guessed.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone

from thrive.accounts.models import Council
from thrive.awards.models import Award, AwardKind
from thrive.opendata import csvtext
from thrive.opendata.publishing import award_reference
from thrive.opportunities.models import Opportunity, OpportunityKind, OpportunityStatus
from thrive.organisations.models import Identifier, SizeBand, TestOutcome

THRESHOLD_PENCE = 500_000  # "over £5,000"
SME_BANDS = {SizeBand.MICRO, SizeBand.SMALL, SizeBand.MEDIUM}
NOT_SME_BANDS = {SizeBand.LARGE, SizeBand.MAJOR}
CHUNK = 2000

TENDER_COLUMNS = [
    "Reference",
    "Title",
    "Description",
    "Start date",
    "End date",
    "Review date",
    "Department",
    "Kind",
    "Value (£)",
    "Published",
    "Closing date",
]
CONTRACT_COLUMNS = [
    "Reference",
    "Title",
    "Department",
    "Description",
    "Supplier name",
    "Supplier registration number",
    "Total value (£)",
    "Irrecoverable VAT (£)",
    "Start date",
    "End date",
    "Review date",
    "Procurement route",
    "SME",
    "VCSE",
    "Kind",
]
GRANT_COLUMNS = [
    "Date",
    "Period start",
    "Period end",
    "Department",
    "Beneficiary",
    "Beneficiary registration number",
    "Purpose",
    "Amount (£)",
    "Reference",
]


def _pounds(pence: int) -> str:
    return f"{pence / 100:.2f}" if pence % 100 else f"{pence // 100}.00"


def _day(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "astimezone"):
        return timezone.localtime(value).date().isoformat()
    return value.isoformat()


def _registration_numbers(organisation_ids: QuerySet) -> dict[int, str]:
    """Each organisation's registration numbers (charity, company…), as org-ids."""
    numbers: dict[int, list[str]] = {}
    for org, org_id in (
        Identifier.objects.filter(organisation_id__in=organisation_ids)
        .order_by("org_id")
        .values_list("organisation_id", "org_id")
    ):
        numbers.setdefault(org, []).append(org_id)
    return {org: "; ".join(ids) for org, ids in numbers.items()}


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


def tenders(council: Council) -> QuerySet[Opportunity]:
    """Published invitations to quote or tender worth more than £5,000."""
    return (
        Opportunity.objects.filter(
            council=council,
            kind__in=[OpportunityKind.RFQ, OpportunityKind.TENDER],
            value_pence__gt=THRESHOLD_PENCE,
            published_at__isnull=False,
        )
        .exclude(status=OpportunityStatus.DRAFT)
        .select_related("directorate", "intention")
        .order_by("published_at", "pk")
    )


def tender_rows(council: Council) -> Iterator[list[Any]]:
    for opportunity in tenders(council).iterator(chunk_size=CHUNK):
        intention = opportunity.intention
        yield [
            opportunity.reference,
            opportunity.title,
            opportunity.summary,
            _day(intention.service_start if intention else None),
            _day(intention.service_end if intention else None),
            _day(opportunity.decision_expected),
            opportunity.directorate.name,
            opportunity.get_kind_display(),
            _pounds(opportunity.value_pence),
            _day(opportunity.published_at),
            _day(opportunity.closes_at),
        ]


def contracts(council: Council) -> QuerySet[Award]:
    """Contracts and funding agreements in force or past, worth more than £5,000."""
    return (
        Award.objects.funded()
        .filter(
            council=council,
            kind__in=[AwardKind.CONTRACT, AwardKind.FUNDING_AGREEMENT],
            amount_pence__gt=THRESHOLD_PENCE,
        )
        .order_by("start_date", "pk")
    )


def _route(opportunity_kind: str | None) -> str:
    if opportunity_kind is None:
        return "Direct award"
    if opportunity_kind == OpportunityKind.RFQ:
        return "Quotation"
    if opportunity_kind == OpportunityKind.GRANT_ROUND:
        return "Published grant round"
    return "Published tender"


def _is_sme(band: str) -> bool | None:
    if band in SME_BANDS:
        return True
    return False if band in NOT_SME_BANDS else None


def _is_vcse(outcome: str) -> bool:
    """Every organisation in the register is Third Sector unless it failed the §1.4 test."""
    return outcome != TestOutcome.DOES_NOT_MEET


def contract_rows(council: Council) -> Iterator[list[Any]]:
    """Each contract's row, read as columns (no model instance a row)."""
    awards = contracts(council)
    numbers = _registration_numbers(awards.values("organisation_id"))
    labels = dict(AwardKind.choices)
    columns = awards.values_list(
        "pk",
        "reference",
        "title",
        "directorate__name",
        "description",
        "organisation_id",
        "organisation__name",
        "amount_pence",
        "start_date",
        "ended_on",
        "end_date",
        "notice_period_days",
        "opportunity__kind",
        "organisation__size_band",
        "organisation__third_sector_outcome",
        "kind",
    )
    for (
        pk,
        reference,
        title,
        department,
        description,
        organisation_id,
        name,
        pence,
        start,
        ended_on,
        end,
        notice_days,
        opportunity_kind,
        size_band,
        outcome,
        kind,
    ) in columns.iterator(chunk_size=CHUNK):
        yield [
            award_reference(pk, reference or ""),
            title,
            department,
            description or title,
            name,
            numbers.get(organisation_id, ""),
            _pounds(pence),
            "",
            _day(start),
            _day(ended_on or end),
            _day(end - timedelta(days=notice_days)),
            _route(opportunity_kind),
            _yes_no(_is_sme(size_band)),
            _yes_no(_is_vcse(outcome)),
            labels[kind],
        ]


def grants(council: Council) -> QuerySet[Award]:
    """Grants to voluntary, community and social enterprise organisations."""
    return (
        Award.objects.funded()
        .filter(council=council, kind__in=[AwardKind.SMALL_GRANT, AwardKind.FUNDING_AGREEMENT])
        .exclude(organisation__third_sector_outcome=TestOutcome.DOES_NOT_MEET)
        .order_by("created_at", "pk")
    )


def grant_rows(council: Council) -> Iterator[list[Any]]:
    """Each grant's row, read as columns (no model instance a row)."""
    awards = grants(council)
    numbers = _registration_numbers(awards.values("organisation_id"))
    zone = timezone.get_current_timezone()
    columns = awards.values_list(
        "accepted_at",
        "created_at",
        "start_date",
        "end_date",
        "directorate__name",
        "organisation_id",
        "organisation__name",
        "title",
        "amount_pence",
        "pk",
        "reference",
    )
    for (
        accepted,
        created,
        start,
        end,
        department,
        organisation_id,
        name,
        title,
        pence,
        pk,
        reference,
    ) in columns.iterator(chunk_size=CHUNK):
        yield [
            (accepted or created).astimezone(zone).date().isoformat(),
            _day(start),
            _day(end),
            department,
            name,
            numbers.get(organisation_id, ""),
            title,
            _pounds(pence),
            award_reference(pk, reference or ""),
        ]


DATASETS: dict[str, tuple[str, list[str], Callable[[Council], Iterator[list[Any]]]]] = {
    "tenders": ("Invitations to tender or quote over £5,000", TENDER_COLUMNS, tender_rows),
    "contracts": ("Contracts and agreements over £5,000", CONTRACT_COLUMNS, contract_rows),
    "grants": (
        "Grants to voluntary, community and social enterprise organisations",
        GRANT_COLUMNS,
        grant_rows,
    ),
}


def filename(council: Council, dataset: str) -> str:
    return f"{council.slug}-transparency-{dataset}.csv"


def iter_csv(council: Council, dataset: str) -> Iterator[str]:
    """One dataset as CSV text, a few hundred rows at a time, text cells formula-safe."""
    _, columns, rows = DATASETS[dataset]
    return csvtext.iter_csv(headers=columns, rows=rows(council))


def write_zip(council: Council, out: IO[bytes]) -> None:
    """All three datasets, one CSV each, in a zip file."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for dataset in DATASETS:
            with archive.open(filename(council, dataset), "w") as member:
                for chunk in iter_csv(council, dataset):
                    member.write(chunk.encode("utf-8"))
