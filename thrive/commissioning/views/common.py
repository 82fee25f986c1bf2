"""Helpers shared by the commissioning pages."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from thrive.accounts.models import Council, User
from thrive.commissioning import selectors
from thrive.commissioning.models import Intention
from thrive.strategy import selectors as strategy_selectors
from thrive.strategy.models import Directorate

MANAGE = "commissioning.intentions.manage"
VIEW = "commissioning.intentions.view"


def council_of(request: HttpRequest) -> Council:
    """The council whose pages these are: the user's own, or the one a system admin chose."""
    return strategy_selectors.council_for(request.user, request.GET.get("council"))


def my_directorates(user: User) -> list[Directorate]:
    """The directorates the user works in, by name."""
    return list(Directorate.objects.filter(pk__in=user.directorate_ids()).order_by("name"))


def manage_intention(request: HttpRequest, intention_id: int) -> Intention:
    """The intention, once the policy lets the user change it."""
    return selectors.get_intention(user=request.user, intention_id=intention_id, action=MANAGE)


def intention_url(intention: Intention) -> str:
    """The intention's page, where each step returns."""
    return reverse("commissioning:intention_detail", args=[intention.pk])
