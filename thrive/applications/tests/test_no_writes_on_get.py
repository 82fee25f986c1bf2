"""Council pages about applications read on GET and write nothing; a member of staff without
a council is never handed some other council's settings."""

from __future__ import annotations

import pytest
from django.test import Client

from thrive.accounts.tests.factories import CouncilFactory, staff_with_role
from thrive.applications.models import SmallGrantPurpose, SmallGrantsSettings
from thrive.applications.tests.factories import SubmittedApplicationFactory
from thrive.opportunities.models import OpportunityKind
from thrive.opportunities.tests.factories import OpportunityFactory
from thrive.questions.models import FormTemplate, FormTemplateVersion

pytestmark = pytest.mark.django_db

SETTINGS = "/applications/small-grants/settings/"


def _rows() -> tuple[int, int, int, int]:
    return (
        SmallGrantsSettings.objects.count(),
        SmallGrantPurpose.objects.count(),
        FormTemplate.objects.count(),
        FormTemplateVersion.objects.count(),
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_scheme_settings_page_shows_the_defaults_without_saving_them() -> None:
    council = OpportunityFactory().council
    client = _client(staff_with_role("council_admin", council=council))
    before = _rows()
    page = client.get(SETTINGS)
    assert page.status_code == 200
    assert page.context["form"].initial["limit_pence"] == 500_000
    assert "materials" in page.context["form"].initial["purposes"]
    assert _rows() == before


def test_the_small_grant_decision_page_writes_nothing() -> None:
    application = SubmittedApplicationFactory()
    assert application.opportunity.kind == OpportunityKind.SMALL_GRANTS
    officer = staff_with_role("commissioner", council=application.opportunity.council)
    officer.role_assignments.update(directorate=application.opportunity.directorate)
    before = _rows()
    page = _client(officer).get(f"/applications/{application.pk}/decide/")
    assert page.status_code == 200
    assert "Your delegated limit" in page.context["intro"]
    assert _rows() == before


def test_the_standard_forms_page_writes_nothing() -> None:
    council = OpportunityFactory().council
    before = _rows()
    page = _client(staff_with_role("commissioner", council=council)).get("/applications/forms/")
    assert page.status_code == 200
    assert _rows() == before


def test_a_system_administrator_chooses_the_council_and_gets_no_other() -> None:
    first = CouncilFactory(name="Aardvark District Council", slug="aardvark")
    chosen = CouncilFactory(name="Zebra Borough Council", slug="zebra")
    client = _client(staff_with_role("system_admin"))
    page = client.get(f"{SETTINGS}?council={chosen.pk}")
    assert page.status_code == 200
    assert page.context["caption"] == chosen.name
    assert client.get(f"{SETTINGS}?council=999999").status_code == 404
    assert first.name != chosen.name


def test_a_council_admin_only_ever_sees_their_own_council() -> None:
    own = OpportunityFactory().council
    other = CouncilFactory(name="Zebra Borough Council", slug="zebra")
    client = _client(staff_with_role("council_admin", council=own))
    page = client.get(f"{SETTINGS}?council={other.pk}")
    assert page.status_code == 200
    assert page.context["caption"] == own.name
