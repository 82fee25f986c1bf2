"""Money is integer pence, GBP only. One helper formats it, one parses it."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_AMOUNT = re.compile(r"^\s*£?\s*(?P<num>\d{1,3}(,\d{3})*|\d+)(\.(?P<pence>\d{1,2}))?\s*$")


def format_pence(amount_pence: int | None, *, whole_pounds: bool = False) -> str:
    """Format pence as pounds: 123456 -> '£1,234.56'."""
    if amount_pence is None:
        return ""
    sign = "-" if amount_pence < 0 else ""
    pounds, pence = divmod(abs(int(amount_pence)), 100)
    if whole_pounds and pence == 0:
        return f"{sign}£{pounds:,}"
    return f"{sign}£{pounds:,}.{pence:02d}"


def parse_pounds(text: str) -> int:
    """Parse '£1,234.56', '1234.5' or '1234' into pence; raise ValueError on anything else."""
    match = _AMOUNT.match(text or "")
    if not match:
        raise ValueError("Enter an amount in pounds, like 1500 or 1,500.50")
    try:
        pounds = Decimal(match.group("num").replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise ValueError("Enter an amount in pounds, like 1500 or 1,500.50") from exc
    pence = (match.group("pence") or "0").ljust(2, "0")
    return int(pounds) * 100 + int(pence)
