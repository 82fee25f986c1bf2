"""The standard forms are data the database holds from its first migration; a version that
anything has been filled against is known to be in use, through the apps that fill them."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError

from thrive.accounts.tests.factories import staff_with_role
from thrive.applications.tests.factories import ApplicationFactory
from thrive.questions import services
from thrive.questions.defaults import DEFAULT_TEMPLATES, ensure_default_templates
from thrive.questions.models import FormTemplate, FormTemplateVersion

pytestmark = pytest.mark.django_db


def test_the_migration_adds_every_standard_form_with_its_first_version() -> None:
    # A test run that empties tables (a transactional test) may have removed what the
    # migration added when the test database was made: add them again the migration's way.
    FormTemplateVersion.objects.all().delete()
    FormTemplate.objects.all().delete()
    migration = importlib.import_module("thrive.questions.migrations.0002_standard_forms")
    migration.load(django_apps, None)
    codes = {code for code, *_ in DEFAULT_TEMPLATES}
    assert set(FormTemplate.objects.values_list("code", flat=True)) == codes
    for template in FormTemplate.objects.filter(code__in=codes):
        assert template.current_version() is not None


def test_ensuring_the_standard_forms_again_adds_nothing() -> None:
    ensure_default_templates()
    before = (FormTemplate.objects.count(), FormTemplateVersion.objects.count())
    ensure_default_templates()
    assert (FormTemplate.objects.count(), FormTemplateVersion.objects.count()) == before


def test_the_models_keep_their_tables() -> None:
    assert FormTemplate._meta.db_table == "applications_formtemplate"
    assert FormTemplateVersion._meta.db_table == "applications_formtemplateversion"


def test_a_version_filled_against_is_in_use_and_cannot_change() -> None:
    application = ApplicationFactory()
    version = application.form_version
    assert version.is_used
    admin = staff_with_role("system_admin")
    with pytest.raises(ValidationError):
        services.change_form_version(version=version, sections=[], actor=admin)
    unused = services.add_form_version(
        template=version.template, sections=version.sections, actor=admin, note="Next"
    )
    assert not unused.is_used
