"""``thrive import …`` starts quickly: Django's start-up and the import command's help load
no reader, report layout or service that only running an import (or a page) needs.

Each check runs in a fresh Python, as the ``thrive`` command does, and looks at which
modules were loaded; what a module costs to load is measured by ``thrive.opendata.bench``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

# Loaded only by the work that needs them: file readers and checkers, PDF and spreadsheet
# writers, name matching, progress bars, and the services behind pages and the admin site.
HEAVY = [
    "weasyprint",
    "openpyxl",
    "tablib",
    "jsonschema",
    "jsonschema_rs",
    "rapidfuzz",
    "ijson",
    "tqdm",
    # the API (django-ninja and pydantic): loaded with the URLs, by the first request
    "ninja",
    "pydantic",
    "thrive.api.api",
    "thrive.opendata.importing",
    "thrive.opendata.problems",
    "thrive.organisations.importing",
    "thrive.opendata.charity_register.checking",
    "thrive.organisations.services",
    "thrive.accounts.services",
    "thrive.monitoring.services",
    "thrive.reporting.selectors",
    "thrive.reporting.presentation",
    "thrive.core.pdf",
]

# Django's start-up, then the import command and its argument parser (its help).
START_UP = """
import json, sys
import django
django.setup()
from django.core.management import load_command_class
command = load_command_class("thrive.organisations", "import")
command.create_parser("thrive", "import")
print(json.dumps(sorted(sys.modules)))
"""


def _loaded_at_start_up() -> set[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "thrive.settings"}
    result = subprocess.run(  # nosec B603 - this Python with our own script
        [sys.executable, "-c", START_UP], capture_output=True, text=True, env=env, check=True
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_start_up_and_import_help_load_nothing_heavy():
    loaded = _loaded_at_start_up()
    assert "thrive.organisations.management.commands.import" in loaded  # it did start
    assert [name for name in HEAVY if name in loaded] == []
