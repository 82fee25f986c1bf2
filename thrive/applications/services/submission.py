"""Submitting, withdrawing and reopening: idempotent, with the deadline judged on the server."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from thrive.applications import tasks
from thrive.applications.defaults import scheme_settings
from thrive.applications.models import Application, ApplicationStatus, Submission
from thrive.applications.services.drafts import (
    changing,
    check_taking_applications,
    lock_application,
    organisation_facts,
)
from thrive.audit.services import log_action
from thrive.core.money import format_pence
from thrive.core.prepared import PreparedRead
from thrive.core.tasks import enqueue_with_transaction
from thrive.opportunities.models import OpportunityKind
from thrive.questions import types as questions

if TYPE_CHECKING:
    from thrive.accounts.models import User


@dataclass
class PageErrors:
    section_key: str
    title: str
    errors: dict[str, list[str]]


def errors_by_section(*, application: Application) -> list[PageErrors]:
    """Full validation for submission, page by page, for an error summary per page."""
    found = []
    for section in application.form_version.sections:
        errors = questions.section_errors(section, application.answers or {}, final=True)
        if errors:
            found.append(PageErrors(section["key"], section["title"], errors))
    return found


def amount_problem(*, application: Application) -> str | None:
    """Why the amount asked for is over the opportunity's (or the scheme's) limit, if it is."""
    amount = application.amount_requested_pence
    opportunity = application.opportunity
    limit = opportunity.max_award_pence
    if opportunity.kind == OpportunityKind.SMALL_GRANTS:
        scheme = scheme_settings(council=opportunity.council).limit_pence
        limit = min(limit, scheme) if limit else scheme
    if amount is not None and limit and amount > limit:
        return f"The amount you ask for must be {format_pence(limit, whole_pounds=True)} or less"
    return None


def _reference(application: Application) -> str:
    return application.reference or f"{application.opportunity.reference}-{application.pk:05d}"


def submit_application(
    *,
    application: Application,
    actor: User,
    idempotency_key: str,
    declaration: bool,
    now: datetime | None = None,
) -> Submission:
    """Submit once per idempotency key: a retry or double click returns the same submission."""
    now = now or timezone.now()
    key = (idempotency_key or "").strip()[:64]
    if not key:
        raise ValidationError("The form has expired. Go back to your application and try again.")
    try:
        with changing(application=application):
            return _submit_locked(application, actor, key, declaration, now, tasks)
    except IntegrityError:
        if getattr(application, "_lock_held", False):
            raise  # the caller's transaction has failed: it looks again after ending it
        done = submitted_with(application_id=application.pk, key=key)
        if done:
            return done
        raise


def submitted_with(*, application_id: int, key: str) -> Submission | None:
    """The application's submission made with this idempotency key, if there is one."""
    key = (key or "").strip()[:64]
    return Submission.objects.filter(idempotency_key=key, application_id=application_id).first()


KEY_REUSED = "idempotency_key_reused"


def _earlier_rows(*, application_id: int, key: str, actor_id: int) -> QuerySet[Submission]:
    return Submission.objects.filter(
        Q(application_id=application_id) | Q(idempotency_key=key, submitted_by_id=actor_id)
    ).defer("answers")


# Every submission at a deadline reads them: compiled once per connection (``core.prepared``).
_EARLIER = PreparedRead(_earlier_rows, application_id=int, key=str, actor_id=int)


def _earlier(locked: Application, key: str, actor: User) -> tuple[Submission | None, int]:
    """The submission this key already made (a retry) and how many the application has.

    Keys are scoped to their application, so another organisation's choice of key never
    blocks this one. The same person sending a key they already used to submit another
    application is a mistake in their client: refused, so it is not taken for a retry.
    One query reads the application's submissions and the actor's uses of the key.
    """
    rows = _EARLIER(application_id=locked.pk, key=key, actor_id=actor.pk if actor else 0)
    ours = [s for s in rows if s.application_id == locked.pk]
    done = next((s for s in ours if s.idempotency_key == key), None)
    if done is None and any(s.idempotency_key == key for s in rows):
        raise ValidationError(
            "This submission key was already used for another application. "
            "Go back to your application and try again.",
            code=KEY_REUSED,
        )
    return done, len(ours)


def _submit_locked(
    application: Application, actor: User, key: str, declaration: bool, now: datetime, tasks: Any
) -> Submission:
    locked = lock_application(application=application)
    done, count = _earlier(locked, key, actor)
    if done:
        return done
    if locked.status != ApplicationStatus.DRAFT:
        raise ValidationError("This application has already been submitted")
    check_taking_applications(opportunity=locked.opportunity, now=now)
    if not declaration:
        raise ValidationError({"declaration": "Confirm the declaration to submit"})
    pages = errors_by_section(application=locked)
    if pages:
        titles = ", ".join(p.title for p in pages)
        raise ValidationError(f"Complete every section before you submit. Check: {titles}")
    problem = amount_problem(application=locked)
    if problem:
        raise ValidationError(problem)
    locked.reference = _reference(locked)
    receipt = locked.reference if count == 0 else f"{locked.reference}-R{count}"
    locked.status = ApplicationStatus.SUBMITTED
    locked.submitted_at = now
    locked.submitted_by = actor
    locked.withdrawn_at = None
    locked.declaration_name = actor.get_full_name() or actor.username
    locked.organisation_snapshot = dict(organisation_facts(organisation=locked.organisation))
    # The database checks the keys, the unique reference and the constraints on saving.
    locked.clean_fields(exclude=[f.name for f in Application._meta.fields if f.is_relation])
    locked.save(update_fields=[*SUBMITTED_FIELDS, "updated_at"])
    submission = Submission.objects.create(
        application=locked,
        idempotency_key=key,
        reference=receipt,
        answers=locked.answers,
        submitted_by=actor,
        submitted_at=now,
    )
    log_action(
        action="applications.application.submitted",
        actor=actor,
        obj=locked,
        before={"status": ApplicationStatus.DRAFT},
        after={"status": locked.status, "reference": receipt, "submitted_at": now},
        council=locked.opportunity.council,
    )
    enqueue_with_transaction(tasks.send_receipt, submission.pk)
    for name in SUBMITTED_FIELDS:
        setattr(application, name, getattr(locked, name))
    return submission


SUBMITTED_FIELDS = (
    "reference",
    "status",
    "submitted_at",
    "submitted_by",
    "withdrawn_at",
    "declaration_name",
    "organisation_snapshot",
)


def withdraw_application(
    *, application: Application, actor: User, reason: str = "", now: datetime | None = None
) -> Application:
    """Withdraw a submitted application before the deadline (it can be reopened and resent)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_application(application=application)
        if locked.status != ApplicationStatus.SUBMITTED:
            raise ValidationError(
                "Only a submitted application that is not yet decided can be withdrawn"
            )
        check_taking_applications(opportunity=locked.opportunity, now=now)
        locked.status = ApplicationStatus.WITHDRAWN
        locked.withdrawn_at = now
        locked.save(update_fields=["status", "withdrawn_at", "updated_at"])
        log_action(
            action="applications.application.withdrawn",
            actor=actor,
            obj=locked,
            before={"status": ApplicationStatus.SUBMITTED},
            after={"status": locked.status},
            reason=reason,
            council=locked.opportunity.council,
        )
    application.refresh_from_db()
    return application


def reopen_application(
    *, application: Application, actor: User, now: datetime | None = None
) -> Application:
    """Make a withdrawn application a draft again, with its answers, to change and resubmit."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_application(application=application)
        if locked.status != ApplicationStatus.WITHDRAWN:
            raise ValidationError("Only a withdrawn application can be reopened")
        check_taking_applications(opportunity=locked.opportunity, now=now)
        locked.status = ApplicationStatus.DRAFT
        locked.save(update_fields=["status", "updated_at"])
        log_action(
            action="applications.application.reopened",
            actor=actor,
            obj=locked,
            before={"status": ApplicationStatus.WITHDRAWN},
            after={"status": locked.status},
            council=locked.opportunity.council,
        )
    application.refresh_from_db()
    return application
