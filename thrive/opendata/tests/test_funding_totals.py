"""Each organisation's other funding is read from totals kept by funder, year and import: they
must always say what adding up its grants and contracts there and then would say, after an
import, a re-import that moves grants, a review decision, a merge, a single change, and for
the grants imported before the totals were kept (the migration).

The funders and organisations are made up (``XI-EXAMPLE`` identifiers, which no register
issues)."""

from __future__ import annotations

import io
import json
import threading
import time
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.db import connections, transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from thrive.accounts.tests.factories import UserFactory
from thrive.opendata import review, selectors, totals
from thrive.opendata.importing import import_360giving
from thrive.opendata.models import (
    ExternalContract,
    ExternalGrant,
    FundingTotal,
    ImportRun,
    RecipientStatus,
)
from thrive.organisations.duplicates import merge_organisations
from thrive.organisations.models import Identifier, Organisation
from thrive.testing.migrations import migrate

pytestmark = pytest.mark.django_db


def _added_up_now() -> dict[tuple, tuple[int, Decimal]]:
    """Every organisation's grants and contracts added up straight from the records:
    (organisation, kind, funder, year, currency) -> (count, total)."""
    found: dict[tuple, list] = defaultdict(lambda: [0, Decimal(0)])
    for model, who, amount, kind in (
        (ExternalGrant, "funder_org_id", "amount_awarded", "grant"),
        (ExternalContract, "buyer_org_id", "value", "contract"),
    ):
        rows = (
            model.objects.filter(recipient__isnull=False)
            .values("recipient_id", who, "currency", year=ExtractYear("award_date"))
            .annotate(count=Count("pk"), total=Sum(amount))
        )
        for row in rows:
            key = (row["recipient_id"], kind, row[who], row["year"], row["currency"])
            found[key][0] += row["count"]
            found[key][1] += row["total"] or Decimal(0)
    return {key: tuple(value) for key, value in found.items()}


def _as_shown() -> dict[tuple, tuple[int, Decimal]]:
    """The same, as the pages read it (``selectors.other_funding``)."""
    shown: dict[tuple, tuple[int, Decimal]] = {}
    ids = Organisation.objects.values_list("pk", flat=True)
    for pk, funding in selectors.other_funding(ids).items():
        for kind, rows in (("grant", funding.grants), ("contract", funding.contracts)):
            for row in rows:
                shown[(pk, kind, row.org_id, row.year, row.currency)] = (row.count, row.total)
    return shown


def _assert_in_step() -> None:
    assert _as_shown() == _added_up_now()


def _organisation(name: str, number: str) -> Organisation:
    organisation = Organisation.objects.create(name=name)
    Identifier.objects.create(
        organisation=organisation, scheme="XI-EXAMPLE", value=number, org_id=f"XI-EXAMPLE-{number}"
    )
    return organisation


def _grant(n: int, recipient: str, name: str, amount: int, when: str, funder: str = "OAK"):
    return {
        "id": f"360G-example-{n}",
        "title": "Community lunches",
        "currency": "GBP",
        "amountAwarded": amount,
        "awardDate": when,
        "recipientOrganization": [{"id": f"XI-EXAMPLE-{recipient}", "name": name}],
        "fundingOrganization": [{"id": f"XI-EXAMPLE-{funder}", "name": f"{funder} Trust"}],
    }


def _import(grants: list[dict], filename: str = "oak.json") -> None:
    data = json.dumps({"grants": grants}).encode()
    import_360giving(stream=io.BytesIO(data), filename=filename)


@pytest.fixture
def clubs() -> tuple[Organisation, Organisation]:
    return _organisation("Riverside Lunch Club", "1"), _organisation("Hilltop Boxing Club", "2")


def test_an_import_adds_up_each_funder_and_year_and_a_reimport_moves_grants(clubs) -> None:
    riverside, hilltop = clubs
    _import(
        [
            _grant(1, "1", "Riverside Lunch Club", 1000, "2024-05-01"),
            _grant(2, "1", "Riverside Lunch Club", 2500, "2024-11-01"),
            _grant(3, "1", "Riverside Lunch Club", 400, "2025-02-01", funder="ASH"),
            _grant(4, "2", "Hilltop Boxing Club", 700, "2025-03-01"),
        ]
    )
    _assert_in_step()
    funding = selectors.other_funding_of(riverside)
    oak = next(f for f in funding.funders if f.org_id == "XI-EXAMPLE-OAK")
    assert (oak.count, oak.total) == (2, Decimal(3500))
    assert [s.source_name for s in oak.sources] == ["oak.json"]
    # The publisher corrects its file: grant 2 went to the boxing club after all.
    _import(
        [
            _grant(1, "1", "Riverside Lunch Club", 1000, "2024-05-01"),
            _grant(2, "2", "Hilltop Boxing Club", 2500, "2024-11-01"),
        ],
        filename="oak-corrected.json",
    )
    _assert_in_step()
    oak = next(f for f in selectors.other_funding_of(riverside).funders if f.org_id.endswith("OAK"))
    assert (oak.count, oak.total) == (1, Decimal(1000))
    hilltop_oak = selectors.other_funding_of(hilltop).funders[0]
    assert (hilltop_oak.count, hilltop_oak.total) == (2, Decimal(3200))


def test_a_dry_run_keeps_no_totals(clubs) -> None:
    data = json.dumps({"grants": [_grant(1, "1", "Riverside Lunch Club", 1000, "2024-05-01")]})
    import_360giving(stream=io.BytesIO(data.encode()), filename="oak.json", dry_run=True)
    assert not FundingTotal.objects.exists()
    assert not selectors.other_funding_of(clubs[0])


def test_held_grants_count_once_a_reviewer_gives_them_their_organisation(clubs) -> None:
    riverside, _ = clubs
    _import([_grant(1, "1", "Someone Else Entirely", 900, "2025-01-10")])
    held = ExternalGrant.objects.get()
    assert held.recipient_status == RecipientStatus.HELD
    assert not selectors.other_funding_of(riverside)
    review.confirm_same(grant=held, actor=UserFactory())
    _assert_in_step()
    assert selectors.other_funding_of(riverside).funders[0].total == Decimal(900)


def test_a_merge_brings_the_merged_records_funding_to_the_one_kept(clubs) -> None:
    riverside, hilltop = clubs
    _import(
        [
            _grant(1, "1", "Riverside Lunch Club", 1000, "2024-05-01"),
            _grant(2, "2", "Hilltop Boxing Club", 2500, "2024-05-02"),
        ]
    )
    merge_organisations(
        survivor=riverside, merged=hilltop, actor=UserFactory(), reason="The same club"
    )
    _assert_in_step()
    oak = selectors.other_funding_of(riverside).funders[0]
    assert (oak.count, oak.total) == (2, Decimal(3500))
    assert not selectors.other_funding_of(hilltop)


def _by_hand(organisation: Organisation, amount: str) -> ExternalGrant:
    """A grant saved on its own (as the admin site or a fixture would), not imported."""
    run = ImportRun.objects.create(source_name="by-hand.json", file_format="json")
    return ExternalGrant.objects.create(
        grant_id=f"360G-example-hand-{organisation.pk}-{amount}",
        title="Boxing kit",
        currency="GBP",
        amount_awarded=Decimal(amount),
        award_date=date(2025, 7, 1),
        funder_org_id="XI-EXAMPLE-OAK",
        funder_name="Oak Trust",
        recipient_org_id=f"XI-EXAMPLE-{organisation.pk}",
        recipient_name=organisation.name,
        recipient=organisation,
        import_run=run,
    )


def test_single_changes_and_deletions_are_added_up_again(clubs) -> None:
    riverside, hilltop = clubs
    grant = _by_hand(hilltop, "120.50")
    run = grant.import_run
    ExternalContract.objects.create(
        key="ocds-example-1/award-1/supplier-1",
        ocid="ocds-example-1",
        award_id="award-1",
        buyer_org_id="XI-EXAMPLE-NHS",
        buyer_name="Northshire Health Board",
        supplier_name="Riverside Lunch Club",
        recipient=riverside,
        currency="GBP",
        value=None,  # published without a value
        award_date=None,
        import_run=run,
    )
    _assert_in_step()
    grant.amount_awarded = Decimal("99.50")
    grant.save()
    _assert_in_step()
    grant.delete()
    _assert_in_step()
    assert not selectors.other_funding_of(hilltop)
    assert selectors.other_funding_of(riverside).buyers[0].count == 1


def test_other_funding_of_many_organisations_is_one_query(clubs, django_assert_num_queries) -> None:
    _import([_grant(n, str(1 + n % 2), "", 100, "2025-01-01") for n in range(1, 30)])
    ids = list(Organisation.objects.values_list("pk", flat=True))
    with django_assert_num_queries(1):
        selectors.other_funding(ids)


BEFORE = [("opendata", "0005_published_counts")]
AFTER = [("opendata", "0006_funding_totals")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_adds_up_the_grants_imported_before() -> None:
    riverside = Organisation.objects.create(name="Riverside Lunch Club")
    migrate(BEFORE)
    try:
        run = ImportRun.objects.create(source_name="old.json", file_format="json")
        ExternalGrant.objects.bulk_create(  # no signals: as an import before the totals
            ExternalGrant(
                grant_id=f"360G-example-old-{n}",
                title="Lunches",
                currency="GBP",
                amount_awarded=Decimal(100 * n),
                award_date=date(2023 + n % 2, 6, 1),
                funder_org_id="XI-EXAMPLE-OAK",
                funder_name="Oak Trust",
                recipient_org_id="XI-EXAMPLE-1",
                recipient_name="Riverside Lunch Club",
                recipient=riverside,
                import_run=run,
            )
            for n in range(1, 5)
        )
    finally:
        migrate(AFTER)
        migrate()
    _assert_in_step()
    assert selectors.other_funding_of(riverside).funders[0].total == Decimal(1000)


def _refresh_in_its_own_connection(
    kind: str, holding: threading.Event | None, release: threading.Event | None, failures: list
) -> None:
    try:
        with transaction.atomic():
            totals.refresh(kind)
            if holding is not None:
                holding.set()
                release.wait(10)
    except Exception as exc:  # noqa: BLE001 - reported to the test thread
        failures.append(exc)
    finally:
        connections.close_all()


@pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3",
    reason="SQLite lets one transaction write at a time",
)
@pytest.mark.django_db(transaction=True)
def test_two_imports_adding_up_at_once_leave_one_set_of_totals() -> None:
    riverside = Organisation.objects.create(name="Riverside Lunch Club")
    _by_hand(riverside, "500")
    failures: list = []
    holding, release = threading.Event(), threading.Event()
    first = threading.Thread(
        target=_refresh_in_its_own_connection, args=("grant", holding, release, failures)
    )
    first.start()
    assert holding.wait(10)  # the first has added up, not yet committed
    second = threading.Thread(
        target=_refresh_in_its_own_connection, args=("grant", None, None, failures)
    )
    second.start()
    time.sleep(0.5)  # the second is now waiting on the first
    release.set()
    first.join(10)
    second.join(10)
    assert failures == []
    assert FundingTotal.objects.count() == 1
    _assert_in_step()


@pytest.mark.parametrize("many", [2_000, 0])
def test_an_import_adds_up_only_the_organisations_it_wrote_to_unless_many(
    clubs, monkeypatch, many
) -> None:
    monkeypatch.setattr(totals, "MANY_RECIPIENTS", many)
    riverside, hilltop = clubs
    _import([_grant(1, "2", "Hilltop Boxing Club", 700, "2025-03-01")], filename="first.json")
    untouched = set(FundingTotal.objects.values_list("pk", flat=True))
    _import([_grant(2, "1", "Riverside Lunch Club", 300, "2025-04-01")], filename="second.json")
    _assert_in_step()
    kept = set(FundingTotal.objects.filter(recipient_id=hilltop.pk).values_list("pk", flat=True))
    # With few organisations written to, the others' totals are left as they were.
    assert (kept == untouched) is (many > 0)
    # A grant moved by a re-import takes its total from the organisation it left.
    _import([_grant(1, "1", "Riverside Lunch Club", 700, "2025-03-01")], filename="third.json")
    _assert_in_step()
    assert not selectors.other_funding_of(hilltop)
    assert selectors.other_funding_of(riverside).funders[0].total == Decimal(1000)
