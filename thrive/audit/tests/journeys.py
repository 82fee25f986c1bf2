"""A bidder's way through a sealed tender, through the services a bidder's pages call."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from thrive.accounts.tests.factories import MembershipFactory
from thrive.applications.models import Application
from thrive.applications.seed import TENDER_ANSWERS
from thrive.applications.services import drafts, submission
from thrive.applications.tests.factories import PDF
from thrive.opportunities.tests.factories import TenderFactory

BIDDER_ORGANISATION = "Hilltop Carers Cooperative"
BIDDER = ("Priya", "Bidwell")
WITHDRAWAL_REASON = "Our price for lot two was wrong"


def sealed_tender(username: str = "pbidwell") -> dict[str, Any]:
    """An open tender and an admin of the organisation that will bid for it."""
    now = timezone.now()
    tender = TenderFactory(opens_at=now - timedelta(days=5), closes_at=now + timedelta(days=5))
    membership = MembershipFactory(
        is_admin=True,
        organisation__name=BIDDER_ORGANISATION,
        user__first_name=BIDDER[0],
        user__last_name=BIDDER[1],
        user__username=username,
    )
    return {
        "tender": tender,
        "council": tender.council,
        "organisation": membership.organisation,
        "bidder": membership.user,
    }


def start_and_save(world: dict[str, Any]) -> Application:
    """Start a bid, answer every question and upload the method statement."""
    application = drafts.start_application(
        opportunity=world["tender"], organisation=world["organisation"], actor=world["bidder"]
    )
    Application.objects.filter(pk=application.pk).update(
        answers=dict(TENDER_ANSWERS), amount_requested_pence=25_000_000
    )
    application.refresh_from_db()
    drafts.upload_attachment(
        application=application,
        question_key="method_statement",
        upload=SimpleUploadedFile("method.pdf", PDF),
        actor=world["bidder"],
    )
    application.refresh_from_db()
    return application


def submit(world: dict[str, Any], application: Application, key: str = "k1") -> None:
    submission.submit_application(
        application=application, actor=world["bidder"], idempotency_key=key, declaration=True
    )


def withdraw(world: dict[str, Any], application: Application) -> None:
    submission.withdraw_application(
        application=application, actor=world["bidder"], reason=WITHDRAWAL_REASON
    )
