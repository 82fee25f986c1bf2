"""``thrive backup`` and ``thrive restore``: the database and the uploaded files come back the
same, and an archive that is corrupted, truncated, partial or of the other database vendor is
refused with nothing changed. Run on SQLite and on PostgreSQL (CI runs the suite on both)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.utils import load_backend

from thrive.accounts.tests.factories import UserFactory
from thrive.core import backup
from thrive.core.tests.test_settings import _thrive
from thrive.organisations.models import Organisation
from thrive.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)
FILES = {
    "logo.png": b"\x89PNG not really" * 50,
    "private/applications/1/budget.pdf": os.urandom(70_000),
    "private/applications/2/plan.docx": b"PK plan",
}


def _fingerprint(db) -> dict[str, tuple[int, str]]:
    """Every table's row count and a checksum of its rows, in a stable order."""
    found = {}
    with db.cursor() as cursor:
        for table in sorted(db.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {db.ops.quote_name(table)}")  # noqa: S608
            rows = sorted(repr(tuple(row)) for row in cursor.fetchall())
            found[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return found


def _files(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def media(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    for name, body in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(body)
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def backed_up(media, tmp_path) -> dict:
    """A world with rows and files, backed up; what it held."""
    OrganisationFactory.create_batch(3)
    UserFactory(username="kept-user")
    archive = tmp_path / "thrive-backup.tar"
    out = io.StringIO()
    call_command("backup", output=archive, stdout=out)
    return {
        "archive": archive,
        "output": out.getvalue(),
        "tables": _fingerprint(connection),
        "files": _files(media),
    }


def _restore(archive: Path, *, force: bool = True) -> str:
    out = io.StringIO()
    call_command("restore", str(archive), force=force, stdout=out)
    return out.getvalue()


def _change_everything(media: Path) -> None:
    Organisation.objects.order_by("pk").first().delete()
    UserFactory(username="added-after-the-backup")
    (media / "logo.png").write_bytes(b"changed")
    (media / "private/applications/2/plan.docx").unlink()
    (media / "added.txt").write_text("new")


def test_a_backup_holds_the_database_the_files_and_a_manifest(backed_up) -> None:
    with tarfile.open(backed_up["archive"]) as archive:
        names = archive.getnames()
        manifest = json.load(archive.extractfile("manifest.json"))
    vendor = connection.vendor
    assert names[-1] == "manifest.json"  # written last: its presence means the backup finished
    assert backup.DATABASE_MEMBERS[vendor] in names
    assert {f"files/{name}" for name in FILES} <= set(names)
    assert manifest["database"]["vendor"] == vendor
    assert manifest["files"] == {"included": True, "count": len(FILES)}
    assert manifest["members"]["files/logo.png"] == {
        "size": len(FILES["logo.png"]),
        "sha256": hashlib.sha256(FILES["logo.png"]).hexdigest(),
    }
    assert "0001_initial" in manifest["migrations"]["organisations"]
    assert manifest["thrive_version"] and manifest["created_at"]
    assert "Adding the uploaded files" in backed_up["output"]
    assert f"and {len(FILES)} uploaded files to" in backed_up["output"]


def test_restore_brings_back_the_same_rows_and_files(backed_up, media) -> None:
    _change_everything(media)
    assert _fingerprint(connection) != backed_up["tables"]
    output = _restore(backed_up["archive"])
    assert _fingerprint(connection) == backed_up["tables"]
    assert _files(media) == backed_up["files"]
    assert "Reading and checking" in output and "Restored the backup made at" in output


def test_restore_refuses_a_database_in_use_without_force(backed_up, media) -> None:
    _change_everything(media)
    tables, files = _fingerprint(connection), _files(media)
    with pytest.raises(CommandError, match="run again with --force"):
        _restore(backed_up["archive"], force=False)
    assert _fingerprint(connection) == tables
    assert _files(media) == files


def _rewrite(source: Path, target: Path, change) -> Path:
    """Copy an archive member by member, letting ``change(name, data)`` alter or drop each."""
    with tarfile.open(source) as old, tarfile.open(target, "w") as new:
        for member in old:
            data = old.extractfile(member).read()
            changed = change(member.name, data)
            if changed is None:
                continue
            member.size = len(changed)
            new.addfile(member, io.BytesIO(changed))
    return target


def _other_vendor(name: str, data: bytes) -> bytes:
    if name != "manifest.json":
        return data
    manifest = json.loads(data)
    manifest["database"]["vendor"] = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    return json.dumps(manifest).encode()


def _with_extra_file(source: Path, target: Path) -> Path:
    with tarfile.open(source) as old, tarfile.open(target, "w") as new:
        extra = tarfile.TarInfo("files/extra.txt")
        extra.size = 5
        new.addfile(extra, io.BytesIO(b"extra"))
        for member in old:
            new.addfile(member, old.extractfile(member))
    return target


def _corrupted(source: Path, target: Path) -> Path:
    body = bytearray(source.read_bytes())
    with tarfile.open(source) as archive:
        member = archive.getmember(backup.DATABASE_MEMBERS[connection.vendor])
    body[member.offset_data + member.size // 2] ^= 0xFF
    target.write_bytes(bytes(body))
    return target


BAD_ARCHIVES = {
    "corrupted": (_corrupted, "does not match its manifest"),
    "truncated": (
        lambda s, t: t.write_bytes(s.read_bytes()[: s.stat().st_size * 2 // 3]) and t,
        "(damaged or incomplete|has no manifest)",
    ),
    "a file missing": (
        lambda s, t: _rewrite(s, t, lambda n, d: None if n == "files/logo.png" else d),
        "missing: files/logo.png",
    ),
    "a file changed": (
        lambda s, t: _rewrite(s, t, lambda n, d: d if n != "files/logo.png" else d + b"x"),
        "checksum or size differs: files/logo.png",
    ),
    "a file not in the manifest": (_with_extra_file, "not in the manifest: files/extra.txt"),
    "the other vendor": (
        lambda s, t: _rewrite(s, t, _other_vendor),
        "This is a backup of a (SQLite|PostgreSQL) database, but this installation uses",
    ),
    "no manifest": (
        lambda s, t: _rewrite(s, t, lambda n, d: None if n == "manifest.json" else d),
        "has no manifest",
    ),
    "not an archive": (lambda s, t: t.write_bytes(os.urandom(4096)) and t, "damaged"),
}


@pytest.mark.parametrize("kind", list(BAD_ARCHIVES))
def test_a_bad_archive_is_refused_and_nothing_changes(kind, backed_up, media, tmp_path) -> None:
    make, message = BAD_ARCHIVES[kind]
    bad = make(backed_up["archive"], tmp_path / "bad.tar")
    _change_everything(media)
    tables, files = _fingerprint(connection), _files(media)
    with pytest.raises(CommandError, match=message):
        _restore(bad)
    assert _fingerprint(connection) == tables
    assert _files(media) == files
    assert not any(path.name.startswith(".thrive-restore-") for path in media.parent.iterdir())


def test_an_archive_member_outside_the_backup_is_refused(backed_up, media, tmp_path) -> None:
    bad = tmp_path / "escape.tar"
    with tarfile.open(backed_up["archive"]) as old, tarfile.open(bad, "w") as new:
        for member in old:
            new.addfile(member, old.extractfile(member))
        evil = tarfile.TarInfo("files/../../escaped.txt")
        evil.size = 4
        new.addfile(evil, io.BytesIO(b"evil"))
    with pytest.raises(CommandError, match="which no Thrive backup contains"):
        _restore(bad)
    assert not (tmp_path / "escaped.txt").exists()


def test_uploads_on_an_object_store_are_said_to_be_outside_the_archive(
    settings, media, tmp_path
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    out = io.StringIO()
    call_command("backup", output=tmp_path / "b.tar.gz", stdout=out)
    assert "they are on the object store" in out.getvalue()
    with tarfile.open(tmp_path / "b.tar.gz") as archive:
        assert not [name for name in archive.getnames() if name.startswith("files/")]
    # The database comes back; the files on this machine are left alone.
    tables, files = _fingerprint(connection), _files(media)
    UserFactory(username="added-after-the-backup")
    assert "they live on the object store" in _restore(tmp_path / "b.tar.gz")
    assert _fingerprint(connection) == tables
    assert _files(media) == files


def test_a_missing_postgresql_client_is_named(monkeypatch) -> None:
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(backup.BackupError, match="install the PostgreSQL client tools"):
        backup.run_pg_tool("pg_dump", ["--version"], {})


def _empty_database(tmp_path: Path) -> tuple[dict, str]:
    """A new, empty database of the same vendor: its settings and its DATABASE_URL."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        return {**connection.settings_dict, "NAME": str(path)}, f"sqlite:///{path}"
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name}")
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    host = f"{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}"
    return {**s, "NAME": name}, f"postgres://{s['USER']}{password}@{host}/{name}"


def test_the_restore_command_fills_a_new_empty_database(backed_up, tmp_path) -> None:
    settings_dict, url = _empty_database(tmp_path)
    media = tmp_path / "elsewhere" / "media"
    result = _thrive("restore", str(backed_up["archive"]), DATABASE_URL=url, MEDIA_ROOT=str(media))
    assert result.returncode == 0, result.stderr
    restored = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "restored")
    try:
        assert _fingerprint(restored) == backed_up["tables"]
        if connection.vendor == "postgresql":
            # The planner has statistics at once, even with autovacuum off.
            with restored.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'accounts_user'")
                assert cursor.fetchone()[0] > 0
    finally:
        restored.close()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {settings_dict['NAME']}")
    assert _files(media) == backed_up["files"]
