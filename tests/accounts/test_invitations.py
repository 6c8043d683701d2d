"""Invitations: who may invite whom, the emailed link, accepting, expiry and revocation."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from credgroup.accounts.models import Invitation, Role, User
from credgroup.accounts.services import (
    accept_invitation,
    invite_person,
    pending_invitations,
    revoke_invitation,
)
from credgroup.audit.models import AuditEvent
from credgroup.db import utcnow
from credgroup.errors import Conflict, NotFound, PermissionDenied, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import is_facilitator, is_member
from tests.accounts.helpers import emails_to, in_request, link_in, page_text
from tests.fixtures.app import csrf_token_from

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def org(factory):
    group = factory.group(slug="building", name="Building Materials Group")
    other_group = factory.group(slug="food", name="Food Group")
    acme = factory.company("Acme Supply", groups=[group])
    outsider = factory.company("Outside Co", groups=[other_group])
    facilitator = factory.facilitator(groups=[group], name="Fran Facil")
    admin = factory.admin(name="Ada Admin")
    return {
        "group": group,
        "other_group": other_group,
        "acme": acme,
        "outsider": outsider,
        "facilitator": facilitator,
        "admin": admin,
    }


def invite(actor, **fields) -> Invitation:
    invitation = in_request(invite_person, actor, **fields)
    db.session.commit()
    return invitation


def invite_member(org, email="newbie@acme.example", **fields) -> Invitation:
    return invite(
        org["facilitator"],
        email=email,
        name=fields.pop("name", "Nell Newbie"),
        role=Role.MEMBER,
        company=org["acme"],
        group=org["group"],
        **fields,
    )


def invitation_link(email: str) -> str:
    return link_in(emails_to(email)[-1], "/invitations/")


# --- who may invite whom -------------------------------------------------------------


def test_facilitator_invites_a_member_of_a_company_in_their_group(org):
    invitation = invite_member(org, email=" NewBie@Acme.example ")
    assert invitation.email == "newbie@acme.example"
    assert invitation.role is Role.MEMBER and invitation.invited_by == org["facilitator"]
    assert invitation.expires_at - utcnow() > timedelta(hours=71)
    (email,) = emails_to("newbie@acme.example")
    assert "Fran Facil has invited you" in email.body_text
    assert "Acme Supply" in email.body_text and "Building Materials Group" in email.body_text


def test_facilitator_cannot_invite_into_a_group_they_do_not_facilitate(org):
    with pytest.raises(PermissionDenied):
        in_request(
            invite_person,
            org["facilitator"],
            email="x@outside.example",
            name="X",
            role=Role.MEMBER,
            company=org["outsider"],
            group=org["other_group"],
        )


def test_facilitator_cannot_invite_a_company_that_is_not_in_the_group(org):
    with pytest.raises(ValidationError, match="Outside Co is not a member of"):
        in_request(
            invite_person,
            org["facilitator"],
            email="x@outside.example",
            name="X",
            role=Role.MEMBER,
            company=org["outsider"],
            group=org["group"],
        )


def test_facilitator_must_name_the_group(org):
    with pytest.raises(ValidationError) as raised:
        in_request(
            invite_person,
            org["facilitator"],
            email="x@acme.example",
            name="X",
            role=Role.MEMBER,
            company=org["acme"],
        )
    assert raised.value.field == "group"


def test_member_invitation_needs_a_company(org):
    with pytest.raises(ValidationError) as raised:
        in_request(invite_person, org["admin"], email="x@acme.example", name="X", role=Role.MEMBER)
    assert raised.value.field == "company"


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.ADMIN])
def test_only_admins_invite_staff(org, role):
    with pytest.raises(PermissionDenied):
        in_request(
            invite_person, org["facilitator"], email="staff@assoc.example", name="S", role=role
        )


def test_members_cannot_invite_anyone(org, factory):
    member = factory.member(company=org["acme"])
    with pytest.raises(PermissionDenied):
        in_request(
            invite_person,
            member,
            email="friend@acme.example",
            name="Friend",
            role=Role.MEMBER,
            company=org["acme"],
            group=org["group"],
        )


def test_inviting_an_existing_account_is_a_conflict(org, factory):
    factory.member(company=org["acme"], email="taken@acme.example")
    with pytest.raises(Conflict, match="already exists"):
        invite_member(org, email="Taken@acme.example")
    assert db.session.scalars(sa.select(Invitation)).all() == []
    assert emails_to("taken@acme.example") == []


@pytest.mark.parametrize(
    ("email", "name", "field"),
    [
        ("not-an-email", "X", "email"),
        ("x@acme.example", "  ", "name"),
        ("x@acme.example", "n" * 121, "name"),
    ],
)
def test_bad_invitation_input_is_rejected(org, email, name, field):
    with pytest.raises(ValidationError) as raised:
        invite_member(org, email=email, name=name)
    assert raised.value.field == field


def test_reinviting_revokes_the_older_pending_invitation(org, browser):
    first = invite_member(org)
    first_link = invitation_link("newbie@acme.example")
    second = invite_member(org)
    db.session.refresh(first)
    assert first.revoked_at is not None and second.revoked_at is None
    assert browser.get(first_link).status_code == 410
    assert browser.get(invitation_link("newbie@acme.example")).status_code == 200


def test_invitations_are_audited(org):
    invite_member(org)
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "invitation.created")
    ).one()
    assert event.actor_id == org["facilitator"].id
    assert event.group_id == org["group"].id
    assert event.target_label == "newbie@acme.example"


# --- accepting -------------------------------------------------------------------------


def test_invitee_sets_password_corrects_name_and_is_signed_in(org, browser):
    invite_member(org, name="Nel Newbe")
    link = invitation_link("newbie@acme.example")
    page = page_text(browser.get(link))
    assert "newbie@acme.example" in page and 'value="Nel Newbe"' in page
    assert 'autocomplete="new-password"' in page
    response = browser.post_form(
        link, {"name": "Nell Newbie", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Welcome, Nell Newbie" in page_text(browser.get("/"))
    user = db.session.scalars(sa.select(User).where(User.email == "newbie@acme.example")).one()
    assert user.company == org["acme"] and not user.is_staff
    assert is_member(user, org["group"])
    browser.logout()
    assert browser.login("newbie@acme.example", NEW_PASSWORD).status_code == 302


def test_accepted_invitation_link_cannot_be_used_again(org, browser, make_browser):
    invite_member(org)
    link = invitation_link("newbie@acme.example")
    data = {"name": "Nell", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert browser.post_form(link, data).status_code == 302
    response = make_browser().get(link)
    assert response.status_code == 410
    assert "already been used" in page_text(response)


def test_invitation_form_errors_keep_the_typed_name(org, browser):
    invite_member(org)
    link = invitation_link("newbie@acme.example")
    response = browser.post_form(
        link, {"name": "Nell Typed", "password": "short", "confirm": "different"}
    )
    assert response.status_code == 422
    html = page_text(response)
    assert 'value="Nell Typed"' in html
    assert "at least 10 characters" in html and "do not match" in html
    assert 'class="error-summary"' in html
    assert (
        db.session.scalars(sa.select(User).where(User.email == "newbie@acme.example")).all() == []
    )


def test_expired_invitation_shows_a_clear_page(org, browser):
    invitation = invite_member(org)
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = browser.get(invitation_link("newbie@acme.example"))
    assert response.status_code == 410
    assert "has expired" in page_text(response)


def test_expired_invitation_cannot_be_posted_either(org, browser):
    invite_member(org)
    link = invitation_link("newbie@acme.example")
    page = browser.get(link)  # take the CSRF token while the link still works
    db.session.execute(sa.update(Invitation).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    response = browser.client.post(
        link,
        data={
            "name": "N",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "csrf_token": csrf_token_from(page_text(page)),
        },
    )
    assert response.status_code == 410
    assert (
        db.session.scalars(sa.select(User).where(User.email == "newbie@acme.example")).all() == []
    )


def test_unknown_invitation_token_is_a_404_page(browser):
    response = browser.get("/invitations/not-a-real-token")
    assert response.status_code == 404
    assert "not valid" in page_text(response)


def test_admin_invites_a_facilitator_who_gets_the_group(org, browser):
    invite(
        org["admin"],
        email="fred@assoc.example",
        name="Fred Facil",
        role=Role.FACILITATOR,
        group=org["other_group"],
    )
    user = in_request(accept_invitation, _raw_token("fred@assoc.example"), NEW_PASSWORD)
    db.session.commit()
    assert user.is_staff and not user.is_admin and user.company is None
    assert is_facilitator(user, org["other_group"]) and not is_facilitator(user, org["group"])


def test_admin_invites_another_admin(org):
    invite(org["admin"], email="ann@assoc.example", name="Ann", role=Role.ADMIN)
    user = in_request(accept_invitation, _raw_token("ann@assoc.example"), NEW_PASSWORD)
    assert user.is_staff and user.is_admin


def test_accepting_when_the_address_got_an_account_meanwhile_is_a_conflict(org, factory):
    invite_member(org)
    factory.member(company=org["acme"], email="newbie@acme.example")
    with pytest.raises(Conflict):
        accept_invitation(_raw_token("newbie@acme.example"), NEW_PASSWORD)


def test_invitation_link_is_built_from_base_url(org, app):
    app.config["BASE_URL"] = "https://credit.example.org/"
    invite_member(org)
    body = emails_to("newbie@acme.example")[0].body_text
    assert "https://credit.example.org/invitations/" in body


def _raw_token(email: str) -> str:
    return invitation_link(email).rsplit("/", 1)[1]


# --- listing and revoking --------------------------------------------------------------


def test_admin_lists_and_revokes_pending_invitations(org, browser):
    invitation = invite_member(org)
    staff = invite(org["admin"], email="s@assoc.example", name="S", role=Role.ADMIN)
    assert {i.email for i in pending_invitations(org["admin"])} == {
        "newbie@acme.example",
        "s@assoc.example",
    }
    assert pending_invitations(org["admin"], org["group"]) == [invitation]
    revoke_invitation(org["admin"], invitation.public_id)
    db.session.commit()
    assert pending_invitations(org["admin"]) == [staff]
    assert browser.get(invitation_link("newbie@acme.example")).status_code == 410
    assert db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "invitation.revoked")
    ).one()


def test_facilitator_sees_only_their_groups_invitations(org, factory):
    mine = invite_member(org)
    invite(
        org["admin"],
        email="o@outside.example",
        name="O",
        role=Role.MEMBER,
        company=org["outsider"],
        group=org["other_group"],
    )
    assert pending_invitations(org["facilitator"]) == [mine]
    with pytest.raises(PermissionDenied):
        pending_invitations(org["facilitator"], org["other_group"])
    with pytest.raises(PermissionDenied):
        pending_invitations(factory.member(company=org["acme"]))


def test_facilitator_cannot_revoke_another_groups_invitation(org):
    theirs = invite(
        org["admin"],
        email="o@outside.example",
        name="O",
        role=Role.MEMBER,
        company=org["outsider"],
        group=org["other_group"],
    )
    with pytest.raises(NotFound):
        revoke_invitation(org["facilitator"], theirs.public_id)


def test_expired_and_accepted_invitations_are_not_pending(org):
    expired = invite_member(org, email="late@acme.example")
    expired.expires_at = utcnow() - timedelta(hours=1)
    invite_member(org)
    in_request(accept_invitation, _raw_token("newbie@acme.example"), NEW_PASSWORD)
    db.session.commit()
    assert pending_invitations(org["admin"]) == []


def test_revoking_an_accepted_invitation_is_a_conflict(org):
    invitation = invite_member(org)
    in_request(accept_invitation, _raw_token("newbie@acme.example"), NEW_PASSWORD)
    db.session.commit()
    with pytest.raises(Conflict):
        revoke_invitation(org["admin"], invitation.public_id)
    with pytest.raises(NotFound):
        revoke_invitation(org["admin"], "no-such-id")
