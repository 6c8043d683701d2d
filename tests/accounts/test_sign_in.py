"""Signing in and out: generic failures, CSRF, safe redirects, remember-me, rehashing."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from credgroup.accounts.passwords import verify_password
from credgroup.accounts.services import authenticate
from credgroup.errors import ValidationError
from credgroup.extensions import db
from tests.accounts.helpers import page_text, without_csrf

PASSWORD = "correct horse battery"


@pytest.fixture
def member(factory):
    return factory.member(email="dana@supplier.example", name="Dana Credit")


def test_member_signs_in_and_lands_on_home_page(browser, member):
    response = browser.login("dana@supplier.example")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Welcome, Dana Credit" in page_text(browser.get("/"))
    db.session.refresh(member)
    assert member.last_login_at is not None


def test_email_is_matched_ignoring_case_and_spaces(browser, member):
    response = browser.login("  Dana@Supplier.EXAMPLE ")
    assert response.status_code == 302


def test_unknown_email_and_wrong_password_get_the_same_page(browser, member):
    unknown = browser.login("nobody@supplier.example", PASSWORD)
    wrong = browser.login("dana@supplier.example", "wrong password!")
    assert unknown.status_code == wrong.status_code == 422
    assert "Email or password is incorrect." in page_text(wrong)
    # Only the email typed differs; swap it and the pages must be byte-identical.
    assert without_csrf(page_text(unknown)).replace(
        "nobody@supplier.example", "dana@supplier.example"
    ) == without_csrf(page_text(wrong))


def test_failed_sign_in_keeps_the_email_but_not_the_password(browser, member):
    html = page_text(browser.login("dana@supplier.example", "wrong password!"))
    assert 'value="dana@supplier.example"' in html
    assert "wrong password!" not in html


def test_deactivated_account_gets_the_generic_message(browser, factory):
    factory.member(email="gone@supplier.example", active=False)
    response = browser.login("gone@supplier.example")
    assert response.status_code == 422
    assert "Email or password is incorrect." in page_text(response)
    assert browser.get("/profile").status_code == 302


def test_account_without_password_cannot_sign_in(factory):
    user = factory.member(email="new@supplier.example")
    user.password_hash = None
    db.session.commit()
    with pytest.raises(ValidationError, match="Email or password is incorrect"):
        authenticate("new@supplier.example", "", "10.0.0.1")


def test_login_without_csrf_token_is_refused(client, member):
    response = client.post("/login", data={"email": "dana@supplier.example", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/profile").status_code == 302


def test_logout_is_post_only_and_ends_the_session(browser, member):
    browser.login("dana@supplier.example")
    assert browser.get("/logout").status_code == 405
    assert browser.get("/profile").status_code == 200
    response = browser.logout()
    assert response.status_code == 302
    assert browser.get("/profile").status_code == 302


def test_logout_without_csrf_token_is_refused(browser, client, member):
    browser.login("dana@supplier.example")
    assert client.post("/logout").status_code == 400
    assert browser.get("/profile").status_code == 200


def test_signed_out_visitor_is_sent_to_login_and_back(browser, member):
    response = browser.get("/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    login_page = page_text(browser.get(response.headers["Location"]))
    assert 'name="next" type="hidden" value="/profile"' in login_page
    response = browser.post_form(
        "/login?next=/profile",
        {"email": "dana@supplier.example", "password": PASSWORD, "next": "/profile"},
    )
    assert response.headers["Location"] == "/profile"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/profile\r\nSet-Cookie: x=1",
        "http:/evil.example",
        "",
    ],
)
def test_next_redirect_never_leaves_the_site(browser, member, target):
    response = browser.post_form(
        "/login", {"email": "dana@supplier.example", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_redirect_keeps_a_query_string(browser, member):
    response = browser.post_form(
        "/login",
        {"email": "dana@supplier.example", "password": PASSWORD, "next": "/profile?tab=1"},
    )
    assert response.headers["Location"] == "/profile?tab=1"


def test_signed_in_person_visiting_login_goes_home(browser, member):
    browser.login("dana@supplier.example")
    response = browser.get("/login")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_without_remember_me_the_session_cookie_ends_with_the_browser(browser, member):
    response = browser.login("dana@supplier.example")
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("credgroup_session="))
    assert "Expires" not in session_cookie
    assert not any(c.startswith("remember_token=") for c in cookies)


def test_remember_me_sets_a_lasting_httponly_cookie(browser, member):
    response = browser.post_form(
        "/login", {"email": "dana@supplier.example", "password": PASSWORD, "remember": "y"}
    )
    cookies = response.headers.getlist("Set-Cookie")
    remember = next(c for c in cookies if c.startswith("remember_token="))
    assert "HttpOnly" in remember and "SameSite=Lax" in remember
    session_cookie = next(c for c in cookies if c.startswith("credgroup_session="))
    assert "Expires" in session_cookie


def test_outdated_password_hash_is_upgraded_at_sign_in(factory):
    old_hash = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1).hash(PASSWORD)
    user = factory.member(email="old@supplier.example")
    user.password_hash = old_hash
    db.session.commit()
    authenticate("old@supplier.example", PASSWORD, "10.0.0.1")
    db.session.commit()
    db.session.refresh(user)
    assert user.password_hash != old_hash
    assert verify_password(user.password_hash, PASSWORD)


def test_login_form_has_labels_and_autocomplete(client):
    html = page_text(client.get("/login"))
    assert '<label for="email">' in html and '<label for="password">' in html
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html


def test_over_long_email_is_rejected_with_a_message(browser):
    response = browser.login("a" * 300 + "@supplier.example")
    assert response.status_code == 422
    assert "at most 254 characters" in page_text(response)


def test_signing_out_also_forgets_remember_me(browser, member):
    browser.post_form(
        "/login", {"email": "dana@supplier.example", "password": PASSWORD, "remember": "y"}
    )
    response = browser.logout()
    assert any(c.startswith("remember_token=;") for c in response.headers.getlist("Set-Cookie"))
    browser.client.delete_cookie("credgroup_session")
    assert browser.get("/profile").status_code == 302


def test_remember_me_alone_keeps_a_person_signed_in(browser, member):
    browser.post_form(
        "/login", {"email": "dana@supplier.example", "password": PASSWORD, "remember": "y"}
    )
    browser.client.delete_cookie("credgroup_session")  # as when the browser restarts
    assert browser.get("/profile").status_code == 200
