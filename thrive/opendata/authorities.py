"""The org-id of a council that is a real UK local authority, from mySociety's list of codes.

The GB-LAE, GB-LAS, GB-PLA and GB-LANI org-id prefixes name the GOV.UK registers of local
authority codes. A council is given one only when its name is, unambiguously, the name of a
current authority in one of those registers: never an identifier made up from its name.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

AUTHORITIES_CREDIT = "UK local authority names and codes, mySociety, CC BY 4.0"
DATA_FILE = Path(__file__).resolve().parent / "data" / "uk_local_authorities_future.csv"
REGISTER_PREFIXES = {
    "local-authority-eng": "GB-LAE",
    "local-authority-sct": "GB-LAS",
    "principal-local-authority": "GB-PLA",
    "local-authority-nir": "GB-LANI",
}


def _key(name: str) -> str:
    return " ".join(name.replace("&", " and ").lower().split())


@cache
def _org_ids_by_name() -> dict[str, set[str]]:
    """Every name of a current, registered authority and the org-ids it may stand for."""
    names: dict[str, set[str]] = {}
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            register, _, code = row["old-register-and-code"].partition(":")
            prefix = REGISTER_PREFIXES.get(register)
            if row["current-authority"] != "True" or prefix is None or not code:
                continue
            aliases = [row["official-name"], row["nice-name"], *row["alt-names"].split(",")]
            for alias in filter(None, map(_key, aliases)):
                names.setdefault(alias, set()).add(f"{prefix}-{code}")
    return names


def org_id_for(council_name: str) -> str:
    """The org-id of the authority of that name ('' when none, or more than one, has it)."""
    org_ids = _org_ids_by_name().get(_key(council_name), set())
    return next(iter(org_ids)) if len(org_ids) == 1 else ""
