"""Demo open data, read through the real imports from files made here in memory.

A made-up trust's 360Giving file (grants to demo organisations and to others the import
adds to the register, one recipient held for review because its name differs from the
record holding its number, and a few grants with faults), a made-up buyer's OCDS release
package with contracts to demo organisations, and a Charity Commission register extract
in which one charity has been removed and another is registered under another name.

Every identifier is in a made-up block (``thrive.organisations.seed.MADE_UP``), so no demo
record can be taken for a real charity or company. The files depend only on the demo
organisations and the seed's clock, so the same seed gives the same data.
"""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from typing import Any

from thrive.accounts.models import Council, User
from thrive.core.seeding import SeedContext
from thrive.opendata import counts
from thrive.opendata.charity_register import checking as charity_register
from thrive.opendata.importing import import_360giving
from thrive.opendata.ocds_import import import_ocds
from thrive.organisations.models import Identifier, Organisation

FUNDER = {"id": "GB-CHC-1990001", "name": "Hollowmere Community Trust"}
BUYER = {"id": "GB-COH-99900001", "name": "Westshire Housing Partnership Ltd"}
GRANTS_FILE = "hollowmere-community-trust-grants.json"
CONTRACTS_FILE = "westshire-housing-partnership-contracts.json"
REGISTER_FILE = "publicextract.charity.json"
# recipients not on the register yet: the import adds them, with these made-up numbers, from
# a block that neither the register's seed (counting up from the block's start) nor the test
# factories (from 1950000) reach
NEW_RECIPIENTS = [
    ("Hollowmere Village Hall", "GB-CHC-1980001", "HM1 4QA"),
    ("Fenbridge Toy Library", "GB-CHC-1980002", "FB2 7LE"),
    ("Marsh End Community Garden", "GB-COH-99800001", "ME3 1GD"),
    ("Saltcote Sea Scouts", "GB-CHC-1980003", "SC4 9SS"),
    ("Orchard Lane Playgroup", "GB-CHC-1980004", "OL5 2PG"),
]
PROGRAMMES = ["Community Grants", "Small Grants", "Winter Warmth Fund"]
TITLES = [
    "Lunch club for older people",
    "Holiday activities for children",
    "Volunteer drivers' expenses",
    "Befriending calls",
    "Warm space over winter",
    "Debt advice sessions",
    "Youth football coaching",
    "Garden for wellbeing",
]
CONTRACTS = [
    ("Tenancy sustainment support", 84_000),
    ("Hoarding support service", 36_500),
    ("Community connectors for tenants", 52_000),
    ("Digital inclusion for residents", 18_750),
]


def seed(ctx: SeedContext) -> None:
    """Import the demo grants and contracts, then check the register's charity numbers.

    The awards seed made most awards in bulk, without their signals: every council's
    published counts are counted again once the seed commits."""
    counts.changed(Council.objects.values_list("pk", flat=True))
    organisations = _with_identifiers()
    if not organisations:
        return
    actor = _importer()
    grants = _grants(ctx, organisations)
    import_360giving(stream=_json({"grants": grants}), filename=GRANTS_FILE, actor=actor)
    package = _contracts(ctx, organisations)
    import_ocds(stream=_json(package), filename=CONTRACTS_FILE, actor=actor)
    records = _register_extract(ctx, organisations)
    charity_register.check_register(stream=_json(records), filename=REGISTER_FILE, actor=actor)


def _json(data: Any) -> io.BytesIO:
    return io.BytesIO(json.dumps(data, indent=1).encode())


def _importer() -> User | None:
    return User.objects.filter(username="counciladmin").first()


def _with_identifiers() -> list[tuple[Organisation, dict[str, str]]]:
    """The demo organisations with a charity or company number, oldest first."""
    held: dict[int, dict[str, str]] = {}
    for ident in Identifier.objects.filter(scheme__in=["GB-CHC", "GB-COH"]).order_by("pk"):
        held.setdefault(ident.organisation_id, {})[ident.scheme] = ident.value
    found = Organisation.objects.filter(pk__in=held, merged_into__isnull=True).order_by("pk")
    return [(org, held[org.pk]) for org in found]


def _recipient(org: Organisation, numbers: dict[str, str]) -> dict[str, Any]:
    scheme = "GB-CHC" if "GB-CHC" in numbers else "GB-COH"
    recipient = {"id": f"{scheme}-{numbers[scheme]}", "name": org.name}
    if org.postcode:
        recipient["postalCode"] = org.postcode
    if "GB-CHC" in numbers:
        recipient["charityNumber"] = numbers["GB-CHC"]
    if "GB-COH" in numbers:
        recipient["companyNumber"] = numbers["GB-COH"]
    return recipient


def _grant(ctx: SeedContext, number: int, recipient: dict[str, Any]) -> dict[str, Any]:
    awarded = ctx.now.date() - timedelta(days=ctx.rng.randint(30, 3 * 365))
    start = awarded + timedelta(days=ctx.rng.randint(14, 60))
    return {
        "id": f"360G-hollowmere-{number:04d}",
        "title": ctx.rng.choice(TITLES),
        "description": "A grant from the demo data: a made-up trust and a made-up award.",
        "currency": "GBP",
        "amountAwarded": ctx.rng.choice([500, 1_000, 2_500, 4_950, 7_500, 10_000, 25_000]),
        "awardDate": awarded.isoformat(),
        "plannedDates": [
            {"startDate": start.isoformat(), "endDate": (start + timedelta(days=364)).isoformat()}
        ],
        "recipientOrganization": [recipient],
        "fundingOrganization": [FUNDER],
        "grantProgramme": [{"title": ctx.rng.choice(PROGRAMMES)}],
    }


def _grants(ctx: SeedContext, organisations: list[tuple[Organisation, dict]]) -> list[dict]:
    """About three dozen grants: most to demo organisations, five to new ones, one held for
    review (a demo organisation's number under another name) and three with faults: two
    left out as unusable, one kept with a warning."""
    recipients = [_recipient(org, numbers) for org, numbers in organisations[:20]]
    recipients += [recipients[0], recipients[2], recipients[5]]  # some funded twice
    for name, org_id, postcode in NEW_RECIPIENTS:
        recipients.append({"id": org_id, "name": name, "postalCode": postcode})
    recipients += recipients[-2:]
    held = dict(recipients[3], name="Brookside Wellbeing Hub")  # the number of another record
    held.pop("postalCode", None)
    recipients.append(held)
    grants = [_grant(ctx, n, r) for n, r in enumerate(recipients, start=1)]
    faulty = [_grant(ctx, len(grants) + n, r) for n, r in enumerate(recipients[6:9], start=1)]
    del faulty[0]["amountAwarded"]  # a grant must say how much
    faulty[1]["awardDate"] = "31/02/2025"  # not a date
    faulty[2]["beneficiaryLocation"] = [  # kept, with a warning: no such kind of area code
        {"name": "Hollowmere", "geoCode": "E07000304", "geoCodeType": "Parish"}
    ]
    return grants + faulty


def _contracts(ctx: SeedContext, organisations: list[tuple[Organisation, dict]]) -> dict:
    """An OCDS release package: one award release a contract, to demo organisations."""
    suppliers = [(org, numbers) for org, numbers in organisations[20:] if "GB-COH" in numbers]
    suppliers = (suppliers or organisations[20:])[: len(CONTRACTS)]
    scheme, _, value = BUYER["id"].rpartition("-")
    buyer_party = {
        "id": BUYER["id"],
        "name": BUYER["name"],
        "roles": ["buyer"],
        "identifier": {"scheme": scheme, "id": value},
    }
    releases = []
    for number, ((title, amount), (org, numbers)) in enumerate(
        zip(CONTRACTS, suppliers, strict=False), start=1
    ):
        ocid = f"ocds-demo01-whp-{number:04d}"
        awarded = ctx.now.date() - timedelta(days=ctx.rng.randint(60, 2 * 365))
        supplier = _recipient(org, numbers)
        scheme, _, value = supplier["id"].rpartition("-")
        party = {
            "id": supplier["id"],
            "name": org.name,
            "roles": ["supplier"],
            "identifier": {"scheme": scheme, "id": value, "legalName": org.name.upper()},
            "address": {"postalCode": org.postcode} if org.postcode else {},
        }
        releases.append(
            {
                "ocid": ocid,
                "id": f"{ocid}-award-1",
                "date": f"{awarded.isoformat()}T09:00:00Z",
                "tag": ["award"],
                "initiationType": "tender",
                "parties": [buyer_party, party],
                "buyer": {"id": BUYER["id"], "name": BUYER["name"]},
                "tender": {"id": f"WHP-{awarded.year}-{number:03d}", "title": title},
                "awards": [
                    {
                        "id": f"{ocid}-award-1-lot-1",
                        "title": title,
                        "status": "active",
                        "date": f"{awarded.isoformat()}T00:00:00Z",
                        "value": {"amount": amount, "currency": "GBP"},
                        "suppliers": [{"id": supplier["id"], "name": org.name}],
                        "contractPeriod": _period(awarded),
                    }
                ],
            }
        )
    return {
        "uri": "https://demo.thrive.example/ocds/westshire-housing-partnership.json",
        "publishedDate": f"{ctx.now.date().isoformat()}T09:00:00Z",
        "publisher": {"name": BUYER["name"]},
        "version": "1.1",
        "releases": releases,
    }


def _period(awarded: date) -> dict[str, str]:
    start = awarded + timedelta(days=30)
    return {
        "startDate": f"{start.isoformat()}T00:00:00Z",
        "endDate": f"{(start + timedelta(days=2 * 365)).isoformat()}T23:59:59Z",
    }


def _register_extract(ctx: SeedContext, organisations: list[tuple[Organisation, dict]]) -> list:
    """Every charity number on the register as the extract would give it: registered under
    the organisation's own name, but for one removed charity and one renamed."""
    charities = list(
        Identifier.objects.filter(scheme="GB-CHC", organisation__merged_into__isnull=True)
        .select_related("organisation")
        .order_by("pk")
    )
    seeded = {org.pk for org, _ in organisations}
    demo = [ident for ident in charities if ident.organisation_id in seeded]
    removed = demo[4].value if len(demo) > 4 else None
    renamed = demo[7].value if len(demo) > 7 else None
    extract_day = ctx.now.date() - timedelta(days=2)
    records = []
    for ident in charities:
        org = ident.organisation
        record = {
            "date_of_extract": f"{extract_day.isoformat()}T00:00:00",
            "organisation_number": 5_000_000 + ident.pk,
            "registered_charity_number": int(ident.value),
            "linked_charity_number": 0,
            "charity_name": org.name.upper(),
            "charity_registration_status": "Registered",
            "date_of_registration": f"{org.created_at.date().isoformat()}T00:00:00",
            "date_of_removal": None,
            "latest_income": (org.latest_income_pence or 0) / 100 or None,
            "latest_acc_fin_period_end_date": f"{ctx.now.year - 1}-03-31T00:00:00",
        }
        if ident.value == removed:
            removed_on = extract_day - timedelta(days=ctx.rng.randint(60, 400))
            record["charity_registration_status"] = "Removed"
            record["date_of_removal"] = f"{removed_on.isoformat()}T00:00:00"
        if ident.value == renamed:
            record["charity_name"] = "SALTMARSH BEFRIENDERS"
        records.append(record)
        if ident.value == renamed:  # a linked charity is read and left aside
            records.append(dict(record, linked_charity_number=1, charity_name="SALTMARSH FUND"))
    return records
