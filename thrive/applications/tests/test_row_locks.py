"""Saving, submitting, withdrawing, reopening and deciding lock the application's row only
(PostgreSQL): the opportunity's row stays free, so at a deadline every organisation's save
and submit for one round does not queue on that one row (nor deadlock against the audit
log's head)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import DatabaseError, connection, connections, transaction

from thrive.accounts.models import Council
from thrive.accounts.tests.factories import MembershipFactory, staff_with_role
from thrive.applications.models import Application, ApplicationStatus
from thrive.applications.services import drafts, small_grants, submission
from thrive.applications.tests.factories import (
    CompleteApplicationFactory,
    SubmittedApplicationFactory,
)
from thrive.opportunities.models import Opportunity
from thrive.organisations.models import Organisation

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="row locks need PostgreSQL; SQLite locks the file"
    ),
]

ONLY_THE_APPLICATION = {
    "application": True,
    "opportunity": False,
    "council": False,
    "organisation": False,
}


def _rows_locked_elsewhere(application: Application) -> dict[str, bool]:
    """From a second connection, which of the rows involved another transaction holds."""
    rows = {
        "application": (Application, application.pk),
        "opportunity": (Opportunity, application.opportunity_id),
        "council": (Council, application.opportunity.council_id),
        "organisation": (Organisation, application.organisation_id),
    }
    found: dict[str, bool] = {}

    def probe() -> None:
        try:
            for name, (model, pk) in rows.items():
                try:
                    with transaction.atomic():
                        model.objects.select_for_update(nowait=True).filter(pk=pk).exists()
                    found[name] = False
                except DatabaseError:
                    found[name] = True
        finally:
            connections.close_all()

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join(timeout=30)
    return found


def _save(application: Application, user: Any) -> None:
    drafts.save_section(
        application=application,
        section_key="project",
        data={"project_title": "Drama club"},
        actor=user,
    )


def _submit(application: Application, user: Any) -> None:
    submission.submit_application(
        application=application, actor=user, idempotency_key="lock-test", declaration=True
    )


def _withdraw(application: Application, user: Any) -> None:
    submission.withdraw_application(application=application, actor=user, reason="Wrong budget")


def _reopen(application: Application, user: Any) -> None:
    submission.withdraw_application(application=application, actor=user)
    submission.reopen_application(application=application, actor=user)


@pytest.mark.parametrize(
    ("make", "change"),
    [
        (CompleteApplicationFactory, _save),
        (CompleteApplicationFactory, _submit),
        (SubmittedApplicationFactory, _withdraw),
        (SubmittedApplicationFactory, _reopen),
    ],
    ids=["save", "submit", "withdraw", "reopen"],
)
def test_an_applicant_change_holds_its_application_and_leaves_the_opportunity_free(
    make: Callable[..., Application], change: Callable[[Application, Any], None]
) -> None:
    application = make()
    user = MembershipFactory(organisation=application.organisation).user
    with transaction.atomic():
        change(application, user)
        locked = _rows_locked_elsewhere(application)
    assert locked == ONLY_THE_APPLICATION


def test_a_small_grant_decision_holds_the_application_only() -> None:
    application = SubmittedApplicationFactory()
    officer = staff_with_role("commissioner", council=application.opportunity.council)
    with transaction.atomic():
        small_grants.decide_small_grant(
            application=application, actor=officer, approve=False, amount_pence=0, reason="Late"
        )
        locked = _rows_locked_elsewhere(application)
    assert locked == ONLY_THE_APPLICATION
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNSUCCESSFUL
