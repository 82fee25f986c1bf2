"""Database upkeep shared by the bulk loads (the seed and every import)."""

from __future__ import annotations

from django.apps import apps
from django.db import connection
from django.db.models import Model


def analyze(*models: type[Model] | str) -> None:
    """Refresh the planner's statistics for these models' tables after a bulk load.

    Name models as classes, ``"app_label.Model"`` or a whole app by its label (its links
    between models too); with none named, every table. A cluster may run without
    autovacuum, and a planner that still believes a freshly filled table empty picks plans
    that take seconds instead of milliseconds. PostgreSQL only: SQLite plans without them,
    so elsewhere this does nothing.
    """
    if connection.vendor != "postgresql":
        return
    tables = sorted({model._meta.db_table for name in models for model in _models(name)})
    names = ", ".join(connection.ops.quote_name(table) for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {names}")  # our own tables, quoted  # nosec B608


def _models(name: type[Model] | str) -> list[type[Model]]:
    if not isinstance(name, str):
        return [name]
    if "." in name:
        return [apps.get_model(name)]
    return [m for m in apps.get_app_config(name).get_models(True) if m._meta.managed]
