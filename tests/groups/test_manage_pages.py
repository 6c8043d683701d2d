"""Facilitators' pages: settings and statements, member companies, people and invitations."""

from __future__ import annotations

import sqlalchemy as sa

from credgroup.accounts.models import Invitation, Role, User
from credgroup.audit.models import AuditEvent
from credgroup.extensions import db
from credgroup.groups.models import CreditGroup, GroupMembership
from credgroup.notify.models import OutboxEmail
from tests.groups.conftest import text

SETTINGS = "/g/alpha/manage/settings"
COMPANIES = "/g/alpha/manage/companies"
PEOPLE = "/g/alpha/manage/people"


def settings_form(group: CreditGroup, **changes) -> dict:
    data = {
        "name": group.name,
        "industry": group.industry,
        "description": group.description,
        "timezone": group.timezone,
        "anonymity_threshold": str(group.anonymity_threshold),
        "customer_naming": group.customer_naming.value,
        "antitrust_statement": group.antitrust_statement,
        "antidefamation_statement": group.antidefamation_statement,
        "confidentiality_statement": group.confidentiality_statement,
    }
    data.update(changes)
    return data


def reload(group: CreditGroup) -> CreditGroup:
    db.session.expire_all()
    return db.session.get(CreditGroup, group.id)


# --- settings -------------------------------------------------------------------------------


def test_facilitator_edits_settings_and_statements(org, signed_in):
    browser = signed_in(org.facilitator_a)
    data = settings_form(
        org.alpha,
        name="Alpha Materials Group",
        timezone="America/Chicago",
        anonymity_threshold="6",
        customer_naming="not_named",
        confidentiality_statement="Nothing leaves the credit department.",
    )
    response = browser.post_form(SETTINGS, data)
    assert response.status_code == 302
    group = reload(org.alpha)
    assert group.name == "Alpha Materials Group"
    assert group.timezone == "America/Chicago"
    assert group.anonymity_threshold == 6
    assert group.customer_naming.value == "not_named"
    assert group.confidentiality_statement == "Nothing leaves the credit department."
    assert "Nothing leaves the credit department." in text(browser.get("/g/alpha/"))


def test_settings_form_shows_current_values(org, signed_in):
    html = text(signed_in(org.facilitator_a).get(SETTINGS))
    assert 'value="Alpha Building Materials"' in html
    assert '<option selected value="America/New_York">' in html
    assert '<option selected value="industry_only">' in html
    assert 'aria-current="page">Settings and statements' in html


def test_threshold_two_is_refused_with_input_kept_and_nothing_saved(org, signed_in):
    browser = signed_in(org.facilitator_a)
    data = settings_form(org.alpha, name="Renamed Meanwhile", anonymity_threshold="2")
    response = browser.post_form(SETTINGS, data)
    html = text(response)
    assert response.status_code == 422
    assert "error-summary" in html
    assert 'value="Renamed Meanwhile"' in html  # typed input kept
    group = reload(org.alpha)
    assert group.name == "Alpha Building Materials"
    assert group.anonymity_threshold == 5


def test_over_long_and_bad_values_are_refused(org, signed_in):
    browser = signed_in(org.facilitator_a)
    for changes in (
        {"name": "n" * 201},
        {"name": ""},
        {"timezone": "Mars/Olympus"},
        {"customer_naming": "everyone"},
        {"anonymity_threshold": "many"},
        {"anonymity_threshold": "51"},
        {"antitrust_statement": "x" * 10_001},
    ):
        response = browser.post_form(SETTINGS, settings_form(org.alpha, **changes))
        assert response.status_code == 422, changes
    assert reload(org.alpha).name == "Alpha Building Materials"


def test_settings_post_without_csrf_token_is_refused(org, signed_in):
    browser = signed_in(org.facilitator_a)
    response = browser.client.post(SETTINGS, data=settings_form(org.alpha, name="No token"))
    assert response.status_code == 400
    assert reload(org.alpha).name == "Alpha Building Materials"


def test_settings_change_is_audited(org, signed_in):
    browser = signed_in(org.facilitator_a)
    browser.post_form(SETTINGS, settings_form(org.alpha, industry="Lumber"))
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "group.updated"))
    assert event.actor_id == org.facilitator_a.id
    assert event.details["fields"] == ["industry"]


# --- member companies -----------------------------------------------------------------------


def test_facilitator_adds_an_existing_company(org, signed_in):
    browser = signed_in(org.facilitator_a)
    page = text(browser.get(COMPANIES))
    assert f'<option value="{org.bolt.id}">Bolt Foods</option>' in page
    assert f'<option value="{org.acme.id}">' not in page  # already in the group
    response = browser.post_form(COMPANIES, {"company": str(org.bolt.id)})
    assert response.status_code == 302
    # Bob's company now has a seat: he sees the group on his next request.
    assert signed_in(org.member_b).get("/g/alpha/").status_code == 200


def test_adding_an_unlisted_or_unknown_company_is_refused(org, signed_in):
    browser = signed_in(org.facilitator_a)
    for value in (str(org.acme.id), "999999", "not-a-number", ""):
        response = browser.post_form(COMPANIES, {"company": value})
        assert response.status_code == 422, value
    seats = db.session.scalar(sa.select(sa.func.count()).select_from(GroupMembership))
    assert seats == 2


def test_removing_a_company_takes_access_away_on_the_next_request(org, signed_in):
    member = signed_in(org.member_a)
    assert member.get("/g/alpha/").status_code == 200
    facilitator = signed_in(org.facilitator_a)
    page = text(facilitator.get(COMPANIES))
    assert "data-confirm=" in page
    action = f"/g/alpha/manage/companies/{org.acme.id}/remove"
    assert f'action="{action}"' in page
    response = facilitator.post_form(COMPANIES, {}, action=action)
    assert response.status_code == 302
    # Same session, very next request: gone.
    assert member.get("/g/alpha/").status_code == 404
    assert "Alpha Building Materials" not in text(member.get("/"))


def test_removing_a_company_that_is_not_in_the_group_is_404(org, signed_in):
    facilitator = signed_in(org.facilitator_a)
    for company_id in (org.bolt.id, 999999):
        action = f"/g/alpha/manage/companies/{company_id}/remove"
        assert facilitator.post_form(COMPANIES, {}, action=action).status_code == 404


def test_remove_requires_post(org, signed_in):
    response = signed_in(org.facilitator_a).get(f"/g/alpha/manage/companies/{org.acme.id}/remove")
    assert response.status_code == 405


# --- people ---------------------------------------------------------------------------------


def test_people_page_lists_the_groups_people_only(org, signed_in):
    html = text(signed_in(org.facilitator_a).get(PEOPLE))
    assert "Ann Acme" in html and "ann@acme.example" in html and "Acme Supply" in html
    assert "Never" in html  # last sign-in of someone who never signed in
    assert "Bob Bolt" not in html
    # Only the group's companies can be chosen for an invitation.
    assert f'<option value="{org.acme.id}">Acme Supply</option>' in html
    assert "Bolt Foods" not in html


def test_facilitator_invites_a_member_of_a_group_company(org, signed_in):
    browser = signed_in(org.facilitator_a)
    data = {"email": "carl@acme.example", "name": "Carl", "company": str(org.acme.id)}
    response = browser.post_form(PEOPLE, data)
    assert response.status_code == 302, text(response)
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.email == "carl@acme.example")
    )
    assert invitation.role is Role.MEMBER
    assert invitation.company_id == org.acme.id and invitation.group_id == org.alpha.id
    assert db.session.scalar(
        sa.select(OutboxEmail).where(OutboxEmail.to_addr == "carl@acme.example")
    )
    assert "carl@acme.example" in text(browser.get(PEOPLE))  # listed as pending


def test_invitation_to_a_company_outside_the_group_is_refused(org, signed_in):
    browser = signed_in(org.facilitator_a)
    data = {"email": "eve@bolt.example", "name": "Eve", "company": str(org.bolt.id)}
    response = browser.post_form(PEOPLE, data)
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


def test_bad_invitation_input_is_refused_with_input_kept(org, signed_in):
    browser = signed_in(org.facilitator_a)
    for email, name in (
        ("not-an-email", "Carl"),
        ("c@acme.example", ""),
        ("x" * 250 + "@a.io", "C"),
    ):
        data = {"email": email, "name": name, "company": str(org.acme.id)}
        response = browser.post_form(PEOPLE, data)
        assert response.status_code == 422, email
        assert "error-summary" in text(response)
    response = browser.post_form(
        PEOPLE, {"email": "ann@acme.example", "name": "Ann again", "company": str(org.acme.id)}
    )
    assert 400 <= response.status_code < 500  # an existing account
    assert 'value="Ann again"' in text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


def test_facilitator_withdraws_a_pending_invitation(org, signed_in):
    browser = signed_in(org.facilitator_a)
    data = {"email": "carl@acme.example", "name": "Carl", "company": str(org.acme.id)}
    browser.post_form(PEOPLE, data)
    invitation = db.session.scalar(sa.select(Invitation))
    action = f"/g/alpha/manage/invitations/{invitation.public_id}/revoke"
    assert f'action="{action}"' in text(browser.get(PEOPLE))
    assert browser.post_form(PEOPLE, {}, action=action).status_code == 302
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).revoked_at is not None
    # Another group's facilitator cannot reach it, not even through their own group.
    other = signed_in(org.facilitator_b)
    stolen = f"/g/beta/manage/invitations/{invitation.public_id}/revoke"
    assert other.post_form("/g/beta/manage/people", {}, action=stolen).status_code == 404


def test_facilitator_deactivates_and_reactivates_a_member(org, signed_in):
    member = signed_in(org.member_a)
    facilitator = signed_in(org.facilitator_a)
    base = f"/g/alpha/manage/people/{org.member_a.public_id}"
    assert facilitator.post_form(PEOPLE, {}, action=f"{base}/deactivate").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, org.member_a.id).active is False
    assert "Deactivated" in text(facilitator.get(PEOPLE))
    # Their session ends at once.
    assert member.get("/g/alpha/").status_code == 302
    assert facilitator.post_form(PEOPLE, {}, action=f"{base}/reactivate").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, org.member_a.id).active is True


def test_people_of_other_groups_cannot_be_deactivated_through_this_group(org, signed_in):
    facilitator = signed_in(org.facilitator_a)
    action = f"/g/alpha/manage/people/{org.member_b.public_id}/deactivate"
    assert facilitator.post_form(PEOPLE, {}, action=action).status_code == 404
    db.session.expire_all()
    assert db.session.get(User, org.member_b.id).active is True
