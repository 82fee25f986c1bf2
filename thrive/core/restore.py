"""Restoring a backup made by ``thrive backup`` (see ``thrive.core.backup`` for the archive).

Nothing is changed until the whole archive has been unpacked beside MEDIA_ROOT and checked
against its manifest, and the backup is known to suit this installation: the same database
vendor, no migration this code does not know, and an empty database (or ``--force``). Then
the database is restored in one transaction (PostgreSQL's is then analysed, since a dump holds
no planner statistics) and the uploaded files are swapped in by renaming; if the database
cannot be restored, the files are left as they were.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from thrive.core.backup import (
    FILES,
    VENDOR_NAMES,
    BackupError,
    Progress,
    files_are_local,
    run_pg_tool,
    unpack,
)
from thrive.core.db import analyze


def _check_vendor(manifest: dict[str, Any], vendor: str) -> None:
    backed_up = manifest["database"]["vendor"]
    if backed_up != vendor:
        raise BackupError(
            f"This is a backup of a {VENDOR_NAMES.get(backed_up, backed_up)} database, but this "
            f"installation uses {VENDOR_NAMES.get(vendor, vendor)} (DATABASE_URL): it cannot be "
            "restored here."
        )


def _unknown_migrations(manifest: dict[str, Any]) -> list[str]:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return sorted(
        f"{app}.{name}"
        for app, names in manifest.get("migrations", {}).items()
        for name in names
        if (app, name) not in known
    )


def _missing_migrations(manifest: dict[str, Any]) -> int:
    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return len(known - applied)


def _occupied(alias: str, media_root: Path) -> list[str]:
    """What a restore would replace: the database's tables and the uploaded files."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    found = []
    if tables:
        found.append(f"the database already holds {len(tables)} tables")
    if media_root.is_dir() and any(path.is_file() for path in media_root.rglob("*")):
        found.append(f"{media_root} already holds uploaded files")
    return found


def _restore_database(alias: str, dump: Path, progress: Progress) -> None:
    connection = connections[alias]
    if connection.vendor == "postgresql":
        progress("Restoring the PostgreSQL database with pg_restore, in one transaction…")
        settings_dict = connection.settings_dict
        connection.close()
        arguments = ["--clean", "--if-exists", "--no-owner", "--no-privileges"]
        arguments += ["--single-transaction", "--exit-on-error"]
        arguments += ["--dbname", settings_dict["NAME"], str(dump)]
        run_pg_tool("pg_restore", arguments, settings_dict)
        # A dump carries no planner statistics nor visibility map, and autovacuum may be off.
        progress("Gathering the query planner's statistics (VACUUM ANALYZE)…")
        analyze(using=alias)
        return
    progress("Restoring the SQLite database through its backup API, in one transaction…")
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def _swap_files(staged: Path, media_root: Path, progress: Progress) -> None:
    progress(f"Putting the uploaded files in place under {media_root}…")
    staged.mkdir(parents=True, exist_ok=True)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    previous = media_root.with_name(f".{media_root.name}.before-restore")
    shutil.rmtree(previous, ignore_errors=True)
    if media_root.exists():
        media_root.rename(previous)
    staged.rename(media_root)
    shutil.rmtree(previous, ignore_errors=True)


def _restore_files(
    manifest: dict[str, Any], staged: Path, media_root: Path, progress: Progress
) -> None:
    if not manifest["files"]["included"]:
        progress(
            "The uploaded files are not in this archive: they live on the object store, "
            "which keeps its own copies."
        )
    elif not files_are_local():
        progress(
            "The archive's uploaded files were not restored: this installation keeps them on "
            "an object store. Copy them there from the archive's files/ folder."
        )
    else:
        _swap_files(staged, media_root, progress)


def restore_backup(
    *, archive_path: Path, alias: str = "default", force: bool, progress: Progress
) -> dict[str, Any]:
    """Check the archive, then replace the database and the uploaded files with its own."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"There is no file {archive_path}.")
    media_root = Path(settings.MEDIA_ROOT).resolve()
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".thrive-restore-") as work:
        staging = Path(work)
        manifest = unpack(archive_path=archive_path, into=staging, progress=progress)
        _check_suits(manifest, alias, media_root, force)
        _restore_database(alias, staging / manifest["database"]["member"], progress)
        _restore_files(manifest, staging / FILES.rstrip("/"), media_root, progress)
    missing = _missing_migrations(manifest)
    if missing:
        progress(f"Run `thrive migrate`: this version has {missing} migrations the backup lacks.")
    return manifest


def _check_suits(manifest: dict[str, Any], alias: str, media_root: Path, force: bool) -> None:
    _check_vendor(manifest, connections[alias].vendor)
    unknown = _unknown_migrations(manifest)
    if unknown:
        raise BackupError(
            "This backup was made by a newer version of Thrive (migrations this code does not "
            f"have: {', '.join(unknown[:5])}). Restore it with that version."
        )
    occupied = _occupied(alias, media_root)
    if occupied and not force:
        raise BackupError(
            f"Nothing was restored: {' and '.join(occupied)}. Restore into a new, empty database "
            "(createdb) or run again with --force to replace them."
        )
