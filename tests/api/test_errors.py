"""Every API error is JSON of one shape with a stable code, and leaks nothing internal."""

from __future__ import annotations

import pytest

from credgroup.api import errors, serializers
from credgroup.api.errors import BadRequest, UnsupportedMediaType, json_body
from credgroup.errors import Conflict, PermissionDenied, TooManyRequests, ValidationError
from tests.api.conftest import Org, assert_error


def test_unknown_api_address_is_json_404(client):
    assert_error(client.get("/api/v1/no/such/thing"), 404, "not_found")


def test_unknown_api_address_is_404_even_with_a_token(api, org: Org):
    assert_error(api(org.member_a).get("/api/v1/nothing-here"), 404, "not_found")


def test_wrong_method_is_json_405_with_allow_header(api, org: Org):
    response = api(org.member_a).open("/api/v1/me", "DELETE")
    assert_error(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_post_without_csrf_token_is_not_a_csrf_failure(client):
    # The API is exempt from CSRF (it accepts no cookies), so it answers in its own terms.
    response = client.post("/api/v1/groups", json={})
    assert_error(response, 405, "method_not_allowed")


def test_unexpected_exception_is_500_internal_error_without_details(
    api, org: Org, monkeypatch, caplog
):
    def explode(*args, **kwargs):
        raise RuntimeError("secret internals: /srv/credgroup/db password=hunter2")

    monkeypatch.setattr(serializers, "me", explode)
    response = api(org.member_a).get("/api/v1/me")
    error = assert_error(response, 500, "internal_error")
    text = response.get_data(as_text=True)
    assert "hunter2" not in text and "Traceback" not in text and "RuntimeError" not in text
    assert "Nothing was saved" in error["message"]
    assert "hunter2" in caplog.text  # logged for the operators


@pytest.mark.parametrize(
    ("exception", "status", "code", "field"),
    [
        (ValidationError("name", "Give it a name."), 422, "validation_error", "name"),
        (ValidationError(None, "Something is off."), 422, "validation_error", None),
        (PermissionDenied(), 403, "forbidden", None),
        (Conflict(), 409, "conflict", None),
        (TooManyRequests(), 429, "too_many_requests", None),
        (BadRequest(), 400, "bad_request", None),
        (UnsupportedMediaType(), 415, "unsupported_media_type", None),
    ],
)
def test_domain_errors_in_api_views_become_json_with_stable_codes(
    api, org: Org, monkeypatch, exception, status, code, field
):
    def fail(*args, **kwargs):
        raise exception

    monkeypatch.setattr(serializers, "me", fail)
    error = assert_error(api(org.member_a).get("/api/v1/me"), status, code)
    assert error.get("field") == field
    assert ("field" in error) is (field is not None)


def test_every_documented_status_has_a_stable_code():
    assert errors.CODES[401] == "unauthorized"
    assert errors.CODES[415] == "unsupported_media_type"
    assert errors.CODES[422] == "validation_error"
    assert errors.CODES[500] == "internal_error"
    assert len(set(errors.CODES.values())) == len(errors.CODES)


def test_json_body_refuses_form_posts_with_415(app):
    with (
        app.test_request_context("/api/v1/x", method="POST", data={"a": "1"}),
        pytest.raises(UnsupportedMediaType),
    ):
        json_body()


@pytest.mark.parametrize("payload", ["{not json", "[1, 2]", '"text"'])
def test_json_body_refuses_malformed_or_non_object_json_with_400(app, payload):
    with (
        app.test_request_context(
            "/api/v1/x", method="POST", data=payload, content_type="application/json"
        ),
        pytest.raises(BadRequest),
    ):
        json_body()


def test_json_body_returns_the_object(app):
    with app.test_request_context("/api/v1/x", method="POST", json={"name": "A"}):
        assert json_body() == {"name": "A"}


def test_api_errors_carry_the_security_headers(client):
    response = client.get("/api/v1/me")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
