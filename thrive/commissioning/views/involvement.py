"""Consultations and soft market testing: staff run them, organisations respond (§1.5, §2.1)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from thrive.accounts.models import User
from thrive.commissioning import forms, selectors
from thrive.commissioning.models import Consultation, Intention, SoftMarketResponse, SoftMarketTest
from thrive.commissioning.selectors import settings_for
from thrive.commissioning.services import involvement as services
from thrive.commissioning.views.common import MANAGE, my_directorates
from thrive.core import branding, policy
from thrive.core.form_views import handle_form, posted
from thrive.core.forms import add_service_errors
from thrive.organisations.models import Organisation
from thrive.strategy.models import Directorate


def _my_organisations(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(memberships__user=user).order_by("name")


def _consultation_form(request: HttpRequest, intention: Intention | None = None) -> HttpResponse:
    council = request.user.council
    directorates = (
        None if intention else Directorate.objects.filter(pk__in=request.user.directorate_ids())
    )
    initial = {"opens_on": timezone.localdate()}
    if intention is not None:
        initial |= {"title": f"Consultation on {intention.title}", "description": intention.summary}
    form = forms.ConsultationForm(posted(request), directorates=directorates, initial=initial)

    def save(form: forms.ConsultationForm) -> Consultation:
        data = form.cleaned_data
        return services.open_consultation(
            directorate=intention.directorate if intention else data["directorate"],
            intention=intention,
            title=data["title"],
            description=data["description"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            short_reason=data["short_reason"],
            actor=request.user,
        )

    weeks = settings_for(council=council).consultation_weeks
    back = (
        reverse("commissioning:intention_detail", args=[intention.pk])
        if intention
        else reverse("commissioning:intentions")
    )
    return handle_form(
        request,
        form,
        save=save,
        success_url=lambda made: reverse("commissioning:consultation_detail", args=[made.pk]),
        message=lambda made: f"Consultation open until {made.closes_on:%-d %B %Y}.",
        title="Open a consultation",
        caption=str(intention) if intention else council.name,
        intro=f"Consultations last {weeks} weeks unless you give a reason, as the Compact asks. "
        "Organisations and infrastructure bodies respond in the service.",
        back_url=back,
        submit_label="Open consultation",
    )


@policy.rule(MANAGE)
def intention_consultation(request: HttpRequest, intention_id: int) -> HttpResponse:
    intention = selectors.get_intention(user=request.user, intention_id=intention_id, action=MANAGE)
    return _consultation_form(request, intention)


@policy.rule(MANAGE)
def consultation_add(request: HttpRequest) -> HttpResponse:
    """Consult on a draft set of priorities, not tied to one intention."""
    if not my_directorates(request.user):
        raise PermissionDenied
    return _consultation_form(request)


@policy.rule("commissioning.intentions.view")
def consultation_detail(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.get_consultation(consultation_id=consultation_id)
    policy.require(request.user, "commissioning.intentions.view", consultation)
    may_manage = policy.can(request.user, MANAGE, consultation)
    form = forms.SummaryForm(
        posted(request),
        initial={"summary": consultation.summary, "you_said_we_did": consultation.you_said_we_did},
    )
    if request.method == "POST" and may_manage and form.is_valid():
        try:
            services.publish_consultation_summary(
                consultation=consultation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Summary and “you said, we did” published.")
            return redirect("commissioning:consultation_detail", consultation_id=consultation.pk)
    return render(
        request,
        "commissioning/consultation_detail.html",
        {
            "consultation": consultation,
            "responses": consultation.responses.select_related("organisation", "respondent"),
            "form": form if may_manage and consultation.has_closed() else None,
            "may_manage": may_manage,
        },
    )


@policy.rule(policy.PUBLIC)
def consultation_list(request: HttpRequest) -> HttpResponse:
    """Open consultations, for organisations and anyone interested."""
    return render(
        request,
        "commissioning/consultations_public.html",
        {"consultations": selectors.open_consultations()},
    )


@policy.rule(policy.PUBLIC)
def consultation_public(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.get_consultation(consultation_id=consultation_id)
    branding.page_council(request, consultation.council)
    return render(
        request,
        "commissioning/consultation_public.html",
        {
            "consultation": consultation,
            "may_respond": policy.can(request.user, "commissioning.respond"),
        },
    )


@policy.rule("commissioning.respond")
def consultation_respond(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.get_consultation(consultation_id=consultation_id)
    branding.page_council(request, consultation.council)
    organisations = _my_organisations(request.user)
    form = forms.ResponseForm(
        posted(request),
        organisations=organisations,
        initial={"organisation": organisations.first()},
    )
    back = reverse("commissioning:consultation_public", args=[consultation.pk])
    return handle_form(
        request,
        form,
        save=lambda f: services.respond_to_consultation(
            consultation=consultation,
            organisation=f.cleaned_data["organisation"],
            user=request.user,
            body=f.cleaned_data["body"],
        ),
        success_url=back,
        message="Thank you. Your response has been received. "
        "You can change it until the consultation closes.",
        title="Respond to the consultation",
        caption=consultation.title,
        intro=f"Open until {consultation.closes_on:%-d %B %Y}.",
        back_url=back,
        submit_label="Send response",
    )


# --- soft market testing ------------------------------------------------------------------


@policy.rule(MANAGE)
def market_test_add(request: HttpRequest, intention_id: int) -> HttpResponse:
    intention = selectors.get_intention(user=request.user, intention_id=intention_id, action=MANAGE)
    form = forms.MarketTestForm(
        posted(request),
        initial={
            "questions": "How might these outcomes be delivered?\n"
            "What would stop your organisation from delivering them?\n"
            "Is there a commercial market for this service?"
        },
    )
    return handle_form(
        request,
        form,
        save=lambda f: services.start_market_test(
            intention=intention,
            questions=f.cleaned_data["questions"],
            closes_on=f.cleaned_data["closes_on"],
            invited=list(selectors.matching_organisations(intention=intention)[:500]),
            actor=request.user,
        ),
        success_url=lambda test: reverse("commissioning:market_test_detail", args=[test.pk]),
        message="Soft market testing started.",
        title="Soft market testing",
        caption=str(intention),
        intro="Ask known and registered providers how the outcomes might be delivered. They answer "
        "without any commitment. Organisations offering matching services are invited.",
        back_url=reverse("commissioning:intention_detail", args=[intention.pk]),
        submit_label="Start soft market testing",
    )


@policy.rule("commissioning.intentions.view")
def market_test_detail(request: HttpRequest, test_id: int) -> HttpResponse:
    test = get_object_or_404(SoftMarketTest.objects.select_related("intention"), pk=test_id)
    policy.require(request.user, "commissioning.intentions.view", test.intention)
    may_manage = policy.can(request.user, MANAGE, test.intention)
    form = forms.FindingsForm(
        posted(request),
        initial={
            "findings": test.findings,
            "no_commercial_market": bool(test.no_commercial_market),
        },
    )
    if request.method == "POST" and may_manage and form.is_valid():
        services.record_market_findings(test=test, actor=request.user, **form.cleaned_data)
        messages.success(request, "Findings recorded. They feed the method advisor.")
        return redirect("commissioning:intention_detail", intention_id=test.intention_id)
    return render(
        request,
        "commissioning/market_test_detail.html",
        {
            "test": test,
            "responses": test.responses.select_related("organisation"),
            "form": form if may_manage else None,
        },
    )


@policy.rule("commissioning.respond")
def market_test_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "commissioning/market_tests_open.html",
        {"tests": selectors.open_market_tests_for(user=request.user)},
    )


@policy.rule("commissioning.respond")
def market_test_respond(request: HttpRequest, test_id: int) -> HttpResponse:
    test = get_object_or_404(
        SoftMarketTest.objects.select_related("intention__council"), pk=test_id
    )
    branding.page_council(request, test.intention.council)
    organisations = _my_organisations(request.user)
    questions = test.question_list()
    form = forms.MarketResponseForm(
        posted(request),
        organisations=organisations,
        questions=questions,
        initial={"organisation": organisations.first()},
    )

    def save(form: forms.MarketResponseForm) -> SoftMarketResponse:
        data = form.cleaned_data
        return services.respond_to_market_test(
            test=test,
            organisation=data["organisation"],
            user=request.user,
            answers=[data[f"answer_{i}"] for i in range(len(questions))],
            interested=data["interested"],
            is_commercial=data["is_commercial"],
        )

    return handle_form(
        request,
        form,
        save=save,
        success_url=reverse("commissioning:market_tests"),
        message="Thank you. Your answers have been received. They commit you to nothing.",
        title=f"How might {test.intention.title} be delivered?",
        caption=test.intention.council.name,
        intro=f"{test.intention.summary} Your answers commit you to nothing. "
        f"Open until {test.closes_on:%-d %B %Y}.",
        back_url=reverse("commissioning:market_tests"),
        submit_label="Send answers",
    )
