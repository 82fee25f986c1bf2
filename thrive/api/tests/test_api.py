"""The API skeleton: OpenAPI document, token and session auth, structured errors, /me."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from thrive.accounts import services
from thrive.accounts.models import ApiToken, Role
from thrive.accounts.tests.factories import MembershipFactory, UserFactory, staff_with_role

pytestmark = pytest.mark.django_db


def test_openapi_document_lists_me_with_its_errors(client) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    me = document["paths"]["/api/v1/me"]["get"]
    assert set(me["responses"]) >= {"200", "401", "403"}
    schemes = document["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_api_docs_page_is_served(client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_me_without_credentials_is_a_structured_401(client) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {
        "code": "unauthenticated",
        "message": "Sign in or send a valid API token.",
        "errors": {},
    }


def test_me_with_a_bearer_token(client) -> None:
    user = staff_with_role(Role.COMMISSIONER)
    _, secret = services.create_api_token(user=user, name="Script")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == user.username
    assert body["kind"] == "staff"
    assert body["council"] == user.council.name
    assert body["roles"] == ["commissioner"]
    assert ApiToken.objects.get(user=user).last_used_at is not None


def test_me_with_a_revoked_or_wrong_token_is_refused(client) -> None:
    user = UserFactory()
    token, secret = services.create_api_token(user=user, name="Script")
    services.revoke_api_token(token=token)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer thr_nope").status_code == 401


def test_me_with_the_pages_session_shows_memberships(client) -> None:
    membership = MembershipFactory(is_admin=True)
    client.force_login(membership.user)
    body = client.get("/api/v1/me").json()
    assert body["kind"] == "provider"
    assert body["council"] is None
    assert body["memberships"] == [
        {
            "organisation_id": membership.organisation_id,
            "organisation_name": membership.organisation.name,
            "is_admin": True,
        }
    ]


def test_unknown_api_path_is_a_json_404(client) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404


def test_token_command_creates_lists_and_revokes(capsys) -> None:
    user = UserFactory(username="robot")
    call_command("token", "create", "ROBOT", "--name", "Nightly export")
    secret = capsys.readouterr().out.strip()
    assert services.authenticate_api_token(secret=secret) == user
    call_command("token", "list", "robot")
    listing = capsys.readouterr().out
    assert "active" in listing and "Nightly export" in listing
    call_command("token", "revoke", secret[:12])
    assert services.authenticate_api_token(secret=secret) is None


def test_token_command_names_an_unknown_user() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No user is called 'ghost'"):
        call_command("token", "create", "ghost")
