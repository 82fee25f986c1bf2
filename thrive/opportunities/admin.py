"""Admin for opportunities. Sealing is never editable here, and a published opportunity's terms
are read-only: they change only by an amendment on the service's own pages."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from thrive.opportunities.models import (
    AlertPreference,
    Amendment,
    Clarification,
    Criterion,
    Lot,
    Opportunity,
    OpportunityStatus,
    QuoteInvitation,
)

PUBLISHED_TERMS = [
    "kind",
    "status",
    "form_template",
    "intention",
    "directorate",
    "council",
    "process",
    "value_pence",
    "max_award_pence",
    "opens_at",
    "clarification_deadline",
    "closes_at",
    "decision_expected",
    "published_at",
    "published_by",
]


def _is_published(opportunity: Opportunity | None) -> bool:
    return opportunity is not None and opportunity.status != OpportunityStatus.DRAFT


class FrozenOncePublishedInline(admin.TabularInline):
    """Lots and criteria of a published opportunity are shown but not changed."""

    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_published(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_published(obj) and super().has_delete_permission(request, obj)


class LotInline(FrozenOncePublishedInline):
    model = Lot


class CriterionInline(FrozenOncePublishedInline):
    model = Criterion


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "council", "kind", "sealed", "status", "closes_at"]
    list_filter = ["kind", "sealed", "status", "council"]
    search_fields = ["reference", "title"]
    inlines = [LotInline, CriterionInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fixed = ["sealed"]
        return [*fixed, *PUBLISHED_TERMS] if _is_published(obj) else fixed


@admin.register(Amendment)
class AmendmentAdmin(admin.ModelAdmin):
    """Published amendments are a record: read, never changed or deleted."""

    list_display = ["opportunity", "number", "made_at", "made_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.register(Clarification)
admin.site.register(QuoteInvitation)
admin.site.register(AlertPreference)
