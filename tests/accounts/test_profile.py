"""The profile page: details, email address, time zone, email preferences, password."""

from __future__ import annotations

import pytest

from credgroup.extensions import db
from tests.accounts.helpers import emails_to, page_text

PASSWORD = "correct horse battery"


@pytest.fixture
def member(factory):
    return factory.member(email="dana@supplier.example", name="Dana Credit")


@pytest.fixture
def signed_in(browser, member):
    assert browser.login("dana@supplier.example").status_code == 302
    return browser


def details(**changes) -> dict:
    data = {
        "name": "Dana Credit",
        "email": "dana@supplier.example",
        "current_password": "",
        "timezone": "America/New_York",
        "meeting_reminders": "y",
        "digest": "daily",
        "trends_digest": "y",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def save(browser, **changes):
    return browser.post_form("/profile", details(**changes))


def change_password(browser, current=PASSWORD, new="another long passphrase", confirm=None):
    return browser.post_form(
        "/profile",
        {"pw-current_password": current, "pw-password": new, "pw-confirm": confirm or new},
        action="/profile/password",
    )


def test_profile_needs_sign_in(client):
    response = client.get("/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_profile_page_shows_current_values_with_autocomplete(signed_in):
    html = page_text(signed_in.get("/profile"))
    assert 'value="Dana Credit"' in html and 'value="dana@supplier.example"' in html
    assert '<option selected value="America/New_York">' in html
    assert 'autocomplete="email"' in html and 'autocomplete="current-password"' in html
    assert 'autocomplete="new-password"' in html


def test_member_changes_name_timezone_and_email_preferences(signed_in, member):
    response = save(
        signed_in,
        name="Dana  K. Credit",
        timezone="Europe/Paris",
        meeting_reminders=None,
        digest="weekly",
    )
    assert response.status_code == 302
    db.session.refresh(member)
    assert member.name == "Dana K. Credit"
    assert member.timezone == "Europe/Paris"
    assert member.notification_prefs == {
        "meeting_reminders": False,
        "digest": "weekly",
        "trends_digest": True,
    }
    assert "Your profile has been saved." in page_text(signed_in.get("/profile"))


def test_member_turns_the_weekly_trends_email_off_and_on(signed_in, member):
    html = page_text(signed_in.get("/profile"))
    assert "Email me the weekly trends of my groups" in html
    assert save(signed_in, trends_digest=None).status_code == 302  # box left unticked
    db.session.refresh(member)
    assert member.notification_prefs["trends_digest"] is False
    assert 'name="trends_digest" type="checkbox" value="y">' in page_text(signed_in.get("/profile"))
    assert save(signed_in).status_code == 302
    db.session.refresh(member)
    assert member.notification_prefs["trends_digest"] is True
    assert 'checked id="trends_digest"' in page_text(signed_in.get("/profile"))


def test_the_trends_box_starts_unticked_for_someone_who_chose_no_email(signed_in, member):
    member.notification_prefs = {"meeting_reminders": True, "digest": "off"}
    db.session.commit()
    html = page_text(signed_in.get("/profile"))
    assert 'checked id="trends_digest"' not in html


def test_staff_get_no_trends_box_and_saving_keeps_their_preference(browser, factory):
    staff = factory.facilitator(email="fay@association.example")
    assert browser.login("fay@association.example").status_code == 302
    assert "weekly trends" not in page_text(browser.get("/profile"))
    response = browser.post_form(
        "/profile",
        details(name="Fay Staff", email="fay@association.example", trends_digest=None),
    )
    assert response.status_code == 302
    db.session.refresh(staff)
    assert "trends_digest" not in staff.notification_prefs


def test_changing_email_needs_the_current_password(signed_in, member):
    response = save(signed_in, email="dana.new@supplier.example")
    assert response.status_code == 422
    html = page_text(response)
    assert "Enter your current password to change your email address." in html
    assert 'value="dana.new@supplier.example"' in html  # typed input kept
    db.session.refresh(member)
    assert member.email == "dana@supplier.example"


def test_email_change_is_normalised_and_the_old_address_is_told(signed_in, member):
    response = save(signed_in, email=" Dana.New@Supplier.EXAMPLE", current_password=PASSWORD)
    assert response.status_code == 302
    db.session.refresh(member)
    assert member.email == "dana.new@supplier.example"
    (notice,) = emails_to("dana@supplier.example")
    assert "dana.new@supplier.example" in notice.body_text
    signed_in.logout()
    assert signed_in.login("dana.new@supplier.example").status_code == 302


def test_email_already_used_by_someone_else_is_refused(signed_in, factory, member):
    factory.member(email="erin@supplier.example")
    response = save(signed_in, email="erin@supplier.example", current_password=PASSWORD)
    assert response.status_code == 409
    html = page_text(response)
    assert "already exists" in html and 'value="erin@supplier.example"' in html
    db.session.refresh(member)
    assert member.email == "dana@supplier.example"
    assert emails_to("dana@supplier.example") == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "x" * 121}, "at most 120 characters"),
        ({"name": "   "}, "Enter your name."),
        ({"email": "not-an-email"}, "not a valid email address"),
        ({"email": "a" * 250 + "@example.com"}, "at most 254 characters"),
        ({"timezone": "Mars/Olympus_Mons"}, "Not a valid choice"),
        ({"digest": "hourly"}, "Not a valid choice"),
    ],
)
def test_bad_profile_input_is_explained_and_kept(signed_in, member, changes, message):
    response = save(signed_in, **changes)
    assert response.status_code == 422
    html = page_text(response)
    assert message in html and 'class="error-summary"' in html
    db.session.refresh(member)
    assert member.name == "Dana Credit" and member.timezone == "America/New_York"


def test_password_change_keeps_this_session_and_ends_the_others(signed_in, make_browser, member):
    other = make_browser()
    other.login("dana@supplier.example")
    version = member.session_version
    response = change_password(signed_in)
    assert response.status_code == 302
    assert signed_in.get("/profile").status_code == 200
    assert other.get("/profile").status_code == 302
    db.session.refresh(member)
    assert member.session_version == version + 1
    signed_in.logout()
    assert signed_in.login("dana@supplier.example", "another long passphrase").status_code == 302


def test_password_change_keeps_remember_me_working(browser, member):
    browser.post_form(
        "/login", {"email": "dana@supplier.example", "password": PASSWORD, "remember": "y"}
    )
    assert change_password(browser).status_code == 302
    # Drop the session cookie: the re-issued remember cookie alone must sign us in.
    browser.client.delete_cookie("credgroup_session")
    assert browser.get("/profile").status_code == 200


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("wrong password", "another long passphrase", None, "current password is not correct"),
        (PASSWORD, "short", None, "at least 10 characters"),
        (PASSWORD, "another long passphrase", "something else", "do not match"),
        ("", "another long passphrase", None, "Enter your current password."),
    ],
)
def test_bad_password_change_is_explained(signed_in, member, current, new, confirm, message):
    old_hash = member.password_hash
    response = change_password(signed_in, current, new, confirm)
    assert response.status_code == 422
    assert message in page_text(response)
    db.session.refresh(member)
    assert member.password_hash == old_hash
    assert signed_in.get("/profile").status_code == 200


def test_profile_and_password_forms_do_not_share_field_ids(signed_in):
    html = page_text(signed_in.get("/profile"))
    assert html.count('id="current_password"') == 1
    assert html.count('id="pw-current_password"') == 1
