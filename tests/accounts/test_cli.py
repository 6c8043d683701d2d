"""``flask users create`` and ``flask users token``."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from credgroup.accounts.models import User
from credgroup.accounts.services import authenticate, user_for_api_token
from credgroup.audit.models import AuditEvent
from credgroup.extensions import db
from credgroup.groups.access import is_facilitator, is_member

PASSWORD = "a long enough password"


@pytest.fixture
def org(factory):
    group = factory.group(slug="building")
    return {"group": group, "acme": factory.company("Acme Supply", groups=[group])}


def users(runner, *args, password: str | None = None):
    return runner.invoke(args=["users", *args], input=None if password is None else password + "\n")


def all_emails() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(User.email)))


def test_create_member_with_password_from_stdin(runner, org):
    result = users(
        runner,
        "create",
        "Dana@Acme.example",
        "--name",
        "Dana Credit",
        "--company",
        "acme supply",
        "--role",
        "member",
        "--password-stdin",
        password=PASSWORD,
    )
    assert result.exit_code == 0, result.output
    assert "Created member Dana Credit <dana@acme.example>" in result.output
    user = authenticate("dana@acme.example", PASSWORD, "127.0.0.1")
    assert user.company == org["acme"] and is_member(user, org["group"])
    assert (
        db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "user.created"))
        .one()
        .actor_label
        == "system (command line)"
    )


def test_create_facilitator_of_several_groups(runner, factory, org):
    food = factory.group(slug="food")
    result = users(
        runner,
        "create",
        "fran@assoc.example",
        "--name",
        "Fran",
        "--role",
        "facilitator",
        "--group",
        "building",
        "--group",
        "food",
    )
    assert result.exit_code == 0, result.output
    assert "Forgot your password?" in result.output
    user = db.session.scalars(sa.select(User).where(User.email == "fran@assoc.example")).one()
    assert user.is_staff and not user.is_admin and user.password_hash is None
    assert is_facilitator(user, org["group"]) and is_facilitator(user, food)


def test_create_admin(runner):
    result = users(runner, "create", "ada@assoc.example", "--name", "Ada", "--role", "admin")
    assert result.exit_code == 0, result.output
    user = db.session.scalars(sa.select(User).where(User.email == "ada@assoc.example")).one()
    assert user.is_admin and user.is_staff


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x@acme.example", "--name", "X", "--role", "member"], "must belong to a member company"),
        (
            ["x@acme.example", "--name", "X", "--role", "member", "--company", "Nope Inc"],
            "No such member company",
        ),
        (
            ["x@assoc.example", "--name", "X", "--role", "facilitator", "--group", "nope"],
            "No such group",
        ),
        (
            [
                "x@acme.example",
                "--name",
                "X",
                "--role",
                "member",
                "--company",
                "Acme Supply",
                "--group",
                "building",
            ],
            "--group is for facilitators and admins",
        ),
        (
            ["x@assoc.example", "--name", "X", "--role", "admin", "--company", "Acme Supply"],
            "do not belong to a company",
        ),
        (["not-an-email", "--name", "X", "--role", "admin"], "not a valid email address"),
        (["x@assoc.example", "--name", "", "--role", "admin"], "Enter a name"),
        (["x@assoc.example", "--name", "X", "--role", "boss"], "Invalid value for '--role'"),
        (["x@assoc.example", "--name", "X" * 121, "--role", "admin"], "at most 120"),
    ],
)
def test_bad_input_fails_with_a_message_and_saves_nothing(runner, org, args, message):
    result = users(runner, "create", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert all_emails() == []


def test_duplicate_email_fails_and_saves_nothing(runner, factory, org):
    factory.member(company=org["acme"], email="dana@acme.example")
    result = users(runner, "create", "DANA@acme.example", "--name", "Again", "--role", "admin")
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert all_emails() == ["dana@acme.example"]


def test_short_password_from_stdin_is_refused(runner):
    result = users(
        runner,
        "create",
        "ada@assoc.example",
        "--name",
        "Ada",
        "--role",
        "admin",
        "--password-stdin",
        password="short",
    )
    assert result.exit_code == 1
    assert "at least 10 characters" in result.output
    assert all_emails() == []


def test_empty_stdin_with_password_flag_is_refused(runner):
    result = users(
        runner,
        "create",
        "ada@assoc.example",
        "--name",
        "Ada",
        "--role",
        "admin",
        "--password-stdin",
        password="",
    )
    assert result.exit_code != 0
    assert all_emails() == []


def test_token_command_prints_a_working_token(runner, factory):
    user = factory.member(email="dana@acme.example")
    result = runner.invoke(args=["users", "token", "Dana@acme.example", "--name", "sync"])
    assert result.exit_code == 0, result.output
    raw = result.stdout.strip().splitlines()[-1]
    assert user_for_api_token(raw) == user


def test_token_command_for_unknown_or_inactive_account_fails(runner, factory):
    factory.member(email="gone@acme.example", active=False)
    for email in ("nobody@acme.example", "gone@acme.example"):
        result = runner.invoke(args=["users", "token", email])
        assert result.exit_code == 1
        assert "no active account" in result.output


def test_token_command_rejects_an_over_long_name(runner, factory):
    factory.member(email="dana@acme.example")
    result = runner.invoke(args=["users", "token", "dana@acme.example", "--name", "n" * 101])
    assert result.exit_code == 1
    assert "at most 100" in result.output
