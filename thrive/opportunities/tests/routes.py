"""What each kind of user gets from the opportunity pages."""

from __future__ import annotations

from typing import Any

from thrive.testing.routes import (
    AS_GET,
    PROVIDER_ADMIN,
    PROVIDER_MEMBER,
    PROVIDER_OTHER,
    STAFF_ROLES,
    only,
    public,
)

RUNNERS = ("commissioner", "procurement_officer", "system_admin")
PROVIDERS = (PROVIDER_ADMIN, PROVIDER_MEMBER, PROVIDER_OTHER)


def prepare(world: Any) -> None:
    """An open small grants round of the commissioner's directorate, a document, a question."""
    from django.core.files.base import ContentFile

    from thrive.opportunities.models import Document
    from thrive.opportunities.tests.factories import ClarificationFactory, OpportunityFactory

    council = world.users["commissioner"].council
    world.opportunity = OpportunityFactory(council=council, directorate=world.directorate)
    document = Document(
        opportunity=world.opportunity, title="Guidance", content_type="application/pdf", size=9
    )
    document.file.save("guidance.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    world.document = document
    from thrive.opportunities.tests.factories import CriterionFactory

    world.criterion = CriterionFactory(opportunity=world.opportunity, title="Quality", weight=60)
    world.clarification = ClarificationFactory(
        opportunity=world.opportunity, organisation=world.organisation
    )


def _opp(world: Any) -> dict[str, int]:
    return {"opportunity_id": world.opportunity.pk}


ROUTES = {
    "opportunities:list": public(),
    "opportunities:feed": public(),
    "opportunities:deadlines": public(),
    "opportunities:detail": public(kwargs=_opp, shared=True),
    "opportunities:document": public(
        kwargs=lambda w: {**_opp(w), "document_id": w.document.pk}, shared=True
    ),
    "opportunities:ask": only(*PROVIDERS, kwargs=_opp, post=AS_GET),
    "opportunities:alerts": only(*PROVIDERS, post=AS_GET),
    "opportunities:manage": only(*STAFF_ROLES),
    "opportunities:create": only("commissioner", "procurement_officer", post=AS_GET),
    "opportunities:manage_detail": only(*STAFF_ROLES, kwargs=_opp),
    "opportunities:edit": only(*RUNNERS, kwargs=_opp, post=AS_GET),
    "opportunities:add_lot": only(*RUNNERS, kwargs=_opp, post=AS_GET),
    "opportunities:add_criterion": only(*RUNNERS, kwargs=_opp, post=AS_GET),
    "opportunities:remove_criterion": only(
        *RUNNERS, kwargs=lambda w: {**_opp(w), "criterion_id": w.criterion.pk}, post=AS_GET
    ),
    "opportunities:add_document": only(*RUNNERS, kwargs=_opp, post=AS_GET),
    "opportunities:publish": only(*RUNNERS, kwargs=_opp, post=AS_GET),
    "opportunities:cancel": only(*RUNNERS, kwargs=_opp, post=AS_GET),
    "opportunities:invite": only(*RUNNERS, kwargs=_opp, post=AS_GET),
    "opportunities:answer": only(
        *RUNNERS, kwargs=lambda w: {"clarification_id": w.clarification.pk}, post=AS_GET
    ),
}
