"""The read replica: reports and exports read it, writes and migrations never reach it.

In tests the ``replica`` alias mirrors the test database (settings: TEST MIRROR), so each
query lands on the alias the router chose and the rows are the same ones; the tests that
read through it commit their rows (``transaction=True``), as a real replica needs.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import caches
from django.db import DatabaseError, connections, router, transaction
from django.test.utils import CaptureQueriesContext

from thrive.accounts.models import Council, Role
from thrive.accounts.tests.factories import CouncilFactory, staff_with_role
from thrive.awards.models import Award
from thrive.awards.tests.factories import AwardFactory, DirectorateFactory
from thrive.core import export_jobs, export_registry
from thrive.core.db_router import forget_writes, on_replica, reading_replica
from thrive.core.export_registry import Table
from thrive.core.exports import export_response
from thrive.core.models import ExportJob

BOTH = ["default", "replica"]
AWARDS_TABLE = Award._meta.db_table


@pytest.fixture
def replica_on(settings):
    settings.THRIVE_REPLICA_DATABASE = "replica"


@pytest.fixture
def council_with_awards():
    council = CouncilFactory(name="Westshire County Council", slug="westshire")
    adults = DirectorateFactory(council=council, code="adults", name="Adult Social Care")
    AwardFactory(council=council, directorate=adults, amount_pence=1_000_000,
                 start_date=date(2025, 5, 1), end_date=date(2028, 4, 30),
                 years={2025: 300_000, 2026: 350_000, 2027: 350_000})  # fmt: skip
    return council


def _captured(*aliases: str) -> dict[str, CaptureQueriesContext]:
    """Watch each alias, as a new request starts (the test's own setup wrote rows)."""
    forget_writes()
    return {alias: CaptureQueriesContext(connections[alias]) for alias in aliases}


def _sql(context: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in context.captured_queries]


def _reads_of_awards(context: CaptureQueriesContext) -> list[str]:
    return [sql for sql in _sql(context) if sql.startswith("SELECT") and AWARDS_TABLE in sql]


def _get(client, url: str):
    contexts = _captured(*BOTH)
    with contexts["default"], contexts["replica"]:
        response = client.get(url)
    assert response.status_code == 200
    return response, contexts["default"], contexts["replica"]


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_dashboard_and_its_export_read_the_replica(
    client, replica_on, council_with_awards
) -> None:
    client.force_login(staff_with_role(Role.STRATEGY_GROUP, council=council_with_awards))

    page, default, replica = _get(client, "/reports/")
    assert "£10,000.00" in page.content.decode()
    assert _reads_of_awards(replica)
    assert not _reads_of_awards(default)

    export, default, replica = _get(client, "/reports/export/directorate/?format=csv")
    assert "Adult Social Care" in export.content.decode("utf-8-sig")
    assert _sql(replica)
    assert not _reads_of_awards(default)
    assert not [sql for sql in _sql(replica) if not sql.startswith(("SELECT", "SET"))]


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_every_list_download_reads_its_rows_from_the_replica(
    replica_on, council_with_awards
) -> None:
    rows = Award.objects.filter(council=council_with_awards).values_list("amount_pence")
    contexts = _captured(*BOTH)
    with contexts["default"], contexts["replica"]:
        response = export_response(headers=["amount"], rows=rows, fmt="csv", filename="awards")
    assert response.content.decode("utf-8-sig").splitlines() == ["amount", "1000000"]
    assert _reads_of_awards(contexts["replica"])
    assert not contexts["default"].captured_queries


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_writes_and_the_reads_after_them_go_to_the_primary(replica_on) -> None:
    contexts = _captured(*BOTH)
    with contexts["default"], contexts["replica"], reading_replica():
        assert not Council.objects.filter(slug="eastvale").exists()  # the replica
        CouncilFactory(name="Eastvale District Council", slug="eastvale")
        assert Council.objects.filter(slug="eastvale").exists()  # the primary, since written
    default, replica = (_sql(contexts[alias]) for alias in BOTH)
    assert len(replica) == 1 and replica[0].startswith("SELECT")
    assert any(sql.startswith("INSERT") for sql in default)
    assert default[-1].startswith("SELECT")


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_reads_inside_a_transaction_stay_on_the_primary(replica_on) -> None:
    contexts = _captured(*BOTH)
    with contexts["default"], contexts["replica"], reading_replica(), transaction.atomic():
        Council.objects.count()
    assert [sql for sql in _sql(contexts["default"]) if sql.startswith("SELECT")]
    assert not contexts["replica"].captured_queries


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_streamed_download_reads_the_replica_as_it_is_drawn(replica_on) -> None:
    CouncilFactory(slug="eastvale")
    contexts = _captured(*BOTH)
    rows = on_replica(Council.objects.values_list("slug", flat=True).iterator())
    with contexts["default"], contexts["replica"]:
        assert list(rows) == ["eastvale"]
    assert len(contexts["replica"].captured_queries) == 1
    assert not contexts["default"].captured_queries


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_without_a_replica_everything_reads_the_primary(client, council_with_awards) -> None:
    client.force_login(staff_with_role(Role.STRATEGY_GROUP, council=council_with_awards))
    _, default, replica = _get(client, "/reports/")
    assert _reads_of_awards(default)
    assert not replica.captured_queries


def test_migrations_never_run_on_the_replica() -> None:
    assert router.allow_migrate("replica", "awards", model_name="award") is False
    assert router.allow_migrate_model("replica", Award) is False
    assert router.allow_migrate_model("default", Award) is True
    assert router.db_for_write(Award) == "default"


def test_the_database_caches_tables_route_like_any_other() -> None:
    cache_entry = caches["ratelimit"].cache_model_class  # not a model: a stand-in for its table
    assert router.db_for_write(cache_entry) == "default"
    with reading_replica():
        assert router.db_for_read(cache_entry) == "default"  # no replica configured


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_replica_refuses_a_write_sent_there_by_mistake() -> None:
    replica = connections["replica"]
    if replica.vendor != "postgresql":
        pytest.skip("read-only sessions are PostgreSQL's")
    CouncilFactory(slug="eastvale")
    with pytest.raises(DatabaseError, match="read-only transaction"), replica.cursor() as cursor:
        cursor.execute("UPDATE accounts_council SET name = 'Changed'")
    assert Council.objects.get(slug="eastvale").name != "Changed"


def council_slugs(user: object, params: object) -> Table:
    """An export of every council's slug, for the background export below."""
    rows = Council.objects.order_by("slug").values_list("slug")
    return Table(title="Councils", headers=["Slug"], rows=rows, filename="councils")


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_an_export_made_in_the_background_reads_its_rows_from_the_replica(
    replica_on, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    export_registry.register(
        "core.council_slugs", action="exports.list", build=f"{__name__}:council_slugs"
    )
    owner = staff_with_role(Role.COMMISSIONER, council=CouncilFactory(slug="westshire"))
    job = ExportJob.objects.create(
        user=owner, key="core.council_slugs", params={}, fmt="csv", title="Councils"
    )
    contexts = _captured(*BOTH)
    with contexts["default"], contexts["replica"]:
        export_jobs.build_export(job_id=job.pk)
    job.refresh_from_db()
    with job.file.open("rb") as made:
        assert made.read().decode("utf-8-sig").split() == ["Slug", "westshire"]
    council_reads = [sql for sql in _sql(contexts["replica"]) if "accounts_council" in sql]
    assert council_reads
    assert not [sql for sql in _sql(contexts["default"]) if sql in council_reads]
