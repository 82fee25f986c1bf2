"""Two officers commit the last pounds of a pot at once: exactly one succeeds (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.strategy import services
from thrive.strategy.models import BudgetCommitment, FundingPot
from thrive.strategy.tests.factories import FundingPotFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="row locks need PostgreSQL; SQLite serialises writes"
    ),
]


def test_two_concurrent_commitments_cannot_both_spend_the_last_pounds() -> None:
    finance = staff_with_role(Role.FINANCE_OFFICER)
    pot = FundingPotFactory(council=finance.council, budget_pence=100_000)
    services.commit_budget(pot=pot, amount_pence=90_000, description="Earlier", actor=finance)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def commit(label: str) -> None:
        try:
            barrier.wait(timeout=10)
            services.commit_budget(
                pot=FundingPot.objects.get(pk=pot.pk),
                amount_pence=10_000,
                description=label,
                actor=finance,
            )
            results.append("ok")
        except ValidationError as exc:
            results.append(exc.message_dict["amount"][0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=commit, args=(f"Officer {n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    pot.refresh_from_db()
    assert sorted(results, key=len) == [
        "ok",
        f"There is not enough left in {pot.name}: £0.00 remains and this commitment is £100.00",
    ]
    assert pot.committed_pence == pot.budget_pence == 100_000
    assert BudgetCommitment.objects.filter(pot=pot).count() == 2
