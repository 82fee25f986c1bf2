"""The seeder is deterministic and gives a demo account for every role."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thrive.accounts.models import Role, RoleAssignment, User
from thrive.audit.services import verify_chain
from thrive.core.seeding import DEMO_PASSWORD, DEMO_USERNAMES, SCALES, SeedContext, run_seed
from thrive.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def _snapshot() -> list[tuple[str, ...]]:
    users = list(User.objects.order_by("username").values_list("username", "first_name"))
    orgs = list(Organisation.objects.order_by("pk").values_list("name"))
    return users + orgs


def test_demo_seed_gives_every_role_a_demo_account(capsys) -> None:
    call_command("seed", "--scale", "demo", "--random-seed", "7")
    out = capsys.readouterr().out
    held = set(RoleAssignment.objects.values_list("role", flat=True))
    assert held == set(Role.values)
    for username in DEMO_USERNAMES:
        assert username in out
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in out
    provider = User.objects.get(username="provider")
    assert provider.council is None and provider.memberships.get().is_admin
    assert Organisation.objects.count() >= SCALES["demo"].organisations
    assert verify_chain()[1] is None


@pytest.mark.django_db(transaction=True)
def test_the_same_random_seed_gives_the_same_data() -> None:
    run_seed(SeedContext(scale=SCALES["demo"], random_seed=11, show_progress=False))
    first = _snapshot()
    call_command("flush", "--no-input", verbosity=0)
    run_seed(SeedContext(scale=SCALES["demo"], random_seed=11, show_progress=False))
    assert _snapshot() == first
    call_command("flush", "--no-input", verbosity=0)
    run_seed(SeedContext(scale=SCALES["demo"], random_seed=12, show_progress=False))
    assert _snapshot() != first


def test_seeding_twice_is_refused_unless_asked_to_skip(capsys) -> None:
    call_command("seed", "--random-seed", "3", verbosity=0)
    with pytest.raises(CommandError, match="already has data"):
        call_command("seed")
    call_command("seed", "--if-empty")
    out = capsys.readouterr().out
    assert "not seeding" in out
    assert "commissioner" in out and DEMO_PASSWORD in out


def test_production_refuses_demo_data(settings) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="Refusing to load demo data"):
        call_command("seed")
