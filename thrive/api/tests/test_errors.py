"""Bad input gets a structured 4xx the document declares, never a 500 (issue 14, finding 9)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from thrive.accounts import services as account_services
from thrive.accounts.models import Role
from thrive.accounts.tests.factories import MembershipFactory, staff_with_role
from thrive.applications.models import ApplicationStatus, Submission
from thrive.applications.tests.factories import CompleteApplicationFactory
from thrive.core.api.types import BIGINT_MAX
from thrive.organisations.models import Organisation
from thrive.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

HUGE = 2**64


def _bearer(user: Any) -> dict[str, str]:
    _, secret = account_services.create_api_token(user=user, name="t")
    return {"Authorization": f"Bearer {secret}"}


def _document() -> dict[str, Any]:
    return Client().get("/api/openapi.json").json()


def test_a_huge_number_in_a_new_organisation_is_a_422_and_nothing_is_registered() -> None:
    headers = _bearer(staff_with_role(Role.COMMISSIONER))
    before = Organisation.objects.count()
    response = Client().post(
        "/api/v1/organisations",
        {"name": "Big Numbers Trust", "legal_form": "cio", "areas": [HUGE]},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert "areas.0" in body["errors"]
    assert Organisation.objects.count() == before


def test_a_huge_number_in_an_organisation_change_is_a_422_and_nothing_changes() -> None:
    membership = MembershipFactory(is_admin=True)
    organisation = membership.organisation
    response = Client().patch(
        f"/api/v1/organisations/{organisation.pk}",
        {"name": "Renamed", "beneficiary_groups": [HUGE]},
        content_type="application/json",
        headers=_bearer(membership.user),
    )
    assert response.status_code == 422
    assert "beneficiary_groups.0" in response.json()["errors"]
    organisation.refresh_from_db()
    assert organisation.name != "Renamed"


def test_a_huge_organisation_id_in_the_address_is_a_422() -> None:
    headers = _bearer(staff_with_role(Role.COMMISSIONER))
    response = Client().get(f"/api/v1/organisations/{HUGE}", headers=headers)
    assert response.status_code == 422
    assert "organisation_id" in response.json()["errors"]


def test_an_award_year_past_the_calendar_is_a_422_naming_the_year() -> None:
    headers = _bearer(staff_with_role(Role.COMMISSIONER))
    response = Client().get("/api/v1/awards?year=1201455196", headers=headers)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["year"]


def test_the_document_gives_numbers_the_range_the_database_holds() -> None:
    paths = _document()["paths"]
    awards = paths["/api/v1/awards"]["get"]["parameters"]
    year = next(p for p in awards if p["name"] == "year")
    assert {"type": "integer", "minimum": 1, "maximum": 9998}.items() <= (
        year["schema"]["anyOf"][0].items()
    )
    org = paths["/api/v1/organisations/{organisation_id}"]["get"]["parameters"][0]
    assert org["schema"]["maximum"] == BIGINT_MAX
    assert org["schema"]["minimum"] == 1


def test_an_address_under_the_api_that_names_no_operation_is_a_json_404() -> None:
    headers = _bearer(staff_with_role(Role.COMMISSIONER))
    for response in (
        Client().get("/api/v1/organisations/not-a-number", headers=headers),
        Client().patch("/api/v1/organisations/1,2", {}, content_type="application/json"),
        Client().post("/api/v1/no-such-thing"),
    ):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["code"] == "not_found"


def test_a_number_the_database_cannot_hold_is_a_422_wherever_it_comes_from(monkeypatch) -> None:
    from thrive.organisations import selectors

    def overflow(**kwargs: Any) -> None:
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr(selectors, "get_organisation", overflow)
    headers = _bearer(staff_with_role(Role.COMMISSIONER))
    response = Client().get("/api/v1/organisations/7", headers=headers)
    assert response.status_code == 422
    assert response.json()["message"] == "A value in the request is out of range."


def test_a_closing_date_at_the_end_of_the_calendar_is_a_422() -> None:
    response = Client().get("/api/v1/opportunities?closes_before=9999-12-31")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def _submit(application: Any, key: str, headers: dict[str, str]) -> Any:
    return Client().post(
        f"/api/v1/applications/{application.pk}/submit",
        {"idempotency_key": key, "declaration": True},
        content_type="application/json",
        headers=headers,
    )


def test_a_submission_key_used_for_another_application_is_a_409_and_submits_nothing() -> None:
    first = CompleteApplicationFactory()
    second = CompleteApplicationFactory(organisation=first.organisation)
    headers = _bearer(MembershipFactory(organisation=first.organisation).user)
    assert _submit(first, "shared-key", headers).status_code == 200
    response = _submit(second, "shared-key", headers)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict"
    assert "already used for another application" in body["errors"]["idempotency_key"][0]
    second.refresh_from_db()
    assert second.status == ApplicationStatus.DRAFT
    assert not Submission.objects.filter(application=second).exists()


def test_a_submission_key_used_for_another_application_shows_the_error_on_the_page() -> None:
    first = CompleteApplicationFactory()
    second = CompleteApplicationFactory(organisation=first.organisation)
    client = Client()
    client.force_login(MembershipFactory(organisation=first.organisation).user)
    data = {"idempotency_key": "shared-key", "declaration": "on"}
    assert client.post(f"/applications/{first.pk}/check/", data).status_code == 302
    response = client.post(f"/applications/{second.pk}/check/", data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "govuk-error-summary" in text
    assert "already used for another application" in text
    second.refresh_from_db()
    assert second.status == ApplicationStatus.DRAFT


def test_every_operation_declares_the_errors_the_api_answers_with() -> None:
    paths = _document()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert "404" in codes, (method, path)
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in codes, (method, path)
            assert "405" in codes, (method, path)
            assert "Allow" in operation["responses"]["405"]["headers"], (method, path)
            if operation.get("security"):
                assert {"401", "403"} <= codes, (method, path)
            for code, response in operation["responses"].items():
                if code.startswith("4"):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (path, code)


def test_a_body_over_the_size_cap_is_a_413_every_change_declares(settings) -> None:
    headers = _bearer(staff_with_role(Role.COMMISSIONER))
    body = '{"name": "%s"}' % ("x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    response = Client().post(
        "/api/v1/organisations", body, content_type="application/json", headers=headers
    )
    assert response.status_code == 413
    assert response.json()["message"] == "The request must be smaller than 2.5MB"
    assert not Organisation.objects.exists()
    for path, operations in _document()["paths"].items():
        for method, operation in operations.items():
            if method in ("post", "put", "patch", "delete"):
                assert "413" in operation["responses"], (method, path)


def test_the_submission_declares_its_conflict() -> None:
    submit = _document()["paths"]["/api/v1/applications/{application_id}/submit"]["post"]
    assert "409" in submit["responses"]


def test_an_organisation_is_still_found_by_its_id() -> None:
    organisation = OrganisationFactory()
    headers = _bearer(staff_with_role(Role.COMMISSIONER))
    response = Client().get(f"/api/v1/organisations/{organisation.pk}", headers=headers)
    assert response.status_code == 200


def test_every_schema_in_the_document_has_its_own_name() -> None:
    """Two schemas of one name share one entry in the document: one endpoint's is wrong."""
    from ninja import Schema

    import thrive.api.api  # noqa: F401 - every router's schemas

    def subclasses(cls: type) -> list[type]:
        found = []
        for sub in cls.__subclasses__():
            found += [sub, *subclasses(sub)]
        return found

    modules: dict[str, set[str]] = {}
    for cls in subclasses(Schema):
        if cls.__module__.startswith("thrive."):
            modules.setdefault(cls.__name__, set()).add(cls.__module__)
    assert {name: found for name, found in modules.items() if len(found) > 1} == {}


def test_an_award_is_described_by_its_own_schema() -> None:
    award = _document()["paths"]["/api/v1/awards/{reference}"]["get"]["responses"]["200"]
    ref = award["content"]["application/json"]["schema"]["$ref"]
    schema = _document()["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert {"reference", "accepted_name", "instalments"} <= set(schema["properties"])


# --- errors made before an operation runs: method, body, CSRF, token ------------------------


def test_a_method_an_address_does_not_take_is_a_json_405_naming_the_allowed_ones() -> None:
    headers = _bearer(staff_with_role(Role.COMMISSIONER))
    before = Organisation.objects.count()
    for response in (
        Client().put("/api/v1/organisations", {}, content_type="application/json", headers=headers),
        Client().delete("/api/v1/me", headers=headers),
        Client().delete("/api/v1/intentions"),
    ):
        assert response.status_code == 405
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert body["code"] == "method_not_allowed"
        assert body["errors"] == {}
    assert response["Allow"] == "GET"
    assert response.json()["message"] == "This address answers GET only."
    listing = Client().put("/api/v1/organisations", headers=headers)
    assert listing["Allow"] == "GET, POST"
    assert listing.json()["message"] == "This address answers GET and POST only."
    assert Organisation.objects.count() == before


def test_head_is_a_405_with_the_allow_header() -> None:
    response = Client().head("/api/v1/opportunities")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response["Content-Type"] == "application/json"


def test_every_address_answers_its_undeclared_methods_with_a_json_405() -> None:
    document = _document()
    for path, operations in document["paths"].items():
        declared = {m.upper() for m in operations}
        for method in {"GET", "POST", "PUT", "PATCH", "DELETE"} - declared:
            response = Client().generic(method, _concrete(path))
            assert response.status_code == 405, (method, path)
            assert set(response["Allow"].split(", ")) == declared, (method, path)
            assert response.json()["code"] == "method_not_allowed"


def _concrete(path: str) -> str:
    """The document's path with each parameter filled in with a value its route accepts."""
    import re

    return re.sub(r"\{[^}]*_(id|pk)\}", "1", re.sub(r"\{(reference|section_key)\}", "x", path))


def test_a_body_that_is_not_json_is_a_400_saying_so_and_nothing_is_registered() -> None:
    headers = _bearer(staff_with_role(Role.COMMISSIONER))
    broken = Client().post(
        "/api/v1/organisations", "{name: ", content_type="application/json", headers=headers
    )
    assert broken.status_code == 400
    assert broken.json() == {
        "code": "invalid",
        "message": "The request body is not valid JSON.",
        "errors": {"__all__": ["The request body is not valid JSON."]},
    }
    form = Client().post(
        "/api/v1/organisations",
        "name=Form+Trust",
        content_type="application/x-www-form-urlencoded",
        headers=headers,
    )
    assert form.status_code == 400
    assert form.json()["code"] == "invalid"
    assert form.json()["message"] == (
        "Send the request body as JSON, with the header Content-Type: application/json "
        "(this request's was application/x-www-form-urlencoded)."
    )
    assert not Organisation.objects.exists()


def test_a_session_change_without_the_csrf_token_is_a_403_saying_what_to_send() -> None:
    membership = MembershipFactory(is_admin=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(membership.user)
    response = client.patch(
        f"/api/v1/organisations/{membership.organisation_id}",
        {"name": "Renamed"},
        content_type="application/json",
    )
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "csrf_failed"
    assert "X-CSRFToken" in body["message"]
    membership.organisation.refresh_from_db()
    assert membership.organisation.name != "Renamed"
    # Reading needs no token; a change without any credentials is a 401, not a CSRF failure.
    assert client.get("/api/v1/me").status_code == 200
    anonymous = Client(enforce_csrf_checks=True).post(
        "/api/v1/organisations", {}, content_type="application/json"
    )
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "unauthenticated"


def test_a_session_change_with_the_csrf_token_goes_through() -> None:
    membership = MembershipFactory(is_admin=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(membership.user)
    client.get("/api/v1/me")
    token = "a" * 32
    client.cookies["csrftoken"] = token
    response = client.patch(
        f"/api/v1/organisations/{membership.organisation_id}",
        {"name": "Renamed"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/me",
        "/api/v1/intentions",
        "/api/v1/opportunities",
        "/api/v1/opendata/360giving.json",
    ],
)
def test_a_token_that_is_not_valid_is_a_401_even_where_none_is_needed(path: str) -> None:
    user = staff_with_role(Role.COMMISSIONER)
    token, secret = account_services.create_api_token(user=user, name="t")
    account_services.revoke_api_token(token=token)
    for header in (f"Bearer {secret}", "Bearer thr_nope", "Bearer "):
        response = Client().get(path, headers={"Authorization": header})
        assert response.status_code == 401, (path, header)
        assert response.json()["code"] == "invalid_token"
        assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert Client().get(path).status_code == (401 if path == "/api/v1/me" else 200)
    operation = _document()["paths"][path]["get"]
    assert "WWW-Authenticate" in operation["responses"]["401"]["headers"]


def test_the_public_intentions_declare_only_what_they_can_answer() -> None:
    paths = _document()["paths"]
    listing = paths["/api/v1/intentions"]["get"]["responses"]
    one = paths["/api/v1/intentions/{reference}"]["get"]["responses"]
    assert set(listing) == {"200", "401", "404", "405", "422"}
    assert set(one) == {"200", "401", "404", "405", "422"}


def test_the_document_declares_retry_after_and_the_open_data_etags() -> None:
    paths = _document()["paths"]
    limited = paths["/api/v1/applications/{application_id}/submit"]["post"]["responses"]["429"]
    assert limited["headers"]["Retry-After"]["schema"]["type"] == "integer"
    feed = paths["/api/v1/opendata/360giving.json"]["get"]["responses"]
    assert "ETag" in feed["200"]["headers"]
    assert "ETag" in feed["304"]["headers"]
