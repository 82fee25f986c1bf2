"""What applications add to the apps below them once the registry is ready: navigation items,
to-do items, the audit log's withholding of sealed bids, and which form versions are in use."""

from __future__ import annotations

from thrive.applications import worklist  # noqa: F401 - registers the app's to-do items
from thrive.applications.audit_withholding import hidden_entries, sealed_entries
from thrive.applications.models import Application
from thrive.applications.opportunity_page import bids_section
from thrive.audit import withholding
from thrive.core import navigation
from thrive.core.navigation import NavItem
from thrive.opportunities.extensions import manage_sections
from thrive.questions.extensions import version_uses
from thrive.questions.models import FormTemplateVersion


def version_is_used(version: FormTemplateVersion) -> bool:
    """Whether an application has been filled against the version."""
    return Application.objects.filter(form_version=version).exists()


def register() -> None:
    """Add the app's items to the lower apps' slots (``ApplicationsConfig.ready``)."""
    navigation.add(
        NavItem(
            "Your applications",
            "applications:home",
            "applications.provider",
            50,
            top=frozenset({"provider"}),
        )
    )
    navigation.add(
        NavItem(
            "Bid openings",
            "applications:openings",
            "applications.openings.view",
            60,
            top=frozenset({"procurement_officer"}),
            section="Opportunities and assessment",
            description="Sealed tenders and quotations, and their recorded openings",
        )
    )
    navigation.add(
        NavItem(
            "Small grants settings",
            "applications:small_grants_settings",
            "applications.small_grants.configure",
            870,
            top=frozenset(),
            section="Running the service",
            description="The small grants scheme's limit and purposes",
        )
    )
    withholding.register(hider=hidden_entries, finder=sealed_entries)
    version_uses.add(version_is_used, key="applications")
    manage_sections.add(bids_section, key="applications.bids")
