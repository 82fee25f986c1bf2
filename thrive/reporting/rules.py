"""Policy rules for reporting: who may do what. Registered with ``thrive.core.policy``.

The dashboard, outcomes, indicators and the annual report are read by the council's
Corporate Third Sector Group, council administrators, commissioners and finance officers
(and system administrators), each for their own council only (§5). Procurement officers
and assessors do not need the whole investment picture. Process feedback is given by a
member of the applicant organisation once its application has been decided (§5.2); its
comments are read, without the applicant's name, by the Corporate Third Sector Group and
by commissioners (their own directorates').
"""

from __future__ import annotations

from typing import Any

from thrive.applications.models import RESULT_STATUSES
from thrive.core import policy
from thrive.core.roles import Role

REPORT_READERS = (
    Role.STRATEGY_GROUP,
    Role.COUNCIL_ADMIN,
    Role.COMMISSIONER,
    Role.FINANCE_OFFICER,
)


def reads_reports(user: Any) -> bool:
    return policy.is_system_admin(user) or policy.has_council_role(user, *REPORT_READERS)


@policy.register("reporting.view")
def _reporting_view(user: Any, council: Any) -> bool:
    """Read the council's reports; ``council`` (when given) must be the user's own."""
    if not reads_reports(user):
        return False
    if council is None or policy.is_system_admin(user):
        return True
    return policy.same_council(user, council.pk)


FEEDBACK_READERS = (Role.STRATEGY_GROUP, Role.COMMISSIONER)


@policy.register("reporting.feedback.view")
def _feedback_view(user: Any, council: Any) -> bool:
    """Read applicants' comments on the process; ``council`` must be the user's own."""
    if policy.is_system_admin(user):
        return True
    if not policy.has_council_role(user, *FEEDBACK_READERS):
        return False
    return council is None or policy.same_council(user, council.pk)


@policy.register("reporting.guidance.view")
def _guidance_view(user: Any, obj: Any) -> bool:
    return policy.is_staff_user(user)


@policy.register_object("reporting.feedback.give", acts_for_organisation=True)
def _feedback_give(user: Any, application: Any) -> bool:
    """A member of the applicant organisation, for a decided application."""
    if application is None or application.status not in RESULT_STATUSES:
        return False
    return policy.membership_of(user, application.organisation) is not None
