"""Assessment pages for the panel: members, declarations, moderation and settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from thrive.accounts.models import Role, User
from thrive.assessment import forms, selectors
from thrive.assessment.models import PanelMember
from thrive.assessment.services import panels, scores
from thrive.assessment.services import settings as settings_services
from thrive.assessment.views.common import opportunity_for
from thrive.core import policy
from thrive.core.form_views import handle_form, posted
from thrive.organisations.models import Organisation
from thrive.strategy import selectors as strategy_selectors


@policy.rule("assessment.home")
def home(request: HttpRequest) -> HttpResponse:
    """My panels (with what to do next) and, for officers, the council's panels."""
    return render(
        request,
        "assessment/home.html",
        {
            "assignments": selectors.assignments_for(request.user),
            "panels": selectors.panels_for_staff(request.user)[:50]
            if request.user.has_role(*Role) or policy.is_system_admin(request.user)
            else [],
            "may_configure": policy.can(request.user, "assessment.settings.manage"),
        },
    )


@policy.rule("assessment.panel.view")
def panel(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """The panel: members and declarations, applications, moderation and decisions."""
    opportunity = opportunity_for(request, opportunity_id, "assessment.panel.view")
    user = request.user
    found = selectors.panel_of(opportunity)
    member = selectors.membership(user, opportunity)
    declaration = selectors.latest_declaration(member)
    applications = (
        list(selectors.panel_applications(opportunity)) if declaration or not member else []
    )
    members = (
        list(found.members.select_related("user").prefetch_related("declarations")) if found else []
    )
    # Panel applications share one opportunity, status and seal: the rule for one is for all.
    may_moderate = bool(applications) and policy.can(user, "assessment.moderate", applications[0])
    return render(
        request,
        "assessment/panel.html",
        {
            "opportunity": opportunity,
            "panel": found,
            "members": members,
            "member": member,
            "declaration": declaration,
            "applications": applications,
            "conflicted_ids": {
                a.pk
                for a in applications
                if selectors.is_conflicted(declaration, a.organisation_id)
            },
            "may_manage": policy.can(user, "assessment.panel.manage", opportunity),
            "may_see_results": policy.can(user, "assessment.results.view", opportunity),
            "may_moderate": may_moderate,
            "scored_ids": selectors.scored_application_ids(user, opportunity) if member else set(),
            "decisions": opportunity.decisions.select_related("lot"),
        },
    )


@policy.rule("assessment.panel.manage")
def add_member(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = opportunity_for(request, opportunity_id, "assessment.panel.manage")
    users = (
        User.objects.filter(
            council_id=opportunity.council_id,
            is_active=True,
            role_assignments__role__in=panels.PANEL_ROLES,
        )
        .exclude(panel_memberships__panel__opportunity=opportunity)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    form = forms.MemberForm(posted(request), users=users)
    back = reverse("assessment:panel", args=[opportunity.pk])
    return handle_form(
        request,
        form,
        save=lambda f: panels.assign_assessor(
            opportunity=opportunity, user=f.cleaned_data["user"], actor=request.user
        ),
        success_url=back,
        message="Assessor added to the panel.",
        title="Add an assessor to the panel",
        caption=opportunity.reference,
        back_url=back,
        submit_label="Add to the panel",
    )


@policy.rule("assessment.panel.manage")
def remove_member(request: HttpRequest, opportunity_id: int, member_id: int) -> HttpResponse:
    """Take an assessor who has not yet declared or scored off the panel, with a reason."""
    opportunity = opportunity_for(request, opportunity_id, "assessment.panel.manage")
    member = get_object_or_404(
        PanelMember.objects.select_related("user"), pk=member_id, panel__opportunity=opportunity
    )
    form = forms.RemoveMemberForm(posted(request))
    back = reverse("assessment:panel", args=[opportunity.pk])
    return handle_form(
        request,
        form,
        save=lambda f: panels.remove_member(
            member=member, actor=request.user, reason=f.cleaned_data["reason"]
        ),
        success_url=back,
        message=f"{member.user} was taken off the panel.",
        title=f"Take {member.user} off the panel",
        caption=opportunity.reference,
        back_url=back,
        submit_label="Take off the panel",
    )


@policy.rule("assessment.declare")
def declare(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Declare conflicts of interest, naming the organisations, before seeing applications."""
    opportunity = opportunity_for(request, opportunity_id, "assessment.declare")
    member = selectors.membership(request.user, opportunity)
    applicants = Organisation.objects.filter(
        pk__in=selectors.panel_applications(opportunity).values("organisation_id")
    ).order_by("name")
    form = forms.DeclarationForm(posted(request), organisations=applicants)
    return handle_form(
        request,
        form,
        save=lambda f: panels.declare_conflict(
            member=member,
            has_conflict=f.cleaned_data["has_conflict"],
            organisations=f.cleaned_data["organisations"],
            note=f.cleaned_data["note"],
        ),
        success_url=reverse("assessment:panel", args=[opportunity.pk]),
        message="Declaration recorded.",
        template="assessment/declare.html",
        opportunity=opportunity,
        applicants=applicants,
    )


@policy.rule("assessment.panel.manage")
def open_moderation(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = opportunity_for(request, opportunity_id, "assessment.panel.manage")
    errors: list[str] = []
    found = selectors.panel_of(opportunity)
    if request.method == "POST":
        try:
            if found is None:
                raise ValidationError("The opportunity has no panel yet")
            scores.open_moderation(panel=found, actor=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, "Moderation is open: the panel can now see every score.")
            return redirect("assessment:panel", opportunity_id=opportunity.pk)
    return render(
        request,
        "assessment/open_moderation.html",
        {
            "opportunity": opportunity,
            "panel": found,
            "errors": errors,
            "waiting": [
                p
                for p in (selectors.panel_progress(found) if found else [])
                if not p.declared or p.unscored
            ],
        },
    )


@policy.rule("assessment.settings.manage")
def assessment_settings(request: HttpRequest) -> HttpResponse:
    """Council administrators set the standstill period and each role's delegated limit."""
    council = strategy_selectors.council_for(request.user, request.GET.get("council"))
    policy.require(request.user, "assessment.settings.manage", council)
    limits = selectors.limits_for_council(council)
    initial = {"standstill_days": selectors.standstill_days(council)}
    initial.update({f"limit_{role}": limits.get(role, 0) for role in forms.LIMIT_ROLES})
    form = forms.SettingsForm(posted(request), initial=initial)
    here = reverse("assessment:settings")
    return handle_form(
        request,
        form,
        save=lambda f: settings_services.save_settings(
            council=council,
            standstill_days=f.cleaned_data["standstill_days"],
            limits=f.limits(),
            actor=request.user,
        ),
        success_url=here if request.user.council_id else f"{here}?council={council.pk}",
        message="Assessment settings saved.",
        title="Standstill and delegated limits",
        caption=council.name,
        intro="An officer may approve a recommendation only up to their delegated limit, and "
        "never their own. Contracts wait for the standstill period after approval before "
        "the award is made.",
        submit_label="Save settings",
    )
