"""Changes to the organisation register: registration, profile, identifiers, the Third
Sector test, income, services, contacts and requests to join (§1.4, §3.2)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from thrive.accounts import services as account_services
from thrive.accounts.models import Membership, User
from thrive.audit.services import log_action
from thrive.core.tasks import enqueue_on_commit
from thrive.organisations import duplicates, tasks
from thrive.organisations.identifiers import canonical_org_id, canonical_value
from thrive.organisations.models import (
    Contact,
    Identifier,
    IncomeRecord,
    JoinRequest,
    JoinRequestStatus,
    Organisation,
    Service,
    TestAnswer,
    TestOutcome,
    size_band_for,
)

PROFILE_FIELDS = [
    "name",
    "other_names",
    "legal_form",
    "description",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "website",
    "email",
    "phone",
    "directory_opt_in",
    "publish_email",
    "publish_phone",
    "publish_website",
    "publish_address",
]
AUDITED_SEPARATELY = {"legal_form"}
DUPLICATE_KEYS = ("name", "other_names", "postcode", "email")


def _snapshot(organisation: Organisation, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(organisation, name) for name in fields}


def _council_of(actor: Any) -> Any:
    return getattr(actor, "council", None) if getattr(actor, "is_authenticated", False) else None


def identifier_owner(org_id: str) -> Organisation | None:
    """The organisation holding this canonical org-id, if any."""
    found = Identifier.objects.select_related("organisation").filter(org_id=org_id).first()
    return found.organisation if found else None


def _check_identifiers_free(org_ids: list[str], *, organisation: Organisation | None) -> None:
    for org_id in org_ids:
        owner = identifier_owner(org_id)
        if owner is not None and (organisation is None or owner.pk != organisation.pk):
            raise ValidationError(
                {
                    "identifiers": f"{org_id} is already registered to {owner.name}. "
                    "Ask to join that organisation instead of registering it again."
                }
            )


def register_organisation(
    *,
    actor: User | None,
    source: str,
    fields: dict[str, Any],
    org_ids: Iterable[str] = (),
    areas: Iterable[Any] | None = None,
    beneficiary_groups: Iterable[Any] | None = None,
    make_actor_admin: bool = False,
    source_detail: str = "",
    check_duplicates: bool = True,
) -> Organisation:
    """Add an organisation to the register, refusing an identifier another one holds.

    Same identifier means same organisation (issue 3 §7); similar names at the same
    postcode or with a shared contact are raised for staff to review.
    """
    canonical = [canonical_org_id(text)[2] for text in org_ids if text]
    canonical = list(dict.fromkeys(canonical))
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown organisation fields: {sorted(unknown)}")
    with transaction.atomic():
        _check_identifiers_free(canonical, organisation=None)
        organisation = Organisation(
            **fields,
            source=source,
            source_detail=source_detail[:255],
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        organisation.full_clean()
        organisation.save()
        for org_id in canonical:
            scheme, value, _ = canonical_org_id(org_id)
            Identifier.objects.create(
                organisation=organisation, scheme=scheme, value=value, org_id=org_id
            )
        if areas is not None:
            organisation.areas.set(areas)
        if beneficiary_groups is not None:
            organisation.beneficiary_groups.set(beneficiary_groups)
        if make_actor_admin and actor is not None:
            account_services.add_member(
                user=actor, organisation=organisation, is_admin=True, actor=actor
            )
        log_action(
            action="organisations.organisation.created",
            actor=actor,
            obj=organisation,
            after={**_snapshot(organisation, fields), "source": source, "identifiers": canonical},
            council=_council_of(actor),
        )
        if check_duplicates:
            duplicates.raise_candidates(organisation=organisation, actor=actor)
    return organisation


@dataclass(frozen=True)
class NewProvider:
    email: str
    first_name: str
    last_name: str
    password: str


def create_provider_account(*, new: NewProvider) -> User:
    """Create a provider user's account (self-service registration, §1.6)."""
    email = User.objects.normalize_email(new.email).strip()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": "An account with this email address already exists. Sign in instead."}
        )
    with transaction.atomic():
        user = User(username=email, email=email, first_name=new.first_name, last_name=new.last_name)
        user.set_password(new.password)
        user.full_clean()
        user.save()
        log_action(action="accounts.user.registered", actor=user, obj=user)
    return user


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
        before = _snapshot(organisation, changes)
        before_links = _links(organisation)
        for name, value in changes.items():
            setattr(organisation, name, value)
        organisation.full_clean()
        organisation.save()
        if areas is not None:
            organisation.areas.set(areas)
        if beneficiary_groups is not None:
            organisation.beneficiary_groups.set(beneficiary_groups)
        after = _snapshot(organisation, changes)
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
    actor: Any,
    before: dict[str, Any],
    after: dict[str, Any],
    reason: str,
) -> None:
    changed = [name for name in after if before.get(name) != after[name]]
    council = _council_of(actor)
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


def add_identifier(
    *, organisation: Organisation, scheme: str, value: str, actor: User | None
) -> Identifier:
    """Give the organisation an identifier in canonical form; one organisation per identifier."""
    try:
        value = canonical_value(scheme, value)
    except ValidationError as exc:
        raise ValidationError({"value": exc.messages}) from exc
    scheme = scheme.strip().upper()
    org_id = f"{scheme}-{value}"
    with transaction.atomic():
        owner = identifier_owner(org_id)
        if owner is not None:
            message = (
                "The organisation already has this identifier"
                if owner.pk == organisation.pk
                else f"{org_id} is already registered to {owner.name}"
            )
            raise ValidationError({"value": message})
        identifier = Identifier(
            organisation=organisation, scheme=scheme, value=value, org_id=org_id
        )
        identifier.full_clean()
        identifier.save()
        log_action(
            action="organisations.identifier.added",
            actor=actor,
            obj=organisation,
            after={"org_id": org_id},
            council=_council_of(actor),
        )
    return identifier


def remove_identifier(*, identifier: Identifier, actor: User | None, reason: str = "") -> None:
    """Take an identifier off an organisation (audited)."""
    with transaction.atomic():
        organisation = identifier.organisation
        org_id = identifier.org_id
        identifier.delete()
        log_action(
            action="organisations.identifier.removed",
            actor=actor,
            obj=organisation,
            before={"org_id": org_id},
            reason=reason,
            council=_council_of(actor),
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
    *, organisation: Organisation, answers: dict[str, str], evidence: dict[str, str], actor: Any
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
    with transaction.atomic():
        before = {"outcome": organisation.third_sector_outcome}
        for name, *_ in TEST_QUESTIONS:
            setattr(organisation, name, answers[name])
            setattr(organisation, f"{name}_evidence", evidence[name].strip())
        organisation.third_sector_outcome = outcome
        organisation.third_sector_recorded_at = timezone.now()
        organisation.third_sector_recorded_by = actor if actor and actor.is_authenticated else None
        organisation.full_clean()
        organisation.save()
        log_action(
            action="organisations.third_sector_test.recorded",
            actor=actor,
            obj=organisation,
            before=before,
            after={"outcome": outcome, **{name: answers[name] for name, *_ in TEST_QUESTIONS}},
            council=_council_of(actor),
        )
    return organisation


def record_income(
    *, organisation: Organisation, year: int, amount_pence: int, actor: Any
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
            council=_council_of(actor),
        )
    return record


def refresh_size(*, organisation: Organisation) -> None:
    """Set the latest income and size band from the income records."""
    latest = organisation.incomes.order_by("-year").first()
    organisation.latest_income_pence = latest.amount_pence if latest else None
    organisation.latest_income_year = latest.year if latest else None
    organisation.size_band = size_band_for(organisation.latest_income_pence)
    Organisation.objects.filter(pk=organisation.pk).update(
        latest_income_pence=organisation.latest_income_pence,
        latest_income_year=organisation.latest_income_year,
        size_band=organisation.size_band,
    )


def add_service(
    *,
    organisation: Organisation,
    name: str,
    description: str,
    outcomes: Iterable[Any],
    actor: Any,
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
            council=_council_of(actor),
        )
    return service


def remove_service(*, service: Service, actor: Any) -> None:
    with transaction.atomic():
        organisation, name = service.organisation, service.name
        service.delete()
        log_action(
            action="organisations.service.removed",
            actor=actor,
            obj=organisation,
            before={"service": name},
            council=_council_of(actor),
        )


def add_contact(*, organisation: Organisation, actor: Any, **fields: Any) -> Contact:
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
            council=_council_of(actor),
        )
    duplicates.raise_candidates(organisation=organisation, actor=actor)
    return contact


def remove_contact(*, contact: Contact, actor: Any) -> None:
    with transaction.atomic():
        organisation = contact.organisation
        contact_id = contact.pk
        contact.delete()
        log_action(
            action="organisations.contact.removed",
            actor=actor,
            obj=organisation,
            before={"contact_id": contact_id},
            council=_council_of(actor),
        )


def request_to_join(*, organisation: Organisation, user: User, message: str = "") -> JoinRequest:
    """Ask to join an organisation already on the register; its admins decide."""
    if user.council_id is not None:
        raise ValidationError(
            "Council staff cannot join an organisation. Use a separate provider account."
        )
    if organisation.merged_into_id:
        organisation = organisation.merged_into
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError("You are already a member of this organisation")
    if JoinRequest.objects.filter(
        user=user, organisation=organisation, status=JoinRequestStatus.PENDING
    ).exists():
        raise ValidationError("You have already asked to join. An admin will answer soon.")
    with transaction.atomic():
        join = JoinRequest(organisation=organisation, user=user, message=message.strip())
        join.full_clean()
        join.save()
        log_action(action="organisations.join.requested", actor=user, obj=organisation)
        enqueue_on_commit(tasks.send_join_request_email, join.pk)
    return join


def decide_join_request(*, join_request: JoinRequest, approve: bool, actor: User) -> JoinRequest:
    """An organisation admin approves (the person becomes a member) or declines."""
    if join_request.status != JoinRequestStatus.PENDING:
        raise ValidationError("This request has already been answered")
    with transaction.atomic():
        join_request.status = JoinRequestStatus.APPROVED if approve else JoinRequestStatus.DECLINED
        join_request.decided_at = timezone.now()
        join_request.decided_by = actor
        join_request.save(update_fields=["status", "decided_at", "decided_by"])
        if approve:
            account_services.add_member(
                user=join_request.user,
                organisation=join_request.organisation,
                is_admin=False,
                actor=actor,
            )
        log_action(
            action=f"organisations.join.{join_request.status}",
            actor=actor,
            obj=join_request.organisation,
            after={"user_id": join_request.user_id},
        )
    return join_request
