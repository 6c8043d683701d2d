"""Sign-in throttling: counted in the database, per address and per IP, and never telling
whether an address has an account."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from credgroup import create_app
from credgroup.accounts.models import LoginAttempt
from credgroup.db import utcnow
from credgroup.extensions import db
from tests.accounts.helpers import page_text, without_csrf
from tests.fixtures.app import Browser, base_config

WRONG = "not the password"


@pytest.fixture
def app_config():
    return {"LOGIN_MAX_FAILURES_PER_ACCOUNT": 3, "LOGIN_MAX_FAILURES_PER_IP": 6}


@pytest.fixture
def member(factory):
    return factory.member(email="dana@supplier.example")


def fail(browser: Browser, email: str, times: int) -> None:
    for _ in range(times):
        assert browser.login(email, WRONG).status_code == 422


def test_account_is_throttled_after_too_many_failures(browser, member):
    fail(browser, "dana@supplier.example", 3)
    response = browser.login("dana@supplier.example")  # even the right password
    assert response.status_code == 429
    assert "Too many attempts" in page_text(response)
    assert browser.get("/profile").status_code == 302


def test_throttled_page_is_the_same_for_known_and_unknown_addresses(browser, make_browser, member):
    other = make_browser()
    fail(browser, "dana@supplier.example", 3)
    fail(other, "nobody@supplier.example", 3)
    known = browser.login("dana@supplier.example", WRONG)
    unknown = other.login("nobody@supplier.example", WRONG)
    assert known.status_code == unknown.status_code == 429
    assert without_csrf(page_text(known)).replace("dana@", "X@") == without_csrf(
        page_text(unknown)
    ).replace("nobody@", "X@")


def test_throttling_one_address_leaves_others_alone(browser, factory, member):
    factory.member(email="erin@supplier.example")
    fail(browser, "dana@supplier.example", 3)
    assert browser.login("erin@supplier.example").status_code == 302


def test_counts_ignore_case_of_the_submitted_address(browser, member):
    fail(browser, "DANA@supplier.example", 2)
    fail(browser, " dana@Supplier.Example", 1)
    assert browser.login("dana@supplier.example").status_code == 429


def test_ip_address_is_throttled_across_addresses(browser):
    for n in range(6):
        fail(browser, f"person{n}@supplier.example", 1)
    assert browser.login("someone-else@supplier.example", WRONG).status_code == 429


def test_failures_from_another_app_instance_count_too(browser, database_url, instance_dir, member):
    """Two app instances stand for two worker processes: the count lives in the database."""
    config = {**base_config(database_url, instance_dir), "LOGIN_MAX_FAILURES_PER_ACCOUNT": 3}
    second_app = create_app(config)
    try:
        fail(Browser(second_app.test_client()), "dana@supplier.example", 3)
        assert browser.login("dana@supplier.example").status_code == 429
    finally:
        with second_app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_failures_are_recorded_without_the_address_in_clear(browser, member):
    fail(browser, "dana@supplier.example", 1)
    attempts = db.session.scalars(sa.select(LoginAttempt)).all()
    assert len(attempts) == 1
    assert attempts[0].succeeded is False
    assert "dana" not in attempts[0].account_key and len(attempts[0].account_key) == 64


def test_throttle_lifts_when_the_window_has_passed(browser, member):
    fail(browser, "dana@supplier.example", 3)
    db.session.execute(sa.update(LoginAttempt).values(created_at=utcnow() - timedelta(minutes=16)))
    db.session.commit()
    assert browser.login("dana@supplier.example").status_code == 302


def test_a_successful_sign_in_starts_the_account_count_afresh(browser, member):
    fail(browser, "dana@supplier.example", 2)
    assert browser.login("dana@supplier.example").status_code == 302
    browser.logout()
    fail(browser, "dana@supplier.example", 2)
    assert browser.login("dana@supplier.example").status_code == 302
