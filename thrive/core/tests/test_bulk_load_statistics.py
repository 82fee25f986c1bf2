"""Bulk loads leave the planner's statistics behind them: the seed and every import end by
analysing the tables they filled, so a PostgreSQL cluster running without autovacuum, or an
embedded SQLite file (which never gathers them by itself), does not plan the next page as
though those tables were empty."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Model

from thrive.applications.models import Application
from thrive.audit.models import AuditEvent
from thrive.awards.models import Award
from thrive.core.db import analyze
from thrive.opendata.charity_register.checking import check_register
from thrive.opendata.importing import import_360giving
from thrive.opendata.models import ExternalContract, ExternalGrant
from thrive.opendata.ocds_import import import_ocds
from thrive.organisations.importing import COLUMNS, import_organisations
from thrive.organisations.models import CharityRegisterCheck, Identifier, Organisation
from thrive.organisations.tests.factories import IdentifierFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

OCDS = Path(__file__).resolve().parents[2] / "opendata" / "tests" / "data"


def _forget_statistics() -> datetime | None:
    """Mark the moment a load starts: PostgreSQL's clock, or SQLite's statistics emptied."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT clock_timestamp()")
            return cursor.fetchone()[0]
        cursor.execute('ANALYZE "django_migrations"')  # so that sqlite_stat1 exists
        cursor.execute("DELETE FROM sqlite_stat1")
        return None


def _estimate_since(model: type[Model], start: datetime | None) -> float | None:
    """The table's row count as its statistics have it, if analysed by hand since ``start``."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT s.last_analyze, c.reltuples FROM pg_stat_user_tables s "
                "JOIN pg_class c ON c.oid = s.relid WHERE s.relname = %s",
                [model._meta.db_table],
            )
            analysed, estimate = cursor.fetchone()
            return estimate if analysed is not None and analysed >= start else None
        # A row an index (or one for the table): a partial index counts only its own rows.
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [model._meta.db_table])
        counts = [float(stat.split()[0]) for (stat,) in cursor.fetchall()]
        return max(counts) if counts else None


def _assert_analysed(load: Callable[[], Any], *models: type[Model]) -> None:
    start = _forget_statistics()
    load()
    for model in models:
        estimate = _estimate_since(model, start)
        assert estimate == model.objects.count() > 0, model._meta.db_table


def test_the_seed_leaves_statistics_for_what_it_filled() -> None:
    _assert_analysed(
        lambda: call_command("seed", "--scale", "demo", verbosity=0),
        Organisation,
        Application,
        Award,
        AuditEvent,
    )


def test_a_360giving_import_leaves_statistics_for_its_grants_and_recipients() -> None:
    grants = [
        {
            "id": f"360G-other-{n:04d}",
            "title": "Community lunch club",
            "currency": "GBP",
            "amountAwarded": 4999.5,
            "awardDate": "2025-06-01",
            "recipientOrganization": [{"id": f"GB-CHC-109{n:04d}", "name": f"Club {n}"}],
            "fundingOrganization": [{"id": "GB-CHC-1000000", "name": "Another Trust"}],
        }
        for n in range(3)
    ]
    data = json.dumps({"grants": grants}).encode()
    _assert_analysed(
        lambda: import_360giving(stream=io.BytesIO(data), filename="other.json"),
        ExternalGrant,
        Organisation,
        Identifier,
    )


def test_an_ocds_import_leaves_statistics_for_its_contracts() -> None:
    content = (OCDS / "ocds_release_package.json").read_bytes()
    _assert_analysed(
        lambda: import_ocds(stream=io.BytesIO(content), filename="package.json"),
        ExternalContract,
        Organisation,
    )


def test_a_register_import_leaves_statistics_for_its_organisations() -> None:
    rows = [",".join(COLUMNS), "Dunholm Men's Shed,,Unincorporated group,,,,WS2 3CD,,,,,,"]
    _assert_analysed(
        lambda: import_organisations(content="\n".join(rows).encode(), filename="orgs.csv"),
        Organisation,
        AuditEvent,
    )


def test_a_charity_register_check_leaves_statistics_for_its_checks() -> None:
    IdentifierFactory(organisation__name="Brackenford Food Bank", value="1090095")
    record = {
        "date_of_extract": "2026-12-01T00:00:00",
        "registered_charity_number": 1090095,
        "linked_charity_number": 0,
        "charity_name": "BRACKENFORD FOOD BANK",
        "charity_registration_status": "Registered",
    }
    content = json.dumps([record]).encode()
    _assert_analysed(
        lambda: check_register(stream=io.BytesIO(content), filename="publicextract.charity.json"),
        CharityRegisterCheck,
    )


def test_analyze_names_models_and_whole_apps() -> None:
    IdentifierFactory()
    start = _forget_statistics()
    analyze("organisations", "awards.Award", ExternalGrant)
    for model in (Organisation, Identifier):  # tables with rows: counted in the statistics
        assert _estimate_since(model, start) == model.objects.count() > 0, model._meta.db_table
    assert _estimate_since(Application, start) is None


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own sampling")
def test_sqlite_samples_each_index_rather_than_reading_every_row() -> None:
    """SQLite's ANALYZE reads a whole table unless limited: a sample is what PostgreSQL takes,
    and is all a one-grant import into a file of a million rows should cost."""
    OrganisationFactory.create_batch(3)
    analyze("organisations.Organisation")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit")
        assert cursor.fetchone()[0] == 1_000
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'organisations_organisation'")
        assert {stat.split()[0] for (stat,) in cursor.fetchall()} == {"3"}


def _last_vacuum(model: type[Model]) -> datetime | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = %s",
            [model._meta.db_table],
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's visibility map")
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_postgresql_also_vacuums_what_a_load_filled() -> None:
    """Without autovacuum no page is marked visible to every transaction, and PostgreSQL then
    never answers from an index alone; inside a transaction VACUUM cannot run, so the
    statistics are still gathered and nothing fails."""
    OrganisationFactory.create_batch(3)
    start = _forget_statistics()
    analyze("organisations.Organisation")
    vacuumed = _last_vacuum(Organisation)
    assert vacuumed is not None and vacuumed >= start
    with transaction.atomic():
        analyze("organisations.Organisation")
    assert _last_vacuum(Organisation) == vacuumed
