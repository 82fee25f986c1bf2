"""Starting and saving applications: drafts save with required answers still empty, several
members of one organisation can work on one application, uploads go early and separately.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Subquery
from django.utils import timezone

from thrive.applications import selectors
from thrive.applications.models import Application, ApplicationStatus, Attachment
from thrive.audit.services import log_action
from thrive.core.dates import format_deadline
from thrive.core.money import format_pence
from thrive.core.prepared import PreparedRead
from thrive.opportunities import files
from thrive.opportunities.models import Opportunity, OpportunityStatus
from thrive.organisations.models import Organisation
from thrive.questions import types as questions
from thrive.questions.models import FormTemplateVersion

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from thrive.accounts.models import User
    from thrive.opportunities.models import Lot


def check_taking_applications(*, opportunity: Opportunity, now: datetime) -> None:
    """Raise a clear error unless the opportunity takes applications at ``now``.

    Deadlines are exact instants: one second late is late (DESIGN §4).
    """
    if opportunity.status != OpportunityStatus.PUBLISHED or opportunity.opens_at is None:
        raise ValidationError("This opportunity is not taking applications")
    if now < opportunity.opens_at:
        raise ValidationError(
            f"This opportunity opens for applications at {format_deadline(opportunity.opens_at)}"
        )
    if opportunity.closes_at is not None and now >= opportunity.closes_at:
        raise ValidationError(
            "The deadline for this opportunity has passed. The deadline was "
            f"{format_deadline(opportunity.closes_at)}. Applications cannot be changed or "
            "submitted after the deadline."
        )


def _has_lots(opportunity: Opportunity) -> bool:
    # ``has_lots`` is annotated by ``selectors.opportunity_to_apply_for``; else one query.
    known = getattr(opportunity, "has_lots", None)
    return opportunity.lots.exists() if known is None else bool(known)


def start_application(
    *,
    opportunity: Opportunity,
    organisation: Organisation,
    actor: User,
    lot: Lot | None = None,
    now: datetime | None = None,
) -> Application:
    """Start (or return the existing) application of the organisation for the opportunity."""
    now = now or timezone.now()
    check_taking_applications(opportunity=opportunity, now=now)
    if lot is None and _has_lots(opportunity):
        raise ValidationError({"lot": "Select the lot you are bidding for"})
    if lot is not None and lot.opportunity_id != opportunity.pk:
        raise ValidationError({"lot": "Select a lot of this opportunity"})
    version, existing = _form_and_draft(opportunity, organisation, lot)
    if existing is not None:
        return Application.objects.get(pk=existing)
    if version is None:
        raise ValidationError("This opportunity has no application form yet")
    try:
        with transaction.atomic():
            application = Application.objects.create(
                opportunity=opportunity,
                organisation=organisation,
                lot=lot,
                form_version=version,
                created_by=actor,
            )
            log_action(
                action="applications.application.started",
                actor=actor,
                obj=application,
                after={"opportunity": opportunity.reference, "organisation": organisation.pk},
                council=opportunity.council,
            )
    except IntegrityError:
        return Application.objects.get(opportunity=opportunity, organisation=organisation, lot=lot)
    return application


def _draft_of(opportunity_id: int, organisation_id: int, lot: Lot | None) -> QuerySet:
    return Application.objects.filter(
        opportunity_id=opportunity_id, organisation_id=organisation_id, lot=lot
    ).values("pk")[:1]


def _form_and_draft_rows(
    *, template_id: int, opportunity_id: int, organisation_id: int
) -> QuerySet[FormTemplateVersion]:
    theirs = _draft_of(opportunity_id, organisation_id, None)
    return (
        FormTemplateVersion.objects.filter(template_id=template_id)
        .annotate(existing=Subquery(theirs))
        .order_by("-number")[:1]
    )


# Everyone starting at a deadline reads it: compiled once per connection (``core.prepared``).
_FORM_AND_DRAFT = PreparedRead(
    _form_and_draft_rows, template_id=int, opportunity_id=int, organisation_id=int
)


def _form_and_draft(
    opportunity: Opportunity, organisation: Organisation, lot: Lot | None
) -> tuple[Any, int | None]:
    """The opportunity's current form version and the id of the organisation's application
    to it, if it has one: one query (starting is the first thing everyone does at a deadline).
    """
    template = opportunity.form_template
    version = None
    if template is not None and lot is None:
        found = _FORM_AND_DRAFT(
            template_id=template.pk, opportunity_id=opportunity.pk, organisation_id=organisation.pk
        )
        version = found[0] if found else None
    elif template is not None:
        theirs = _draft_of(opportunity.pk, organisation.pk, lot)
        version = template.versions.annotate(existing=Subquery(theirs)).order_by("-number").first()
    if version is None:
        draft = _draft_of(opportunity.pk, organisation.pk, lot)
        return None, draft.values_list("pk", flat=True).first()
    version.template = template  # read with the opportunity
    return version, version.existing


def lock_application(*, application: Application) -> Application:
    """The application re-read under a lock on its own row only (see
    ``selectors.locked_application``), unless the caller already read it so in this
    transaction (``hold_lock``)."""
    if getattr(application, "_lock_held", False):
        return application
    locked = selectors.locked_application(pk=application.pk)
    if locked is None:
        raise Application.DoesNotExist("No such application")
    return locked


@contextmanager
def hold_lock(*, application: Application) -> Iterator[Application]:
    """Mark an application read under its row lock in the caller's open transaction, so
    the changes made inside take it as it is and run in that transaction."""
    application._lock_held = True  # type: ignore[attr-defined]
    try:
        yield application
    finally:
        application._lock_held = False  # type: ignore[attr-defined]


def changing(*, application: Application) -> transaction.Atomic:
    """The transaction a change runs in: the caller's own, with no savepoint, when the caller
    holds the application's row lock (a failure then fails the caller's whole change)."""
    return transaction.atomic(savepoint=not getattr(application, "_lock_held", False))


def _lock_draft(application: Application, now: datetime) -> Application:
    locked = lock_application(application=application)
    if locked.status != ApplicationStatus.DRAFT:
        raise ValidationError(
            "This application has been submitted. Withdraw it first if you need to change it."
        )
    check_taking_applications(opportunity=locked.opportunity, now=now)
    return locked


def _amount_requested(sections: list[dict[str, Any]], answers: dict[str, Any]) -> int | None:
    found = questions.amount_question(sections)
    value = answers.get(found[1]) if found else None
    return int(value) if isinstance(value, int) else None


def _record_edit(application: Application, section_key: str, actor: User, now: datetime) -> None:
    edits = dict(application.section_edits or {})
    edits[section_key] = {
        "user_id": getattr(actor, "pk", None),
        "name": actor.get_full_name() or actor.username if actor else "",
        "at": now.isoformat(),
    }
    application.section_edits = edits


def save_section(
    *,
    application: Application,
    section_key: str,
    data: Mapping[str, Any],
    actor: User,
    now: datetime | None = None,
) -> questions.SectionResult:
    """Save one page of answers as a draft; malformed answers come back as errors, unsaved.

    Only this section's answers change, re-read under a row lock, so colleagues saving
    other sections at the same time never overwrite each other.
    """
    now = now or timezone.now()
    sections = application.form_version.sections
    section = questions.find_section(sections, section_key)
    if section is None:
        raise ValidationError("No such section in this form")
    result = questions.read_section(section, data, stored=application.answers)
    with changing(application=application):
        locked = _lock_draft(application, now)
        answers = dict(locked.answers or {})
        for key, value in result.answers.items():
            if key in result.errors:
                continue
            if questions.is_empty(value):
                answers.pop(key, None)
            else:
                answers[key] = value
        locked.answers = answers
        locked.amount_requested_pence = _amount_requested(sections, answers)
        _record_edit(locked, section_key, actor, now)
        locked.save(
            update_fields=["answers", "amount_requested_pence", "section_edits", "updated_at"]
        )
    application.answers = locked.answers
    application.amount_requested_pence = locked.amount_requested_pence
    application.section_edits = locked.section_edits
    limits = questions.section_errors(section, locked.answers, final=False)
    return questions.SectionResult(result.answers, {**limits, **result.errors})


def _file_question(application: Application, question_key: str) -> tuple[str, dict[str, Any]]:
    for section in application.form_version.sections:
        for question in section.get("questions", []):
            if question["key"] == question_key and question["type"] == "file":
                return section["key"], question
    raise ValidationError("No such file question in this form")


def upload_attachment(
    *,
    application: Application,
    question_key: str,
    upload: UploadedFile,
    actor: User,
    now: datetime | None = None,
) -> Attachment:
    """Keep an uploaded file for a file question, checked by content, replacing any earlier one."""
    now = now or timezone.now()
    if upload is None:
        raise ValidationError({"file": "Select a file"})
    section_key, _ = _file_question(application, question_key)
    try:
        checked = files.check_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    with transaction.atomic():
        locked = _lock_draft(application, now)
        previous = locked.attachments.filter(question_key=question_key)
        for old in previous:
            old.file.delete(save=False)
        previous.delete()
        attachment = Attachment(
            application=locked,
            question_key=question_key,
            original_name=files.safe_name(upload.name, checked.extension),
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=actor,
            uploaded_at=now,
        )
        attachment.file.save(attachment.original_name, File(upload), save=False)
        attachment.save()
        locked.answers = {**(locked.answers or {}), question_key: attachment.pk}
        _record_edit(locked, section_key, actor, now)
        locked.save(update_fields=["answers", "section_edits", "updated_at"])
        log_action(
            action="applications.attachment.uploaded",
            actor=actor,
            obj=locked,
            after={"question": question_key, "sha256": checked.sha256, "size": checked.size},
            council=locked.opportunity.council,
        )
    application.answers = locked.answers
    return attachment


def remove_attachment(*, attachment: Attachment, actor: User, now: datetime | None = None) -> None:
    """Remove a file from a draft."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_draft(attachment.application, now)
        answers = dict(locked.answers or {})
        if answers.get(attachment.question_key) == attachment.pk:
            answers.pop(attachment.question_key)
        locked.answers = answers
        locked.save(update_fields=["answers", "updated_at"])
        attachment.file.delete(save=False)
        attachment.delete()
        log_action(
            action="applications.attachment.removed",
            actor=actor,
            obj=locked,
            before={"question": attachment.question_key},
            council=locked.opportunity.council,
        )


def organisation_facts(*, organisation: Organisation) -> list[tuple[str, str]]:
    """What the register already holds, shown in the application and never asked again."""
    identifiers, areas = _identifiers_and_areas(organisation)
    address = ", ".join(
        p
        for p in [
            organisation.address_line_1,
            organisation.address_line_2,
            organisation.town,
            organisation.postcode,
        ]
        if p
    )
    income = (
        f"{format_pence(organisation.latest_income_pence)} "
        f"(year ending {organisation.latest_income_year})"
        if organisation.latest_income_pence is not None
        else ""
    )
    facts = [
        ("Name", organisation.name),
        ("Legal form", organisation.get_legal_form_display()),
        ("Identifiers", ", ".join(identifiers)),
        ("Address", address),
        ("Latest annual income", income),
        ("Size", organisation.get_size_band_display()),
        ("Third Sector test", organisation.get_third_sector_outcome_display()),
        ("Areas served", ", ".join(areas)),
    ]
    for name, label in (
        ("governing_document", "Governing document"),
        ("policies", "Policies"),
    ):
        value = getattr(organisation, name, None)
        if value:
            facts.append((label, str(value)))
    return [(label, value or "Not recorded") for label, value in facts]


def _facts_rows(*, pk: int) -> QuerySet:
    return (
        Organisation.objects.filter(pk=pk)
        .order_by("identifiers__scheme", "identifiers__value", "-areas__county_wide", "areas__name")
        .values_list("identifiers__id", "identifiers__org_id", "areas__id", "areas__name")
    )


# Every submission at a deadline reads it: compiled once per connection (``core.prepared``).
_FACTS_ROWS = PreparedRead(_facts_rows, pk=int)


def _identifiers_and_areas(organisation: Organisation) -> tuple[list[str], list[str]]:
    """The organisation's identifiers and the names of the areas it serves, in their usual
    orders: from its prefetched lists, else in one query (every identifier beside every area,
    a handful of rows)."""
    cache = getattr(organisation, "_prefetched_objects_cache", {})
    if "identifiers" in cache and "areas" in cache:
        return [i.org_id for i in cache["identifiers"]], [a.name for a in cache["areas"]]
    identifiers: dict[int, str] = {}
    areas: dict[int, str] = {}
    for identifier_id, org_id, area_id, area in _FACTS_ROWS(pk=organisation.pk):
        if identifier_id is not None:
            identifiers.setdefault(identifier_id, org_id)
        if area_id is not None:
            areas.setdefault(area_id, area)
    return list(identifiers.values()), list(areas.values())
