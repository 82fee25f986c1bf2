"""Database upkeep shared by the bulk loads (the seed and every import)."""

from __future__ import annotations

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

SQLITE_ANALYSIS_ROWS = 1_000  # rows of each index SQLite's ANALYZE reads


def analyze(*models: type[Model] | str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Refresh the planner's statistics for these models' tables after a bulk load (and on
    PostgreSQL, outside a transaction, vacuum them).

    Name models as classes, ``"app_label.Model"`` or a whole app by its label (its links
    between models too); with none named, every table. A cluster may run without
    autovacuum, and a planner that still believes a freshly filled table empty picks plans
    that take seconds instead of milliseconds. SQLite keeps statistics too (``sqlite_stat1``):
    without them it answers "funded by this council" for each of 20,000 organisations by
    reading the council's every award again, minutes instead of a second.
    """
    connection = connections[using]
    tables = sorted({model._meta.db_table for name in models for model in _models(name)})
    if connection.vendor == "postgresql":
        names = ", ".join(connection.ops.quote_name(table) for table in tables)
        # Outside a transaction, VACUUM too: it marks the pages every transaction can see
        # (the visibility map), without which PostgreSQL never answers from an index alone,
        # such as the awards register's search walking its order index. It reads only the
        # pages changed since it last ran.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        statements = [f"{command} {names}"]  # our own tables, quoted  # nosec B608
    elif connection.vendor == "sqlite":  # one table a statement there
        statements = [f"ANALYZE {connection.ops.quote_name(t)}" for t in tables]  # nosec B608
        # A sample of each index, as PostgreSQL takes, not every row: a whole pass over a
        # million-row file's tables took 0.3 to 2 s after an import of one grant.
        statements = [f"PRAGMA analysis_limit={SQLITE_ANALYSIS_ROWS}"] + (statements or ["ANALYZE"])
    else:
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _models(name: type[Model] | str) -> list[type[Model]]:
    if not isinstance(name, str):
        return [name]
    if "." in name:
        return [apps.get_model(name)]
    return [m for m in apps.get_app_config(name).get_models(True) if m._meta.managed]
