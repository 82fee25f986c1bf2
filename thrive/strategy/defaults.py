"""The strategy's own outcomes framework and directorates (DESIGN §6), loaded per council."""

from __future__ import annotations

from datetime import date

from thrive.strategy.models import Directorate, Outcome, OutcomeKind, ThresholdSet

OUTCOMES: list[tuple[str, str, str, str | None]] = [
    # code, kind, title, parent code
    ("PO1", OutcomeKind.PRIORITY, "A cleaner, greener and more prosperous county", None),
    ("PO2", OutcomeKind.PRIORITY, "Young people feel engaged", None),
    ("PO3", OutcomeKind.PRIORITY, "Feel treated with dignity in care", None),
    ("PA1", OutcomeKind.AMBITION, "Sustainable growth and regeneration", None),
    ("PA2", OutcomeKind.AMBITION, "A growing economy with more skilled jobs", None),
    ("PA3", OutcomeKind.AMBITION, "Safe and strong communities", None),
    ("PA4", OutcomeKind.AMBITION, "Healthy people who enjoy a good quality of life", None),
    ("DLC", OutcomeKind.CROSS_CUTTING, "Developing local communities", None),
    (
        "DLC1",
        OutcomeKind.CROSS_CUTTING,
        "Empower communities to come together to address local issues",
        "DLC",
    ),
    ("DLC2", OutcomeKind.CROSS_CUTTING, "Encourage active citizenship and volunteering", "DLC"),
    ("DLC3", OutcomeKind.CROSS_CUTTING, "Tackle social breakdown", "DLC"),
    ("DLC4", OutcomeKind.CROSS_CUTTING, "Promote improved community relations", "DLC"),
    ("DLC5", OutcomeKind.CROSS_CUTTING, "Reduce social exclusion, poverty and disadvantage", "DLC"),
    (
        "DLC6",
        OutcomeKind.CROSS_CUTTING,
        "Proactively help in the delivery of community services or reduce unnecessary demand "
        "on the public finances",
        "DLC",
    ),
    ("NI6", OutcomeKind.NATIONAL_INDICATOR, "Participation in regular volunteering", "DLC2"),
    ("NI7", OutcomeKind.NATIONAL_INDICATOR, "An environment for a thriving Third Sector", "DLC"),
]

DIRECTORATES: list[tuple[str, str]] = [
    ("adults", "Adult Social Care"),
    ("children", "Children, Young People and Families"),
    ("environment", "Environment, Growth and Communities"),
    ("public-health", "Public Health"),
    ("corporate", "Corporate Services"),
]


def title_without_code(code: str, title: str) -> str:
    """The title without a leading copy of the code ("NI 6: participation…" under NI6)."""
    prefix, colon, rest = title.partition(":")
    if not colon or prefix.replace(" ", "").lower() != code.replace(" ", "").lower():
        return title
    rest = rest.strip()
    return rest[:1].upper() + rest[1:] if rest else title


def ensure_default_framework(council: object) -> list[Outcome]:
    """Load the strategy's outcomes and directorates for a council where missing."""
    by_code: dict[str, Outcome] = {}
    for order, (code, kind, title, parent_code) in enumerate(OUTCOMES):
        outcome, _ = Outcome.objects.get_or_create(
            council=council,
            code=code,
            defaults={
                "kind": kind,
                "title": title,
                "order": order,
                "parent": by_code.get(parent_code) if parent_code else None,
            },
        )
        by_code[code] = outcome
    for code, name in DIRECTORATES:
        Directorate.objects.get_or_create(council=council, code=code, defaults={"name": name})
    return list(by_code.values())


# Procurement Act 2023 thresholds, VAT included (standards/NOTES.md): valid from, goods and
# services (sub-central), works, light-touch regime.
THRESHOLDS: list[tuple[str, int, int, int, str]] = [
    (
        "2025-02-24",
        21_490_400,
        537_260_900,
        66_354_000,
        "Procurement Act 2023, in force 24 February 2025",
    ),
    (
        "2026-01-01",
        20_772_000,
        519_300_000,
        66_354_000,
        "Procurement Act 2023 thresholds for procurements started from 1 January 2026",
    ),
]


def ensure_default_thresholds() -> None:
    """Load the national threshold sets where missing."""

    for valid_from, goods, works, light_touch, source in THRESHOLDS:
        ThresholdSet.objects.get_or_create(
            council=None,
            valid_from=date.fromisoformat(valid_from),
            defaults={
                "goods_services_pence": goods,
                "works_pence": works,
                "light_touch_pence": light_touch,
                "source": source,
            },
        )
