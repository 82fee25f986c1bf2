"""Reads about organisations: the register, search, profiles, the directory and the queue."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.expressions import CombinedExpression
from django.http import Http404

from thrive.accounts.models import Invitation, Membership, User
from thrive.core import policy
from thrive.core.prepared import PreparedRead
from thrive.organisations import extensions
from thrive.organisations.models import (
    CharityRegisterCheck,
    DuplicateCandidate,
    Identifier,
    JoinRequest,
    JoinRequestStatus,
    Organisation,
    RegisterStatus,
    Service,
)


@dataclass
class RegisterFilters:
    """The register's search and filters, as chosen on the page or in the API."""

    q: str = ""
    legal_form: str = ""
    size_band: str = ""
    area: int | None = None
    beneficiary_group: int | None = None
    outcome: int | None = None
    funded: str = ""  # "yes", "no" or ""
    third_sector: str = ""
    funded_by_others: str = ""  # "yes", "no" or "": grants from other funders (imported)
    funder: str = ""  # an imported funder's org-id
    charity_register: str = ""  # "yes", "no" or one of REGISTER_FLAGS: flagged by the check

    def as_query(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


def search_document() -> CombinedExpression:
    """The words of an organisation's name and other names, as PostgreSQL indexes them.

    The register's GIN index (migration ``0006``) is on exactly this expression, so a
    search reads the index instead of making a document for every organisation.
    """
    return SearchVector("name", config="english") + SearchVector("other_names", config="english")


def search(organisations: QuerySet[Organisation], text: str) -> QuerySet[Organisation]:
    """Match names, other names and identifiers: full-text on PostgreSQL, contains elsewhere.

    Each way of matching reads an index of its own (the full-text document, trigrams of the
    name, the identifiers in capitals) and their union is the organisations found: no join
    multiplies them.
    """
    text = (text or "").strip()[:200]
    if not text:
        return organisations
    identified = Identifier.objects.filter(Q(org_id__iexact=text) | Q(value__iexact=text))
    by_name = Organisation.objects.filter(name__icontains=text).order_by().values("pk")
    if connection.vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config="english")
        by_words = Organisation.objects.annotate(document=search_document()).filter(document=query)
    else:
        by_words = Organisation.objects.filter(other_names__icontains=text)
    by_words = by_words.order_by()
    found = by_words.values("pk").union(by_name, identified.order_by().values("organisation_id"))
    # The ids are read first: given the list, the planner knows how few they are and reads
    # them by id, instead of walking the whole register in name order looking for them.
    return organisations.filter(pk__any_of=[row["pk"] for row in found.order_by()])


# What the charity register check flags, as the register's filter, page, export and API say it
REGISTER_FLAGS = {
    "removed": "Removed from the charity register",
    "not_found": "Not on the charity register",
    "name_differs": "Name differs on the charity register",
}
FLAGGED_CHECKS = {
    "removed": Q(status=RegisterStatus.REMOVED),
    "not_found": Q(status=RegisterStatus.NOT_FOUND),
    "name_differs": Q(name_differs=True),
}


def with_register_flags(organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Annotate what the latest charity register check flags, in the same query."""
    checks = CharityRegisterCheck.objects.filter(organisation=OuterRef("pk")).order_by(
        "charity_number"
    )
    return organisations.annotate(
        register_removed=Exists(checks.filter(FLAGGED_CHECKS["removed"])),
        register_not_found=Exists(checks.filter(FLAGGED_CHECKS["not_found"])),
        register_other_name=Subquery(
            checks.filter(FLAGGED_CHECKS["name_differs"]).values("register_name")[:1]
        ),
    )


def register_flags(organisation: Organisation) -> list[dict[str, str]]:
    """Each reason the charity register check flags the (annotated) organisation, in words."""
    return flags_of(
        removed=getattr(organisation, "register_removed", False),
        not_found=getattr(organisation, "register_not_found", False),
        other_name=getattr(organisation, "register_other_name", None),
    )


def flags_of(*, removed: bool, not_found: bool, other_name: str | None) -> list[dict[str, str]]:
    """Each reason the charity register check flags, from what ``with_register_flags`` adds."""
    found = {"removed": removed, "not_found": not_found, "name_differs": other_name is not None}
    flags = []
    for reason, label in REGISTER_FLAGS.items():
        if found[reason]:
            detail = f"registered as {other_name}" if reason == "name_differs" else ""
            message = f"{label}: {detail}" if detail else label
            flags.append({"reason": reason, "label": label, "detail": detail, "message": message})
    return flags


def _flagged_by_register(choice: str) -> Q:
    checks = CharityRegisterCheck.objects.filter(organisation=OuterRef("pk"))
    if choice in FLAGGED_CHECKS:
        return Q(Exists(checks.filter(FLAGGED_CHECKS[choice])))
    flagged = Exists(checks.filter(Q(*FLAGGED_CHECKS.values(), _connector=Q.OR)))
    return Q(flagged) if choice == "yes" else ~Q(flagged)


def organisations_for_user(
    *, user: Any, filters: RegisterFilters | None = None
) -> QuerySet[Organisation]:
    """The organisations the user may list, filtered, with what the list shows.

    Staff of any council see the whole (shared) register; "funded" means funded by the
    user's own council. Provider users see only their own organisations. Higher apps add
    their columns and filters (funded, funded by others) through ``extensions``.
    """
    filters = filters or RegisterFilters()
    organisations = Organisation.objects.active()
    for part in extensions.register_parts:
        organisations = part.annotate(organisations, user=user)
    if not policy.is_staff_user(user):
        organisations = organisations.filter(memberships__user=user)
    organisations = search(organisations, filters.q)
    simple = {
        "legal_form": filters.legal_form,
        "size_band": filters.size_band,
        "areas": filters.area,
        "beneficiary_groups": filters.beneficiary_group,
        "services__outcomes": filters.outcome,
        "third_sector_outcome": filters.third_sector,
    }
    for lookup, value in simple.items():
        if value:
            organisations = organisations.filter(
                pk__in=Organisation.objects.filter(**{lookup: value}).values("pk")
            )
    for part in extensions.register_parts:
        organisations = part.narrow(organisations, filters=filters)
    if filters.charity_register in ("yes", "no", *REGISTER_FLAGS):
        organisations = organisations.filter(_flagged_by_register(filters.charity_register))
    organisations = with_register_flags(organisations)
    return organisations.prefetch_related("identifiers").order_by("name", "pk")


def register_page(
    organisations: QuerySet[Organisation], *, user: User, start: int, stop: int
) -> list[Organisation]:
    """Rows ``start`` to ``stop`` of the register, their columns worked out for them alone.

    Listing the whole register with its columns would have the planner prepare each
    column for every organisation (a council's million awards hashed to say "funded" of 25).
    """
    ids = organisations.values("pk")[start:stop]
    return list(_with_columns(Organisation.objects.filter(pk__in=Subquery(ids)), user=user))


def _with_columns(rows: QuerySet[Organisation], *, user: User) -> QuerySet[Organisation]:
    """The register's columns and identifiers for these rows alone, in the register's order."""
    for part in extensions.register_parts:
        rows = part.annotate(rows, user=user)
    return with_register_flags(rows).prefetch_related("identifiers").order_by("name", "pk")


def funder_known(*, user: User, funder_org_id: str) -> bool:
    """Whether an imported grant the user may read, to an organisation, is from this funder."""
    return extensions.funder_known(user=user, funder_org_id=funder_org_id)


def get_organisation(*, pk: int) -> Organisation:
    """One organisation (merged ones too, so their links can redirect), or 404."""
    organisation = (
        Organisation.objects.select_related("merged_into", "third_sector_recorded_by")
        .annotate(
            has_merged_records=Exists(Organisation.objects.filter(merged_into=OuterRef("pk")))
        )
        .filter(pk=pk)
        .first()
    )
    if organisation is None:
        raise Http404("No such organisation")
    return organisation


def profile(*, organisation: Organisation, user: User) -> dict[str, Any]:
    """Everything the organisation's page shows, as this user may see it (§3.2).

    Funding, other funders' grants and applications come from the apps that hold them,
    through ``extensions.profile_parts``.
    """
    prefetch_related_objects(
        [organisation],
        "identifiers",
        "areas",
        "beneficiary_groups",
        "incomes",
        "contacts",
        Prefetch("services", queryset=Service.objects.prefetch_related("outcomes")),
    )
    context: dict[str, Any] = {"organisation": organisation}
    for part in extensions.profile_parts:
        context.update(part(organisation=organisation, user=user, context=context))
    context["merged_records"] = (
        list(organisation.merged_records.values_list("name", flat=True))
        if getattr(organisation, "has_merged_records", True)
        else []
    )
    context["open_duplicates"] = (
        list(
            DuplicateCandidate.objects.open()
            .filter(Q(first=organisation) | Q(second=organisation))
            .select_related("first", "second")
        )
        if policy.can(user, "organisations.duplicates.review")
        else []
    )
    return context


def comparison(*, organisations: list[Organisation], user: User) -> list[dict[str, Any]]:
    """What the duplicate review shows of each record: identifiers and ``comparison_parts``."""
    prefetch_related_objects(organisations, "identifiers")
    sides = []
    for organisation in organisations:
        context: dict[str, Any] = {"organisation": organisation}
        for part in extensions.comparison_parts:
            context.update(part(organisation=organisation, user=user, context=context))
        sides.append(context)
    return sides


def members_and_invitations(*, organisation: Organisation) -> dict[str, Any]:
    """The organisation's members, its pending invitations and requests to join."""
    return {
        "memberships": list(
            Membership.objects.filter(organisation=organisation)
            .select_related("user")
            .order_by("-is_admin", "user__first_name", "user__last_name")
        ),
        "invitations": list(
            Invitation.objects.pending()
            .filter(organisation=organisation)
            .select_related("invited_by")
        ),
        "join_requests": list(
            JoinRequest.objects.filter(
                organisation=organisation, status=JoinRequestStatus.PENDING
            ).select_related("user")
        ),
    }


def other_active_admins(*, membership: Membership) -> QuerySet[Membership]:
    """The organisation's admins other than this one whose accounts are open."""
    return Membership.objects.filter(
        organisation_id=membership.organisation_id, is_admin=True, user__is_active=True
    ).exclude(pk=membership.pk)


def duplicate_queue() -> QuerySet[DuplicateCandidate]:
    """Open candidate pairs, most similar first."""
    return (
        DuplicateCandidate.objects.open()
        .select_related("first", "second")
        .prefetch_related("first__identifiers", "second__identifiers")
        .order_by("-score", "created_at")
    )


def directory(*, filters: RegisterFilters) -> QuerySet[Organisation]:
    """Organisations that chose to be listed in the public directory (§1.6)."""
    organisations = search(Organisation.objects.in_directory(), filters.q)
    if filters.area:
        organisations = organisations.filter(
            pk__in=Organisation.objects.filter(areas=filters.area).values("pk")
        )
    if filters.beneficiary_group:
        organisations = organisations.filter(
            pk__in=Organisation.objects.filter(beneficiary_groups=filters.beneficiary_group).values(
                "pk"
            )
        )
    if filters.outcome:
        organisations = organisations.filter(
            pk__in=Organisation.objects.filter(services__outcomes=filters.outcome).values("pk")
        )
    return organisations.prefetch_related("areas", "services").order_by("name", "pk")


def find_for_joining(*, text: str) -> list[Organisation]:
    """Registered organisations whose name or number matches, for a person asking to join."""
    text = (text or "").strip()
    if len(text) < 3:
        return []
    return list(search(Organisation.objects.active(), text).order_by("name")[:20])


def _member_emails(*, organisation_id: int) -> QuerySet:
    return (
        Membership.objects.filter(organisation_id=organisation_id, user__is_active=True)
        .exclude(user__email="")
        .order_by()
        .values_list("user__email", flat=True)
    )


# Every receipt and decision email reads them: compiled once per connection (``core.prepared``).
_MEMBER_EMAILS = PreparedRead(_member_emails, organisation_id=int)


def organisation_emails(organisation: Organisation) -> list[str]:
    """Where to write to an organisation: its members, else its own address."""
    emails = sorted(set(_MEMBER_EMAILS(organisation_id=organisation.pk)))
    if not emails and organisation.email:
        emails = [organisation.email]
    return emails
