"""GET /api/v1/reports/investment: staff who read reports only, documented errors."""

from __future__ import annotations

from datetime import date

import pytest

from thrive.accounts import services as account_services
from thrive.accounts.models import Role
from thrive.accounts.tests.factories import CouncilFactory, MembershipFactory, staff_with_role
from thrive.awards.tests.factories import AwardFactory, DirectorateFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/investment"


@pytest.fixture
def council():
    council = CouncilFactory(name="Westshire County Council", slug="westshire")
    adults = DirectorateFactory(council=council, code="adults", name="Adult Social Care")
    AwardFactory(council=council, directorate=adults, amount_pence=700_000,
                 start_date=date(2025, 4, 1), end_date=date(2028, 3, 31),
                 years={2025: 300_000, 2026: 200_000, 2027: 200_000})  # fmt: skip
    AwardFactory(council=council, directorate=adults, amount_pence=300_000,
                 start_date=date(2024, 4, 1), end_date=date(2025, 3, 31))  # fmt: skip
    return council


def _bearer(user) -> dict[str, str]:
    _, secret = account_services.create_api_token(user=user, name="Reports")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_finance_officer_reads_totals_for_a_year(client, council) -> None:
    user = staff_with_role(Role.FINANCE_OFFICER, council=council)
    body = client.get(f"{URL}?year=2025", **_bearer(user)).json()
    assert body["total_pence"] == 300_000  # the three-year award's 2025/26 part only
    assert body["long_term_pence"] == 300_000
    tables = {t["key"]: t for t in body["tables"]}
    assert tables["directorate"]["rows"] == [
        {"label": "Adult Social Care", "amount_pence": 300_000, "awards": 1, "share": 1.0}
    ]
    # the series runs up to the chosen year, never past it
    assert [(r["label"], r["amount_pence"]) for r in tables["year"]["rows"]] == [
        ("2024/25", 300_000),
        ("2025/26", 300_000),
    ]


def test_anonymous_gets_401_and_providers_403(client, council) -> None:
    assert client.get(URL).status_code == 401
    provider = MembershipFactory(is_admin=True).user
    response = client.get(URL, **_bearer(provider))
    assert response.status_code == 403
    assert response.json()["code"]


def test_bad_year_or_directorate_is_422(client, council) -> None:
    user = staff_with_role(Role.STRATEGY_GROUP, council=council)
    headers = _bearer(user)
    assert client.get(f"{URL}?year=1800", **headers).status_code == 422
    assert client.get(f"{URL}?year=abc", **headers).status_code == 422
    other = DirectorateFactory(council=CouncilFactory(name="Eastvale"), code="x")
    response = client.get(f"{URL}?directorate={other.pk}", **headers)
    assert response.status_code == 422
    assert "directorate" in response.json()["errors"]


def test_the_endpoint_documents_its_errors(client) -> None:
    spec = client.get("/api/openapi.json").json()
    responses = spec["paths"][URL]["get"]["responses"]
    assert {"200", "401", "403", "404", "422"} <= set(responses)
