"""Duplicate organisations: finding candidate pairs, merging them, or setting them aside.

Same identifier means same organisation (refused at the door by the services). Beyond
that, a similar name (rapidfuzz, ignoring suffixes such as Ltd, CIO, CIC and "The")
together with the same postcode or a shared contact email raises a scored pair for
staff to review. A pair marked "not a duplicate" is never raised again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from rapidfuzz import fuzz

from thrive.accounts.models import Membership
from thrive.audit.services import log_action
from thrive.organisations.models import (
    CandidateStatus,
    Contact,
    DuplicateCandidate,
    IncomeRecord,
    JoinRequest,
    Organisation,
)
from thrive.organisations.services.common import refresh_size

THRESHOLD = 85
_PHRASES = [
    "community interest company",
    "charitable incorporated organisation",
    "company limited by guarantee",
]
_IGNORED_WORDS = {"the", "ltd", "limited", "cio", "cic", "plc", "llp", "inc", "incorporated", "co"}


def normalise_name(name: str) -> str:
    """Lower case, '&' as 'and', no punctuation, no legal suffixes or 'The'."""
    text = (name or "").lower().replace("&", " and ")
    text = re.sub(r"[^\w\s]", " ", text)
    for phrase in _PHRASES:
        text = re.sub(rf"\b{phrase}\b", " ", text)
    return " ".join(word for word in text.split() if word not in _IGNORED_WORDS)


def name_score(first: str, second: str) -> int:
    """Similarity of two organisation names, 0 to 100, after normalising both."""
    a, b = normalise_name(first), normalise_name(second)
    if not a or not b:
        return 0
    return round(fuzz.WRatio(a, b))


@dataclass(frozen=True)
class Match:
    organisation: Organisation
    score: int
    reasons: str


def _emails(organisation: Organisation) -> set[str]:
    emails: set[str] = set()
    if organisation.pk is not None:
        emails = {e.lower() for e in organisation.contacts.values_list("email", flat=True) if e}
    if organisation.email:
        emails.add(organisation.email.lower())
    return emails


def _pool(organisation: Organisation, emails: set[str]) -> models.QuerySet[Organisation]:
    condition = Q()
    if organisation.postcode:
        condition |= Q(postcode=organisation.postcode)
    if emails:
        contact_orgs = Contact.objects.annotate(e=Lower("email")).filter(e__in=emails)
        condition |= Q(email_lower__in=emails) | Q(pk__in=contact_orgs.values("organisation_id"))
    if not condition:
        return Organisation.objects.none()
    return (
        Organisation.objects.active()
        .annotate(email_lower=Lower("email"))
        .exclude(pk=organisation.pk)
        .filter(condition)
        .prefetch_related("contacts")
    )


def find_matches(organisation: Organisation, *, names: list[str] | None = None) -> list[Match]:
    """Records that may be the same organisation: similar name and same postcode or contact."""
    emails = _emails(organisation)
    names = names or [organisation.name, *organisation.other_names_list]
    matches = []
    for other in _pool(organisation, emails):
        score = max(
            name_score(mine, theirs)
            for mine in names
            for theirs in [other.name, *other.other_names_list]
        )
        if score < THRESHOLD:
            continue
        reasons = [f"similar name ({score}%)"]
        if organisation.postcode and other.postcode == organisation.postcode:
            reasons.append(f"same postcode {other.postcode}")
        shared = emails & _emails(other)
        if shared:
            reasons.append(f"shared contact {sorted(shared)[0]}")
        matches.append(Match(other, score, ", ".join(reasons)))
    return sorted(matches, key=lambda m: -m.score)


def raise_candidates(*, organisation: Organisation, actor: Any = None) -> list[DuplicateCandidate]:
    """Put each new possible duplicate of the organisation in the review queue."""
    raised = []
    for match in find_matches(organisation):
        first, second = sorted([organisation, match.organisation], key=lambda o: o.pk)
        candidate, created = DuplicateCandidate.objects.get_or_create(
            first=first, second=second, defaults={"score": match.score, "reasons": match.reasons}
        )
        if created:
            log_action(
                action="organisations.duplicate.raised",
                actor=actor,
                obj=candidate,
                after={"first": first.pk, "second": second.pk, "score": match.score},
            )
            raised.append(candidate)
    return raised


def mark_not_duplicate(
    *, candidate: DuplicateCandidate, actor: Any, reason: str = ""
) -> DuplicateCandidate:
    """Record that the pair are different organisations; the pair is not raised again."""
    if candidate.status != CandidateStatus.OPEN:
        raise ValidationError("This pair has already been reviewed")
    with transaction.atomic():
        candidate.status = CandidateStatus.NOT_DUPLICATE
        candidate.decided_at = timezone.now()
        candidate.decided_by = actor
        candidate.reason = reason.strip()
        candidate.save(update_fields=["status", "decided_at", "decided_by", "reason"])
        log_action(
            action="organisations.duplicate.dismissed",
            actor=actor,
            obj=candidate,
            after={"status": candidate.status},
            reason=candidate.reason,
        )
    return candidate


def merge_organisations(
    *,
    survivor: Organisation,
    merged: Organisation,
    actor: Any,
    reason: str,
    candidate: DuplicateCandidate | None = None,
) -> Organisation:
    """Merge one record into another: everything that points at it moves to the survivor.

    Memberships, identifiers, income, services, contacts, awards and the records of
    any later app (applications, returns) move; the merged record stays, pointing at
    the survivor so its old links redirect.
    """
    if survivor.pk == merged.pk:
        raise ValidationError("Choose two different organisations to merge")
    if survivor.merged_into_id or merged.merged_into_id:
        raise ValidationError("One of these organisations has already been merged")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why these records are the same organisation"})
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().filter(pk__in=[survivor.pk, merged.pk])
        list(locked)
        moved = _move_conflicting(survivor, merged)
        moved |= _move_related(survivor, merged)
        _absorb_profile(survivor, merged)
        merged.merged_into = survivor
        merged.merged_at = timezone.now()
        merged.directory_opt_in = False
        merged.save(update_fields=["merged_into", "merged_at", "directory_opt_in", "updated_at"])
        _close_candidates(survivor, merged, candidate, actor, reason)
        refresh_size(organisation=survivor)
        log_action(
            action="organisations.organisation.merged",
            actor=actor,
            obj=survivor,
            before={"merged_id": merged.pk, "merged_name": merged.name},
            after={"moved": moved},
            reason=reason.strip(),
        )
    raise_candidates(organisation=survivor, actor=actor)
    return survivor


def _move_conflicting(survivor: Organisation, merged: Organisation) -> dict[str, int]:
    """Move rows whose uniqueness could clash with the survivor's own."""
    moved = {"memberships": 0, "income years": 0}
    for membership in Membership.objects.filter(organisation=merged):
        mine = Membership.objects.filter(organisation=survivor, user=membership.user_id).first()
        if mine is None:
            membership.organisation = survivor
            membership.save(update_fields=["organisation"])
            moved["memberships"] += 1
        else:
            if membership.is_admin and not mine.is_admin:
                mine.is_admin = True
                mine.save(update_fields=["is_admin"])
            membership.delete()
    years = set(survivor.incomes.values_list("year", flat=True))
    for income in IncomeRecord.objects.filter(organisation=merged):
        if income.year in years:
            continue
        income.organisation = survivor
        income.save(update_fields=["organisation"])
        moved["income years"] += 1
    pending = JoinRequest.objects.filter(organisation=survivor, status="pending")
    JoinRequest.objects.filter(
        organisation=merged, status="pending", user__in=pending.values("user")
    ).delete()
    return moved


_HANDLED = {"accounts.membership", "organisations.incomerecord", "organisations.duplicatecandidate"}


def _move_related(survivor: Organisation, merged: Organisation) -> dict[str, int]:
    """Repoint every other relation to the organisation, including apps added later."""
    moved: dict[str, int] = {}
    for relation in Organisation._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete:
            continue
        model = relation.related_model
        if model._meta.auto_created or model._meta.label_lower in _HANDLED:
            continue
        name = relation.field.name
        if relation.many_to_many:
            for obj in model._default_manager.filter(**{name: merged}):
                getattr(obj, name).remove(merged)
                getattr(obj, name).add(survivor)
            continue
        try:
            with transaction.atomic():
                count = model._default_manager.filter(**{name: merged}).update(**{name: survivor})
        except IntegrityError as exc:
            raise ValidationError(
                f"These records cannot be merged yet: both have {model._meta.verbose_name_plural} "
                "that cannot be combined (for example, two applications to the same "
                "opportunity). Resolve those first."
            ) from exc
        if count:
            moved[str(model._meta.verbose_name_plural)] = count
    return moved


def _absorb_profile(survivor: Organisation, merged: Organisation) -> None:
    """Keep the merged record's names as other names and fill the survivor's gaps."""
    names = survivor.other_names_list
    for name in [merged.name, *merged.other_names_list]:
        if name.lower() != survivor.name.lower() and name.lower() not in map(str.lower, names):
            names.append(name)
    survivor.other_names = "\n".join(names)
    for field in ["legal_form", "description", "address_line_1", "town", "postcode", "website"]:
        if not getattr(survivor, field) and getattr(merged, field):
            setattr(survivor, field, getattr(merged, field))
    survivor.save()
    survivor.areas.add(*merged.areas.all())
    survivor.beneficiary_groups.add(*merged.beneficiary_groups.all())


def _close_candidates(
    survivor: Organisation,
    merged: Organisation,
    candidate: DuplicateCandidate | None,
    actor: Any,
    reason: str,
) -> None:
    pair = DuplicateCandidate.objects.filter(
        Q(first=survivor, second=merged) | Q(first=merged, second=survivor)
    )
    pair.update(
        status=CandidateStatus.MERGED, decided_at=timezone.now(), decided_by=actor, reason=reason
    )
    if candidate is not None:
        candidate.refresh_from_db()
    DuplicateCandidate.objects.open().filter(Q(first=merged) | Q(second=merged)).delete()
