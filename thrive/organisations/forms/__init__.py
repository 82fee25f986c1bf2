"""Organisation forms: the shape of the input, with GOV.UK wording for every error."""

from thrive.organisations.forms.profile import (
    ContactForm,
    IdentifierForm,
    IncomeForm,
    OrganisationForm,
    ServiceForm,
    ThirdSectorTestForm,
)
from thrive.organisations.forms.register import (
    DirectoryFilterForm,
    ImportForm,
    MergeForm,
    NotDuplicateForm,
    RegisterFilterForm,
    StaffAddOrganisationForm,
)
from thrive.organisations.forms.selfservice import (
    JoinForm,
    MemberRoleForm,
    RegisterOrganisationForm,
)

__all__ = [
    "ContactForm",
    "DirectoryFilterForm",
    "IdentifierForm",
    "ImportForm",
    "IncomeForm",
    "JoinForm",
    "MemberRoleForm",
    "MergeForm",
    "NotDuplicateForm",
    "OrganisationForm",
    "RegisterFilterForm",
    "RegisterOrganisationForm",
    "ServiceForm",
    "StaffAddOrganisationForm",
    "ThirdSectorTestForm",
]
