"""The demo has other funders' grants, another buyer's contracts and charity register flags,
all under made-up identifiers, so a newcomer sees what the imports do."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.management import call_command

from thrive.core.seeding import SCALES, SeedContext, run_seed
from thrive.opendata.models import ExternalContract, ExternalGrant, ImportKind, ImportRun
from thrive.organisations.models import CharityRegisterCheck, Identifier, RegisterStatus
from thrive.organisations.seed import is_made_up

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Iterator[SeedContext]:
    with django_db_blocker.unblock():
        yield run_seed(SeedContext(scale=SCALES["demo"], random_seed=2026, show_progress=False))
        call_command("flush", "--no-input", verbosity=0)
        from thrive.strategy.defaults import ensure_default_thresholds

        ensure_default_thresholds()


def test_the_demo_imports_a_trusts_360giving_file_with_its_faults(seeded) -> None:
    run = ImportRun.objects.get(kind=ImportKind.THREESIXTY)
    grants = ExternalGrant.objects.filter(import_run=run)
    demo = {org.pk for org in seeded.data["organisations"]}
    assert run.records_read >= 24 and grants.count() == run.grants_created
    assert grants.filter(recipient__in=demo).count() >= 12
    assert run.organisations_created >= 1  # recipients the register did not know
    assert run.errors >= 2 and run.warnings >= 1
    assert {p["kind"] for p in run.problems} >= {"missing", "not-a-date"}
    held = grants.get(recipient__isnull=True)
    holder = Identifier.objects.get(org_id=held.recipient_org_id).organisation
    assert holder.name != held.recipient_name  # held because the name differs


def test_the_demo_provider_and_the_register_see_funding_from_others(seeded) -> None:
    provider_org = seeded.data["organisations"][0]
    assert ExternalGrant.objects.filter(recipient=provider_org).exists()
    run = ImportRun.objects.get(kind=ImportKind.OCDS)
    contracts = ExternalContract.objects.filter(import_run=run)
    assert contracts.count() >= 3
    assert contracts.filter(recipient__isnull=False).count() == contracts.count()
    assert set(contracts.values_list("buyer_name", flat=True)) == {run.publishers[0]}


def test_the_demo_charity_register_check_flags_one_removed_and_one_renamed(seeded) -> None:
    assert ImportRun.objects.filter(kind=ImportKind.CHARITY_REGISTER).count() == 1
    flagged = [c for c in CharityRegisterCheck.objects.all() if c.flagged]
    assert sorted((c.status, c.name_differs) for c in flagged) == [
        (RegisterStatus.REGISTERED, True),
        (RegisterStatus.REMOVED, False),
    ]
    held = Identifier.objects.filter(scheme="GB-CHC", organisation__merged_into__isnull=True)
    assert CharityRegisterCheck.objects.count() == held.count()


def test_every_identifier_in_the_demo_open_data_is_made_up(seeded) -> None:
    org_ids = set(Identifier.objects.values_list("org_id", flat=True))
    for field in ("funder_org_id", "recipient_org_id"):
        org_ids |= set(ExternalGrant.objects.values_list(field, flat=True))
    for field in ("buyer_org_id", "supplier_org_id"):
        org_ids |= set(ExternalContract.objects.values_list(field, flat=True))
    assert org_ids and [org_id for org_id in org_ids if not is_made_up(org_id)] == []
