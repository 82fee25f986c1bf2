"""Uploads: judged by their content, never their name; capped before they are read; scanned.

Every place that accepts a file (opportunity documents, application and monitoring
attachments, evidence for a need, imports) goes through :func:`check_upload`, and every
XLSX import through :func:`check_zip` before the workbook is opened:

- a request whose declared body is larger than allowed is refused with 413 before any of
  it is read (``thrive.core.upload_limits.UploadLimitMiddleware``);
- a zip container (DOCX, XLSX, ODT and the like) is judged by its directory before any part
  is inflated: how many parts, how large they say they are, and how far each would grow.
  Each part is then inflated a piece at a time, never past the size it declares, so a part
  whose header understates it fails its checksum instead of filling memory;
- when ``THRIVE_VIRUS_SCAN_COMMAND`` is set, the file is given to the scanner, and a file
  the scanner could not check is refused, never accepted unchecked.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shlex
import signal
import struct
import subprocess  # only to run the operator's virus scanner, with no shell  # nosec B404
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError

logger = logging.getLogger(__name__)

MB = 1024 * 1024
ALLOWED_DESCRIPTION = "a PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT), PNG or JPEG"
_ODT = b"application/vnd.oasis.opendocument.text"
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_OOXML_PARTS = {"word/": (_DOCX, "docx"), "xl/": (_XLSX, "xlsx")}
_KIND_NAMES = {
    "docx": "Word document",
    "xlsx": "Excel spreadsheet",
    "odt": "OpenDocument text document",
    "ods": "OpenDocument spreadsheet",
    "pptx": "PowerPoint presentation",
}
SCAN_FAILED = "We could not check the file for viruses. Try again later."

# A part this small may grow by any ratio: a page of spaces is harmless.
_RATIO_FLOOR = 1 * MB
_CHUNK = 64 * 1024
_DIRECTORY_ENTRY_MAX = 1024
_MIMETYPE_MAX = 100
_END_OF_DIRECTORY = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END = b"PK\x06\x06"
# What Python's zipfile (and so openpyxl) raises on a damaged or hostile container.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,
    RuntimeError,
    NotImplementedError,
    zlib.error,
    struct.error,
)


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


class UnsafeZip(ValueError):
    """A zip container that cannot be opened safely; the text says why, for logs and imports."""


def max_upload_bytes() -> int:
    return int(getattr(settings, "THRIVE_UPLOAD_MAX_BYTES", 10 * MB))


def megabytes(size: float) -> str:
    return f"{size / MB:.1f}".removesuffix(".0") + "MB"


def display_name(upload: Any) -> str:
    """The uploaded file's own name, without any folders, short enough for a message."""
    name = os.path.basename(str(getattr(upload, "name", "") or "file").replace("\\", "/"))
    return name[:100] or "file"


# --- zip containers -----------------------------------------------------------------------


@dataclass(frozen=True)
class ZipLimits:
    entries: int
    uncompressed: int
    ratio: int


def zip_limits() -> ZipLimits:
    return ZipLimits(
        entries=int(getattr(settings, "THRIVE_ZIP_MAX_ENTRIES", 1000)),
        uncompressed=int(getattr(settings, "THRIVE_ZIP_MAX_UNCOMPRESSED_BYTES", 100 * MB)),
        ratio=int(getattr(settings, "THRIVE_ZIP_MAX_RATIO", 100)),
    )


def _declared_directory(stream: IO[bytes]) -> tuple[int, int]:
    """How many parts the zip's end record says it has, and the size of its directory.

    Read from the file's last bytes only, before Python's zipfile loads the directory.
    """
    size = stream.seek(0, os.SEEK_END)
    tail_size = min(size, 22 + 0xFFFF)
    stream.seek(size - tail_size)
    tail = stream.read(tail_size)
    at = tail.rfind(_END_OF_DIRECTORY)
    if at < 0 or len(tail) < at + 22:
        raise UnsafeZip("it has no zip directory")
    entries, directory = struct.unpack_from("<HI", tail, at + 10)
    locator = tail[max(at - 20, 0) : at]
    if entries == 0xFFFF and locator.startswith(_ZIP64_LOCATOR):
        stream.seek(struct.unpack_from("<Q", locator, 8)[0])
        record = stream.read(56)
        if not record.startswith(_ZIP64_END) or len(record) < 48:
            raise UnsafeZip("its zip directory is damaged")
        entries, directory = struct.unpack_from("<QQ", record, 32)
    return entries, directory


def _check_entry(info: zipfile.ZipInfo, limits: ZipLimits) -> None:
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise UnsafeZip("a part of it is compressed in a way office documents do not use")
    if info.flag_bits & 0x1:
        raise UnsafeZip("a part of it is encrypted")
    if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
        raise UnsafeZip("a stored part of it gives two different sizes")
    if info.file_size > _RATIO_FLOOR and info.file_size > limits.ratio * info.compress_size:
        raise UnsafeZip(f"a part of it would grow more than {limits.ratio} times when opened")
    # Deflate never adds more than a few bytes in every 64KB: more means the size is a lie.
    if info.compress_size > info.file_size + info.file_size // 1000 + 1024:
        raise UnsafeZip("a part of it says it is smaller than its compressed data")


def open_checked_zip(stream: IO[bytes]) -> zipfile.ZipFile:
    """Open a zip whose directory passes the limits, having inflated nothing; else UnsafeZip."""
    limits = zip_limits()
    entries, directory = _declared_directory(stream)
    # A directory entry is 46 bytes and the part's name: 1KB each is ample for real files.
    if entries > limits.entries or directory > limits.entries * _DIRECTORY_ENTRY_MAX:
        raise UnsafeZip(f"it has more than {limits.entries:,} parts")
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
    except ZIP_ERRORS as exc:
        raise UnsafeZip(f"its zip directory is damaged ({exc})") from exc
    try:
        infos = archive.infolist()
        if len(infos) > limits.entries:
            raise UnsafeZip(f"it has more than {limits.entries:,} parts")
        total = 0
        for info in infos:
            _check_entry(info, limits)
            total += info.file_size
        if total > limits.uncompressed:
            raise UnsafeZip(f"it would be larger than {megabytes(limits.uncompressed)} opened")
    except UnsafeZip:
        archive.close()
        raise
    return archive


def check_zip(stream: IO[bytes]) -> None:
    """Refuse, with UnsafeZip, a zip whose directory breaks the limits; inflate nothing."""
    open_checked_zip(stream).close()
    stream.seek(0)


def _verify(archive: zipfile.ZipFile) -> None:
    """Inflate every part a piece at a time, never past its declared size; check checksums."""
    for info in archive.infolist():
        with archive.open(info) as part:
            while part.read(_CHUNK):
                pass


def _read_part(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A small part whole (so its checksum is checked), or nothing if it says it is larger."""
    info = archive.getinfo(name)
    if info.file_size > limit:
        return b""
    with archive.open(info) as part:
        return part.read(limit)


def _zip_kind(upload: Any) -> tuple[str, str] | None:
    """Tell DOCX, XLSX and ODT apart by what is inside the zip container."""
    upload.seek(0)
    with open_checked_zip(upload) as archive:
        try:
            _verify(archive)
            odt = "mimetype" in archive.namelist() and _read_part(
                archive, "mimetype", _MIMETYPE_MAX
            )
        except ZIP_ERRORS as exc:
            raise UnsafeZip(f"a part of it is damaged or not what it says ({exc})") from exc
        if odt and odt.strip() == _ODT:
            return _ODT.decode(), "odt"
        names = archive.namelist()
        if "[Content_Types].xml" not in names:
            return None
        for prefix, kind in _OOXML_PARTS.items():
            if any(n.startswith(prefix) for n in names):
                return kind
    return None


def sniff(upload: Any) -> tuple[str, str] | None:
    """The real type of the file from its first bytes (and zip contents), or None.

    Raises UnsafeZip for a zip container that cannot be opened safely.
    """
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


def _not_valid(upload: Any, reason: str) -> ValidationError:
    name = display_name(upload)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    logger.warning("Refused the upload %s: %s", name, reason)
    return ValidationError(
        f"The file {name} is not a valid {_KIND_NAMES.get(extension, 'document')}"
    )


def check_size(upload: Any) -> int:
    """The upload's size, refusing an empty file or one over THRIVE_UPLOAD_MAX_BYTES."""
    size = int(getattr(upload, "size", 0) or 0)
    if size == 0:
        raise ValidationError("The selected file is empty")
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(f"The selected file must be smaller than {megabytes(limit)}")
    return size


def check_upload(upload: Any) -> CheckedFile:
    """Refuse empty, too large, unsupported, unsafe or infected files with a GOV.UK message."""
    size = check_size(upload)
    try:
        kind = sniff(upload)
    except UnsafeZip as exc:
        raise _not_valid(upload, str(exc)) from exc
    if kind is None:
        raise ValidationError(f"The selected file must be {ALLOWED_DESCRIPTION}")
    scan_for_viruses(upload)
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


# --- the virus scan -----------------------------------------------------------------------


def _chunks(upload: Any) -> Iterator[bytes]:
    upload.seek(0)
    yield from upload.chunks() if hasattr(upload, "chunks") else [upload.read()]
    upload.seek(0)


@contextmanager
def _on_disk(upload: Any) -> Iterator[str]:
    """A path holding the upload: Django's own temporary file, or one written for the scan."""
    if hasattr(upload, "temporary_file_path"):
        yield upload.temporary_file_path()
        return
    with tempfile.NamedTemporaryFile(prefix="thrive-scan-", suffix=".upload") as spool:
        for chunk in _chunks(upload):
            spool.write(chunk)
        spool.flush()
        yield spool.name


def _run(args: list[str], body: bytes | None, timeout: float) -> tuple[int, str]:
    """Run the scanner in its own process group, killing the whole group on a timeout."""
    # The command comes from the operator's settings and is run without a shell (B603).
    process = subprocess.Popen(  # noqa: S603  # nosec B603
        args,
        stdin=subprocess.PIPE if body is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(input=body, timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    return process.returncode, output.decode("utf-8", "replace").strip()[:500]


def _scan(command: str, upload: Any, timeout: float) -> tuple[int, str]:
    """Give the file to the scanner on its standard input, or as a path where ``{path}`` is."""
    args = shlex.split(command)
    if "{path}" not in command:
        return _run(args, b"".join(_chunks(upload)), timeout)
    with _on_disk(upload) as path:
        return _run([a.replace("{path}", path) for a in args], None, timeout)


def scan_for_viruses(upload: Any) -> None:
    """Refuse the file unless the configured scanner (if any) says it is clean (exit status 0).

    Exit status 1 means a virus was found; anything else (no scanner, an error, no answer in
    time) means the file could not be checked, and it is refused too.
    """
    command = str(getattr(settings, "THRIVE_VIRUS_SCAN_COMMAND", "") or "")
    if not command.strip():
        return
    name = display_name(upload)
    timeout = float(getattr(settings, "THRIVE_VIRUS_SCAN_TIMEOUT", 60))
    try:
        status, output = _scan(command, upload, timeout)
    except subprocess.TimeoutExpired:
        logger.error("Virus scan of %s took longer than %s seconds; refused", name, timeout)
        raise ValidationError(SCAN_FAILED) from None
    except (OSError, ValueError) as exc:
        logger.error("Virus scan of %s could not run: %s; refused", name, exc)
        raise ValidationError(SCAN_FAILED) from exc
    if status == 0:
        return
    if status == 1:
        logger.warning("Virus scan found a virus in %s: %s", name, output)
        raise ValidationError(f"The file {name} contains a virus")
    logger.error("Virus scan of %s failed with exit status %s: %s; refused", name, status, output)
    raise ValidationError(SCAN_FAILED)
