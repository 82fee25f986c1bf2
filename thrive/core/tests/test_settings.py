"""Production mode: refuses to start without a secret, passes Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _thrive(*args: str, **env: str) -> subprocess.CompletedProcess:
    dropped = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "thrive.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=clean,
        check=False,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path) -> None:
    result = _thrive("check", THRIVE_ENV="production", THRIVE_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "Set SECRET_KEY: production refuses to start without one." in result.stderr


def test_production_settings_pass_the_deployment_checks_without_warnings(tmp_path) -> None:
    result = _thrive(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        THRIVE_ENV="production",
        THRIVE_VAR_DIR=str(tmp_path),
        SECRET_KEY="a-long-random-production-secret-" + "x9Yz" * 12,
        ALLOWED_HOSTS="thrive.example.gov.uk",
        THRIVE_SITE_URL="https://thrive.example.gov.uk",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def _settings_print(tmp_path: Path, code: str, **env: str) -> list[str]:
    """What ``code`` prints once the settings are read with ``env`` set."""
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "thrive.settings",
            "THRIVE_VAR_DIR": str(tmp_path),
            **env,
        },
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_email_is_configured_from_email_url(tmp_path) -> None:
    code = (
        "from django.conf import settings; "
        "print(settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, "
        "settings.EMAIL_USE_TLS)"
    )
    printed = _settings_print(
        tmp_path, code, EMAIL_URL="submission://mailer:pw@smtp.example.org:587"
    )
    assert printed[-1].split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "587",
        "True",
    ]


def test_postgresql_sessions_run_without_jit_and_keep_the_urls_own_options(tmp_path) -> None:
    code = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS']['options']); "
        "print(settings.DATABASES['replica']['OPTIONS']['options'])"
    )
    printed = _settings_print(
        tmp_path,
        code,
        DATABASE_URL="postgres://thrive@db.internal:5432/thrive",
        DATABASE_REPLICA_URL=(
            "postgres://reader@replica.internal:5432/thrive?options=-c%20statement_timeout%3D5000"
        ),
    )
    assert printed[-2:] == [
        "-c jit=off",
        "-c jit=off -c default_transaction_read_only=on -c statement_timeout=5000",
    ]


def test_the_wsgi_application_loads_its_urls_and_freezes_what_start_up_made(tmp_path) -> None:
    """A web worker starts with its URLs loaded and its start-up objects frozen out of the
    garbage collector's full passes, so no request pays for walking them."""
    code = (
        "import gc, sys, thrive.wsgi; "
        "print(gc.get_freeze_count() > 10_000, 'thrive.api.api' in sys.modules)"
    )
    assert _settings_print(tmp_path, code)[-1].split() == ["True", "True"]
