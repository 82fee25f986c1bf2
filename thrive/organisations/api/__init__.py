"""API for the organisation register: search, profiles with the funding summary, changes."""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.urls import reverse
from ninja import Query, Router, Status

from thrive.core import policy
from thrive.core.api.errors import ERRORS_READ, ERRORS_WRITE, ApiError
from thrive.core.api.types import Id, Page, PageSize
from thrive.core.models import Area, BeneficiaryGroup
from thrive.organisations import selectors, services
from thrive.organisations.api.output import detail, summary, third_sector
from thrive.organisations.api.schemas import (
    DuplicatePageOut,
    ListQuery,
    OrganisationIn,
    OrganisationOut,
    OrganisationPageOut,
    OrganisationPatch,
    ThirdSectorReviewIn,
    ThirdSectorTestIn,
    ThirdSectorTestOut,
)
from thrive.organisations.models import (
    LegalForm,
    Organisation,
    RecordSource,
    TestAnswer,
    TestReview,
)
from thrive.organisations.services.third_sector import review_third_sector_test

router = Router(tags=["organisations"])


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _page(queryset: Any, page: int, page_size: int) -> tuple[int, int, int, list[Any]]:
    page_size = max(1, min(page_size, 100))
    count = queryset.count()
    pages = max(1, math.ceil(count / page_size))
    page = max(1, min(page, pages))
    start = (page - 1) * page_size
    return count, page, pages, list(queryset[start : start + page_size])


@router.get(
    "/organisations",
    response={200: OrganisationPageOut, **ERRORS_READ},
    summary="Search the organisation register",
)
def list_organisations(request: HttpRequest, filters: Query[ListQuery]) -> dict[str, Any]:
    """Staff search the whole register; provider users get their own organisations.

    `funded` means funded by the caller's own council. `funded_by_others` and `funder` read
    the other funders' grants imported from 360Giving files, which are the same for every
    council. A `funder` that made none of the imported grants the caller may read (to any
    organisation on the register for staff, to their own organisations for provider users)
    is a 422 naming the field.
    """
    policy.require(request.auth, "account.view")
    funder = filters.funder.strip()
    if funder and not selectors.funder_known(user=request.auth, funder_org_id=funder):
        message = f"No imported grant you may read is from the funder {funder}."
        raise ApiError(422, "invalid", message, {"funder": [message]})
    chosen = selectors.RegisterFilters(
        q=filters.q,
        legal_form=filters.legal_form or "",
        size_band=filters.size_band or "",
        area=filters.area,
        beneficiary_group=filters.beneficiary_group,
        outcome=filters.outcome,
        funded=_yes_no(filters.funded),
        third_sector=filters.third_sector or "",
        funded_by_others=_yes_no(filters.funded_by_others),
        funder=funder,
        charity_register=filters.charity_register or "",
    )
    organisations = selectors.organisations_for_user(user=request.auth, filters=chosen)
    count, page, pages, rows = _page(organisations, filters.page, filters.page_size)
    return {
        "count": count,
        "page": page,
        "pages": pages,
        "page_size": max(1, min(filters.page_size, 100)),
        "results": [summary(org) for org in rows],
    }


@router.get(
    "/organisations/duplicates",
    response={200: DuplicatePageOut, **ERRORS_READ},
    summary="Possible duplicates waiting for review (staff)",
)
def list_duplicates(
    request: HttpRequest, page: Page = 1, page_size: PageSize = 25
) -> dict[str, Any]:
    """Open candidate pairs, most similar first."""
    policy.require(request.auth, "organisations.duplicates.review")
    count, page, pages, rows = _page(selectors.duplicate_queue(), page, page_size)

    def side(org: Organisation) -> dict[str, Any]:
        ids = [i.org_id for i in org.identifiers.all()]
        return {"id": org.pk, "name": org.name, "postcode": org.postcode, "identifiers": ids}

    return {
        "count": count,
        "page": page,
        "pages": pages,
        "page_size": max(1, min(page_size, 100)),
        "results": [
            {
                "id": c.pk,
                "score": c.score,
                "reasons": c.reasons,
                "created_at": c.created_at,
                "first": side(c.first),
                "second": side(c.second),
            }
            for c in rows
        ],
    }


@router.get(
    "/organisations/{int:organisation_id}",
    response={200: OrganisationOut, 301: None, **ERRORS_READ},
    summary="One organisation, with its funding summary",
)
def get_organisation(request: HttpRequest, organisation_id: Id) -> Any:
    """The profile and the whole picture of funding, as the caller may see it.

    A merged record answers 301 with the surviving record's address.
    """
    org = selectors.get_organisation(pk=organisation_id)
    policy.require(request.auth, "organisations.organisation.view", org)
    if org.merged_into_id:
        return HttpResponsePermanentRedirect(
            reverse("api:get_organisation", args=[org.merged_into_id])
        )
    return detail(org, request.auth)


def _references(areas: list[int] | None, groups: list[int] | None) -> tuple[Any, Any]:
    found_areas = found_groups = None
    if areas is not None:
        found_areas = list(Area.objects.filter(pk__in=areas))
        if len(found_areas) != len(set(areas)):
            raise ValidationError({"areas": "Choose areas from the list"})
    if groups is not None:
        found_groups = list(BeneficiaryGroup.objects.filter(pk__in=groups))
        if len(found_groups) != len(set(groups)):
            raise ValidationError({"beneficiary_groups": "Choose beneficiary groups from the list"})
    return found_areas, found_groups


@router.post(
    "/organisations",
    response={201: OrganisationOut, **ERRORS_WRITE},
    summary="Register an organisation",
)
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> tuple[int, Any]:
    """Staff add a record; a provider user registers their own and becomes its admin, and may
    answer the Third Sector test at once.

    An identifier already on the register is refused (400) naming the organisation holding it.
    """
    user = request.auth
    staff = policy.is_staff_user(user)
    policy.require(user, "organisations.register.create" if staff else "organisations.self_service")
    areas, groups = _references(payload.areas, payload.beneficiary_groups)
    with transaction.atomic():
        org = _register(user, staff, payload, areas, groups)
        if payload.third_sector_test is not None:
            _record_test(org, payload.third_sector_test, user)
    user._memberships = None
    return Status(201, detail(org, user))


def _register(user: Any, staff: bool, payload: OrganisationIn, areas: Any, groups: Any) -> Any:
    return services.register_organisation(
        actor=user,
        source=RecordSource.STAFF if staff else RecordSource.SELF_REGISTERED,
        fields={
            "name": payload.name.strip(),
            "legal_form": payload.legal_form.value,
            "other_names": "\n".join(n.strip() for n in payload.other_names if n.strip()),
            "description": payload.description,
            "postcode": payload.postcode,
            "website": payload.website,
            "email": payload.email,
        },
        org_ids=payload.org_ids,
        areas=areas,
        beneficiary_groups=groups,
        make_actor_admin=not staff,
    )


@router.patch(
    "/organisations/{int:organisation_id}",
    response={200: OrganisationOut, **ERRORS_WRITE},
    summary="Update an organisation's profile",
)
def update_organisation(
    request: HttpRequest, organisation_id: Id, payload: OrganisationPatch
) -> Any:
    """Organisation admins and register editors change the profile; legal form is audited."""
    org = selectors.get_organisation(pk=organisation_id)
    policy.require(request.auth, "organisations.organisation.edit", org)
    data = payload.dict(exclude_unset=True)
    areas, groups = _references(data.pop("areas", None), data.pop("beneficiary_groups", None))
    if "other_names" in data:
        data["other_names"] = "\n".join(n.strip() for n in data["other_names"] or [] if n.strip())
    if data.get("legal_form") is not None:
        data["legal_form"] = LegalForm(data["legal_form"]).value
    changes = {k: ("" if v is None and k != "directory_opt_in" else v) for k, v in data.items()}
    changes = {k: v for k, v in changes.items() if v is not None}
    services.update_organisation(
        organisation=org,
        actor=request.auth,
        changes=changes,
        areas=areas,
        beneficiary_groups=groups,
    )
    return detail(org, request.auth)


@router.put(
    "/organisations/{int:organisation_id}/third-sector-test",
    response={200: ThirdSectorTestOut, **ERRORS_WRITE},
    summary="Answer the Third Sector test again",
)
def answer_third_sector_test(
    request: HttpRequest, organisation_id: Id, payload: ThirdSectorTestIn
) -> dict[str, Any]:
    """The organisation's admins record all three answers with evidence; the outcome follows.

    New answers clear the officer's review, which was of the old ones.
    """
    org = selectors.get_organisation(pk=organisation_id)
    policy.require(request.auth, "organisations.organisation.edit", org)
    _record_test(org, payload, request.auth)
    return third_sector(org)


def _record_test(org: Organisation, payload: ThirdSectorTestIn, actor: Any) -> None:
    data = payload.dict()
    questions = [name for name, *_ in services.TEST_QUESTIONS]
    services.record_third_sector_test(
        organisation=org,
        answers={name: TestAnswer(data[name]).value for name in questions},
        evidence={name: data[f"{name}_evidence"] for name in questions},
        actor=actor,
    )


@router.post(
    "/organisations/{int:organisation_id}/third-sector-test/review",
    response={200: ThirdSectorTestOut, **ERRORS_WRITE},
    summary="Confirm or query an organisation's Third Sector test (officers)",
)
def reviewthird_sector(
    request: HttpRequest, organisation_id: Id, payload: ThirdSectorReviewIn
) -> dict[str, Any]:
    """Officers of any council confirm the answers, or query them with a reason."""
    org = selectors.get_organisation(pk=organisation_id)
    policy.require(request.auth, "organisations.third_sector.review", org)
    review_third_sector_test(
        organisation=org,
        actor=request.auth,
        review=TestReview(payload.review).value,
        reason=payload.reason,
    )
    return third_sector(org)
