"""Uploads: zip bombs, the request size cap, the virus scan and every place that takes a file.

The zip bombs are real: a 100MB entry of one repeated byte compresses to about 100KB, so
reading one of them whole is what took a server from 138MB to 957MB (issue 14, finding 4).
"""

from __future__ import annotations

import contextlib
import io
import logging
import random
import stat
import struct
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from thrive.opportunities import files

MB = 1024 * 1024
PDF = b"%PDF-1.4\n%%EOF\n"
ODT_MIME = b"application/vnd.oasis.opendocument.text"
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
PEAK_ALLOWED = 4 * MB


def _zip(entries: dict[str, bytes], *, bomb: str = "", bomb_bytes: int = 100 * MB) -> bytes:
    """A zip with the given small entries and, if ``bomb`` names one, a huge entry of zeros.

    The huge entry is written a megabyte at a time, so building it needs no memory.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        if bomb:
            with archive.open(bomb, "w") as entry:
                chunk = bytes(MB)
                for _ in range(bomb_bytes // MB):
                    entry.write(chunk)
    return buffer.getvalue()


DOCX_PARTS = {"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>"}

BOMBS = {
    # name: (entries, the entry that is huge, what the refusal calls the file)
    "report.odt": ({}, "mimetype", "OpenDocument text document"),
    "report.docx": (DOCX_PARTS, "word/document.xml", "Word document"),
    "accounts.xlsx": (DOCX_PARTS, "xl/workbook.xml", "Excel spreadsheet"),
}


@cache
def _bomb(name: str) -> bytes:
    entries, huge, _ = BOMBS[name]
    return _zip(entries, bomb=huge)


def _peak_during(action: Callable[[], object]) -> tuple[int, object]:
    """Python's peak memory, above what was in use before, while ``action`` runs."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        try:
            outcome: object = action()
        except Exception as exc:  # noqa: BLE001  # the caller checks what was raised
            outcome = exc
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    return peak, outcome


def _check(data: bytes, name: str) -> tuple[int, object]:
    upload = SimpleUploadedFile(name, data)
    return _peak_during(lambda: files.check_upload(upload))


# --- zip containers -----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_a_zip_bomb_is_refused_without_inflating_it(name: str) -> None:
    data = _bomb(name)
    assert len(data) < 300 * 1024  # about 100KB on the wire
    peak, outcome = _check(data, name)
    assert peak < PEAK_ALLOWED, f"peak {peak / MB:.1f}MB while checking a {len(data)} byte file"
    assert isinstance(outcome, ValidationError)
    assert outcome.messages == [f"The file {name} is not a valid {BOMBS[name][2]}"]


def _lie_about_size(data: bytes, name: bytes, declared: int) -> bytes:
    """The zip with ``name``'s uncompressed size in both its headers replaced by ``declared``."""
    patched = bytearray(data)
    local = patched.find(b"PK\x03\x04")
    while local != -1:
        length = struct.unpack_from("<H", patched, local + 26)[0]
        if patched[local + 30 : local + 30 + length] == name:
            struct.pack_into("<I", patched, local + 22, declared)
        local = patched.find(b"PK\x03\x04", local + 4)
    central = patched.find(b"PK\x01\x02")
    while central != -1:
        length = struct.unpack_from("<H", patched, central + 28)[0]
        if patched[central + 46 : central + 46 + length] == name:
            struct.pack_into("<I", patched, central + 24, declared)
        central = patched.find(b"PK\x01\x02", central + 4)
    return bytes(patched)


@pytest.mark.parametrize(
    ("name", "entries", "huge", "declared"),
    [
        # The one entry the check reads declares the length of the real text...
        ("report.odt", {}, "mimetype", len(ODT_MIME)),
        # ...and an entry it need not read declares a size in line with its compressed size.
        ("report.docx", DOCX_PARTS, "word/document.xml", 200 * 1024),
    ],
)
def test_a_zip_whose_headers_understate_an_entry_is_refused_reading_only_what_it_declares(
    name: str, entries: dict[str, bytes], huge: str, declared: int
) -> None:
    data = _lie_about_size(_zip(entries, bomb=huge), huge.encode(), declared)
    peak, outcome = _check(data, name)
    assert isinstance(outcome, ValidationError)
    assert outcome.messages == [f"The file {name} is not a valid {BOMBS[name][2]}"]
    assert peak < PEAK_ALLOWED


def test_a_zip_with_too_many_entries_is_refused_before_its_directory_is_read(settings) -> None:
    settings.THRIVE_ZIP_MAX_ENTRIES = 500
    entries = DOCX_PARTS | {f"word/media/{n}.xml": b"" for n in range(600)}
    peak, outcome = _check(_zip(entries), "many.docx")
    assert isinstance(outcome, ValidationError)
    assert outcome.messages == ["The file many.docx is not a valid Word document"]
    assert peak < PEAK_ALLOWED


def test_a_zip_whose_end_record_understates_its_parts_is_refused_before_its_directory_is_read(
    settings,
) -> None:
    settings.THRIVE_ZIP_MAX_ENTRIES = 50
    data = bytearray(_zip(DOCX_PARTS | {f"word/{n}.xml": b"" for n in range(20_000)}))
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 3, 3)  # "3 parts", over a directory of 20,002
    peak, outcome = _check(bytes(data), "few.docx")
    assert peak < PEAK_ALLOWED, f"peak {peak / MB:.1f}MB"
    assert isinstance(outcome, ValidationError)
    assert outcome.messages == ["The file few.docx is not a valid Word document"]


def test_a_zip_declaring_more_than_the_uncompressed_limit_is_refused(settings) -> None:
    settings.THRIVE_ZIP_MAX_UNCOMPRESSED_BYTES = 1 * MB
    # Text that compresses only about 4 to 1: the total, not the ratio, refuses it.
    text = b"".join(b"%08x " % (n * 2654435761 % 2**32) for n in range(250_000))
    assert len(text) > MB
    _peak, outcome = _check(_zip(DOCX_PARTS | {"word/document.xml": text}), "long.docx")
    assert isinstance(outcome, ValidationError)


def test_an_entry_compressed_with_an_unusual_method_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as archive:
        for name, data in (DOCX_PARTS | {"word/document.xml": b"<w/>"}).items():
            archive.writestr(name, data)
    _peak, outcome = _check(buffer.getvalue(), "odd.docx")
    assert isinstance(outcome, ValidationError)
    assert outcome.messages == ["The file odd.docx is not a valid Word document"]


def test_a_damaged_zip_is_refused_with_the_same_message() -> None:
    data = _zip(DOCX_PARTS | {"word/document.xml": b"<w>" + b"text " * 1000 + b"</w>"})
    middle = len(data) // 3
    damaged = data[:middle] + bytes(40) + data[middle + 40 :]
    _peak, outcome = _check(damaged, "cv.docx")
    assert isinstance(outcome, ValidationError)
    assert outcome.messages == ["The file cv.docx is not a valid Word document"]


def _damaged_copies(data: bytes, count: int, seed: int) -> list[bytes]:
    """``count`` copies of ``data``, each with a few bytes changed at random (repeatably)."""
    rng = random.Random(seed)
    copies = []
    for _ in range(count):
        copy = bytearray(data)
        for _ in range(rng.randint(1, 5)):
            copy[rng.randrange(len(copy))] = rng.randrange(256)
        copies.append(bytes(copy))
    return copies


def test_damaged_zips_are_refused_with_a_message_never_a_crash() -> None:
    original = _zip(
        DOCX_PARTS
        | {"word/document.xml": b"<w>" + b"hello world " * 500 + b"</w>", "mimetype": ODT_MIME}
    )
    for data in _damaged_copies(original, 1500, seed=1):
        with contextlib.suppress(ValidationError):
            files.check_upload(SimpleUploadedFile("x.docx", data))


@pytest.mark.parametrize(
    ("entries", "content_type"),
    [
        (
            DOCX_PARTS | {"word/document.xml": b"<w>" + b"A fine plan. " * 5000 + b"</w>"},
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            DOCX_PARTS | {"xl/workbook.xml": b"<workbook/>"},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            {"mimetype": ODT_MIME, "content.xml": b"<office/>"},
            "application/vnd.oasis.opendocument.text",
        ),
    ],
)
def test_real_office_documents_are_still_accepted(entries, content_type) -> None:
    checked = files.check_upload(SimpleUploadedFile("plan.bin", _zip(entries)))
    assert checked.content_type == content_type


def test_a_workbook_written_by_openpyxl_is_accepted() -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["name", "postcode"])
    book.active.append(["Ashbourne Arts", "WS1 1AA"])
    buffer = io.BytesIO()
    book.save(buffer)
    checked = files.check_upload(SimpleUploadedFile("orgs.xlsx", buffer.getvalue()))
    assert checked.extension == "xlsx"


# --- XLSX imports: openpyxl opens a zip too -------------------------------------------------


def _workbook_with_a_huge_cell(header: list[str]) -> bytes:
    """A real workbook whose first data cell is swapped for a text of 100MB.

    openpyxl builds each cell's text in memory, even in read-only mode.
    """
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(header)
    book.active.append(["x"] * len(header))
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info.filename, data)
                continue
            before, after = data.split(b"<t>x</t>", 1)
            with target.open(info.filename, "w") as entry:
                entry.write(before + b"<t>")
                chunk = b"A" * MB
                for _ in range(100):
                    entry.write(chunk)
                entry.write(b"</t>" + after)
    return out.getvalue()


def test_an_organisation_import_of_a_bomb_workbook_is_refused_without_inflating_it(db) -> None:
    from thrive.organisations.importing import import_organisations
    from thrive.organisations.models import Organisation

    data = _workbook_with_a_huge_cell(["name", "postcode"])
    peak, result = _peak_during(
        lambda: import_organisations(content=data, filename="orgs.xlsx", dry_run=False)
    )
    assert peak < PEAK_ALLOWED + len(data), f"peak {peak / MB:.1f}MB"
    assert not isinstance(result, Exception), result
    assert [str(e) for e in result.errors] == [
        "row 1, column (file): the file cannot be read as CSV or XLSX "
        "(a part of it would grow more than 100 times when opened)"
    ]
    assert not Organisation.objects.exists()


def test_a_360giving_import_of_a_bomb_workbook_is_refused_without_inflating_it(db) -> None:
    from thrive.opendata.importing import ImportFileError, import_360giving
    from thrive.opendata.models import ExternalGrant

    data = _workbook_with_a_huge_cell(["Identifier", "Title"])
    stream = io.BytesIO(data)
    peak, outcome = _peak_during(lambda: import_360giving(stream=stream, filename="g.xlsx"))
    assert peak < PEAK_ALLOWED, f"peak {peak / MB:.1f}MB"
    assert isinstance(outcome, ImportFileError)
    assert str(outcome) == (
        "The file is not a readable XLSX workbook: "
        "a part of it would grow more than 100 times when opened"
    )
    assert not ExternalGrant.objects.exists()


def test_damaged_workbooks_in_an_organisation_import_are_errors_never_a_crash(db) -> None:
    from openpyxl import Workbook

    from thrive.organisations.importing import import_organisations

    book = Workbook()
    book.active.append(["name", "postcode"])
    for n in range(30):
        book.active.append([f"Club {n}", "WS1 1AA"])
    buffer = io.BytesIO()
    book.save(buffer)
    damaged = [b"PK\x03\x04 not a zip", *_damaged_copies(buffer.getvalue(), 300, seed=2)]
    for data in damaged:
        result = import_organisations(content=data, filename="orgs.xlsx", dry_run=True)
        assert result.errors or len(result.plan) == 30


# --- the request size cap, before the body is read ----------------------------------------


class _Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def read(self, *args: object) -> bytes:
        raise AssertionError("the body of a request over the limit was read")

    readline = readinto = read  # type: ignore[assignment]


def test_a_page_request_over_the_limit_gets_a_413_page_without_its_body_being_read(
    client, settings
) -> None:
    limit = settings.THRIVE_UPLOAD_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.generic(
        "POST",
        reverse("accounts:login"),
        CONTENT_LENGTH=str(limit + 1),
        CONTENT_TYPE="multipart/form-data; boundary=x",
        **{"wsgi.input": _Unreadable()},
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert '<h1 class="govuk-heading-l">The file is too large</h1>' in response.text
    assert "smaller than 10MB" in response.text
    assert response["X-Frame-Options"] == "DENY"


def test_an_api_request_over_the_limit_gets_a_structured_413(client, settings) -> None:
    response = client.generic(
        "POST",
        "/api/v1/organisations",
        CONTENT_LENGTH=str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
        CONTENT_TYPE="application/json",
        **{"wsgi.input": _Unreadable()},
    )
    assert response.status_code == 413
    assert response.json() == {
        "code": "too_large",
        "message": "The request must be smaller than 2.5MB",
        "errors": {},
    }


def test_a_request_within_the_limit_is_served_as_before(client, db, settings) -> None:
    settings.THRIVE_UPLOAD_MAX_BYTES = 1 * MB
    body = {"username": "nobody", "password": "x" * (1 * MB)}
    response = client.post(reverse("accounts:login"), body)
    assert response.status_code == 200  # the sign-in page again, with its error


def test_uploads_are_spooled_to_disk_and_form_data_is_capped() -> None:
    from django.conf import settings

    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * MB
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * MB
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 10


@pytest.mark.browser
def test_the_413_page_is_accessible(live_server, page, settings) -> None:
    from thrive.testing.browser import assert_accessible

    settings.THRIVE_UPLOAD_MAX_BYTES = 100 * 1024
    page.goto(f"{live_server.url}/")
    page.evaluate(
        """() => {
            const form = document.createElement('form');
            form.method = 'post';
            form.enctype = 'multipart/form-data';
            form.action = '/';
            const field = document.createElement('textarea');
            field.name = 'big';
            field.value = 'x'.repeat(3 * 1024 * 1024);
            form.appendChild(field);
            document.body.appendChild(form);
            form.submit();
        }"""
    )
    page.wait_for_selector("h1:has-text('The file is too large')")
    assert_accessible(page)


# --- the virus scan -----------------------------------------------------------------------


def _scanner(tmp_path: Path, body: str) -> str:
    script = tmp_path / "scan.sh"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_no_scan_is_run_by_default() -> None:
    from django.conf import settings

    assert settings.THRIVE_VIRUS_SCAN_COMMAND == ""


def test_a_file_the_scanner_passes_is_accepted_and_the_scanner_reads_it(settings, tmp_path) -> None:
    seen = tmp_path / "seen.bin"
    settings.THRIVE_VIRUS_SCAN_COMMAND = _scanner(tmp_path, f"cat > {seen}; exit 0")
    checked = files.check_upload(SimpleUploadedFile("plan.pdf", PDF + b"body"))
    assert checked.extension == "pdf"
    assert seen.read_bytes() == PDF + b"body"


def test_a_file_the_scanner_finds_a_virus_in_is_refused(settings, tmp_path, caplog) -> None:
    settings.THRIVE_VIRUS_SCAN_COMMAND = _scanner(
        tmp_path, "if grep -q EICAR; then echo 'stream: Eicar-Test FOUND'; exit 1; fi; exit 0"
    )
    with (
        caplog.at_level(logging.WARNING, logger="thrive.core.uploads"),
        pytest.raises(ValidationError) as refused,
    ):
        files.check_upload(SimpleUploadedFile("plan.pdf", PDF + EICAR))
    assert refused.value.messages == ["The file plan.pdf contains a virus"]
    assert "Eicar-Test FOUND" in caplog.text
    assert files.check_upload(SimpleUploadedFile("clean.pdf", PDF)).extension == "pdf"


def test_a_path_form_scanner_gets_a_file_holding_the_upload(settings, tmp_path) -> None:
    seen = tmp_path / "seen.bin"
    script = _scanner(tmp_path, f'cp "$1" {seen}; exit 0')
    settings.THRIVE_VIRUS_SCAN_COMMAND = f"{script} {{path}}"
    files.check_upload(SimpleUploadedFile("plan.pdf", PDF + b"by path"))
    assert seen.read_bytes() == PDF + b"by path"


SCAN_FAILED = "We could not check the file for viruses. Try again later."


@pytest.mark.parametrize(
    ("body", "logged"),
    [
        ("echo 'ERROR: Could not connect to clamd'; exit 2", "exit status 2"),
        ("kill -9 $$", "exit status -9"),
    ],
)
def test_a_scanner_that_fails_refuses_the_file_and_is_logged(
    settings, tmp_path, caplog, body, logged
) -> None:
    settings.THRIVE_VIRUS_SCAN_COMMAND = _scanner(tmp_path, body)
    with (
        caplog.at_level(logging.ERROR, logger="thrive.core.uploads"),
        pytest.raises(ValidationError) as refused,
    ):
        files.check_upload(SimpleUploadedFile("plan.pdf", PDF))
    assert refused.value.messages == [SCAN_FAILED]
    assert logged in caplog.text


def test_a_missing_scanner_refuses_the_file_and_is_logged(settings, tmp_path, caplog) -> None:
    settings.THRIVE_VIRUS_SCAN_COMMAND = f"{tmp_path}/no-such-clamdscan --fdpass -"
    with (
        caplog.at_level(logging.ERROR, logger="thrive.core.uploads"),
        pytest.raises(ValidationError) as refused,
    ):
        files.check_upload(SimpleUploadedFile("plan.pdf", PDF))
    assert refused.value.messages == [SCAN_FAILED]
    assert "could not run" in caplog.text


def test_a_scanner_that_takes_too_long_is_stopped_and_the_file_refused(
    settings, tmp_path, caplog
) -> None:
    settings.THRIVE_VIRUS_SCAN_COMMAND = _scanner(tmp_path, "sleep 30; exit 0")
    settings.THRIVE_VIRUS_SCAN_TIMEOUT = 0.5
    started = time.monotonic()
    with (
        caplog.at_level(logging.ERROR, logger="thrive.core.uploads"),
        pytest.raises(ValidationError) as refused,
    ):
        files.check_upload(SimpleUploadedFile("plan.pdf", PDF))
    assert time.monotonic() - started < 5
    assert refused.value.messages == [SCAN_FAILED]
    assert "took longer than 0.5 seconds" in caplog.text


# --- every place that takes a file goes through the same check ----------------------------


@pytest.fixture
def infected(settings, tmp_path) -> bytes:
    """Scanning on, with a scanner that finds EICAR; a PDF carrying it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.THRIVE_VIRUS_SCAN_COMMAND = _scanner(tmp_path, "if grep -q EICAR; then exit 1; fi")
    return PDF + EICAR


def _monitoring_return(upload):
    from thrive.monitoring import services
    from thrive.monitoring.tests.factories import award_with_plan

    _award, plan = award_with_plan()
    item = plan.returns.first()
    services.add_attachment(monitoring_return=item, upload=upload, actor=None)
    return item.attachments


def _application_attachment(upload):
    from thrive.accounts.tests.factories import MembershipFactory
    from thrive.applications.services import drafts
    from thrive.applications.tests.factories import ApplicationFactory

    application = ApplicationFactory()
    member = MembershipFactory(organisation=application.organisation).user
    drafts.upload_attachment(
        application=application, question_key="quote", upload=upload, actor=member
    )
    return application.attachments


def _opportunity_document(upload):
    from thrive.opportunities import services
    from thrive.opportunities.tests.factories import OpportunityFactory

    opportunity = OpportunityFactory()
    services.add_document(opportunity=opportunity, actor=None, title="Spec", upload=upload)
    return opportunity.documents


def _need_evidence(upload):
    from thrive.commissioning.models import EvidenceSource
    from thrive.commissioning.services import needs
    from thrive.commissioning.tests.factories import NeedFactory

    need = NeedFactory()
    needs.add_evidence(
        need=need, source=EvidenceSource.values[0], title="Survey", actor=None, file=upload
    )
    return need.evidence


def _council_logo(upload):
    from thrive.accounts.services.council_details import ContactDetails, save_council_details
    from thrive.accounts.tests.factories import CouncilFactory

    council = CouncilFactory()
    save_council_details(council=council, actor=None, details=ContactDetails(), logo=upload)
    return council.logo


PLACES = {
    "council logo": _council_logo,
    "monitoring return": _monitoring_return,
    "application attachment": _application_attachment,
    "opportunity document": _opportunity_document,
    "evidence for a need": _need_evidence,
}


# Each form or model with a file field, and the test above that sends it a bomb and a virus.
FILE_FIELDS = {
    "accounts CouncilDetailsForm": "council logo",
    "applications UploadForm": "application attachment",
    "applications Attachment": "application attachment",
    "monitoring UploadForm": "monitoring return",
    "monitoring ReturnAttachment": "monitoring return",
    "opportunities DocumentForm": "opportunity document",
    "opportunities Document": "opportunity document",
    "commissioning EvidenceForm": "evidence for a need",
    "commissioning EvidenceItem": "evidence for a need",
    "organisations ImportForm": "organisation import",
}
"""Each class with a file field, by its app (wherever in the app it lives) and its name."""

# File fields that only ever hold a file the service wrote itself, never one a person sent.
MADE_BY_THE_SERVICE = {
    "core ExportJob": "an export made in the background from the database's own rows",
}


def _classes_with_file_fields() -> set[str]:
    import ast

    root = Path(__file__).resolve().parents[3]
    found = set()
    for path in sorted((root / "thrive").rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(call, ast.Call) and ast.unparse(call.func).endswith("FileField")
                for call in ast.walk(node)
            ):
                found.add(f"{path.relative_to(root).parts[1]} {node.name}")
    return found


def test_every_file_field_in_the_code_is_one_these_tests_send_bombs_and_viruses_to() -> None:
    assert _classes_with_file_fields() == set(FILE_FIELDS) | set(MADE_BY_THE_SERVICE), (
        "A new place takes a file: check it with thrive.core.uploads.check_upload and add it "
        "to FILE_FIELDS and PLACES here"
    )
    assert set(FILE_FIELDS.values()) == set(PLACES) | {"organisation import"}


@pytest.mark.parametrize("place", sorted(PLACES))
def test_every_place_that_keeps_a_file_refuses_a_zip_bomb(db, settings, tmp_path, place) -> None:
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("report.docx", _bomb("report.docx"))
    with pytest.raises(ValidationError) as refused:
        PLACES[place](upload)
    assert "The file report.docx is not a valid Word document" in refused.value.messages


@pytest.mark.parametrize("place", sorted(PLACES))
def test_every_place_that_keeps_a_file_refuses_a_virus(db, infected, place) -> None:
    with pytest.raises(ValidationError) as refused:
        PLACES[place](SimpleUploadedFile("plan.pdf", infected))
    assert "The file plan.pdf contains a virus" in refused.value.messages


def test_the_organisation_import_page_scans_the_file(db, infected) -> None:
    from thrive.organisations.forms.register import ImportForm

    form = ImportForm({}, {"file": SimpleUploadedFile("orgs.csv", b"name\nA\n" + EICAR)})
    assert not form.is_valid()
    assert form.errors["file"] == ["The file orgs.csv contains a virus"]
    clean = ImportForm({}, {"file": SimpleUploadedFile("orgs.csv", b"name\nAshbourne Arts\n")})
    assert clean.is_valid(), clean.errors


def test_the_organisation_import_page_uses_the_service_upload_limit(db, settings) -> None:
    from thrive.organisations.forms.register import ImportForm

    settings.THRIVE_UPLOAD_MAX_BYTES = 1 * MB
    big = SimpleUploadedFile("orgs.csv", b"name\n" + b"A\n" * MB)
    form = ImportForm({}, {"file": big})
    assert form.errors["file"] == ["The selected file must be smaller than 1MB"]


def test_the_monitoring_upload_page_shows_a_zip_bomb_refusal_and_keeps_nothing(
    client, db, settings, tmp_path
) -> None:
    from thrive.accounts.tests.factories import MembershipFactory
    from thrive.monitoring.tests.factories import award_with_plan

    settings.MEDIA_ROOT = tmp_path
    award, plan = award_with_plan()
    item = plan.returns.first()
    member = MembershipFactory(organisation=award.organisation)
    client.force_login(member.user)
    url = reverse("monitoring:return_upload", args=[item.pk])
    upload = SimpleUploadedFile("report.docx", _bomb("report.docx"))
    response = client.post(url, {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "The file report.docx is not a valid Word document" in response.text
    assert not item.attachments.exists()


def test_damaged_workbooks_in_a_360giving_import_are_refused_never_a_crash(db) -> None:
    from openpyxl import Workbook

    from thrive.opendata.importing import ImportFileError, import_360giving

    book = Workbook()
    book.active.append(["Identifier", "Title", "Amount Awarded", "Currency"])
    for n in range(30):
        book.active.append([f"360G-x-{n}", f"Grant {n}", 1000, "GBP"])
    buffer = io.BytesIO()
    book.save(buffer)
    for data in _damaged_copies(buffer.getvalue(), 300, seed=3):
        with contextlib.suppress(ImportFileError):
            import_360giving(stream=io.BytesIO(data), filename="g.xlsx", dry_run=True)


def test_the_evidence_page_shows_a_zip_bomb_refusal_in_the_error_summary(
    client, db, settings, tmp_path
) -> None:
    from thrive.commissioning.models import EvidenceItem, EvidenceSource
    from thrive.commissioning.tests.factories import NeedFactory, commissioner_of

    settings.MEDIA_ROOT = tmp_path
    need = NeedFactory()
    client.force_login(commissioner_of(need.directorate))
    response = client.post(
        reverse("commissioning:need_evidence", args=[need.pk]),
        {
            "source": EvidenceSource.values[0],
            "title": "Survey",
            "file": SimpleUploadedFile("survey.docx", _bomb("report.docx")),
        },
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "The file survey.docx is not a valid Word document" in response.text
    assert not EvidenceItem.objects.exists()
