"""Keeping a profile up to date: details, the Third Sector test (§1.4), income, services
and contacts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from thrive.accounts.models import User
from thrive.audit.services import log_action
from thrive.organisations import duplicates
from thrive.organisations.models import (
    Contact,
    IncomeRecord,
    Organisation,
    Service,
    TestAnswer,
    TestOutcome,
)
from thrive.organisations.services.common import (
    PROFILE_FIELDS,
    council_of,
    refresh_size,
    snapshot,
)

AUDITED_SEPARATELY = {"legal_form"}
DUPLICATE_KEYS = ("name", "other_names", "postcode", "email")


def update_organisation(
    *,
    organisation: Organisation,
    actor: User | None,
    changes: dict[str, Any],
    areas: Iterable[Any] | None = None,
    beneficiary_groups: Iterable[Any] | None = None,
    reason: str = "",
) -> Organisation:
    """Change the profile; a change of legal form is audited as its own decision."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown organisation fields: {sorted(unknown)}")
    if organisation.merged_into_id:
        raise ValidationError("This organisation has been merged into another. Edit that one.")
    with transaction.atomic():
        before = snapshot(organisation=organisation, fields=changes)
        before_links = _links(organisation)
        for name, value in changes.items():
            setattr(organisation, name, value)
        organisation.full_clean()
        organisation.save()
        if areas is not None:
            organisation.areas.set(areas)
        if beneficiary_groups is not None:
            organisation.beneficiary_groups.set(beneficiary_groups)
        after = snapshot(organisation=organisation, fields=changes)
        after_links = _links(organisation)
        _log_changes(organisation, actor, before | before_links, after | after_links, reason)
        if any(before[k] != after[k] for k in DUPLICATE_KEYS if k in changes):
            duplicates.raise_candidates(organisation=organisation, actor=actor)
    return organisation


def _links(organisation: Organisation) -> dict[str, list[int]]:
    if organisation.pk is None:
        return {}
    return {
        "areas": sorted(organisation.areas.values_list("pk", flat=True)),
        "beneficiary_groups": sorted(organisation.beneficiary_groups.values_list("pk", flat=True)),
    }


def _log_changes(
    organisation: Organisation,
    actor: User | None,
    before: dict[str, Any],
    after: dict[str, Any],
    reason: str,
) -> None:
    changed = [name for name in after if before.get(name) != after[name]]
    council = council_of(actor=actor)
    if "legal_form" in changed:
        log_action(
            action="organisations.legal_form.changed",
            actor=actor,
            obj=organisation,
            before={"legal_form": before["legal_form"]},
            after={"legal_form": after["legal_form"]},
            reason=reason,
            council=council,
        )
    rest = [name for name in changed if name not in AUDITED_SEPARATELY]
    if rest:
        log_action(
            action="organisations.organisation.updated",
            actor=actor,
            obj=organisation,
            before={name: before.get(name) for name in rest},
            after={name: after[name] for name in rest},
            reason=reason,
            council=council,
        )


TEST_QUESTIONS = [
    (
        "independent",
        "Select whether the organisation is independent of government",
        "Give evidence for your answer about independence",
    ),
    (
        "value_driven",
        "Select whether the organisation is value-driven",
        "Give evidence for your answer about being value-driven",
    ),
    (
        "reinvests_surpluses",
        "Select whether the organisation reinvests its surpluses",
        "Give evidence for your answer about surpluses",
    ),
]


def record_third_sector_test(
    *,
    organisation: Organisation,
    answers: dict[str, str],
    evidence: dict[str, str],
    actor: User | None,
) -> Organisation:
    """Record the three answers of the Third Sector test (§1.4) with evidence, and the outcome.

    An organisation that does not meet the test stays on the register, flagged.
    """
    errors: dict[str, list[str]] = {}
    for name, no_answer, no_evidence in TEST_QUESTIONS:
        if answers.get(name) not in TestAnswer.values:
            errors[name] = [no_answer]
        elif not (evidence.get(name) or "").strip():
            errors[f"{name}_evidence"] = [no_evidence]
    if errors:
        raise ValidationError(errors)
    outcome = (
        TestOutcome.MEETS
        if all(answers[name] == TestAnswer.YES for name, *_ in TEST_QUESTIONS)
        else TestOutcome.DOES_NOT_MEET
    )
    if _unchanged(organisation, answers, evidence):
        return organisation  # saved again as it was: the officer's review still stands
    with transaction.atomic():
        before = {"outcome": organisation.third_sector_outcome}
        for name, *_ in TEST_QUESTIONS:
            setattr(organisation, name, answers[name])
            setattr(organisation, f"{name}_evidence", evidence[name].strip())
        organisation.third_sector_outcome = outcome
        organisation.third_sector_recorded_at = timezone.now()
        organisation.third_sector_recorded_by = actor if actor and actor.is_authenticated else None
        _clear_review(organisation)
        organisation.full_clean()
        organisation.save()
        log_action(
            action="organisations.third_sector_test.recorded",
            actor=actor,
            obj=organisation,
            before=before,
            after={"outcome": outcome, **{name: answers[name] for name, *_ in TEST_QUESTIONS}},
            council=council_of(actor=actor),
        )
    return organisation


def _unchanged(
    organisation: Organisation, answers: dict[str, str], evidence: dict[str, str]
) -> bool:
    if organisation.third_sector_outcome == TestOutcome.NOT_ASSESSED:
        return False
    return all(
        getattr(organisation, name) == answers[name]
        and getattr(organisation, f"{name}_evidence") == evidence[name].strip()
        for name, *_ in TEST_QUESTIONS
    )


def _clear_review(organisation: Organisation) -> None:
    """New answers need a new review: the old one was of the old answers."""
    organisation.third_sector_review = ""
    organisation.third_sector_review_reason = ""
    organisation.third_sector_reviewed_at = None
    organisation.third_sector_reviewed_by = None


def record_income(
    *, organisation: Organisation, year: int, amount_pence: int, actor: User | None
) -> IncomeRecord:
    """Record a year's income and derive the size band from the latest year."""
    this_year = timezone.localdate().year
    if not 1900 <= year <= this_year:
        raise ValidationError({"year": f"Enter a year between 1900 and {this_year}"})
    if amount_pence < 0:
        raise ValidationError({"amount": "Enter an income of £0 or more"})
    with transaction.atomic():
        record, created = IncomeRecord.objects.update_or_create(
            organisation=organisation, year=year, defaults={"amount_pence": amount_pence}
        )
        refresh_size(organisation=organisation)
        log_action(
            action="organisations.income.recorded",
            actor=actor,
            obj=organisation,
            after={"year": year, "amount_pence": amount_pence, "replaced": not created},
            council=council_of(actor=actor),
        )
    return record


def add_service(
    *,
    organisation: Organisation,
    name: str,
    description: str,
    outcomes: Iterable[Any],
    actor: User | None,
) -> Service:
    """Add a service the organisation offers, linked to the outcomes it serves."""
    with transaction.atomic():
        service = Service(organisation=organisation, name=name.strip(), description=description)
        if not service.name:
            raise ValidationError({"name": "Enter the name of the service"})
        service.full_clean()
        service.save()
        service.outcomes.set(outcomes)
        log_action(
            action="organisations.service.added",
            actor=actor,
            obj=organisation,
            after={"service": service.name, "outcomes": [o.pk for o in service.outcomes.all()]},
            council=council_of(actor=actor),
        )
    return service


def remove_service(*, service: Service, actor: User | None) -> None:
    with transaction.atomic():
        organisation, name = service.organisation, service.name
        service.delete()
        log_action(
            action="organisations.service.removed",
            actor=actor,
            obj=organisation,
            before={"service": name},
            council=council_of(actor=actor),
        )


def add_contact(*, organisation: Organisation, actor: User | None, **fields: Any) -> Contact:
    """Add a named contact; a new main contact replaces the old one."""
    with transaction.atomic():
        contact = Contact(organisation=organisation, **fields)
        contact.full_clean()
        if contact.is_main:
            organisation.contacts.update(is_main=False)
        contact.save()
        log_action(
            action="organisations.contact.added",
            actor=actor,
            obj=organisation,
            after={"contact_id": contact.pk, "is_main": contact.is_main},
            council=council_of(actor=actor),
        )
    duplicates.raise_candidates(organisation=organisation, actor=actor)
    return contact


def remove_contact(*, contact: Contact, actor: User | None) -> None:
    with transaction.atomic():
        organisation = contact.organisation
        contact_id = contact.pk
        contact.delete()
        log_action(
            action="organisations.contact.removed",
            actor=actor,
            obj=organisation,
            before={"contact_id": contact_id},
            council=council_of(actor=actor),
        )
