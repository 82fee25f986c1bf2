"""Monitoring's answers to changes of awards, connected when the app is ready.

Both run inside the awards service's transaction: if the plan cannot be made or laid out
again, the activation or variation is rolled back with it, so an active award always has
its plan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.dispatch import receiver

from thrive.awards.signals import award_activated, award_varied

if TYPE_CHECKING:
    from thrive.accounts.models import User
    from thrive.awards.models import Award


@receiver(award_activated, dispatch_uid="monitoring.plan_on_activation")
def plan_on_activation(
    sender: type[Award], *, award: Award, actor: User | None = None, **kwargs: Any
) -> None:
    """Give a newly active award its monitoring plan (or a place on its lead funder's)."""
    # lazy: keeps the monitoring services out of thrive's start-up (opendata test_start_up)
    from thrive.monitoring.services import create_plan_for_award

    create_plan_for_award(award=award, actor=actor)


@receiver(award_varied, dispatch_uid="monitoring.replan_on_variation")
def replan_on_variation(
    sender: type[Award], *, award: Award, actor: User | None = None, **kwargs: Any
) -> None:
    """Fit the varied award's plan to its new value, end or termination."""
    # lazy: keeps the monitoring services out of thrive's start-up (opendata test_start_up)
    from thrive.monitoring.services import replan_for_award

    replan_for_award(award=award, actor=actor)
