from django.contrib import admin

from thrive.opportunities.models import (
    AlertPreference,
    Clarification,
    Criterion,
    Lot,
    Opportunity,
    QuoteInvitation,
)


class LotInline(admin.TabularInline):
    model = Lot
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "council", "kind", "status", "closes_at"]
    list_filter = ["kind", "status", "council"]
    search_fields = ["reference", "title"]
    inlines = [LotInline, CriterionInline]


admin.site.register(Clarification)
admin.site.register(QuoteInvitation)
admin.site.register(AlertPreference)
