"""Only a valid, unrevoked bearer token of an active person opens the API."""

from __future__ import annotations

import pytest

from credgroup.accounts.models import ApiToken
from credgroup.accounts.services import revoke_api_token
from credgroup.db import utcnow
from credgroup.extensions import db
from tests.api.conftest import assert_error


def test_request_without_authorization_header_is_401_with_bearer_challenge(client):
    response = client.get("/api/v1/me")
    assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="credgroup"'


@pytest.mark.parametrize(
    "header",
    [
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer ",
        "Token cg_abc",
        "Bearer two words",
        "Bearer " + "x" * 5000,
    ],
)
def test_malformed_authorization_header_is_401(client, header):
    response = client.get("/api/v1/me", headers={"Authorization": header})
    assert_error(response, 401, "unauthorized")
    assert "invalid_token" in response.headers["WWW-Authenticate"]


def test_unknown_token_is_401(client, org):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer cg_not-a-real-token"})
    assert_error(response, 401, "unauthorized")
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_scheme_name_is_case_insensitive(api, org):
    client = api(org.member_a)
    response = client.client.get("/api/v1/me", headers={"Authorization": f"bearer {client.token}"})
    assert response.status_code == 200


def test_revoked_token_stops_working_at_once(api, org):
    client = api(org.member_a)
    assert client.get("/api/v1/me").status_code == 200
    token = db.session.scalars(db.select(ApiToken).order_by(ApiToken.id)).first()
    revoke_api_token(org.member_a, token.public_id)
    db.session.commit()
    assert_error(client.get("/api/v1/me"), 401, "unauthorized")


def test_token_of_deactivated_person_is_401(api, org):
    client = api(org.member_a)
    org.member_a.active = False
    db.session.commit()
    assert_error(client.get("/api/v1/me"), 401, "unauthorized")


def test_using_a_token_records_when_it_was_last_used(api, org):
    client = api(org.member_a)
    before = utcnow()
    client.get("/api/v1/me")
    db.session.expire_all()
    token = db.session.scalars(db.select(ApiToken)).one()
    assert token.last_used_at is not None and token.last_used_at >= before.replace(microsecond=0)


def test_signed_in_session_cookie_alone_does_not_open_the_api(client, org):
    # A real browser session: the home page shows the member's group...
    with client.session_transaction() as session:
        session["_user_id"] = org.member_a.get_id()
        session["_fresh"] = True
    assert b"Alpha Credit Group" in client.get("/").data
    # ...but the API, which is exempt from CSRF, must not accept it.
    response = client.get("/api/v1/me")
    assert_error(response, 401, "unauthorized")
    assert "Set-Cookie" not in response.headers


def test_signed_in_browser_cannot_use_the_api_without_a_token(browser, org):
    assert browser.login("ann@acme.example").status_code == 302
    assert_error(browser.get("/api/v1/groups"), 401, "unauthorized")


def test_openapi_document_needs_no_token(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json()["openapi"].startswith("3.")
