"""How the organisation API shows a register row, a profile, its funding and its test."""

from __future__ import annotations

from typing import Any

from thrive.organisations import selectors, services
from thrive.organisations.models import (
    Organisation,
)


def summary(org: Organisation) -> dict[str, Any]:
    return {
        "id": org.pk,
        "name": org.name,
        "other_names": org.other_names_list,
        "legal_form": org.legal_form,
        "size_band": org.size_band,
        "postcode": org.postcode,
        "identifiers": [i.org_id for i in org.identifiers.all()],
        "third_sector_outcome": org.third_sector_outcome,
        "funded_by_your_council": bool(getattr(org, "funded", False)),
        "funded_by_others": bool(getattr(org, "funded_by_others", False)),
        "charity_register_flags": [
            {"reason": flag["reason"], "message": flag["message"]}
            for flag in selectors.register_flags(org)
        ],
    }


def funding(summary: Any) -> dict[str, Any]:
    return {
        "scope": summary.scope,
        "count": summary.count,
        "total_pence": summary.total_pence,
        "by_council": [_total(r["council__name"], r) for r in summary.by_council],
        "by_year": [_total(str(r["year"]), r) for r in summary.by_year],
        "by_directorate": [
            _total(f"{r['council__name']}: {r['directorate__name']}", r)
            for r in summary.by_directorate
        ],
        "by_method": [_total(r["label"], r) for r in summary.by_kind],
        "awards": [
            {
                "id": a.pk,
                "title": a.title,
                "council": a.council.name,
                "directorate": a.directorate.name,
                "kind": a.kind,
                "amount_pence": a.amount_pence,
                "start_date": a.start_date,
                "end_date": a.end_date,
                "status": a.status,
            }
            for a in summary.awards
        ],
    }


def _total(label: str, row: dict[str, Any]) -> dict[str, Any]:
    return {"label": label, "count": row["count"], "total_pence": row["total_pence"] or 0}


def _person(user: Any) -> str:
    return (user.get_full_name() or str(user)) if user is not None else ""


def third_sector(org: Organisation) -> dict[str, Any]:
    return {
        "outcome": org.third_sector_outcome,
        **{
            name: {"answer": getattr(org, name), "evidence": getattr(org, f"{name}_evidence")}
            for name, *_ in services.TEST_QUESTIONS
        },
        "recorded_at": org.third_sector_recorded_at,
        "recorded_by": _person(org.third_sector_recorded_by),
        "review": {
            "status": org.third_sector_review,
            "reason": org.third_sector_review_reason,
            "reviewed_at": org.third_sector_reviewed_at,
            "reviewed_by": _person(org.third_sector_reviewed_by),
        },
    }


def detail(org: Organisation, user: Any) -> dict[str, Any]:
    context = selectors.profile(organisation=org, user=user)
    org = context["organisation"]
    funded = context["funding"].funded_by_own_council
    # as the list has it: funded by others and flagged by the charity register check
    listed = selectors.organisations_for_user(user=user).filter(pk=org.pk).first()
    return {
        **summary(listed or org),
        "funded_by_your_council": funded,
        "third_sector_test": third_sector(org),
        "description": org.description,
        "address_line_1": org.address_line_1,
        "address_line_2": org.address_line_2,
        "town": org.town,
        "website": org.website,
        "email": org.email,
        "areas": [a.name for a in org.areas.all()],
        "beneficiary_groups": [g.name for g in org.beneficiary_groups.all()],
        "services": [
            {
                "name": s.name,
                "description": s.description,
                "outcomes": [o.title for o in s.outcomes.all()],
            }
            for s in org.services.all()
        ],
        "latest_income_pence": org.latest_income_pence,
        "latest_income_year": org.latest_income_year,
        "source": org.source,
        "directory_opt_in": org.directory_opt_in,
        "created_at": org.created_at,
        "funding": funding(context["funding"]),
    }
