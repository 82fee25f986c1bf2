"""Values in officers' spreadsheets read as people write them (issue 16 §3).

Each kind of value has ONE table: the column titles, legal forms, yes/no answers, date
layouts and money multipliers people use. Text is compared after :func:`normalise`
(lower case, '&' as 'and', punctuation and repeated spaces gone), so "C.I.O.", " cio "
and "CIO" are one entry. Anything not in a table is an error that names what is allowed.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from thrive.organisations.models import LegalForm


def normalise(text: Any) -> str:
    """'  Ltd. by  Guarantee ' -> 'ltd by guarantee'; 'Co-op' -> 'co op'."""
    value = str(text or "").lower().replace("&", " and ")
    value = re.sub(r"(?<=\w)\.(?=\w)", "", value)  # C.I.O. -> cio
    value = re.sub(r"[\W_]+", " ", value)
    return " ".join(value.split())


# Column titles as people write them, for each column the import reads.
COLUMN_TITLES: dict[str, str] = {
    "name": "name",
    "organisation": "name",
    "organisation name": "name",
    "organization name": "name",
    "name of organisation": "name",
    "org name": "name",
    "group name": "name",
    "other names": "other_names",
    "also known as": "other_names",
    "aka": "other_names",
    "known as": "other_names",
    "legal form": "legal_form",
    "legal status": "legal_form",
    "legal structure": "legal_form",
    "organisation type": "legal_form",
    "type of organisation": "legal_form",
    "type": "legal_form",
    "structure": "legal_form",
    "charity number": "charity_number",
    "charity no": "charity_number",
    "charity reg no": "charity_number",
    "registered charity number": "charity_number",
    "registered charity no": "charity_number",
    "charity registration number": "charity_number",
    "company number": "company_number",
    "company no": "company_number",
    "company reg no": "company_number",
    "company registration number": "company_number",
    "companies house number": "company_number",
    "org id": "org_id",
    "identifier": "org_id",
    "postcode": "postcode",
    "post code": "postcode",
    "areas": "areas",
    "area": "areas",
    "areas served": "areas",
    "area of benefit": "areas",
    "beneficiary groups": "beneficiary_groups",
    "beneficiaries": "beneficiary_groups",
    "who they help": "beneficiary_groups",
    "annual income": "annual_income",
    "income": "annual_income",
    "latest income": "annual_income",
    "total income": "annual_income",
    "income year": "income_year",
    "year": "income_year",
    "financial year": "income_year",
    "year end": "income_year",
    "year ending": "income_year",
    "financial year end": "income_year",
    "website": "website",
    "web site": "website",
    "web": "website",
    "web address": "website",
    "url": "website",
    "email": "email",
    "e mail": "email",
    "email address": "email",
    "e mail address": "email",
    "directory opt in": "directory_opt_in",
    "in directory": "directory_opt_in",
    "list in directory": "directory_opt_in",
    "list in the directory": "directory_opt_in",
    "listed in directory": "directory_opt_in",
}
COLUMN_TITLES |= {normalise(column): column for column in set(COLUMN_TITLES.values())}

# Legal forms as people write them; every value and label of LegalForm is added below.
LEGAL_FORMS: dict[str, str] = {
    "charity": LegalForm.CHARITY,
    "registered charity": LegalForm.CHARITY,
    "charitable trust": LegalForm.CHARITY,
    "trust": LegalForm.CHARITY,
    "charitable association": LegalForm.CHARITY,
    "unincorporated charity": LegalForm.CHARITY,
    "charitable incorporated organisation": LegalForm.CIO,
    "charitable incorporated organization": LegalForm.CIO,
    "cio": LegalForm.CIO,
    "foundation cio": LegalForm.CIO,
    "association cio": LegalForm.CIO,
    "scio": LegalForm.CIO,
    "charitable company": LegalForm.CHARITABLE_COMPANY,
    "charitable company limited by guarantee": LegalForm.CHARITABLE_COMPANY,
    "charitable company ltd by guarantee": LegalForm.CHARITABLE_COMPANY,
    "charity and company limited by guarantee": LegalForm.CHARITABLE_COMPANY,
    "company limited by guarantee": LegalForm.GUARANTEE_COMPANY,
    "ltd by guarantee": LegalForm.GUARANTEE_COMPANY,
    "limited by guarantee": LegalForm.GUARANTEE_COMPANY,
    "clg": LegalForm.GUARANTEE_COMPANY,
    "community interest company": LegalForm.CIC,
    "cic": LegalForm.CIC,
    "cic limited by guarantee": LegalForm.CIC,
    "cic ltd by guarantee": LegalForm.CIC,
    "cic limited by shares": LegalForm.CIC,
    "cic ltd by shares": LegalForm.CIC,
    "co operative": LegalForm.COOPERATIVE,
    "cooperative": LegalForm.COOPERATIVE,
    "co op": LegalForm.COOPERATIVE,
    "coop": LegalForm.COOPERATIVE,
    "co operative society": LegalForm.COOPERATIVE,
    "cooperative society": LegalForm.COOPERATIVE,
    "workers co operative": LegalForm.COOPERATIVE,
    "community benefit society": LegalForm.COMMUNITY_BENEFIT_SOCIETY,
    "bencom": LegalForm.COMMUNITY_BENEFIT_SOCIETY,
    "ben com": LegalForm.COMMUNITY_BENEFIT_SOCIETY,
    "cbs": LegalForm.COMMUNITY_BENEFIT_SOCIETY,
    "housing association": LegalForm.HOUSING_ASSOCIATION,
    "registered provider": LegalForm.HOUSING_ASSOCIATION,
    "registered social landlord": LegalForm.HOUSING_ASSOCIATION,
    "rsl": LegalForm.HOUSING_ASSOCIATION,
    "unincorporated": LegalForm.UNINCORPORATED,
    "unincorporated association": LegalForm.UNINCORPORATED,
    "unincorporated group": LegalForm.UNINCORPORATED,
    "community group": LegalForm.UNINCORPORATED,
    "voluntary group": LegalForm.UNINCORPORATED,
    "constituted group": LegalForm.UNINCORPORATED,
    "other": LegalForm.OTHER,
}
LEGAL_FORMS |= {normalise(value): value for value in LegalForm.values}
LEGAL_FORMS |= {normalise(label): value for value, label in LegalForm.choices}

# Yes and no as people write them ("x" is a ticked box).
YES_NO: dict[str, bool] = {
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "x": True,
    "ticked": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
}

# Date layouts as people write them, day before month (UK), after normalising the text to
# single spaces: "1st April, 2024" -> "1 april 2024"; "31/03/2024" -> "31 03 2024".
DATE_LAYOUTS: dict[str, str] = {
    "%d %m %Y": "31/03/2024",
    "%d %m %y": "31/03/24",
    "%Y %m %d": "2024-03-31",
    "%d %b %Y": "31 Mar 2024",
    "%d %B %Y": "31 March 2024",
    "%d %b %y": "31-Mar-24",
    "%d %B %y": "31 March 24",
    "%B %d %Y": "March 31, 2024",
    "%b %d %Y": "Mar 31 2024",
}
# Spreadsheets count days from 30 December 1899; 20000-80000 is 1954 to 2118.
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_SERIALS = range(20_000, 80_000)
# A time of day after a date ("2024-03-31T00:00:00", "31/03/2024 00:00") is dropped.
_TIME_OF_DAY = re.compile(r"[t ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(z|[+-]\d{2}:?\d{2})?$")

# Money: pounds with '£' or 'GBP', commas between thousands, pence after a point, and
# these multipliers after the number ("£45k", "1.2m").
MONEY_MULTIPLIERS: dict[str, int] = {
    "": 1,
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "million": 1_000_000,
}
_MONEY = re.compile(
    r"^(?:£|gbp)?\s*(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d+))?\s*"
    rf"(?P<multiplier>{'|'.join(sorted(MONEY_MULTIPLIERS, key=len, reverse=True))})\s*"
    r"(?:gbp|pounds)?$"
)
MONEY_EXAMPLE = "like 1500, £1,500.50 or £45k"


class NotUnderstood(ValueError):
    """A value that matches nothing in its table; the message names what is allowed."""


def column_for(title: str) -> str | None:
    """The import column a header means, or None."""
    return COLUMN_TITLES.get(normalise(title))


def legal_form(text: str) -> str:
    """The LegalForm value for 'CIO', 'Ltd by guarantee', 'Co-op' and the like."""
    found = LEGAL_FORMS.get(normalise(text))
    if found is None:
        allowed = "; ".join(label for _, label in LegalForm.choices)
        raise NotUnderstood(f"'{text}' is not a legal form; use one of: {allowed}")
    return str(found)


def yes_no(value: Any) -> bool | None:
    """True or False for 'Y', 'yes', 'TRUE', 1, 'x'…; None for a blank cell."""
    if value is None or isinstance(value, bool):
        return value
    text = (
        str(int(value)) if isinstance(value, int | float) and value in (0, 1) else normalise(value)
    )
    if not text:
        return None
    if text not in YES_NO:
        raise NotUnderstood(f"'{value}' is not yes or no; use one of: {', '.join(YES_NO)}")
    return YES_NO[text]


def date(value: Any) -> dt.date | None:
    """A date from a spreadsheet cell: a date or datetime, an Excel serial, or text."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    serial = _excel_serial(value, text)
    if serial is not None:
        return EXCEL_EPOCH + dt.timedelta(days=serial)
    cleaned = _TIME_OF_DAY.sub("", text.lower())
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", cleaned)
    cleaned = " ".join(re.sub(r"[^\w]+", " ", cleaned).split()).replace("sept ", "sep ")
    for layout in DATE_LAYOUTS:
        try:
            return dt.datetime.strptime(cleaned, layout).date()
        except ValueError:
            continue
    raise NotUnderstood(f"'{text}' is not a date; write it like {', '.join(DATE_LAYOUTS.values())}")


def _excel_serial(value: Any, text: str) -> int | None:
    if isinstance(value, int | float) or re.fullmatch(r"\d+(\.0+)?", text):
        number = float(value) if not isinstance(value, str) else float(text)
        if number.is_integer() and int(number) in EXCEL_SERIALS:
            return int(number)
    return None


def money_pence(value: Any) -> int | None:
    """Pence from '£1,200', '1200.00', 'GBP 1,200', '£45k' or a number cell; None if blank."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        amount = Decimal(str(value))
        multiplier = 1
    else:
        text = " ".join(str(value).lower().split())
        match = _MONEY.match(text)
        if not match or match.group("multiplier") not in MONEY_MULTIPLIERS:
            raise NotUnderstood(f"'{value}' is not an amount in pounds; write it {MONEY_EXAMPLE}")
        multiplier = MONEY_MULTIPLIERS[match.group("multiplier")]
        fraction = match.group("fraction")
        if fraction and multiplier == 1 and len(fraction) > 2:
            raise NotUnderstood(f"'{value}' has more than two figures of pence")
        try:
            amount = Decimal(match.group("num").replace(",", "") + "." + (fraction or "0"))
        except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
            raise NotUnderstood(f"'{value}' is not an amount in pounds") from exc
    if amount < 0:
        raise NotUnderstood(f"'{value}' is below zero; write it {MONEY_EXAMPLE}")
    pence = amount * multiplier * 100
    if pence != pence.to_integral_value():
        raise NotUnderstood(f"'{value}' is not a whole number of pence")
    return int(pence)


def year_ending(value: Any, *, latest: int) -> int:
    """The year a financial year ended: 2024, '2023/24', '2023-2024' or a year-end date."""
    text = str(value).strip() if value is not None else ""
    if isinstance(value, int | float) and float(value).is_integer() and 1900 <= value <= 2200:
        return int(value)
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    span = re.fullmatch(r"(\d{4})\s*[/-]\s*(\d{2}|\d{4})", text)
    if span:
        start, end = int(span.group(1)), span.group(2)
        year = start + 1
        if int(end) not in (year, year % 100):
            raise NotUnderstood(f"'{text}' is not one financial year, like 2023/24")
        return year
    try:
        found = date(value)
    except NotUnderstood as exc:
        raise NotUnderstood(
            f"'{text}' is not a year; write it like {latest}, {latest - 1}/{latest % 100:02d} "
            f"or the year-end date 31/03/{latest}"
        ) from exc
    if found is None:
        raise NotUnderstood("Enter the year")
    return found.year
