"""Who applies, who reads received applications, and who screens, decides and opens bids.

Provider users apply for their own organisations only. Council readers of an opportunity's
received applications never see a draft or a sealed bid: sealed bids are also kept out of
every staff query by ``ApplicationQuerySet.unsealed``, and these rules check the same
condition with ``is_unsealed``.
"""

from __future__ import annotations

from typing import Any

from thrive.applications.selectors import is_unsealed
from thrive.core import policy
from thrive.core.policy import in_council, in_directorates
from thrive.core.roles import (
    Role,
    has_council_role,
    is_provider_user,
    is_staff_user,
    is_system_admin,
    membership_of,
)
from thrive.opportunities.rules import may_manage_opportunity

APPLICATION_READERS = (
    Role.COMMISSIONER,
    Role.PROCUREMENT_OFFICER,
    Role.STRATEGY_GROUP,
    Role.COUNCIL_ADMIN,
)


@policy.register("applications.provider", acts_for_organisation=True)
def _applications_provider(user: Any, organisation: Any) -> bool:
    if not is_provider_user(user):
        return False
    return organisation is None or membership_of(user, organisation) is not None


@policy.register_object("applications.application.edit", acts_for_organisation=True)
def _application_edit(user: Any, application: Any) -> bool:
    return is_provider_user(user) and membership_of(user, application.organisation) is not None


def _commissioner_of(user: Any, opportunity: Any) -> bool:
    return (
        has_council_role(user, Role.COMMISSIONER)
        and in_council(user, opportunity)
        and in_directorates(user, opportunity)
    )


def may_read_received(user: Any, opportunity: Any) -> bool:
    """Council readers of the opportunity's received applications (sealed or not)."""
    if is_system_admin(user):
        return True
    if has_council_role(user, Role.PROCUREMENT_OFFICER, Role.STRATEGY_GROUP, Role.COUNCIL_ADMIN):
        return in_council(user, opportunity)
    return _commissioner_of(user, opportunity)


@policy.register("applications.received.view")
def _received_view(user: Any, opportunity: Any) -> bool:
    return may_read_received(user, opportunity)


def _staff_may_read_application(user: Any, application: Any) -> bool:
    """Council readers of a received application, never of a draft or a sealed bid."""
    if not may_read_received(user, application.opportunity):
        return False
    return application.status != "draft" and is_unsealed(application)


@policy.register_object("applications.application.view")
def _application_view(user: Any, application: Any) -> bool:
    if is_provider_user(user):
        return membership_of(user, application.organisation) is not None
    return _staff_may_read_application(user, application)


@policy.register_object("applications.application.review")
def _application_review(user: Any, application: Any) -> bool:
    return is_staff_user(user) and _staff_may_read_application(user, application)


@policy.register_object("applications.application.screen")
def _application_screen(user: Any, application: Any) -> bool:
    return may_manage_opportunity(user, application.opportunity) and _application_review(
        user, application
    )


@policy.register_object("applications.small_grants.decide")
def _small_grant_decide(user: Any, application: Any) -> bool:
    """One officer decides a small grant: a commissioner of the directorate running it."""
    return _commissioner_of(user, application.opportunity) and _staff_may_read_application(
        user, application
    )


@policy.register("applications.bids.open")
def _bids_open(user: Any, opportunity: Any) -> bool:
    return has_council_role(user, Role.PROCUREMENT_OFFICER) and in_council(user, opportunity)


@policy.register("applications.openings.view")
def _openings_view(user: Any, obj: Any) -> bool:
    return is_system_admin(user) or has_council_role(user, *APPLICATION_READERS)


@policy.register("applications.forms.view")
def _forms_view(user: Any, obj: Any) -> bool:
    """The application forms (their templates and versions): council staff."""
    return is_staff_user(user)


@policy.register("applications.small_grants.configure")
def _small_grants_configure(user: Any, council: Any) -> bool:
    return policy.council_admin_of(user, council)
