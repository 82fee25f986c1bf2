"""Helpers shared by the assessment pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thrive.applications.models import Application
from thrive.assessment import selectors
from thrive.core import policy
from thrive.opportunities.models import Opportunity


def opportunity_for(request: HttpRequest, opportunity_id: int, action: str) -> Opportunity:
    """The opportunity, once the policy lets the user do ``action`` on it."""
    opportunity = selectors.get_opportunity(pk=opportunity_id)
    policy.require(request.user, action, opportunity)
    return opportunity


def conflict_page(request: HttpRequest, application: Application) -> HttpResponse:
    """Refuse an assessor who declared a conflict with the applicant."""
    return render(request, "assessment/conflict.html", {"application": application}, status=403)
