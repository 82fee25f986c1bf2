"""Seed each council's outcomes framework, directorates, areas and beneficiary groups."""

from __future__ import annotations

from thrive.core.reference import ensure_beneficiary_groups, ensure_county_areas
from thrive.core.seeding import SeedContext
from thrive.strategy.defaults import ensure_default_framework


def seed(ctx: SeedContext) -> None:
    ctx.data["beneficiary_groups"] = ensure_beneficiary_groups()
    ctx.data["areas"] = {}
    ctx.data["outcomes"] = {}
    for council in ctx.data["councils"]:
        ctx.data["areas"][council.pk] = ensure_county_areas(council)
        ctx.data["outcomes"][council.pk] = ensure_default_framework(council)
    _place_commissioners(ctx)


def _place_commissioners(ctx: SeedContext) -> None:
    """Tie each demo commissioner to a directorate of their council."""
    from thrive.accounts.models import Role, RoleAssignment
    from thrive.strategy.models import Directorate

    for council in ctx.data["councils"]:
        directorate = Directorate.objects.filter(council=council, code="adults").first()
        RoleAssignment.objects.filter(
            council=council, role=Role.COMMISSIONER, directorate__isnull=True
        ).update(directorate=directorate)
