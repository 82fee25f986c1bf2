"""Adding organisations and accounts to the register; identifiers (§3.2)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from thrive.accounts import services as account_services
from thrive.accounts.models import User
from thrive.accounts.services import email_verification
from thrive.audit.services import log_action
from thrive.organisations import duplicates
from thrive.organisations.identifiers import canonical_org_id, canonical_value
from thrive.organisations.models import (
    Identifier,
    Organisation,
    RecordSource,
)
from thrive.organisations.services.common import PROFILE_FIELDS, council_of, snapshot
from thrive.organisations.services.profile import record_third_sector_test


def identifier_owner(*, org_id: str) -> Organisation | None:
    """The organisation holding this canonical org-id, if any."""
    found = Identifier.objects.select_related("organisation").filter(org_id=org_id).first()
    return found.organisation if found else None


def _check_identifiers_free(org_ids: list[str], *, organisation: Organisation | None) -> None:
    for org_id in org_ids:
        owner = identifier_owner(org_id=org_id)
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
            after={
                **snapshot(organisation=organisation, fields=fields),
                "source": source,
                "identifiers": canonical,
            },
            council=council_of(actor=actor),
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
        user = User(
            username=email,
            email=email,
            first_name=new.first_name,
            last_name=new.last_name,
            email_verified_at=None,
        )
        user.set_password(new.password)
        user.full_clean()
        user.save()
        log_action(action="accounts.user.registered", actor=user, obj=user)
        email_verification.require_verification(user=user)
    return user


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
        owner = identifier_owner(org_id=org_id)
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
            council=council_of(actor=actor),
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
            council=council_of(actor=actor),
        )


def record_register_export(*, actor: User, fmt: str, filters: dict[str, Any], rows: int) -> None:
    """Audit an export of the register: who, in which format, with which filters, how many."""
    log_action(
        action="organisations.register.exported",
        actor=actor,
        after={"format": fmt, "filters": filters, "rows": rows},
    )


def register_own_organisation(
    *,
    user: User | None,
    new: NewProvider | None,
    fields: dict[str, Any],
    org_ids: Iterable[str],
    answers: dict[str, str],
    evidence: dict[str, str],
) -> tuple[Organisation, User]:
    """A person registers their organisation and answers the Third Sector test (§1.4), with
    a new provider account when they have none: all of it or nothing."""
    with transaction.atomic():
        if user is None:
            if new is None:
                raise ValidationError("Enter your details to create an account")
            user = create_provider_account(new=new)
        organisation = register_organisation(
            actor=user,
            source=RecordSource.SELF_REGISTERED,
            fields=fields,
            org_ids=org_ids,
            make_actor_admin=True,
        )
        record_third_sector_test(
            organisation=organisation, answers=answers, evidence=evidence, actor=user
        )
    return organisation, user
