"""What each kind of user gets from the application pages."""

from __future__ import annotations

from typing import Any

from thrive.testing.routes import (
    AS_GET,
    PROVIDER_ADMIN,
    PROVIDER_MEMBER,
    PROVIDER_OTHER,
    STAFF_ROLES,
    Expect,
    only,
    public,
)

PROVIDERS = (PROVIDER_ADMIN, PROVIDER_MEMBER, PROVIDER_OTHER)
MEMBERS = (PROVIDER_ADMIN, PROVIDER_MEMBER)
READERS = ("commissioner", "procurement_officer", "strategy_group", "council_admin", "system_admin")


def prepare(world: Any) -> None:
    """A draft and a submitted application of the world's organisation, with a file."""
    from thrive.applications.tests.factories import (
        ApplicationFactory,
        AttachmentFactory,
        SubmittedApplicationFactory,
    )
    from thrive.opportunities.tests.factories import OpportunityFactory

    world.draft = ApplicationFactory(opportunity=world.opportunity, organisation=world.organisation)
    second = OpportunityFactory(council=world.opportunity.council, directorate=world.directorate)
    world.submitted = SubmittedApplicationFactory(
        opportunity=second, organisation=world.organisation
    )
    world.attachment = AttachmentFactory(application=world.submitted)
    world.form_version = world.draft.form_version


def _draft(world: Any) -> dict[str, int]:
    return {"application_id": world.draft.pk}


def _submitted(world: Any) -> dict[str, int]:
    return {"application_id": world.submitted.pk}


def _opp(world: Any) -> dict[str, int]:
    return {"opportunity_id": world.opportunity.pk}


ROUTES = {
    "applications:home": only(*PROVIDERS),
    "applications:start": only(*PROVIDERS, kwargs=_opp, post=AS_GET),
    "applications:eligibility": public(kwargs=_opp, shared=True),
    "applications:tasks": only(*MEMBERS, kwargs=_draft),
    "applications:organisation": only(*MEMBERS, kwargs=_draft),
    "applications:section": only(
        *MEMBERS, kwargs=lambda w: {**_draft(w), "section_key": "project"}, post=AS_GET
    ),
    "applications:upload": Expect(
        405, kwargs=lambda w: {**_draft(w), "section_key": "documents"}, post=MEMBERS
    ),
    "applications:attachment": only(
        *MEMBERS, *READERS, kwargs=lambda w: {**_submitted(w), "attachment_id": w.attachment.pk}
    ),
    "applications:check": only(*MEMBERS, kwargs=_draft, post=AS_GET),
    "applications:receipt": only(*MEMBERS, kwargs=_submitted),
    "applications:withdraw": only(*MEMBERS, kwargs=_submitted, post=AS_GET),
    "applications:reopen": Expect(405, kwargs=_submitted, post=MEMBERS),
    "applications:review": only(*READERS, kwargs=_submitted),
    "applications:screen": only(
        "commissioner", "procurement_officer", "system_admin", kwargs=_submitted, post=AS_GET
    ),
    "applications:decide": only("commissioner", kwargs=_submitted, post=AS_GET),
    "applications:received": only(*READERS, kwargs=_opp),
    "applications:received_export": only(*READERS, kwargs=_opp),
    "applications:open_bids": only("procurement_officer", kwargs=_opp, post=AS_GET),
    "applications:openings": only(*READERS),
    "applications:forms": only(*STAFF_ROLES),
    "applications:small_grants_settings": only("council_admin", "system_admin", post=AS_GET),
    "applications:form_version": only(
        *STAFF_ROLES, kwargs=lambda w: {"version_id": w.form_version.pk}, shared=True
    ),
}
