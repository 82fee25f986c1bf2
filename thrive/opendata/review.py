"""Recipients held for review: a person decides whether a published recipient whose
identifier is known under another name is the register's organisation or another one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from thrive.accounts.models import User
from thrive.audit.services import Entry, log_actions
from thrive.opendata import totals
from thrive.opendata.models import ExternalGrant, FundingKind, RecipientStatus
from thrive.opendata.recipients import raise_candidates_for
from thrive.organisations.identifiers import canonical_org_id
from thrive.organisations.models import Identifier, Organisation, RecordSource, normalise_postcode


def held_grants(grant: ExternalGrant) -> QuerySet[ExternalGrant]:
    """Every grant held with the same published identifier and name as this one."""
    return ExternalGrant.objects.filter(
        recipient_status=RecipientStatus.HELD,
        recipient__isnull=True,
        recipient_org_id=grant.recipient_org_id,
        recipient_name=grant.recipient_name,
    )


def register_record(org_id: str) -> Organisation | None:
    """The register's organisation holding a published identifier, as the matcher found it."""
    try:
        canonical = canonical_org_id(org_id)[2]
    except ValidationError:
        canonical = org_id
    identifier = (
        Identifier.objects.filter(org_id__in={org_id, canonical})
        .select_related("organisation")
        .first()
    )
    if identifier is not None:
        return identifier.organisation
    earlier = (
        ExternalGrant.objects.filter(recipient_org_id=org_id, recipient__isnull=False)
        .select_related("recipient")
        .first()
    )
    return earlier.recipient if earlier else None


def _claim(grant: ExternalGrant) -> list[ExternalGrant]:
    grants = list(held_grants(grant).select_for_update().order_by("pk"))
    if not grants:
        raise ValidationError("These grants have already been decided")
    return grants


def confirm_same(*, grant: ExternalGrant, actor: User) -> Organisation:
    """The held recipient is the register's organisation: attach all its held grants.

    The published name is then a name the matcher accepts for that identifier, because
    later imports follow earlier decisions, so it is not held again.
    """
    organisation = register_record(grant.recipient_org_id)
    if organisation is None:
        raise ValidationError("No organisation in the register holds this identifier")
    with transaction.atomic():
        grants = _claim(grant)
        ExternalGrant.objects.filter(pk__in=[g.pk for g in grants]).update(
            recipient=organisation, recipient_status=RecipientStatus.MATCHED
        )
        totals.refresh(FundingKind.GRANT, [organisation.pk])
        log_actions(
            entries=[
                Entry(
                    "opendata.recipient.confirmed",
                    organisation,
                    after={
                        "org_id": grant.recipient_org_id,
                        "published_name": grant.recipient_name,
                        "grants": [g.grant_id for g in grants],
                    },
                )
            ],
            actor=actor,
        )
    return organisation


def add_different(*, grant: ExternalGrant, actor: User) -> Organisation:
    """The held recipient is another organisation: add it to the register and attach."""
    with transaction.atomic():
        grants = _claim(grant)
        published = (grant.data.get("recipientOrganization") or [{}])[0]
        try:
            postcode = normalise_postcode(str(published.get("postalCode") or ""))
        except ValidationError:
            postcode = ""
        organisation = Organisation.objects.create(
            name=grant.recipient_name[:255],
            postcode=postcode,
            source=RecordSource.OPEN_DATA,
            source_detail=f"360Giving: {grant.import_run.source_name}"[:255],
        )
        ExternalGrant.objects.filter(pk__in=[g.pk for g in grants]).update(
            recipient=organisation, recipient_status=RecipientStatus.CREATED
        )
        totals.refresh(FundingKind.GRANT, [organisation.pk])
        log_actions(
            entries=[
                Entry(
                    "organisations.organisation.imported",
                    organisation,
                    after={"org_id": "", "source": organisation.source_detail},
                ),
                Entry(
                    "opendata.recipient.separated",
                    organisation,
                    after={
                        "org_id": grant.recipient_org_id,
                        "published_name": grant.recipient_name,
                        "grants": [g.grant_id for g in grants],
                    },
                ),
            ],
            actor=actor,
        )
        raise_candidates_for([organisation], actor=actor)
    return organisation
