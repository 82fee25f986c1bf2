"""An award becomes active together with its monitoring plan, in one transaction; and an
award's row goes into the database once, with its reference."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import MembershipFactory, staff_with_role
from thrive.audit.models import AuditEvent
from thrive.awards import services
from thrive.awards.models import Award, AwardStatus
from thrive.awards.tests.factories import DirectorateFactory, make_award, make_pots
from thrive.monitoring.models import MonitoringPlan
from thrive.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commissioner():
    return staff_with_role(Role.COMMISSIONER)


@pytest.fixture
def offered(commissioner):
    admin = MembershipFactory(is_admin=True).user
    award = make_award(commissioner, admin.memberships.get().organisation, status="offered")
    return award, admin


@pytest.fixture
def plan_fails(monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the plan could not be saved")

    monkeypatch.setattr(MonitoringPlan, "save", fail)


def test_accepting_an_offer_gives_the_award_its_plan_before_anything_commits(offered):
    award, admin = offered
    services.accept_offer(award=award, actor=admin, name="Ada Lovelace")  # no on-commit run
    assert award.status == AwardStatus.ACTIVE
    assert award.monitoring_plans.get().organisation == award.organisation


@pytest.mark.usefixtures("plan_fails")
def test_when_the_plan_cannot_be_made_the_award_is_not_accepted(offered):
    award, admin = offered
    with pytest.raises(RuntimeError):
        services.accept_offer(award=award, actor=admin, name="Ada Lovelace")
    award.refresh_from_db()
    assert (award.status, award.accepted_at, award.accepted_name) == (
        AwardStatus.OFFERED,
        None,
        "",
    )
    assert not MonitoringPlan.objects.filter(awards=award).exists()
    assert not AuditEvent.objects.filter(action="awards.award.accepted").exists()


@pytest.mark.usefixtures("plan_fails")
def test_when_the_plan_cannot_be_made_no_active_award_is_made(commissioner):
    with pytest.raises(RuntimeError):
        make_award(commissioner, OrganisationFactory(), status="active")
    assert not Award.objects.exists()
    assert not MonitoringPlan.objects.exists()


def test_an_award_made_active_has_its_plan(commissioner):
    award = make_award(commissioner, OrganisationFactory(), status="active")
    assert award.status == AwardStatus.ACTIVE
    assert award.monitoring_plans.count() == 1


@pytest.mark.parametrize("with_pot", [False, True])
def test_making_an_award_inserts_its_row_once_with_its_reference(commissioner, with_pot):
    directorate = DirectorateFactory(council=commissioner.council)
    pot = make_pots(commissioner.council, directorate)[0] if with_pot else None
    make_award(commissioner, OrganisationFactory())  # the table has had a row before
    with CaptureQueriesContext(connection) as queries:
        award = make_award(commissioner, OrganisationFactory(), pot=pot, directorate=directorate)
    table = Award._meta.db_table
    written = [
        q["sql"].split(" ", 1)[0]
        for q in queries.captured_queries
        if q["sql"].startswith(("INSERT", "UPDATE")) and f'"{table}"' in q["sql"].split("(")[0]
    ]
    assert written == ["INSERT"]
    assert award.reference == f"AW-{timezone.now().year}-{award.pk:05d}"
    assert Award.objects.get(pk=award.pk).reference == award.reference


def test_the_first_award_ever_made_gets_the_first_number(commissioner):
    award = make_award(commissioner, OrganisationFactory())
    second = make_award(commissioner, OrganisationFactory())
    assert second.pk == award.pk + 1
    assert second.reference.endswith(f"-{second.pk:05d}")
