"""Each funder of a consolidated return reads only its own awards' spend and progress (§4.3)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from thrive.accounts import services as account_services
from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.awards.tests.factories import AwardFactory, DirectorateFactory
from thrive.monitoring import services
from thrive.monitoring.tests.factories import AwardTargetFactory
from thrive.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

LEAD_SPEND, OTHER_SPEND = 7_777_00, 1_234_00


@pytest.fixture
def consolidated():
    organisation = OrganisationFactory()
    adults = AwardFactory(organisation=organisation, amount_pence=40_000_00)
    council = adults.council
    children = DirectorateFactory(council=council, code="children", name="Children's Services")
    kids = AwardFactory(
        organisation=organisation, council=council, directorate=children, amount_pence=15_000_00
    )
    lead_target = AwardTargetFactory(award=adults, description="Adults helped to stay at home")
    kids_target = AwardTargetFactory(award=kids, description="Young carers supported")
    for award in (adults, kids):
        services.create_plan_for_award(award=award)
    lead = services.appoint_lead_funder(
        council=council, organisation=organisation, directorate=adults.directorate, actor=None
    )
    item = lead.plan.returns.order_by("period_start").first()
    services.save_return(
        monitoring_return=item,
        actor=None,
        spends={adults.pk: LEAD_SPEND, kids.pk: OTHER_SPEND},
        progress={lead_target.pk: (Decimal("41"), ""), kids_target.pk: (Decimal("12"), "")},
        volunteers_count=3,
        volunteer_hours=Decimal("40"),
        case_studies="A story.",
        narrative="A steady quarter.",
    )
    other = staff_with_role(Role.COMMISSIONER, council=council)
    other.role_assignments.update(directorate=children)
    lead_officer = staff_with_role(Role.COMMISSIONER, council=council)
    lead_officer.role_assignments.update(directorate=adults.directorate)
    return item, other, lead_officer


def _bearer(user) -> dict[str, str]:
    _token, raw = account_services.create_api_token(user=user, name="Test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_another_funder_reads_only_its_own_spend_from_the_api(client, consolidated) -> None:
    item, other, _lead = consolidated
    body = client.get(f"/api/v1/monitoring/returns/{item.pk}", **_bearer(other)).json()
    assert body["spend_pence"] == OTHER_SPEND
    assert [p["spend_pence"] for p in body["parts"]] == [OTHER_SPEND]
    assert [r["description"] for p in body["parts"] for r in p["progress"]] == [
        "Young carers supported"
    ]
    listed = client.get("/api/v1/monitoring/returns", **_bearer(other)).json()["results"]
    assert [r["spend_pence"] for r in listed if r["id"] == item.pk] == [OTHER_SPEND]


def test_the_lead_funder_reads_the_whole_spend_from_the_api(client, consolidated) -> None:
    item, _other, lead = consolidated
    body = client.get(f"/api/v1/monitoring/returns/{item.pk}", **_bearer(lead)).json()
    assert body["spend_pence"] == LEAD_SPEND + OTHER_SPEND
    assert sorted(p["spend_pence"] for p in body["parts"]) == [OTHER_SPEND, LEAD_SPEND]


def _exported_spend(client, user, item) -> list[str]:
    client.force_login(user)
    response = client.get(reverse("monitoring:returns_export") + "?format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    return [r["Spend (pence)"] for r in rows if r["Return"] == str(item.pk)]


def test_another_funder_exports_only_its_own_spend(client, consolidated) -> None:
    item, other, lead = consolidated
    assert _exported_spend(client, other, item) == [str(OTHER_SPEND)]
    assert _exported_spend(client, lead, item) == [str(LEAD_SPEND + OTHER_SPEND)]


def test_another_funder_sees_only_its_own_lines_on_the_return_page(client, consolidated) -> None:
    item, other, lead = consolidated
    client.force_login(other)
    page = client.get(reverse("monitoring:return", args=[item.pk])).content.decode()
    assert "£1,234.00" in page and "Young carers supported" in page
    assert "£7,777.00" not in page and "£9,011.00" not in page
    assert "Adults helped to stay at home" not in page
    client.force_login(lead)
    page = client.get(reverse("monitoring:return", args=[item.pk])).content.decode()
    assert "£7,777.00" in page and "£1,234.00" in page
