"""Uploaded files are judged by their content, never their name, and capped in size.

The checks live in :mod:`thrive.core.uploads`, shared by every place that takes a file;
they are named here too for the apps that import them from this module.
"""

from __future__ import annotations

from thrive.core.uploads import (
    ALLOWED_DESCRIPTION,
    CheckedFile,
    check_upload,
    max_upload_bytes,
    safe_name,
    sniff,
)

__all__ = [
    "ALLOWED_DESCRIPTION",
    "CheckedFile",
    "check_upload",
    "max_upload_bytes",
    "safe_name",
    "sniff",
]
