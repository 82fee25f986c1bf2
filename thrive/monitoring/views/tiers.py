"""Monitoring tier and settings pages: the council's rules and how reminders and leads work."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from thrive.core import policy
from thrive.core.form_views import handle_form, posted
from thrive.monitoring import forms, selectors, services
from thrive.monitoring.models import MonitoringTier


@policy.rule("monitoring.tiers.view")
def tiers(request: HttpRequest) -> HttpResponse:
    """The council's monitoring tiers in the order they are tried, and its settings.

    A council that has not yet had a plan made or a rule changed is shown the strategy's
    default rules and settings; nothing is saved by looking.
    """
    council = request.user.council
    rows = (
        selectors.tiers_for(council=council)
        if council
        else list(MonitoringTier.objects.select_related("council")[:200])
    )
    return render(
        request,
        "monitoring/tiers.html",
        {
            "tiers": sorted(rows, key=lambda t: (t.council_id, t.order, t.pk or 0)),
            "settings": selectors.settings_for(council=council) if council else None,
            "may_manage": policy.can(request.user, "monitoring.tiers.manage"),
        },
    )


def _tier_page(request: HttpRequest, tier: MonitoringTier, title: str) -> HttpResponse:
    return handle_form(
        request,
        forms.TierForm(posted(request), instance=tier),
        save=lambda form: services.save_tier(
            tier=form.save(commit=False),
            actor=request.user,
            reason=form.cleaned_data.get("reason", ""),
        ),
        success_url=reverse("monitoring:tiers"),
        message="Tier saved. It applies to plans made from now on.",
        title=title,
        back_url=reverse("monitoring:tiers"),
        submit_label="Save the tier",
    )


@policy.rule("monitoring.tiers.manage")
def tier_add(request: HttpRequest) -> HttpResponse:
    """Add a tier rule for the council."""
    if not request.user.council_id:
        raise Http404("Tiers belong to a council")
    tier = MonitoringTier(council=request.user.council, schedule="six_monthly")
    return _tier_page(request, tier, "Add a monitoring tier")


@policy.rule("monitoring.tiers.manage")
def tier_edit(request: HttpRequest, tier_id: int) -> HttpResponse:
    """Change a tier rule; plans already made keep the rule they were given."""
    tier = get_object_or_404(MonitoringTier, pk=tier_id)
    policy.require(request.user, "monitoring.tiers.manage", tier)
    return _tier_page(request, tier, f"Change “{tier.name}”")


@policy.rule("monitoring.tiers.manage")
def settings_edit(request: HttpRequest) -> HttpResponse:
    """How the lead funder is proposed, and when reminders and escalations go."""
    if not request.user.council_id:
        raise Http404("Settings belong to a council")
    council = request.user.council
    current = selectors.settings_for(council=council)
    initial = {
        "lead_rule": current.lead_rule,
        "reminder_days": current.reminder_days,
        "escalation_days": current.escalation_days,
    }
    return handle_form(
        request,
        forms.SettingsForm(posted(request), initial=initial),
        save=lambda form: services.save_settings(
            council=council, actor=request.user, **form.cleaned_data
        ),
        success_url=reverse("monitoring:tiers"),
        message="Monitoring settings saved.",
        template="monitoring/settings.html",
    )
