"""``thrive import charity-register``: charity numbers checked against a made-up extract of
the Charity Commission's register, in its JSON, text and zipped forms, and wrong files."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import CouncilFactory, staff_with_role
from thrive.opendata.charity_register.checking import check_register
from thrive.opendata.charity_register.reading import RegisterFileError
from thrive.opendata.models import ImportKind, ImportRun
from thrive.organisations.models import CharityRegisterCheck, RegisterStatus
from thrive.organisations.tests.factories import IdentifierFactory

# Made-up numbers: the register has not reached 1,300,000, so none is a real charity.
FOOD_BANK, HOLLINS, GREYSTONE, NOT_ON_REGISTER, SOMEONE_ELSE = (
    "1999901",
    "1999902",
    "1999903",
    "1999904",
    "1999905",
)
EXTRACT_DAY = "2026-12-01T00:00:00"


def _record(number: str, name: str, **fields) -> dict:
    return {
        "date_of_extract": EXTRACT_DAY,
        "organisation_number": 9_000_000 + int(number) % 1000,
        "registered_charity_number": int(number),
        "linked_charity_number": 0,
        "charity_name": name,
        "charity_type": "Other",
        "charity_registration_status": "Registered",
        "date_of_registration": "2001-05-12T00:00:00",
        "date_of_removal": None,
        "latest_acc_fin_period_end_date": "2025-03-31T00:00:00",
        "latest_income": 45210.5,
        "charity_contact_postcode": "WS1 2AB",
        **fields,
    }


RECORDS = [
    _record(FOOD_BANK, "BRACKENFORD FOOD BANK"),
    _record(FOOD_BANK, "BRACKENFORD FOOD BANK WELFARE FUND", linked_charity_number=1),
    _record(
        HOLLINS,
        "THE HOLLINS TRUST",
        charity_registration_status="Removed",
        date_of_removal="2019-06-30T00:00:00",
        latest_income=None,
    ),
    _record(GREYSTONE, "MOORLAND MUSIC SOCIETY"),
    _record(SOMEONE_ELSE, "A CHARITY NOBODY HERE HOLDS"),
]


def _json_bytes(records: list[dict] = RECORDS) -> bytes:
    return b"\xef\xbb\xbf" + json.dumps(records).encode()  # the real file starts with a BOM


def _text_bytes(records: list[dict] = RECORDS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]), delimiter="\t", lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow(
            {
                k: "" if v is None else str(v).replace("T00:00:00", " 00:00:00")
                for k, v in record.items()
            }
        )
    return out.getvalue().encode("utf-8-sig")


def _zip_bytes(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture
def council(db):
    return CouncilFactory(name="Westshire County Council", slug="westshire")


@pytest.fixture
def held(db):
    """Four organisations on the register holding charity numbers."""
    return {
        number: IdentifierFactory(organisation__name=name, value=number).organisation
        for number, name in [
            (FOOD_BANK, "Brackenford Food Bank CIO"),
            (HOLLINS, "Hollins Trust"),
            (GREYSTONE, "Greystone Arts"),
            (NOT_ON_REGISTER, "Castlemere Carers"),
        ]
    }


def _check(content: bytes, name: str = "publicextract.charity.json", **kwargs):
    return check_register(stream=io.BytesIO(content), filename=name, **kwargs)


SUMMARY = (
    "Read 5 record(s) from the register extract of 1 December 2026 (4 charities and 1 linked "
    "charities). 4 charity number(s) held on the register were checked: 4 new, 0 changed and "
    "0 unchanged. 3 were flagged: 1 removed from the register, 1 not on the register and 1 "
    "registered under another name."
)


def test_the_json_extract_confirms_and_flags_each_charity_number(held) -> None:
    result = _check(_json_bytes())
    assert result.summary() == SUMMARY
    checks = {c.charity_number: c for c in CharityRegisterCheck.objects.all()}
    food_bank = checks[FOOD_BANK]
    assert food_bank.organisation == held[FOOD_BANK]
    assert (food_bank.status, food_bank.register_name) == ("registered", "BRACKENFORD FOOD BANK")
    assert str(food_bank.registered_on) == "2001-05-12"
    assert food_bank.latest_income_pence == 4_521_050
    assert str(food_bank.income_period_end) == "2025-03-31"
    assert str(food_bank.extract_date) == "2026-12-01"
    assert not food_bank.name_differs and not food_bank.flagged  # "CIO" and case set aside
    assert (checks[HOLLINS].status, str(checks[HOLLINS].removed_on)) == ("removed", "2019-06-30")
    assert not checks[HOLLINS].name_differs  # "The" set aside
    assert checks[GREYSTONE].name_differs and checks[GREYSTONE].flagged
    assert checks[NOT_ON_REGISTER].status == RegisterStatus.NOT_FOUND
    assert SOMEONE_ELSE not in checks


def test_the_run_is_kept_with_every_flag(held) -> None:
    _check(_json_bytes())
    run = ImportRun.objects.get()
    assert (run.kind, run.records_read, run.warnings) == (ImportKind.CHARITY_REGISTER, 5, 3)
    assert [(p["kind"], p["message"]) for p in run.problems] == [
        ("removed", f"charity {HOLLINS} was removed from the register on 30 June 2019"),
        (
            "name-differs",
            f"charity {GREYSTONE} is registered as MOORLAND MUSIC SOCIETY, not Greystone Arts",
        ),
        ("not-on-register", f"charity {NOT_ON_REGISTER} is not on the register"),
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("publicextract.charity.txt", _text_bytes()),
        ("publicextract.charity.zip", _zip_bytes("publicextract.charity.json", _json_bytes())),
        ("publicextract.charity.zip", _zip_bytes("publicextract.charity.txt", _text_bytes())),
    ],
)
def test_the_text_and_zipped_forms_give_the_same_checks(held, name: str, content: bytes) -> None:
    assert _check(content, name).summary() == SUMMARY
    food_bank = CharityRegisterCheck.objects.get(charity_number=FOOD_BANK)
    assert (str(food_bank.registered_on), food_bank.latest_income_pence) == (
        "2001-05-12",
        4_521_050,
    )


def test_a_dry_run_counts_the_same_and_writes_nothing(held) -> None:
    result = _check(_json_bytes(), dry_run=True)
    assert result.summary() == SUMMARY.replace("were", "would be")
    assert CharityRegisterCheck.objects.count() == 0
    assert ImportRun.objects.count() == 0


def test_a_later_extract_updates_only_what_changed(held) -> None:
    _check(_json_bytes())
    later = [dict(r) for r in RECORDS]
    later[0]["latest_income"] = 50000
    result = _check(_json_bytes(later))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    assert (
        CharityRegisterCheck.objects.get(charity_number=FOOD_BANK).latest_income_pence == 5_000_000
    )
    assert CharityRegisterCheck.objects.count() == 4


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (json.dumps({"grants": [{"id": "360G-x"}]}).encode(), "is a JSON object"),
        (json.dumps({"releases": [], "uri": "x"}).encode(), "may be a 360Giving or OCDS file"),
        (json.dumps([{"id": "360G-x", "title": "A grant"}]).encode(), "its records have no"),
        (b"registered_charity_number\tfin_period_order_number\n1999901\t1\n", "charity_name"),
        (b"name,charity_number\nA,1999901\n", "neither the register extract's JSON"),
        (b'[{"registered_charity_number": 1', "is not valid JSON"),
        (b"[]", "holds no charities"),
        (_zip_bytes("readme.md", b"hello"), "should hold one publicextract.charity"),
    ],
)
def test_a_wrong_file_is_refused_and_nothing_changes(held, content: bytes, message: str) -> None:
    with pytest.raises(RegisterFileError, match=message):
        _check(content, "file.json")
    assert CharityRegisterCheck.objects.count() == 0


def test_the_command_prints_flags_and_exact_counts(held, tmp_path) -> None:
    path = tmp_path / "publicextract.charity.json"
    path.write_bytes(_json_bytes())
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "charity-register", str(path), stdout=out, stderr=err, verbosity=0)
    assert SUMMARY in out.getvalue()
    assert (
        f"flag: Greystone Arts (charity {GREYSTONE}): charity {GREYSTONE} is registered as"
        in err.getvalue()
    )
    assert CharityRegisterCheck.objects.count() == 4


def test_the_command_dry_run_writes_nothing(held, tmp_path) -> None:
    path = tmp_path / "publicextract.charity.txt"
    path.write_bytes(_text_bytes())
    out = io.StringIO()
    call_command("import", "charity-register", str(path), "--dry-run", stdout=out, verbosity=0)
    assert "Nothing was written." in out.getvalue()
    assert CharityRegisterCheck.objects.count() == 0


def test_the_command_refuses_a_wrong_file(held, tmp_path) -> None:
    path = tmp_path / "grants.json"
    path.write_text(json.dumps({"grants": []}))
    with pytest.raises(CommandError, match=r"Nothing was checked\. grants\.json is a JSON object"):
        call_command("import", "charity-register", str(path), verbosity=0)


def test_the_cli_exits_1_with_a_clear_message_for_a_wrong_file(tmp_path) -> None:
    path = tmp_path / "grants.json"
    path.write_text(json.dumps({"grants": []}))
    done = subprocess.run(
        [sys.executable, "-m", "thrive.cli", "import", "charity-register", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env={"THRIVE_ENV": "test", "DATABASE_URL": "sqlite:///:memory:", "PATH": ""},
    )
    assert done.returncode == 1
    assert (
        "grants.json is a JSON object, not the register extract's list of charities" in done.stderr
    )


def test_the_third_sector_test_shows_the_register_evidence(held, client, council) -> None:
    _check(_json_bytes())
    client.force_login(staff_with_role(Role.COMMISSIONER, council=council))
    page = client.get(reverse("organisations:detail", args=[held[FOOD_BANK].pk])).text
    assert (
        f"Registered charity {FOOD_BANK} since 2001, latest income £45,210.50 in the year to "
        "31 March 2025, checked against the register extract of 1 December 2026." in page
    )
    removed = client.get(reverse("organisations:detail", args=[held[HOLLINS].pk])).text
    assert f"Charity {HOLLINS} was removed from the register on 30 June 2019" in removed
    renamed = client.get(
        reverse("organisations:third_sector_review", args=[held[GREYSTONE].pk])
    ).text
    assert "The register names it MOORLAND MUSIC SOCIETY." in renamed


def test_a_number_no_longer_held_loses_its_old_evidence(held) -> None:
    _check(_json_bytes())
    held[GREYSTONE].identifiers.all().delete()
    result = _check(_json_bytes())
    assert result.summary().endswith("1 check(s) of numbers no longer held were removed.")
    assert not CharityRegisterCheck.objects.filter(charity_number=GREYSTONE).exists()
    assert CharityRegisterCheck.objects.count() == 3
