"""Turn a release's awards into rows, one for each supplier, with what is wrong with them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from thrive.opendata.ocds_import.schemas import problem
from thrive.opendata.problems import ERROR, WARNING, Problem, described

TEXT_LENGTH = 500
KEY_LENGTH = 255
LARGEST_VALUE = Decimal(10) ** 14


def clean_text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


SCHEME_NAMES = {
    "COMPANIESHOUSE": "GB-COH",
    "COMPANIES-HOUSE": "GB-COH",
    "GBCOH": "GB-COH",
    "CHARITYCOMMISSION": "GB-CHC",
    "CHARITY-COMMISSION": "GB-CHC",
    "GBCHC": "GB-CHC",
}


def _scheme(value: Any) -> str:
    """An identifier scheme as written ("gb_coh", "Companies House") in its org-id form."""
    name = re.sub(r"[\s_]+", "-", clean_text(value).upper()).strip("-")
    return SCHEME_NAMES.get(name, SCHEME_NAMES.get(name.replace("-", ""), name))


def _identifiers(party: dict[str, Any]) -> list[tuple[str, str]]:
    """The party's register identifiers as (scheme, number), the main one first."""
    found = []
    for identifier in [party.get("identifier"), *_list(party.get("additionalIdentifiers"))]:
        identifier = _dict(identifier)
        scheme = _scheme(identifier.get("scheme"))
        number = str(identifier.get("id") or "").strip()
        if number.upper().startswith(f"{scheme}-"):
            number = number[len(scheme) + 1 :]
        if scheme and number:
            found.append((scheme, number))
    return found


def recipient_dict(party: dict[str, Any], reference: dict[str, Any]) -> dict[str, Any]:
    """The supplier in the shape the recipient matcher reads (as a 360Giving recipient)."""
    identifiers = _identifiers(party)
    numbers = {scheme: number for scheme, number in reversed(identifiers)}
    org_id = f"{identifiers[0][0]}-{identifiers[0][1]}" if identifiers else ""
    return {
        "id": org_id,
        "name": clean_text(reference.get("name")) or clean_text(party.get("name")),
        "charityNumber": numbers.get("GB-CHC", ""),
        "companyNumber": numbers.get("GB-COH", ""),
        "postalCode": clean_text(_dict(party.get("address")).get("postalCode")),
    }


def _buyer(release: dict[str, Any], parties: dict[str, dict[str, Any]]) -> tuple[str, str]:
    """(org-id or id, name) of the release's buyer: the party with the buyer role first."""
    party = next(
        (p for p in parties.values() if "buyer" in _list(p.get("roles"))),
        None,
    )
    reference = _dict(release.get("buyer"))
    if party is None:
        party = parties.get(str(reference.get("id")), reference)
    identifiers = _identifiers(party)
    org_id = f"{identifiers[0][0]}-{identifiers[0][1]}" if identifiers else ""
    return (
        (org_id or str(party.get("id") or ""))[:KEY_LENGTH],
        (clean_text(party.get("name")) or clean_text(reference.get("name")))[:TEXT_LENGTH],
    )


@dataclass
class Row:
    """One award to one supplier, ready to write."""

    key: str
    fields: dict[str, Any]
    recipient: dict[str, Any]
    released: str
    warnings: list[str]


def _value(award: dict[str, Any], where: str, ocid: str) -> tuple[Decimal | None, list[Problem]]:
    amount = _dict(award.get("value")).get("amount")
    if amount is None:
        return None, []
    if isinstance(amount, bool) or not isinstance(amount, (int, float, Decimal)):
        return None, [
            problem(
                WARNING,
                f"{where}/value/amount",
                f"amount is {described(amount)}, not a number; kept without a value",
                ocid,
                "amount",
                "value-not-number",
            )
        ]
    value = Decimal(str(amount))
    if not abs(value) < LARGEST_VALUE:
        return None, [
            problem(
                WARNING,
                f"{where}/value/amount",
                f"amount {value} is too large to be a contract's value; kept without a value",
                ocid,
                "amount",
                "value-too-large",
            )
        ]
    return value.quantize(Decimal("0.01")), []


@dataclass
class _Release:
    """What every award of one release shares, and the problems found in it so far."""

    data: dict[str, Any]
    ocid: str
    run_id: int
    parties: dict[str, dict[str, Any]]
    buyer: tuple[str, str]  # (org-id or id, name)
    errors: list[Problem]
    warnings: list[Problem]

    def error(self, where: str, message: str, name: str, kind: str) -> None:
        self.errors.append(problem(ERROR, where, message, self.ocid, name, kind))


def _award_fields(release: _Release, award: dict[str, Any], award_id: str) -> dict[str, Any]:
    """The award's columns, the same for each of its suppliers."""
    tender = _dict(release.data.get("tender"))
    contract = next(
        (
            c
            for c in map(_dict, _list(release.data.get("contracts")))
            if str(c.get("awardID")) == award_id
        ),
        {},
    )
    period = _dict(award.get("contractPeriod")) or _dict(contract.get("period"))
    return {
        "ocid": release.ocid,
        "award_id": award_id[:KEY_LENGTH],
        "title": (clean_text(award.get("title")) or clean_text(tender.get("title")))[:TEXT_LENGTH],
        "description": clean_text(award.get("description"))
        or clean_text(tender.get("description")),
        "status": clean_text(award.get("status"))[:40],
        "buyer_org_id": release.buyer[0],
        "buyer_name": release.buyer[1],
        "currency": clean_text(_dict(award.get("value")).get("currency"))[:3],
        "award_date": _day(award.get("date")),
        "start_date": _day(period.get("startDate")),
        "end_date": _day(period.get("endDate")),
        "data": release.data,
        "import_run": release.run_id,
    }


def _supplier_row(
    release: _Release, award_id: str, shared: dict[str, Any], reference: dict[str, Any], place: str
) -> Row | None:
    """The award to this supplier, or None (with an error) when it cannot be kept."""
    supplier_id = str(reference.get("id") or "").strip()
    party = release.parties.get(supplier_id, {}) if supplier_id else {}
    recipient = recipient_dict(party, reference)
    if not recipient["name"]:
        release.error(
            place, "supplier has no name, so it cannot be kept", "name", "no-supplier-name"
        )
        return None
    key = f"{release.ocid}/{award_id}/{supplier_id or recipient['name']}"
    if len(key) > KEY_LENGTH:
        release.error(
            place,
            f"ocid, award id and supplier id together are longer than {KEY_LENGTH} characters",
            "id",
            "key-too-long",
        )
        return None
    fields = {
        **shared,
        "supplier_org_id": (recipient["id"] or supplier_id)[:KEY_LENGTH],
        "supplier_name": recipient["name"][:TEXT_LENGTH],
    }
    released = str(release.data.get("date") or "")
    return Row(key=key, fields=fields, recipient=recipient, released=released, warnings=[])


def _award_rows(release: _Release, award: dict[str, Any], place: str) -> list[Row]:
    """One row for each supplier of the award (none without suppliers or an id)."""
    suppliers = [(i, s) for i, s in enumerate(_list(award.get("suppliers"))) if isinstance(s, dict)]
    if not suppliers:
        return []
    award_id = str(award.get("id") or "").strip()
    if not award_id:
        release.error(f"{place}/id", "award has no id, so it cannot be kept", "id", "no-award-id")
        return []
    value, value_warnings = _value(award, place, release.ocid)
    release.warnings.extend(value_warnings)
    shared = {**_award_fields(release, award, award_id), "value": value}
    rows = []
    for index, reference in suppliers:
        row = _supplier_row(release, award_id, shared, reference, f"{place}/suppliers/{index}")
        if row is not None:
            rows.append(row)
    return rows


def award_rows(
    release: dict[str, Any], where: str, run_id: int, ocid: str = ""
) -> tuple[list[Row], list[Problem], list[Problem]]:
    """The release's awards as rows (one per supplier), with errors and warnings.

    ``ocid`` is the record's, for a compiled release that does not repeat it.
    """
    ocid = clean_text(release.get("ocid")) or ocid
    awards = [(i, a) for i, a in enumerate(_list(release.get("awards"))) if isinstance(a, dict)]
    if not awards:
        return [], [], []
    if not ocid:
        message = "has no ocid, so its awards cannot be kept"
        return [], [problem(ERROR, f"{where}/ocid", message, "", "ocid", "no-ocid")], []
    parties = {str(p.get("id")): p for p in _list(release.get("parties")) if isinstance(p, dict)}
    context = _Release(release, ocid, run_id, parties, _buyer(release, parties), [], [])
    if not context.buyer[1]:
        context.warnings.append(
            problem(
                WARNING,
                f"{where}/parties",
                "names no buyer (no party has the buyer role)",
                ocid,
                "buyer",
                "no-buyer",
            )
        )
    rows = []
    for index, award in awards:
        rows += _award_rows(context, award, f"{where}/awards/{index}")
    return rows, context.errors, context.warnings
