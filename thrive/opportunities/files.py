"""Uploaded files are judged by their content, never their name, and capped in size."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

ALLOWED_DESCRIPTION = "a PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT), PNG or JPEG"
_ODT = b"application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


def max_upload_bytes() -> int:
    return int(getattr(settings, "THRIVE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def _zip_kind(upload: Any) -> tuple[str, str] | None:
    """Tell DOCX, XLSX and ODT apart by what is inside the zip container."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == _ODT:
                return "application/vnd.oasis.opendocument.text", "odt"
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return (
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        "docx",
                    )
                if any(n.startswith("xl/") for n in names):
                    return (
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        "xlsx",
                    )
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return None


def sniff(upload: Any) -> tuple[str, str] | None:
    """The real type of the file from its first bytes (and zip contents), or None."""
    upload.seek(0)
    head = upload.read(8)
    if head.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    return None


def check_upload(upload: Any) -> CheckedFile:
    """Refuse empty, too large or unsupported files with a GOV.UK-style message."""
    size = int(getattr(upload, "size", 0) or 0)
    if size == 0:
        raise ValidationError("The selected file is empty")
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(f"The selected file must be smaller than {limit // (1024 * 1024)}MB")
    kind = sniff(upload)
    if kind is None:
        raise ValidationError(f"The selected file must be {ALLOWED_DESCRIPTION}")
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(kind[0], kind[1], size, digest.hexdigest())


def safe_name(name: str, extension: str) -> str:
    """A plain file name kept for display, ending in the extension of its real type."""
    base = (name or "file").rsplit(".", 1)[0]
    stem = "".join(c if c.isalnum() or c in "-_ " else "-" for c in base)
    stem = (stem.strip(" -") or "file")[:80]
    return f"{stem}.{extension}"
