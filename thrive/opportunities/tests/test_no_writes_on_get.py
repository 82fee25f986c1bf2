"""The commissioner's pages read on GET and write nothing; what applications know about an
opportunity reaches its page through the applications app's section, not an import."""

from __future__ import annotations

import pytest
from django.test import Client

from thrive.accounts.tests.factories import staff_with_role
from thrive.applications.tests.factories import SubmittedApplicationFactory
from thrive.opportunities.extensions import manage_sections
from thrive.opportunities.tests.factories import OpportunityFactory
from thrive.questions.models import FormTemplate, FormTemplateVersion

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _forms() -> tuple[int, int]:
    return FormTemplate.objects.count(), FormTemplateVersion.objects.count()


def test_the_create_and_edit_pages_offer_the_standard_forms_without_making_any() -> None:
    base = OpportunityFactory()
    commissioner = staff_with_role("commissioner", council=base.council)
    commissioner.role_assignments.update(directorate=base.directorate)
    draft = OpportunityFactory(council=base.council, directorate=base.directorate, status="draft")
    client = _client(commissioner)
    before = _forms()
    page = client.get("/opportunities/manage/new/")
    assert page.context["form"].fields["form_template"].queryset.filter(code="tender").exists()
    assert client.get(f"/opportunities/manage/{draft.pk}/edit/").status_code == 200
    assert _forms() == before


def test_the_applications_received_are_counted_by_the_applications_section() -> None:
    assert len(manage_sections) >= 1
    application = SubmittedApplicationFactory()
    opportunity = application.opportunity
    commissioner = staff_with_role("commissioner", council=opportunity.council)
    page = _client(commissioner).get(f"/opportunities/manage/{opportunity.pk}/")
    assert page.status_code == 200
    assert "1 application received." in page.content.decode()
