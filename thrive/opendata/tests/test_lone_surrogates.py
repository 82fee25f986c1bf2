"""A published JSON text holding half a surrogate pair imports the same on every database:
kept with U+FFFD in its place and a warning naming the grant and the field."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from thrive.opendata import lone_surrogates
from thrive.opendata.importing import import_360giving
from thrive.opendata.models import ExternalGrant, ImportRun

FUNDER = {"id": "360G-testtrust", "name": "Test Trust"}


def _grant(number: int, **changes: str) -> dict:
    grant = {
        "id": f"360G-testtrust-{number}",
        "title": "Community lunch club",
        "description": "Weekly lunches",
        "currency": "GBP",
        "amountAwarded": 4999,
        "awardDate": "2025-06-01",
        "recipientOrganization": [{"id": f"360G-testtrust-ORG-{number}", "name": "Lunch Club"}],
        "fundingOrganization": [dict(FUNDER)],
    }
    grant.update(changes)
    return grant


def _file(grants: list[dict]) -> bytes:
    """JSON as published, every character beyond ASCII written as a \\u escape."""
    return json.dumps({"grants": grants}, ensure_ascii=True).encode()


@pytest.mark.django_db
def test_a_lone_surrogate_is_kept_as_a_replacement_character_with_a_located_warning(
    tmp_path: Path,
) -> None:
    grants = [
        _grant(1, description="Lunches \ud83d and teas"),  # an emoji cut in half
        _grant(2, title="Tea \udc00 dance"),
        _grant(3, description="Whole emoji \U0001f600 kept"),
    ]
    grants[1]["recipientOrganization"][0]["name"] = "Club \ud800A"  # a first half, no second

    result = import_360giving(stream=io.BytesIO(_file(grants)), filename="trust.json")

    assert (result.created, result.unusable) == (3, 0), result.errors
    first, second, third = (ExternalGrant.objects.get(grant_id=g["id"]) for g in grants)
    assert first.description == "Lunches \ufffd and teas"
    assert first.data["description"] == "Lunches \ufffd and teas"
    assert second.title == "Tea \ufffd dance"
    assert second.data["recipientOrganization"][0]["name"] == "Club \ufffdA"
    assert third.description == "Whole emoji \U0001f600 kept"
    found = sorted(
        (p.grant_id, p.location, p.field) for p in result.warnings if p.kind == "not-unicode"
    )
    assert found == [
        ("360G-testtrust-1", "grants/0", "description"),
        ("360G-testtrust-2", "grants/1", "recipientOrganization/0/name"),
        ("360G-testtrust-2", "grants/1", "title"),
    ]
    assert "U+FFFD" in next(p for p in result.warnings if p.kind == "not-unicode").message
    kept = ImportRun.objects.get().problems
    assert sum(1 for p in kept if p["kind"] == "not-unicode") == 3

    out = tmp_path / "back.json"
    call_command("export", "external-grants", str(out), stdout=io.StringIO())
    back = json.loads(out.read_text(encoding="utf-8"))["grants"]
    assert back[0]["description"] == "Lunches \ufffd and teas"


@pytest.mark.django_db
def test_a_lone_surrogate_in_a_field_name_is_replaced_too() -> None:
    grant = _grant(1)
    grant["x-note\udfff"] = "kept"

    result = import_360giving(stream=io.BytesIO(_file([grant])), filename="trust.json")

    assert result.created == 1, result.errors
    assert ExternalGrant.objects.get().data["x-note\ufffd"] == "kept"
    assert [p.field for p in result.warnings if p.kind == "not-unicode"] == ["x-note\ufffd"]


@pytest.mark.parametrize(
    ("text", "lone"),
    [
        (rb'"\ud800"', True),
        (rb'"a\udc00b"', True),
        (rb'"\ud800\u0041"', True),
        (rb'"\ud800\ud800"', True),
        (rb'"\ud83d\ude00"', False),
        (rb'"\uD83D\uDE00 \u00e9"', False),
        (rb'"no escapes"', False),
    ],
)
def test_a_lone_half_is_told_from_a_whole_pair(text: bytes, lone: bool) -> None:
    stream = io.BytesIO(b'{"grants": [' + text + b"]}")
    stream.seek(3)
    assert lone_surrogates.has_lone_surrogate_escape(stream) is lone
    assert stream.tell() == 3


@pytest.mark.parametrize("cut", range(1, 13))
def test_a_pair_split_between_two_reads_is_whole(monkeypatch, cut: int) -> None:
    monkeypatch.setattr(lone_surrogates, "READ_SIZE", 20)
    whole = b"x" * (20 - cut) + rb"\ud83d\ude00" + b"y" * 30
    alone = b"x" * (20 - cut) + rb"\ud83d \ude00" + b"y" * 30
    assert not lone_surrogates.has_lone_surrogate_escape(io.BytesIO(whole))
    assert lone_surrogates.has_lone_surrogate_escape(io.BytesIO(alone))


TEXTS = [
    "Lunches \ud83d and teas",  # a first half alone
    "\udc00 at the start",
    "pair \U0001f600 whole",  # written as the escaped pair \\ud83d\\ude00
    "\ud800\ud800 two firsts",
    "back\\slash \\ud800 written, not escaped",  # a backslash and 'ud800' as text
    "plain",
]


@pytest.mark.parametrize("size", [13, 14, 17, 23, 64])
def test_every_text_reads_as_itself_with_each_lone_half_replaced_at_any_read_size(
    monkeypatch, size: int
) -> None:
    monkeypatch.setattr(lone_surrogates, "READ_SIZE", size)
    items = [{"n": n, "text": text, "list": [text]} for n, text in enumerate(TEXTS)]
    data = json.dumps({"grants": items}, ensure_ascii=True).encode()

    read = list(lone_surrogates.json_items(io.BytesIO(data), "grants.item"))

    expected = [lone_surrogates.SURROGATE.sub("\ufffd", text) for text in TEXTS]
    assert [item["text"] for item, _ in read] == expected
    assert [item["list"] for item, _ in read] == [[text] for text in expected]
    assert [places for _, places in read] == [
        ("text", "list/0"),
        ("text", "list/0"),
        (),
        ("text", "list/0"),
        (),
        (),
    ]


@pytest.mark.django_db
def test_a_lone_second_half_before_the_grants_list_does_not_stop_the_import() -> None:
    package = {"title": "Grants \udc00 2025", "grants": [_grant(1)]}
    data = json.dumps(package, ensure_ascii=True).encode()

    result = import_360giving(stream=io.BytesIO(data), filename="trust.json")

    assert result.created == 1, result.errors
