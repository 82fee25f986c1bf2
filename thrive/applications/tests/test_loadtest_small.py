"""The deadline surge at a small size (``bench/loadtest.py`` with 60 organisations): gunicorn
and the task worker on PostgreSQL, every acknowledged submission kept exactly once and every
receipt queued once. No timing is asserted: speed is judged by ``make loadtest``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql"
    or not (BIN / "gunicorn").exists()
    or not shutil.which("createdb"),
    reason="the load test runs gunicorn on PostgreSQL",
)


def test_a_small_surge_keeps_every_acknowledged_submission_once(tmp_path: Path) -> None:
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    host = settings["HOST"] or "127.0.0.1"
    url = f"postgres://{user}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}_loadtest"
    out = tmp_path / "surge.json"
    env = dict(
        os.environ,
        LOADTEST_DATABASE_URL=url,
        LOADTEST_ORGS="60",
        LOADTEST_SECONDS="10",
        LOADTEST_JSON=str(out),
        LOADTEST_WRITE="0",
        LOADTEST_FAULT="0",
    )
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "loadtest.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if not out.exists():
        if "gunicorn" in run.stderr and "did not" in run.stderr:
            pytest.skip("gunicorn could not start here")
        raise AssertionError(run.stdout[-3000:] + run.stderr[-3000:])
    (result,) = json.loads(out.read_text())
    assert result["server_errors"] == 0, result["unexpected"]
    assert result["failed"] == 0, result["unexpected"]
    assert result["acknowledged"] == 60
    assert result["stored"] == 60
    assert result["lost"] == 0
    assert result["duplicated"] == 0
    assert result["receipts_queued"] == 60
    assert result["receipts_queued_twice"] == result["receipts_missing"] == 0
    assert result["emails_sent"] == 60
    assert result["emails_sent_twice"] == 0
    subprocess.run(
        [
            shutil.which("dropdb") or "dropdb",
            "-h",
            host,
            "-U",
            user,
            "--if-exists",
            url.rsplit("/", 1)[1],
        ],
        check=False,
        capture_output=True,
    )
