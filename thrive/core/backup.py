"""Backups of the whole service, the database and the uploaded files, in one archive.

``thrive backup --output FILE`` writes a tar file (gzip-compressed when the name ends ``.gz`` or
``.tgz``) holding:

- ``database.dump``: PostgreSQL's own custom format (``pg_dump -Fc``), or ``database.sqlite3``:
  a copy made with SQLite's online backup API; either way the service may keep running;
- ``files/…``: every uploaded file under MEDIA_ROOT, unless uploads live on an object store,
  which keeps its own copies (the command says so);
- ``manifest.json``, written last: each member's size and SHA-256, the database's vendor, the
  migrations applied, the time and the Thrive version. An archive without it is unfinished.

The archive is written beside FILE and renamed into place when complete.

``thrive restore FILE`` unpacks the archive into a folder beside MEDIA_ROOT, checking every
member against the manifest, before it changes anything: a corrupted, truncated or partial
archive, a member the manifest does not list, a backup of the other database vendor or of a
newer Thrive is refused. A database that already holds tables, or uploaded files already
present, are replaced only with ``--force``. PostgreSQL is restored by ``pg_restore --clean
--if-exists`` in one transaction; SQLite through the backup API into the database, one
transaction, so another connection sees the old database or the new one and never a mixture.
The uploaded files are then swapped into place by renaming.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # pg_dump and pg_restore, with fixed arguments  # nosec B404
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from thrive.core.storage import private_storage

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files/"
DATABASE_MEMBERS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
CHUNK = 1024 * 1024
PROGRESS_EVERY = 500  # files
SQLITE_PAGES = 25_600  # copied at a time (100MB of 4kB pages), with a progress line each

Progress = Callable[[str], None]


class BackupError(Exception):
    """The message says what is wrong and what to do; nothing was changed."""


def _version() -> str:
    try:
        return metadata.version("thrive")
    except metadata.PackageNotFoundError:
        return "unknown"


def files_are_local() -> bool:
    """Whether the uploaded files are on this machine's disk (else on an object store)."""
    return all(
        isinstance(storage, FileSystemStorage)
        for storage in (storages["default"], private_storage())
    )


class _Hashing:
    """A file read through, hashing what passes (so each file is read once)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _pg_environment(database: dict[str, Any]) -> dict[str, str]:
    """libpq's variables for the database's settings (the password never on a command line)."""
    env = dict(os.environ)
    values = {
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGDATABASE": database.get("NAME"),
        "PGSSLMODE": database.get("OPTIONS", {}).get("sslmode"),
    }
    env.update({name: str(value) for name, value in values.items() if value})
    return env


def run_pg_tool(name: str, arguments: list[str], database: dict[str, Any]) -> None:
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client tools (postgresql-client, "
            "the same major version as the server)."
        )
    result = subprocess.run(  # noqa: S603 # the tool found on PATH, fixed arguments  # nosec B603
        [tool, *arguments],
        env=_pg_environment(database),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{name} failed: {result.stderr.strip() or result.stdout.strip()}")


def _dump_database(alias: str, target: Path, progress: Progress) -> None:
    connection = connections[alias]
    if connection.vendor == "postgresql":
        progress("Dumping the PostgreSQL database with pg_dump…")
        run_pg_tool("pg_dump", ["-Fc", "--file", str(target)], connection.settings_dict)
        return
    progress("Copying the SQLite database with its online backup API…")
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(
            copy,
            pages=SQLITE_PAGES,
            progress=lambda status, remaining, total: progress(
                f"  {total - remaining:,} of {total:,} pages copied"
            ),
        )
    finally:
        copy.close()


def _migrations(alias: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[alias]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _media_files(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def _add(archive: tarfile.TarFile, name: str, stream: IO[bytes], size: int) -> dict[str, Any]:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(timezone.now().timestamp())
    reader = _Hashing(stream)
    archive.addfile(info, reader)  # type: ignore[arg-type]
    return {"size": reader.size, "sha256": reader.digest.hexdigest()}


def _add_path(archive: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    with path.open("rb") as stream:
        try:
            return _add(archive, name, stream, path.stat().st_size)
        except OSError as error:
            raise BackupError(f"{path} changed while it was being copied: {error}") from error


def _write_mode(output: Path) -> str:
    return "w:gz" if output.name.endswith((".gz", ".tgz")) else "w"


def create_backup(*, output: Path, alias: str = "default", progress: Progress) -> dict[str, Any]:
    """Write the archive to ``output``; return its manifest."""
    connection = connections[alias]
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups of a {connection.vendor} database are not supported.")
    output = Path(output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    members: dict[str, dict[str, Any]] = {}
    local = files_are_local()
    try:
        with tempfile.TemporaryDirectory(dir=output.parent, prefix=".thrive-backup-") as work:
            dump = Path(work) / DATABASE_MEMBERS[connection.vendor]
            _dump_database(alias, dump, progress)
            with tarfile.open(partial, _write_mode(output)) as archive:
                members[dump.name] = _add_path(archive, dump.name, dump)
                dump.unlink()
                if local:
                    _add_media(archive, members, progress)
                manifest = _manifest(alias, members, local)
                body = json.dumps(manifest, indent=2, sort_keys=True).encode()
                _add(archive, MANIFEST, _Bytes(body), len(body))
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.at + size
        chunk, self.at = self.data[self.at : end], min(end, len(self.data))
        return chunk


def _add_media(archive: tarfile.TarFile, members: dict[str, Any], progress: Progress) -> None:
    root = Path(settings.MEDIA_ROOT)
    progress(f"Adding the uploaded files under {root}…")
    count = 0
    for relative, path in _media_files(root):
        members[FILES + relative] = _add_path(archive, FILES + relative, path)
        count += 1
        if count % PROGRESS_EVERY == 0:
            progress(f"  {count:,} files added")
    progress(f"  {count:,} files added")


def _manifest(alias: str, members: dict[str, Any], local: bool) -> dict[str, Any]:
    vendor = connections[alias].vendor
    return {
        "format": FORMAT,
        "thrive_version": _version(),
        "created_at": timezone.now().isoformat(),
        "database": {"vendor": vendor, "member": DATABASE_MEMBERS[vendor]},
        "migrations": _migrations(alias),
        "files": {
            "included": local,
            "count": sum(1 for name in members if name.startswith(FILES)),
        },
        "members": members,
    }


# --- reading an archive back --------------------------------------------------------------


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    if name in DATABASE_MEMBERS.values() or name == MANIFEST:
        return True
    return (
        name.startswith(FILES)
        and not path.is_absolute()
        and all(part not in {"", ".", ".."} for part in path.parts)
        and len(path.parts) > 1
    )


def _unpack_member(archive: tarfile.TarFile, member: tarfile.TarInfo, into: Path) -> dict:
    if not member.isreg() or not _safe_name(member.name):
        raise BackupError(f"The archive holds {member.name!r}, which no Thrive backup contains.")
    source = archive.extractfile(member)
    if source is None:
        raise BackupError(f"The archive's {member.name!r} cannot be read.")
    target = into / member.name
    target.parent.mkdir(parents=True, exist_ok=True)
    reader = _Hashing(source)
    with target.open("wb") as out:
        while chunk := reader.read(CHUNK):
            out.write(chunk)
    return {"size": reader.size, "sha256": reader.digest.hexdigest()}


def unpack(*, archive_path: Path, into: Path, progress: Progress) -> dict[str, Any]:
    """Unpack every member into ``into`` and check it against the manifest; return it."""
    found: dict[str, dict[str, Any]] = {}
    progress(f"Reading and checking {archive_path}…")
    try:
        with tarfile.open(archive_path, "r:*") as archive:
            for member in archive:
                if member.name in found:
                    raise BackupError(f"The archive holds {member.name!r} twice.")
                found[member.name] = _unpack_member(archive, member, into)
                if len(found) % PROGRESS_EVERY == 0:
                    progress(f"  {len(found):,} members checked")
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise BackupError(
            f"{archive_path} is damaged or incomplete ({error}): it cannot be restored."
        ) from error
    if MANIFEST not in found:
        raise BackupError(
            f"{archive_path} has no manifest: the backup was not finished, or this is not a "
            "Thrive backup. It cannot be restored."
        )
    manifest = _read_manifest(into / MANIFEST)
    del found[MANIFEST]
    _compare(manifest["members"], found, archive_path)
    return manifest


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(path.read_bytes())
    except ValueError as error:
        raise BackupError(f"The backup's manifest cannot be read ({error}).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"The backup's manifest is not in format {FORMAT}.")
    database = manifest.get("database")
    if not isinstance(manifest.get("members"), dict) or not isinstance(database, dict):
        raise BackupError("The backup's manifest lists no members or no database.")
    if database.get("member") not in manifest["members"]:
        raise BackupError("The backup's manifest names no database dump among its members.")
    return manifest


def _compare(listed: dict[str, Any], found: dict[str, Any], archive_path: Path) -> None:
    missing = sorted(set(listed) - set(found))
    extra = sorted(set(found) - set(listed))
    changed = sorted(name for name in set(listed) & set(found) if listed[name] != found[name])
    problems = [
        *(f"missing: {name}" for name in missing[:5]),
        *(f"not in the manifest: {name}" for name in extra[:5]),
        *(f"checksum or size differs: {name}" for name in changed[:5]),
    ]
    if problems:
        count = len(missing) + len(extra) + len(changed)
        raise BackupError(
            f"{archive_path} does not match its manifest ({count} problems; "
            + "; ".join(problems)
            + "). It is corrupted or partial and cannot be restored."
        )
