"""Dashboard figures computed again in plain Python from the records, for cross-checks."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from thrive.awards.models import Award, AwardKind
from thrive.organisations.models import SizeBand
from thrive.reporting.selectors import Filters

FUNDED = {"active", "completed", "terminated"}


def fy(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def three_years_or_more(start: date, end: date) -> bool:
    try:
        anniversary = start.replace(year=start.year + 3)
    except ValueError:
        anniversary = start.replace(year=start.year + 3, day=28)
    return (end - anniversary).days >= -1


def selected(filters: Filters) -> list[Award]:
    """The funded awards inside the filters, each with ``amount_pence`` set to its money in
    the year (its parts by year that fall in it) and ``in_pots`` to the pots those parts
    are committed against."""
    awards = (
        Award.objects.filter(council=filters.council)
        .select_related("directorate", "organisation", "pot")
        .prefetch_related("organisation__areas", "organisation__beneficiary_groups", "years__pot")
    )
    if hasattr(Award, "outcomes"):
        awards = awards.prefetch_related("outcomes")
    chosen = []
    for award in awards:
        if award.status not in FUNDED:
            continue
        if filters.directorate_id is not None and award.directorate_id != filters.directorate_id:
            continue
        parts = [
            part
            for part in award.years.all()
            if filters.year is None or part.start_year == filters.year
        ]
        if not parts:
            continue
        award.parts = parts
        award.amount_pence = sum(part.amount_pence for part in parts)
        chosen.append(award)
    return chosen


def _labels(award: Award, key: str) -> list[str]:
    kinds = dict(AwardKind.choices)
    bands = dict(SizeBand.choices)
    if key == "directorate":
        return [award.directorate.name]
    if key == "method":
        return [kinds[award.kind]]
    if key == "size_band":
        return [bands.get(award.organisation.size_band, "Not known")]
    if key == "pot":
        return [_pot_label(award, part) for part in award.parts]
    if key == "area":
        return [a.name for a in award.organisation.areas.all()] or ["No area recorded"]
    if key == "beneficiary_group":
        groups = award.organisation.beneficiary_groups.all()
        return [g.name for g in groups] or ["No group recorded"]
    if key == "outcome":
        return [o.title for o in award.outcomes.all()] or ["No outcome recorded"]
    raise KeyError(key)


def _pot_label(award: Award, part: Any) -> str:
    """The pot a part is committed against; an award committed whole names its own pot."""
    if part.pot_id:
        return part.pot.name
    return award.pot.name if award.pot_id else "No pot recorded"


def expected(filters: Filters, keys: list[str]) -> dict[str, Any]:
    awards = selected(filters)
    result: dict[str, Any] = {
        "total": sum(a.amount_pence for a in awards),
        "awards": len(awards),
        "organisations": len({a.organisation_id for a in awards}),
        "long_term": sum(
            a.amount_pence for a in awards if three_years_or_more(a.start_date, a.end_date)
        ),
        "small": sum(
            a.amount_pence
            for a in awards
            if a.organisation.size_band in (SizeBand.MICRO, SizeBand.SMALL)
        ),
    }
    for key in keys:
        table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for award in awards:
            if key == "pot":
                for part in award.parts:
                    table[_pot_label(award, part)][0] += part.amount_pence
                for label in set(_labels(award, key)):
                    table[label][1] += 1
                continue
            for label in set(_labels(award, key)):
                table[label][0] += award.amount_pence
                table[label][1] += 1
        result[key] = {label: tuple(v) for label, v in table.items()}
    every_year = selected(Filters(filters.council, None, filters.directorate_id))
    years: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for award in every_year:
        for part in award.parts:
            if filters.year is not None and part.start_year > filters.year:
                continue  # a year's series stops at that year
            label = f"{part.start_year}/{(part.start_year + 1) % 100:02d}"
            years[label][0] += part.amount_pence
            years[label][1] += 1
    result["year"] = {label: tuple(v) for label, v in years.items()}
    return result


def assert_matches(result: Any, filters: Filters) -> None:
    """Every total and every row of the dashboard equals the Python sums."""
    keys = [table.key for table in result.tables]
    want = expected(filters, keys)
    assert result.total_pence == want["total"]
    assert result.awards == want["awards"]
    assert result.organisations == want["organisations"]
    assert result.long_term_pence == want["long_term"]
    assert result.small_pence == want["small"]
    for table in [*result.tables, result.years]:
        got = {row.label: (row.amount_pence, row.awards) for row in table.rows}
        assert got == want[table.key], table.key
