"""A small export the core tests register, so they need no app's export."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import QueryDict

from thrive.core.export_registry import Table
from thrive.core.roles import is_staff_user

HEADERS = ["Number", "Name", "Amount (pence)"]


def sample_table(user: Any, params: QueryDict) -> Table:
    """``rows`` numbered rows for staff (refused to anyone else), named after ``name``."""
    if not is_staff_user(user):
        raise PermissionDenied("staff only")
    count = int(params.get("rows", "3"))
    name = params.get("name", "Ashbourne Trust")
    return Table(
        title="Sample rows",
        headers=HEADERS,
        rows=([number, f"{name} {number}", number * 100] for number in range(1, count + 1)),
        filename="sample-rows",
        count=lambda: count,
    )


def people_table(user: Any, params: QueryDict) -> Table:
    """People whose email ends with ``domain``, counted by their queryset (as apps' tables are)."""
    people = (
        get_user_model().objects.filter(email__endswith=params.get("domain", "")).order_by("pk")
    )
    return Table(
        title="People",
        headers=["Email"],
        rows=people.values_list("email"),
        filename="people",
        count=people.count,
    )
