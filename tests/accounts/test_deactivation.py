"""Deactivating and reactivating people: who may, and what stops working."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from credgroup.accounts.services import (
    create_api_token,
    deactivate_user,
    reactivate_user,
    user_for_api_token,
)
from credgroup.audit.models import AuditEvent
from credgroup.errors import PermissionDenied, ValidationError
from credgroup.extensions import db
from tests.accounts.helpers import page_text


@pytest.fixture
def org(factory):
    group = factory.group(slug="building")
    other_group = factory.group(slug="food")
    acme = factory.company("Acme Supply", groups=[group])
    outsider = factory.company("Outside Co", groups=[other_group])
    return {
        "group": group,
        "member": factory.member(company=acme, email="dana@acme.example"),
        "outsider": factory.member(company=outsider, email="otto@outside.example"),
        "facilitator": factory.facilitator(groups=[group]),
        "admin": factory.admin(),
    }


def test_deactivated_member_is_signed_out_and_cannot_sign_back_in(org, browser):
    browser.login("dana@acme.example")
    assert browser.get("/profile").status_code == 200
    deactivate_user(org["admin"], org["member"])
    db.session.commit()
    assert browser.get("/profile").status_code == 302
    response = browser.login("dana@acme.example")
    assert response.status_code == 422
    assert "Email or password is incorrect." in page_text(response)


def test_deactivation_stops_api_tokens_and_is_audited(org):
    _token, raw = create_api_token(org["member"], "script")
    deactivate_user(org["admin"], org["member"])
    db.session.commit()
    assert user_for_api_token(raw) is None
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "user.deactivated")
    ).one()
    assert event.actor_id == org["admin"].id and "dana@acme.example" in event.target_label


def test_facilitator_deactivates_members_of_their_groups_only(org):
    deactivate_user(org["facilitator"], org["member"])
    assert org["member"].active is False
    with pytest.raises(PermissionDenied):
        deactivate_user(org["facilitator"], org["outsider"])
    with pytest.raises(PermissionDenied):
        deactivate_user(org["facilitator"], org["admin"])


def test_members_cannot_deactivate_anyone(org, factory):
    colleague = factory.member(company=org["member"].company)
    with pytest.raises(PermissionDenied):
        deactivate_user(org["member"], colleague)


def test_nobody_deactivates_themselves(org):
    with pytest.raises(ValidationError):
        deactivate_user(org["admin"], org["admin"])


def test_reactivated_member_signs_in_again(org, browser):
    deactivate_user(org["admin"], org["member"])
    db.session.commit()
    reactivate_user(org["facilitator"], org["member"])
    db.session.commit()
    assert browser.login("dana@acme.example").status_code == 302
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert "user.reactivated" in actions


def test_facilitator_cannot_reactivate_outside_their_groups(org):
    deactivate_user(org["admin"], org["outsider"])
    with pytest.raises(PermissionDenied):
        reactivate_user(org["facilitator"], org["outsider"])
