"""Changes to the organisation register: registration, profile, identifiers, the Third
Sector test, income, services, contacts, requests to join and members (§1.4, §3.2)."""

from thrive.organisations.services.common import refresh_size
from thrive.organisations.services.membership import (
    decide_join_request,
    join_with_account,
    remove_member,
    request_to_join,
    set_member_role,
    withdraw_invitation,
)
from thrive.organisations.services.profile import (
    TEST_QUESTIONS,
    add_contact,
    add_service,
    record_income,
    record_third_sector_test,
    remove_contact,
    remove_service,
    update_organisation,
)
from thrive.organisations.services.registration import (
    NewProvider,
    add_identifier,
    create_provider_account,
    identifier_owner,
    record_register_export,
    register_organisation,
    register_own_organisation,
    remove_identifier,
)

__all__ = [
    "TEST_QUESTIONS",
    "NewProvider",
    "add_contact",
    "add_identifier",
    "add_service",
    "create_provider_account",
    "decide_join_request",
    "identifier_owner",
    "join_with_account",
    "record_income",
    "record_register_export",
    "record_third_sector_test",
    "refresh_size",
    "register_organisation",
    "register_own_organisation",
    "remove_contact",
    "remove_identifier",
    "remove_member",
    "remove_service",
    "request_to_join",
    "set_member_role",
    "update_organisation",
    "withdraw_invitation",
]
