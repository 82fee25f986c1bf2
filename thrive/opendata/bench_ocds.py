"""Benchmark of the OCDS import: a Contracts Finder-shaped release package, imported
first (every supplier new to the register) and then again (every contract updated).

Target: 2,000 or more releases a second on the re-import, in process. ``measure()`` is
run by ``make bench`` through ``thrive.opendata.bench``.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
from django.db import connection

from thrive.opendata.ocds_import import import_ocds

OCDS_RELEASES = int(os.environ.get("BENCH_OCDS_RELEASES", "5000"))
SUPPLIERS = 1500  # distinct suppliers: many win more than one contract
BUYERS = 40
PREFIX = "ocds-b5fd17"


def _postcode(number: int) -> str:
    """A made-up postcode of its own for each supplier (under 10,000 of them)."""
    return f"BN{number // 100 + 1} {number % 10}{'ABDEFGHJLN'[number // 10 % 10]}Q"


def ocds_release(index: int) -> dict[str, Any]:
    """A made-up award notice as Contracts Finder writes them: a buyer and one or two
    suppliers as parties, the tender, and one award (no real organisation's number)."""
    ocid = f"{PREFIX}-bench{index:08d}-0000-4000-8000-{index:012d}"
    buyer = {"id": f"GB-CFS-B{index % BUYERS}", "name": f"Bench Borough Council {index % BUYERS}"}
    suppliers = [index % SUPPLIERS] + ([(index * 7 + 1) % SUPPLIERS] if index % 5 == 0 else [])
    parties = [{**buyer, "roles": ["buyer"], "address": {"postalCode": "BN1 1AA"}}]
    for number in suppliers:
        parties.append(
            {
                "id": f"GB-CFS-S{number}",
                "name": f"Bench Services {number} Ltd",
                "roles": ["supplier"],
                "identifier": {"scheme": "GB-COH", "id": f"9{number:07d}"},
                "address": {
                    "streetAddress": f"{number} High Street",
                    "postalCode": _postcode(number),
                },
                "contactPoint": {"name": "Contracts team", "email": "bids@example.org"},
                "details": {"scale": "sme"},
            }
        )
    day = f"2025-{index % 12 + 1:02d}-{index % 28 + 1:02d}"
    amount = 5000 + index % 250000 + (index % 100) / 100
    return {
        "ocid": ocid,
        "id": f"{ocid}-1",
        "date": f"{day}T10:00:00Z",
        "tag": ["award"],
        "initiationType": "tender",
        "parties": parties,
        "buyer": buyer,
        "tender": {
            "id": f"tender-{index}",
            "title": f"Community support services lot {index}",
            "description": "Support for older people living at home, across the borough.",
            "status": "complete",
            "classification": {"scheme": "CPV", "id": "85000000", "description": "Health"},
            "value": {"amount": amount, "currency": "GBP"},
            "procurementMethod": "open",
            "tenderPeriod": {"endDate": f"{day}T12:00:00Z"},
        },
        "awards": [
            {
                "id": f"{ocid}-award-1",
                "status": "active",
                "date": f"{day}T00:00:00Z",
                "value": {"amount": amount, "currency": "GBP"},
                "suppliers": [
                    {"id": f"GB-CFS-S{n}", "name": f"Bench Services {n} Ltd"} for n in suppliers
                ],
                "contractPeriod": {
                    "startDate": f"{day}T00:00:00Z",
                    "endDate": "2027-03-31T23:59:59Z",
                },
            }
        ],
    }


def write_ocds_package(path: Path, count: int, published: str = "2025-10-01T09:00:00Z") -> None:
    """A release package of ``count`` award notices, as Contracts Finder publishes them."""
    head = {
        "uri": "https://www.contractsfinder.service.gov.uk/Published/Notices/OCDS/Search",
        "publishedDate": published,
        "publisher": {"name": "Crown Commercial Service", "scheme": "GB-COH", "uid": ""},
        "license": "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "publicationPolicy": "https://www.gov.uk/government/publications/open-contracting",
        "version": "1.1",
    }
    with path.open("wb") as out:
        out.write(orjson.dumps(head)[:-1] + b',"releases":[')
        for index in range(count):
            out.write((b"," if index else b"") + orjson.dumps(ocds_release(index)))
        out.write(b"]}")


def measure_ocds_imports(
    folder: Path, count: int = OCDS_RELEASES
) -> list[tuple[str, str, str, bool]]:
    """Import the package twice in process: first with every supplier new, then again."""
    path = folder / "contracts-finder.json"
    write_ocds_package(path, count)
    rows = []
    for label, target in (("first import, adding its suppliers", 0), ("re-import", 2000)):
        start, cpu = time.perf_counter(), time.process_time()
        with path.open("rb") as stream:
            result = import_ocds(stream=stream, filename=path.name)
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu  # steadier than the clock on a busy machine
        rate = result.read / seconds
        rows.append(
            (
                f"OCDS import of {count:,} releases ({label}; {connection.vendor}, in process)",
                f"{seconds:.1f} s ({cpu:.1f} s of CPU), {rate:,.0f} releases/s, "
                f"{result.created:,} added, {result.updated:,} updated, "
                f"{result.organisations_created:,} organisations added",
                f"≥ {target:,} releases/s" if target else "(for comparison)",
                rate >= target and result.read == count and not result.errors,
            )
        )
    return rows


def measure() -> list[tuple[str, str, str, bool]]:
    return measure_ocds_imports(Path(tempfile.mkdtemp(prefix="thrive-bench-ocds-")))
