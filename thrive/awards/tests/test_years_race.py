"""Two officers make three-year awards at once when one year's pot can take only one of
them: exactly one award is made, the other is refused naming that year and leaves no part
committed in any year (PostgreSQL row locks)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.awards.models import Award, AwardYear
from thrive.awards.tests.factories import DirectorateFactory, committed_in, make_award, make_pots
from thrive.organisations.tests.factories import OrganisationFactory
from thrive.strategy.models import BudgetCommitment

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="row locks need PostgreSQL; SQLite serialises writes"
    ),
]


def test_two_officers_cannot_both_spend_a_years_last_pounds() -> None:
    officer = staff_with_role(Role.COMMISSIONER)
    directorate = DirectorateFactory(council=officer.council)
    pots = make_pots(officer.council, directorate, years=(2027, 2028, 2029))
    pots[1].budget_pence = 1_500_000  # room for one award's £10,000 in 2028/29, not two
    pots[1].save()
    organisations = [OrganisationFactory(), OrganisationFactory()]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def award(organisation) -> None:
        try:
            barrier.wait(timeout=10)
            make_award(
                officer,
                organisation,
                pot=pots[0],
                directorate=directorate,
                amount_pence=3_000_000,
                start_date=date(2027, 4, 1),
                end_date=date(2030, 3, 31),
                instalment_count=3,
            )
            results.append("ok")
        except ValidationError as exc:
            results.append(exc.message_dict["pot"][0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=award, args=(o,)) for o in organisations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(results, key=len) == [
        "ok",
        f"There is not enough left in {pots[1]} for the 2028/29 part of this award: "
        "£5,000.00 remains and the 2028/29 part is £10,000.00",
    ]
    assert [committed_in([pot]) for pot in pots] == [1_000_000, 1_000_000, 1_000_000]
    assert Award.objects.count() == 1
    assert AwardYear.objects.count() == 3
    assert BudgetCommitment.objects.count() == 3
