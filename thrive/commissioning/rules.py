"""Who records needs, writes and combines intentions, agrees the method and answers
consultations, market tests and notices.

Commissioners keep their directorates' needs and intentions; the strategy group and council
administrators read all of their council's; procurement officers read every intention and
agree the method. Organisations answer through their members.
"""

from __future__ import annotations

from typing import Any

from thrive.core import policy
from thrive.core.policy import in_council, in_directorates, reads_all_of_council
from thrive.core.roles import Role, has_council_role, is_provider_user, membership_of


def _commissioner_keeps(user: Any, obj: Any) -> bool:
    """A commissioner with directorates, for work of the council in one of them."""
    return (
        has_council_role(user, Role.COMMISSIONER)
        and bool(user.directorate_ids())
        and in_council(user, obj)
        and in_directorates(user, obj)
    )


def _commissioner_reads(user: Any, obj: Any) -> bool:
    return (
        has_council_role(user, Role.COMMISSIONER)
        and in_council(user, obj)
        and in_directorates(user, obj)
    )


@policy.register("commissioning.needs.view")
def _needs_view(user: Any, need: Any) -> bool:
    if reads_all_of_council(user):
        return in_council(user, need)
    return _commissioner_reads(user, need)


@policy.register("commissioning.needs.manage")
def _needs_manage(user: Any, need: Any) -> bool:
    return _commissioner_keeps(user, need)


@policy.register("commissioning.settings.manage")
def _commissioning_settings(user: Any, council: Any) -> bool:
    return policy.council_admin_of(user, council)


@policy.register("commissioning.intentions.view")
def _intentions_view(user: Any, intention: Any) -> bool:
    if reads_all_of_council(user) or has_council_role(user, Role.PROCUREMENT_OFFICER):
        return in_council(user, intention)
    return _commissioner_reads(user, intention)


@policy.register("commissioning.intentions.manage")
def _intentions_manage(user: Any, intention: Any) -> bool:
    return _commissioner_keeps(user, intention)


@policy.register("commissioning.intentions.combine")
def _intentions_combine(user: Any, council: Any) -> bool:
    if not has_council_role(user, Role.STRATEGY_GROUP, Role.COUNCIL_ADMIN, Role.COMMISSIONER):
        return False
    return council is None or council.pk == user.council_id


@policy.register("commissioning.method.agree")
def _method_agree(user: Any, intention: Any) -> bool:
    return has_council_role(user, Role.PROCUREMENT_OFFICER) and in_council(user, intention)


@policy.register("commissioning.respond", acts_for_organisation=True)
def _commissioning_respond(user: Any, obj: Any) -> bool:
    """Organisations answer consultations and soft market tests through their members."""
    return is_provider_user(user) and (obj is None or membership_of(user, obj) is not None)


@policy.register("commissioning.notices.view")
def _notices_view(user: Any, notice: Any) -> bool:
    if not is_provider_user(user):
        return False
    return notice is None or membership_of(user, notice.organisation) is not None
