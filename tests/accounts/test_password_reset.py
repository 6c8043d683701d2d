"""Password reset: same answer for every address, single-use expiring links, sessions end."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from credgroup.accounts.models import PasswordResetToken
from credgroup.accounts.services import request_password_reset
from credgroup.db import utcnow
from credgroup.extensions import db
from tests.accounts.helpers import emails_to, in_request, link_in, page_text, without_csrf
from tests.fixtures.app import csrf_token_from

NEW_PASSWORD = "a fresh new passphrase"


@pytest.fixture
def app_config():
    return {"LOGIN_MAX_FAILURES_PER_ACCOUNT": 3}


@pytest.fixture
def member(factory):
    return factory.member(email="dana@supplier.example", name="Dana Credit")


def ask_for_reset(browser, email: str):
    return browser.post_form("/password/forgot", {"email": email})


def reset_link(email: str = "dana@supplier.example") -> str:
    return link_in(emails_to(email)[-1], "/password/reset/")


def choose(browser, link: str, password: str = NEW_PASSWORD):
    return browser.post_form(link, {"password": password, "confirm": password})


def test_known_and_unknown_addresses_get_the_same_answer(browser, make_browser, member):
    known = ask_for_reset(browser, "dana@supplier.example")
    unknown = ask_for_reset(make_browser(), "nobody@supplier.example")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"] == "/login"
    known_page = page_text(browser.get("/login"))
    assert "If an account exists for that address" in known_page
    assert len(emails_to("dana@supplier.example")) == 1
    assert emails_to("nobody@supplier.example") == []


def test_forgot_page_pages_are_identical_for_known_and_unknown(browser, make_browser, member):
    other = make_browser()
    ask_for_reset(browser, "dana@supplier.example")
    ask_for_reset(other, "nobody@supplier.example")
    assert without_csrf(page_text(browser.get("/login"))) == without_csrf(
        page_text(other.get("/login"))
    )


def test_deactivated_account_gets_no_reset_email(browser, factory):
    factory.member(email="gone@supplier.example", active=False)
    assert ask_for_reset(browser, "gone@supplier.example").status_code == 302
    assert emails_to("gone@supplier.example") == []


def test_invalid_address_gets_a_field_error_and_keeps_input(browser):
    response = ask_for_reset(browser, "not an email")
    assert response.status_code == 422
    html = page_text(response)
    assert 'value="not an email"' in html and "not a valid email address" in html


def test_reset_end_to_end_changes_password_and_signs_in(browser, member):
    ask_for_reset(browser, "Dana@Supplier.example")
    link = reset_link()
    assert link.startswith("/password/reset/")
    page = page_text(browser.get(link))
    assert 'autocomplete="new-password"' in page
    response = choose(browser, link)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert browser.get("/profile").status_code == 200
    browser.logout()
    assert browser.login("dana@supplier.example").status_code == 422
    assert browser.login("dana@supplier.example", NEW_PASSWORD).status_code == 302


def test_reset_link_works_only_once(browser, make_browser, member):
    ask_for_reset(browser, "dana@supplier.example")
    link = reset_link()
    assert choose(browser, link).status_code == 302
    response = make_browser().get(link)
    assert response.status_code == 410
    assert "already been used" in page_text(response)


def test_reset_link_expires(browser, member):
    ask_for_reset(browser, "dana@supplier.example")
    db.session.execute(
        sa.update(PasswordResetToken).values(expires_at=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()
    response = browser.get(reset_link())
    assert response.status_code == 410
    assert "expired" in page_text(response)


def test_reset_link_lifetime_comes_from_config(app, member):
    in_request(request_password_reset, "dana@supplier.example")
    token = db.session.scalars(sa.select(PasswordResetToken)).one()
    lifetime = token.expires_at - utcnow()
    minutes = app.config["PASSWORD_RESET_TTL_MINUTES"]
    assert timedelta(minutes=minutes - 1) < lifetime <= timedelta(minutes=minutes)


def test_unknown_reset_token_is_a_404_page(browser):
    response = browser.get("/password/reset/nonsense")
    assert response.status_code == 404
    assert "not valid" in page_text(response)


def test_resetting_ends_every_other_session(browser, make_browser, member):
    elsewhere = make_browser()
    elsewhere.login("dana@supplier.example")
    assert elsewhere.get("/profile").status_code == 200
    ask_for_reset(browser, "dana@supplier.example")
    choose(browser, reset_link())
    assert elsewhere.get("/profile").status_code == 302
    assert browser.get("/profile").status_code == 200


def test_using_one_link_voids_the_other_outstanding_links(browser, member):
    ask_for_reset(browser, "dana@supplier.example")
    first = reset_link()
    ask_for_reset(browser, "dana@supplier.example")
    second = reset_link()
    assert first != second
    assert choose(browser, second).status_code == 302
    assert browser.get(first).status_code == 410


def test_new_password_is_validated_and_link_stays_usable(browser, member):
    ask_for_reset(browser, "dana@supplier.example")
    link = reset_link()
    response = browser.post_form(link, {"password": "short", "confirm": "short"})
    assert response.status_code == 422
    assert "at least 10 characters" in page_text(response)
    response = browser.post_form(link, {"password": "x" * 300, "confirm": "x" * 300})
    assert response.status_code == 422
    assert "at most 256 characters" in page_text(response)
    assert choose(browser, link).status_code == 302


def test_reset_requests_are_throttled_per_address(browser, make_browser, member):
    for _ in range(3):
        assert ask_for_reset(make_browser(), "dana@supplier.example").status_code == 302
    response = ask_for_reset(browser, "dana@supplier.example")
    assert response.status_code == 429
    assert "Too many attempts" in page_text(response)
    assert len(emails_to("dana@supplier.example")) == 3


def test_reset_throttle_is_the_same_for_unknown_addresses(browser):
    for _ in range(3):
        ask_for_reset(browser, "nobody@supplier.example")
    assert ask_for_reset(browser, "nobody@supplier.example").status_code == 429


def test_resetting_lifts_the_sign_in_throttle(browser, member):
    for _ in range(3):
        browser.login("dana@supplier.example", "wrong guess")
    assert browser.login("dana@supplier.example").status_code == 429
    ask_for_reset(browser, "dana@supplier.example")
    choose(browser, reset_link())
    browser.logout()
    assert browser.login("dana@supplier.example", NEW_PASSWORD).status_code == 302


def test_reset_email_link_uses_base_url_not_the_request_host(app, browser, member):
    app.config["BASE_URL"] = "https://credit.example.org"
    forged = {"Host": "evil.example"}
    page = browser.client.get("/password/forgot", headers=forged)
    response = browser.client.post(
        "/password/forgot",
        data={"email": "dana@supplier.example", "csrf_token": csrf_token_from(page_text(page))},
        headers=forged,
    )
    assert response.status_code == 302
    body = emails_to("dana@supplier.example")[0].body_text
    assert "https://credit.example.org/password/reset/" in body
    assert "evil.example" not in body
