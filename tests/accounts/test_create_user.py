"""create_user: the service behind the CLI (and any admin page that creates accounts)."""

from __future__ import annotations

import pytest

from credgroup.accounts.models import Role
from credgroup.accounts.services import authenticate, create_user
from credgroup.errors import Conflict, PermissionDenied, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import is_facilitator, is_member


def test_admin_creates_a_member_whose_groups_follow_the_company(factory):
    group = factory.group()
    company = factory.company(groups=[group])
    other = factory.group()
    user = create_user(
        factory.admin(),
        email="Dana@Acme.example",
        name="Dana",
        role=Role.MEMBER,
        company=company,
        password="long enough password",
        groups=[other],  # ignored for members
    )
    db.session.commit()
    assert user.email == "dana@acme.example" and user.role is Role.MEMBER
    assert is_member(user, group) and not is_member(user, other)
    assert authenticate("dana@acme.example", "long enough password", "10.0.0.1") == user


def test_facilitator_is_staff_assigned_to_the_groups(factory):
    group = factory.group()
    user = create_user(
        None, email="f@assoc.example", name="F", role=Role.FACILITATOR, groups=[group]
    )
    assert user.is_staff and not user.is_admin and user.password_hash is None
    assert is_facilitator(user, group)


def test_only_admins_create_accounts(factory):
    group = factory.group()
    with pytest.raises(PermissionDenied):
        create_user(
            factory.facilitator(groups=[group]),
            email="x@assoc.example",
            name="X",
            role=Role.ADMIN,
        )


def test_duplicate_email_is_a_conflict_whatever_the_case(factory):
    factory.member(email="dana@acme.example")
    with pytest.raises(Conflict):
        create_user(None, email=" DANA@acme.example", name="D", role=Role.ADMIN)


def test_member_needs_a_company_and_staff_must_not_have_one(factory):
    with pytest.raises(ValidationError, match="member company"):
        create_user(None, email="m@acme.example", name="M", role=Role.MEMBER)
    with pytest.raises(ValidationError, match="do not belong"):
        create_user(
            None, email="s@assoc.example", name="S", role=Role.ADMIN, company=factory.company()
        )


def test_password_length_is_enforced(factory):
    with pytest.raises(ValidationError, match="at least 10"):
        create_user(None, email="s@assoc.example", name="S", role=Role.ADMIN, password="short")
    with pytest.raises(ValidationError, match="at most 256"):
        create_user(None, email="s@assoc.example", name="S", role=Role.ADMIN, password="x" * 257)
