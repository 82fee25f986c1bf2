"""Benchmark: a first import whose every recipient is new to the register (issue target).

Target: 2,000 grants a second or more while adding an organisation for each grant's
recipient, each with its identifier, audited and put through the duplicate rules. The
benchmark calls ``measure_first_import``; ``python -m thrive.opendata.bench_recipients``
runs it alone against ``DATABASE_URL``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import orjson

FIRST_IMPORT_GRANTS = int(os.environ.get("BENCH_FIRST_IMPORT_GRANTS", "20000"))
TARGET = 2000


def _postcode(index: int) -> str:
    """A different made-up postcode for each index (ZZ99 is no real postcode area)."""
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    inward = f"{index // 99 % 10}{letters[index // 990 % 20]}{letters[index // 19_800 % 20]}"
    return f"ZZ{index % 99 + 1} {inward}"


def new_recipient_grant(index: int) -> dict:
    """A grant to a made-up organisation no register holds (a never-issued charity number)."""
    # lazy: it loads models, and this module runs as a script before django.setup()
    from thrive.organisations.seed import made_up_number

    return {
        "id": f"360G-benchfirst-{index}",
        "title": f"Community project {index}",
        "currency": "GBP",
        "amountAwarded": 1000 + index % 9000,
        "awardDate": f"2024-{index % 12 + 1:02d}-{index % 28 + 1:02d}",
        "recipientOrganization": [
            {
                "id": f"GB-CHC-{made_up_number('GB-CHC', 90_000 + index % 10_000)}",
                "name": f"Benchmark Community Group {index}",
                "postalCode": _postcode(index),
            }
        ],
        "fundingOrganization": [{"id": "360G-benchfirst", "name": "Bench First Trust"}],
    }


def write_first_import(path: Path, count: int) -> None:
    with path.open("wb") as out:
        out.write(b'{"grants": [')
        for index in range(count):
            out.write((b"," if index else b"") + orjson.dumps(new_recipient_grant(index)))
        out.write(b"]}")


def measure_first_import(folder: Path, count: int = FIRST_IMPORT_GRANTS) -> list[tuple]:
    """Import ``count`` grants to as many (up to 10,000) new organisations; one bench row."""
    # lazy: these load models, and this module runs as a script before django.setup()
    from thrive.opendata.bench import _child
    from thrive.organisations.models import Organisation  # lazy: as above

    sample = folder / "first-import.json"
    write_first_import(sample, count)
    before = Organisation.objects.count()
    seconds, peak, _ = _child("import", "-v", "0", "360giving", str(sample))
    added = Organisation.objects.count() - before
    rate = count / seconds
    return [
        (
            f"360Giving first import of {count:,} grants adding {added:,} organisations "
            "(child process)",
            f"{seconds:.1f} s, {rate:,.0f} grants/s, peak {peak:.0f} MB",
            f"≥ {TARGET:,} grants/s",
            rate >= TARGET,
        )
    ]


if __name__ == "__main__":  # pragma: no cover - run by hand
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thrive.settings")
    django.setup()
    for row in measure_first_import(Path(tempfile.mkdtemp(prefix="thrive-bench-first-"))):
        print(" | ".join(str(cell) for cell in row))
