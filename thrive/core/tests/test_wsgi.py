"""A web worker starts with its URLs loaded and its start-up objects frozen out of the
garbage collector's full passes, so no request pays for walking them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import gc, sys
import thrive.wsgi
print(gc.get_freeze_count() > 10_000, "thrive.api.api" in sys.modules)
"""


def test_the_wsgi_application_loads_its_urls_and_freezes_what_start_up_made(tmp_path) -> None:
    result = subprocess.run(  # nosec B603 - this Python with our own script
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "thrive.settings",
            "THRIVE_VAR_DIR": str(tmp_path),
        },
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]
