"""The ``thrive`` command: Django's management commands for this project."""

from __future__ import annotations

import os
import sys

from django.core.management import execute_from_command_line


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thrive.settings")
    argv = list(sys.argv)
    argv[0] = "thrive"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
