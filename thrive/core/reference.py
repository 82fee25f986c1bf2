"""Default reference data: beneficiary groups and the demo county's areas."""

from __future__ import annotations

from thrive.core.models import Area, BeneficiaryGroup

# Equality Act 2010 protected characteristics, then other groups the strategy names.
BENEFICIARY_GROUPS: list[tuple[str, str, bool]] = [
    ("age", "Age", True),
    ("disability", "Disability", True),
    ("gender-reassignment", "Gender reassignment", True),
    ("marriage-civil-partnership", "Marriage and civil partnership", True),
    ("pregnancy-maternity", "Pregnancy and maternity", True),
    ("race", "Race", True),
    ("religion-belief", "Religion or belief", True),
    ("sex", "Sex", True),
    ("sexual-orientation", "Sexual orientation", True),
    ("carers", "Carers", False),
    ("children", "Children", False),
    ("young-people", "Young people", False),
    ("older-people", "Older people", False),
    ("low-income", "People on low incomes", False),
    ("rural-communities", "Rural communities", False),
    ("homeless", "People who are homeless", False),
    ("mental-health", "People with mental health needs", False),
    ("veterans", "Armed forces veterans", False),
    ("refugees", "Refugees and asylum seekers", False),
    ("general-public", "The general public", False),
]

# The demo county's districts (fictional names, real-looking GSS codes).
COUNTY_AREAS: list[tuple[str, str]] = [
    ("Ashbourne Vale", "E07000301"),
    ("Brackenford", "E07000302"),
    ("Castlemere", "E07000303"),
    ("Dunholm", "E07000304"),
    ("Elmbridge Downs", "E07000305"),
    ("Fernleigh", "E07000306"),
    ("Greystone", "E07000307"),
]
COUNTY_WIDE = "County-wide"


def ensure_beneficiary_groups() -> list[BeneficiaryGroup]:
    """Create the default beneficiary groups where missing; return them all in order."""
    for order, (code, name, protected) in enumerate(BENEFICIARY_GROUPS):
        BeneficiaryGroup.objects.get_or_create(
            code=code,
            defaults={"name": name, "protected_characteristic": protected, "order": order},
        )
    return list(BeneficiaryGroup.objects.all())


def ensure_county_areas(council: object) -> list[Area]:
    """Create the county-wide area and the districts for a council where missing."""
    Area.objects.get_or_create(council=council, name=COUNTY_WIDE, defaults={"county_wide": True})
    for name, code in COUNTY_AREAS:
        Area.objects.get_or_create(council=council, name=name, defaults={"gss_code": code})
    return list(Area.objects.filter(council=council))
