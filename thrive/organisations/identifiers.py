"""Organisation identifiers in the org-id scheme: prefixes, formats and canonical forms.

The prefixes and their names come from the org-id.guide register (ODbL, see
``data/README.md``). The format rule of each register is ours: a value is cleaned
(spaces removed, letters in the register's case, known padding applied) and then
checked against the register's pattern.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError

ORG_ID_CREDIT = "org-id.guide register, ODbL"
DATA_FILE = Path(__file__).resolve().parent / "data" / "org-id-lists.csv"


@dataclass(frozen=True)
class Prefix:
    code: str
    name: str
    deprecated: bool


@cache
def prefixes() -> dict[str, Prefix]:
    """Every prefix in the org-id register, by code."""
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"].upper(): Prefix(
                row["code"].upper(), row["name"].strip(), row["deprecated"] == "True"
            )
            for row in csv.DictReader(handle)
        }


def _upper(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def _lower(value: str) -> str:
    return re.sub(r"\s+", "", value).lower()


def _digits_after(prefix: str) -> Callable[[str], str]:
    def clean(value: str) -> str:
        value = _upper(value)
        return value[len(prefix) :] if value.startswith(prefix) else value

    return clean


def _scottish_charity(value: str) -> str:
    value = _upper(value)
    return f"SC{value}" if value.isdigit() else value


def _company(value: str) -> str:
    value = _upper(value)
    if value.isdigit() and len(value) < 8:
        return value.zfill(8)
    return value


COMPANY_PREFIXES = (
    "AC|CE|CS|ES|FC|FE|GE|GN|GS|IP|LP|NA|NC|NF|NI|NL|NO|NP|NR|NV|NZ|OC|OE|PC|RC|RS|SA|SC|SE|SF|"
    "SG|SI|SL|SO|SP|SR|SZ|ZC"
)


@dataclass(frozen=True)
class Register:
    """A register's own rule: how to clean a number and what a valid one looks like."""

    code: str
    label: str
    pattern: str
    example: str
    clean: Callable[[str], str] = _upper

    @property
    def message(self) -> str:
        return f"Enter a {self.label} in the correct format, like {self.example}"

    def canonical(self, value: str) -> str:
        cleaned = self.clean(value or "")
        if not cleaned:
            raise ValidationError(f"Enter the {self.label}")
        if not re.fullmatch(self.pattern, cleaned):
            raise ValidationError(self.message)
        return cleaned


REGISTERS: dict[str, Register] = {
    r.code: r
    for r in [
        Register(
            "GB-CHC",
            "Charity Commission for England and Wales number",
            r"(?:[2-9]\d{5}|1\d{6})",
            "1090095",
            _digits_after("CHC"),
        ),
        Register("GB-SC", "Scottish charity number", r"SC\d{6}", "SC042386", _scottish_charity),
        Register(
            "GB-NIC",
            "Charity Commission for Northern Ireland number",
            r"1\d{5}",
            "100019",
            _digits_after("NIC"),
        ),
        Register(
            "GB-COH",
            "Companies House number",
            rf"(?:\d{{8}}|(?:{COMPANY_PREFIXES})\d{{6}}|R0\d{{6}})",
            "09506232",
            _company,
        ),
        Register(
            "GB-MPR", "Mutuals Public Register number", r"(?:IP|RS)?\d{1,6}[A-Z]{0,3}", "IP031455"
        ),
        Register("GB-CASC", "HMRC sports club reference", r"[0-9a-f]{8}", "df679063", _lower),
        Register("GB-REV", "HMRC charities reference", r"[A-Z]{1,2}\d{1,6}", "X6243"),
        Register(
            "GB-SHPE",
            "social housing provider registration number",
            r"(?:LH|L|H)?\d{4,5}",
            "LH4401",
        ),
        Register("GB-EDU", "school URN", r"\d{6}", "125554"),
        Register("GB-UKPRN", "UK provider reference number", r"1\d{7}", "10000346"),
        Register("GB-LAE", "local authority code", r"[A-Z]{3,4}", "WSX"),
        Register("GB-LAS", "local authority code", r"[A-Z]{3}", "ZET"),
        Register("GB-LANI", "local authority code", r"[A-Z]{3}", "ANN"),
        Register("GB-PLA", "local authority code", r"[A-Z]{3}", "AGY"),
        Register("GB-NHS", "NHS organisation code", r"[A-Z0-9]{3,6}", "RAX"),
    ]
}

GENERIC_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,59}"

# The schemes offered first in forms: the registers most Third Sector bodies hold.
COMMON_SCHEMES = ["GB-CHC", "GB-COH", "GB-SC", "GB-NIC", "GB-MPR", "GB-CASC", "GB-SHPE"]


def scheme_name(code: str) -> str:
    prefix = prefixes().get(code.upper())
    return prefix.name if prefix else code


def scheme_choices() -> list[tuple[str, str]]:
    """The common UK schemes, then every other prefix, as (code, 'CODE: name') pairs."""
    common = [(code, f"{scheme_name(code)} ({code})") for code in COMMON_SCHEMES]
    others = [
        (p.code, f"{p.name} ({p.code})")
        for p in sorted(prefixes().values(), key=lambda p: p.code)
        if p.code not in COMMON_SCHEMES and not p.deprecated
    ]
    return common + others


def canonical_value(scheme: str, value: str) -> str:
    """Clean and check a number for its register; raise ValidationError naming the format."""
    scheme = (scheme or "").strip().upper()
    if scheme not in prefixes():
        raise ValidationError("Choose a register from the org-id list")
    if prefixes()[scheme].deprecated:
        raise ValidationError(f"The {scheme} register is no longer used. Choose another")
    register = REGISTERS.get(scheme)
    if register is not None:
        return register.canonical(value)
    cleaned = (value or "").strip()
    if not cleaned:
        raise ValidationError("Enter the identifier")
    if not re.fullmatch(GENERIC_PATTERN, cleaned):
        raise ValidationError("Enter an identifier using only letters, numbers, dots and dashes")
    return cleaned


@cache
def _prefix_lengths() -> list[int]:
    """The lengths of the prefixes, longest first: the longest prefix that fits wins."""
    return sorted({len(code) for code in prefixes()}, reverse=True)


def split_org_id(text: str) -> tuple[str, str]:
    """Split 'GB-CHC-1090095' into a known prefix and its local part (the longest prefix wins)."""
    text = (text or "").strip()
    upper = text.upper()
    known = prefixes()
    for length in _prefix_lengths():  # a dictionary look-up per length, not per prefix
        if upper[length : length + 1] == "-" and upper[:length] in known and len(text) > length + 1:
            return upper[:length], text[length + 1 :]
    raise ValidationError(
        "Enter an identifier that starts with a prefix from the org-id list, like GB-CHC-1090095"
    )


def canonical_org_id(text: str) -> tuple[str, str, str]:
    """Return (scheme, canonical value, full org-id) for an org-id such as 'gb-coh-9506232'."""
    scheme, value = split_org_id(text)
    value = canonical_value(scheme, value)
    return scheme, value, f"{scheme}-{value}"
