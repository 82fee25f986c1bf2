"""Emails about opportunities, sent by the task worker: alerts, invitations, answers and
amendments."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django_tasks import task

from thrive.accounts.services.notifications import email_new_item
from thrive.core.email import send_templated_email
from thrive.opportunities import selectors
from thrive.opportunities.models import (
    AlertSent,
    Amendment,
    Clarification,
    Opportunity,
    OpportunityStatus,
    QuoteInvitation,
)
from thrive.organisations.models import Organisation
from thrive.organisations.selectors import organisation_emails


def _path(opportunity: Opportunity) -> str:
    return reverse("opportunities:detail", kwargs={"opportunity_id": opportunity.pk})


@task()
def send_opportunity_alerts(opportunity_id: int) -> int:
    """Email every organisation whose alert choices match, once each; return how many."""
    opportunity = Opportunity.objects.filter(
        pk=opportunity_id, status=OpportunityStatus.PUBLISHED
    ).first()
    if opportunity is None:
        return 0
    sent = 0
    for preference in selectors.matching_preferences(opportunity):
        organisation = preference.organisation
        emails = organisation_emails(organisation)
        if not emails:
            continue
        try:
            with transaction.atomic():
                AlertSent.objects.create(opportunity=opportunity, organisation=organisation)
        except IntegrityError:
            continue
        send_templated_email(
            to=emails,
            template="opportunity_alert",
            context={
                "opportunity": opportunity,
                "organisation": organisation,
                "path": _path(opportunity),
                "alerts_path": reverse("opportunities:alerts"),
            },
            council=opportunity.council,
        )
        sent += 1
    return sent


@task()
def send_quote_invitation(invitation_id: int) -> None:
    """Tell an invited organisation about the opportunity; the advert is the same for all."""
    invitation = (
        QuoteInvitation.objects.select_related("opportunity__council", "organisation")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return
    emails = organisation_emails(invitation.organisation)
    if emails:
        send_templated_email(
            to=emails,
            template="quote_invitation",
            context={"invitation": invitation, "path": _path(invitation.opportunity)},
            council=invitation.opportunity.council,
        )


def _organisations(opportunity: Opportunity, *, engaged: bool) -> list:
    """Organisations to tell about the opportunity: those with a draft or submitted
    application and those invited; with ``engaged``, also any that asked a question."""
    applications = opportunity.applications.exclude(status="withdrawn")
    ids = set(applications.values_list("organisation_id", flat=True))
    ids |= set(opportunity.invitations.values_list("organisation_id", flat=True))
    if engaged:
        ids |= set(opportunity.applications.values_list("organisation_id", flat=True))
        ids |= set(opportunity.clarifications.values_list("organisation_id", flat=True))
    return list(Organisation.objects.filter(pk__in=ids).order_by("pk"))


def _email_each(organisations: list, *, template: str, context: dict) -> int:
    """Send one message to each organisation that has somewhere to write; return how many."""
    count = 0
    for organisation in organisations:
        emails = organisation_emails(organisation)
        if emails:
            send_templated_email(
                to=emails,
                template=template,
                context=context,
                council=context["opportunity"].council,
            )
            count += 1
    return count


@task()
def notify_clarification(clarification_id: int) -> int:
    """Tell every engaged organisation that an answer is published (without the asker)."""
    clarification = (
        Clarification.objects.select_related("opportunity__council")
        .filter(pk=clarification_id, published_at__isnull=False)
        .first()
    )
    if clarification is None:
        return 0
    opportunity = clarification.opportunity
    return _email_each(
        _organisations(opportunity, engaged=True),
        template="clarification_answered",
        context={
            "opportunity": opportunity,
            "clarification": clarification,
            "path": _path(opportunity) + "#questions",
        },
    )


@task()
def notify_amendment(amendment_id: int) -> int:
    """Email the amendment to every organisation with a draft or submitted application."""
    amendment = (
        Amendment.objects.select_related("opportunity__council").filter(pk=amendment_id).first()
    )
    if amendment is None:
        return 0
    opportunity = amendment.opportunity
    return _email_each(
        _organisations(opportunity, engaged=False),
        template="opportunity_amended",
        context={
            "opportunity": opportunity,
            "amendment": amendment,
            "path": _path(opportunity) + "#amendments",
        },
    )


@task()
def send_question_asked(clarification_id: int) -> int:
    """Tell the officers who answer the opportunity's questions of a new one; return how many."""
    clarification = (
        Clarification.objects.select_related("opportunity__council", "organisation")
        .filter(pk=clarification_id, published_at__isnull=True)
        .first()
    )
    if clarification is None:
        return 0
    opportunity = clarification.opportunity
    return email_new_item(
        users=selectors.answerers_for(opportunity),
        template="question_asked",
        context={
            "clarification": clarification,
            "opportunity": opportunity,
            "path": reverse("opportunities:answer", kwargs={"clarification_id": clarification.pk}),
        },
        council=opportunity.council,
    )
