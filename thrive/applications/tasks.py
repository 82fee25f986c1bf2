"""Emails about applications, sent by the task worker: receipts and decisions."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django_tasks import task

from thrive.applications.models import SmallGrantDecision, Submission
from thrive.core.dates import format_deadline
from thrive.core.email import send_templated_email
from thrive.core.prepared import PreparedRead
from thrive.core.tasks import run_once
from thrive.organisations.selectors import organisation_emails

# What the receipt shows and is signed with: a deadline's thousands of receipts are sent in
# the rush, and reading every column of the opportunity and council (its logo too) took a
# third of the worker's time a receipt.
RECEIPT_FIELDS = (
    "reference",
    "submitted_at",
    "submitted_by__email",
    "application__organisation__name",
    "application__organisation__email",
    "application__opportunity__title",
    "application__opportunity__reference",
    "application__opportunity__decision_expected",
    *(
        f"application__opportunity__council__{name}"
        for name in ("name", "contact_email", "phone", "postal_address", "website")
    ),
)


def _receipt(*, pk: int) -> QuerySet[Submission]:
    return (
        Submission.objects.select_related(
            "application__opportunity__council", "application__organisation", "submitted_by"
        )
        .only(*RECEIPT_FIELDS)
        .filter(pk=pk)
        .order_by()
    )


# Every submission's receipt reads it: compiled once per worker connection, as PostgreSQL took
# longer to plan its joins than to run them (``core.prepared``).
_RECEIPT = PreparedRead(_receipt, pk=int)


@task()
def send_receipt(submission_id: int) -> None:
    """Email the receipt to the person who submitted and the organisation's members, once
    however often the task runs (again after its worker was lost)."""
    found = _RECEIPT(pk=submission_id)
    if not found:
        return
    submission = found[0]
    application = submission.application
    to = set(organisation_emails(application.organisation))
    if submission.submitted_by and submission.submitted_by.email:
        to.add(submission.submitted_by.email)
    context = {
        "submission": submission,
        "application": application,
        "submitted_display": format_deadline(submission.submitted_at).replace(" (UK time)", ""),
        "path": reverse("applications:receipt", kwargs={"application_id": application.pk}),
    }
    run_once(
        f"applications.receipt:{submission.pk}",
        lambda: send_templated_email(
            to=sorted(to),
            template="application_receipt",
            context=context,
            council=application.opportunity.council,
        ),
    )


@task()
def send_decision(decision_id: int) -> None:
    """Tell the organisation the small grant decision and its reasons."""
    decision = (
        SmallGrantDecision.objects.select_related(
            "application__opportunity__council", "application__organisation"
        )
        .filter(pk=decision_id)
        .first()
    )
    if decision is None:
        return
    emails = organisation_emails(decision.application.organisation)
    if emails:
        send_templated_email(
            to=emails,
            template="small_grant_decision",
            context={"decision": decision, "application": decision.application},
            council=decision.application.opportunity.council,
        )
