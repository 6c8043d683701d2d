"""Security headers and error pages that leak nothing."""

import pytest

from credgroup.errors import ValidationError


def test_every_page_carries_strict_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Server" not in response.headers


def test_templates_contain_no_inline_script_or_style(app):
    from pathlib import Path

    root = Path(app.template_folder)
    offenders = []
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8").lower()
        if "<script>" in text or " style=" in text or "<style" in text or " onclick=" in text:
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


@pytest.fixture
def app_with_failing_routes(app):
    @app.get("/_boom")
    def boom():
        raise RuntimeError("secret internal detail /etc/passwd")

    @app.get("/api/v1/_boom")
    def api_boom():
        raise RuntimeError("secret internal detail /etc/passwd")

    @app.get("/_invalid")
    def invalid():
        raise ValidationError("name", "Name is too long.")

    return app


def test_unexpected_errors_are_500_pages_without_internals(app_with_failing_routes):
    client = app_with_failing_routes.test_client()
    for path in ("/_boom", "/api/v1/_boom"):
        response = client.get(path)
        assert response.status_code == 500
        body = response.get_data(as_text=True)
        assert "secret internal detail" not in body and "Traceback" not in body
    assert client.get("/api/v1/_boom").json["error"]["code"] == "internal_error"


def test_domain_errors_become_4xx_with_their_message(app_with_failing_routes):
    response = app_with_failing_routes.test_client().get("/_invalid")
    assert response.status_code == 422
    assert "Name is too long." in response.get_data(as_text=True)


def test_post_without_csrf_token_is_rejected_with_a_clear_400(client):
    response = client.post("/login", data={"email": "a@b.example", "password": "x"})
    assert response.status_code == 400
    assert "did not come from this site" in response.get_data(as_text=True)


def _remote_addr_app(app_config):
    from credgroup import create_app
    from tests.fixtures.app import TEST_PSEUDONYM_KEY, TEST_SECRET

    app = create_app(
        {"SECRET_KEY": TEST_SECRET, "PSEUDONYM_KEY": TEST_PSEUDONYM_KEY,
         "DATABASE_URL": "sqlite://", **app_config}
    )  # fmt: skip

    @app.get("/_addr")
    def addr():
        from flask import request

        return f"{request.remote_addr} {request.scheme}"

    return app.test_client()


def test_forwarded_headers_are_ignored_unless_proxies_are_trusted():
    headers = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    untrusted = _remote_addr_app({}).get("/_addr", headers=headers)
    assert untrusted.get_data(as_text=True) == "127.0.0.1 http"
    trusted = _remote_addr_app({"TRUSTED_PROXIES": 1}).get("/_addr", headers=headers)
    assert trusted.get_data(as_text=True) == "203.0.113.9 https"


def test_nul_characters_are_refused_everywhere_with_a_400(client):
    assert client.get("/g/ab%00/").status_code == 400
    assert client.get("/portals/a%00b").status_code == 400
    assert client.get("/login?next=%00").status_code == 400
    response = client.post("/api/v1/reports", json={"title": "a\x00b"})
    assert response.status_code == 400
    assert response.json["error"]["code"] == "bad_request"
