"""API for applications: provider users see and change only their own organisations'
applications; council staff read received ones, never a sealed bid before its opening."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from thrive.accounts.selectors import prime_provider_access
from thrive.applications import selectors
from thrive.applications.models import Application
from thrive.applications.services import drafts, submission
from thrive.core import policy
from thrive.core.api.errors import ERRORS_READ, ERRORS_WRITE, ApiError, ErrorOut
from thrive.core.api.types import Id, SmallCount
from thrive.opportunities.models import Lot
from thrive.organisations.models import Organisation
from thrive.questions import types as questions

router = Router(tags=["applications"])


class ApplicationOut(Schema):
    id: int
    reference: str | None
    opportunity_id: int
    opportunity_reference: str
    organisation_id: int
    organisation: str
    lot: int | None
    status: str
    form: str
    form_version: int
    amount_requested_pence: int | None
    answers: dict[str, Any]
    submitted_at: datetime | None


def _out(application: Application) -> ApplicationOut:
    return ApplicationOut(
        id=application.pk,
        reference=application.reference,
        opportunity_id=application.opportunity_id,
        opportunity_reference=application.opportunity.reference,
        organisation_id=application.organisation_id,
        organisation=application.organisation.name,
        lot=application.lot.number if application.lot else None,
        status=application.status,
        form=application.form_version.template.code,
        form_version=application.form_version.number,
        amount_requested_pence=application.amount_requested_pence,
        answers=application.answers or {},
        submitted_at=application.submitted_at,
    )


def _readable(user: Any) -> Any:
    if policy.is_provider_user(user):
        return selectors.applications_for_provider(user=user)
    return selectors.applications_for_staff(user=user)


def _get(user: Any, application_id: int) -> Application:
    """One application the user may read; sealed and other organisations' ones are not found."""
    if policy.is_provider_user(user):
        application = selectors.application_for_provider(user=user, pk=application_id)
    else:
        application = _readable(user).filter(pk=application_id).first()
    if application is None:
        raise Http404("No such application")
    policy.require(user, "applications.application.view", application)
    return application


def _editable(user: Any, application_id: int) -> Application:
    prime_provider_access(user=user)
    application = _get(user, application_id)
    policy.require(user, "applications.application.edit", application)
    return application


@contextmanager
def _changing(user: Any, application_id: int) -> Iterator[Application]:
    """One application the user may change, for the change made inside this block.

    A provider user's application is read under its row lock, in the transaction the change
    then runs in: one statement finds it among their organisations' applications, locks it
    and brings what the change and the answer read. Anyone else's is read as ``_editable``
    reads it, and the change locks it itself.
    """
    prime_provider_access(user=user)
    if not policy.is_provider_user(user):
        yield _editable(user, application_id)
        return
    with transaction.atomic():
        application = selectors.locked_application(pk=application_id, member=user)
        if application is None:
            raise Http404("No such application")
        policy.require(user, "applications.application.view", application)
        policy.require(user, "applications.application.edit", application)
        with drafts.hold_lock(application=application):
            yield application


@router.get(
    "/applications",
    response={200: list[ApplicationOut], **ERRORS_READ},
    summary="Applications you may read",
)
def list_applications(request: HttpRequest) -> list[ApplicationOut]:
    """Provider users: their organisations' applications, drafts included. Council staff:
    received applications they may read; sealed bids appear only after their opening."""
    return [_out(a) for a in _readable(request.auth)[:500]]


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationOut, **ERRORS_READ},
    summary="One application",
)
def get_application(request: HttpRequest, application_id: Id) -> ApplicationOut:
    """Errors: 404 when it does not exist, is another organisation's, or is a sealed bid."""
    return _out(_get(request.auth, application_id))


class StartIn(Schema):
    opportunity_id: Id
    organisation_id: Id
    lot_number: SmallCount | None = None


@router.post(
    "/applications",
    response={201: ApplicationOut, **ERRORS_WRITE},
    summary="Start (or fetch) a draft application",
)
def start_application(request: HttpRequest, payload: StartIn) -> tuple[int, ApplicationOut]:
    """Start a draft for one of your organisations; starting again returns the same draft.

    Errors: 403 when you are not a member; 400 when the opportunity is not open (with the
    deadline) or a lot is needed; 404 for an unknown opportunity.
    """
    user = request.auth
    opportunity = selectors.opportunity_to_apply_for(pk=payload.opportunity_id)
    if opportunity is None:
        raise Http404("No such opportunity")
    organisation = _organisation(user, payload.organisation_id)
    if organisation is None or not policy.can(user, "applications.provider", organisation):
        raise PermissionDenied("Not a member of the organisation")
    lot = None
    if payload.lot_number is not None:
        lot = Lot.objects.filter(opportunity=opportunity, number=payload.lot_number).first()
        if lot is None:
            raise ApiError(400, "invalid", "No such lot", {"lot_number": ["No such lot"]})
    application = drafts.start_application(
        opportunity=opportunity, organisation=organisation, lot=lot, actor=user
    )
    return Status(201, _out(application))


def _organisation(user: Any, organisation_id: int) -> Organisation | None:
    """The organisation, read with the user's memberships when they belong to it."""
    prime_provider_access(user=user)
    membership = getattr(user, "_memberships", {}).get(organisation_id)
    if membership is not None:
        return membership.organisation
    return Organisation.objects.filter(pk=organisation_id).first()


class SectionIn(Schema):
    answers: dict[str, Any]


class SectionOut(Schema):
    application: ApplicationOut
    errors: dict[str, list[str]]


@router.patch(
    "/applications/{application_id}/sections/{section_key}",
    response={200: SectionOut, **ERRORS_WRITE},
    summary="Save one section of a draft",
)
def save_section(
    request: HttpRequest, application_id: Id, section_key: str, payload: SectionIn
) -> SectionOut:
    """Save answers as stored (money in pence, dates as YYYY-MM-DD, yes/no as "yes"/"no",
    budgets as ``[{item, amount_pence}]``). Required answers may be left out in a draft;
    malformed ones come back in ``errors`` and are not saved. Errors: 400 after the deadline."""
    with _changing(request.auth, application_id) as application:
        page = questions.find_section(application.form_version.sections, section_key)
        if page is None:
            raise Http404("No such section")
        data = questions.answers_as_data(page, payload.answers)
        result = drafts.save_section(
            application=application, section_key=section_key, data=data, actor=request.auth
        )
    return SectionOut(application=_out(application), errors=result.errors)


class SubmitIn(Schema):
    idempotency_key: str
    declaration: bool


class ReceiptOut(Schema):
    reference: str
    submitted_at: datetime
    application: ApplicationOut


@router.post(
    "/applications/{application_id}/submit",
    response={200: ReceiptOut, 409: ErrorOut, **ERRORS_WRITE},
    summary="Submit an application (idempotent)",
)
def submit(request: HttpRequest, application_id: Id, payload: SubmitIn) -> ReceiptOut:
    """Submit once per idempotency key: repeating the call returns the same receipt.

    Errors: 400 when the deadline has passed (the message names it in UK time), when
    required answers are missing, or without the declaration; 409 when you already used the
    key to submit another application (send a new key). Keys are scoped to the application:
    the same key sent by someone else for their own application is no clash.
    """
    try:
        with _changing(request.auth, application_id) as application:
            done = submission.submit_application(
                application=application,
                actor=request.auth,
                idempotency_key=payload.idempotency_key,
                declaration=payload.declaration,
            )
    except ValidationError as exc:
        if getattr(exc, "code", None) != submission.KEY_REUSED:
            raise
        raise ApiError(409, "conflict", exc.message, {"idempotency_key": [exc.message]}) from exc
    except IntegrityError:
        # Another request stored this key's submission first: answer with its receipt.
        found = submission.submitted_with(
            application_id=application_id, key=payload.idempotency_key
        )
        if found is None:
            raise
        done, application = found, _get(request.auth, application_id)
    return ReceiptOut(
        reference=done.reference, submitted_at=done.submitted_at, application=_out(application)
    )


class WithdrawIn(Schema):
    reason: str = ""


@router.post(
    "/applications/{application_id}/withdraw",
    response={200: ApplicationOut, **ERRORS_WRITE},
    summary="Withdraw a submitted application",
)
def withdraw(request: HttpRequest, application_id: Id, payload: WithdrawIn) -> ApplicationOut:
    """Withdraw before the deadline. Errors: 400 after the deadline or if not submitted."""
    application = _editable(request.auth, application_id)
    submission.withdraw_application(
        application=application, actor=request.auth, reason=payload.reason
    )
    return _out(selectors.get_application(pk=application.pk))
