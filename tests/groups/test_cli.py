"""`flask groups ...` and `flask companies ...`: same rules as the pages, clear errors."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from credgroup.audit.models import AuditEvent
from credgroup.extensions import db
from credgroup.groups.models import CreditGroup, CustomerNaming, GroupMembership, MemberCompany


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_groups_create_with_all_options(runner):
    result = runner.invoke(
        args=[
            "groups", "create", "gamma",
            "--name", "Gamma Chemicals",
            "--industry", "Chemicals",
            "--timezone", "Europe/Berlin",
            "--threshold", "7",
            "--naming", "not_named",
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Created group gamma" in result.output
    group = db.session.scalar(sa.select(CreditGroup).where(CreditGroup.slug == "gamma"))
    assert (group.name, group.industry, group.timezone) == (
        "Gamma Chemicals",
        "Chemicals",
        "Europe/Berlin",
    )
    assert group.anonymity_threshold == 7
    assert group.customer_naming is CustomerNaming.NOT_NAMED
    event = db.session.scalar(sa.select(AuditEvent))
    assert (event.action, event.actor_id) == ("group.created", None)


def test_groups_create_uses_safe_defaults(runner):
    result = runner.invoke(args=["groups", "create", "gamma", "--name", "Gamma"])
    assert result.exit_code == 0, result.output
    group = db.session.scalar(sa.select(CreditGroup))
    assert group.anonymity_threshold == 5
    assert group.customer_naming is CustomerNaming.INDUSTRY_ONLY


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Bad Slug", "--name", "X"], "lowercase letters"),
        (["gamma", "--name", "X", "--threshold", "2"], "from 3 to 50"),
        (["gamma", "--name", "X", "--timezone", "Mars/Base"], "time zone"),
        (["gamma", "--name", ""], "required"),
        (["gamma", "--name", "n" * 201], "at most 200"),
    ],
)
def test_groups_create_refuses_bad_input_and_saves_nothing(runner, args, message):
    result = runner.invoke(args=["groups", "create", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert count(CreditGroup) == 0
    assert count(AuditEvent) == 0


@pytest.mark.parametrize(
    "args",
    [
        ["gamma", "--name", "X", "--threshold", "many"],
        ["gamma", "--name", "X", "--naming", "everyone"],
        ["gamma"],  # --name is required
    ],
)
def test_groups_create_rejects_malformed_options(runner, args):
    result = runner.invoke(args=["groups", "create", *args])
    assert result.exit_code == 2
    assert "Error" in result.output
    assert count(CreditGroup) == 0


def test_groups_create_refuses_a_taken_slug(runner, factory):
    factory.group(slug="alpha")
    result = runner.invoke(args=["groups", "create", "alpha", "--name", "Again"])
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert count(CreditGroup) == 1


def test_groups_list_shows_active_groups_with_company_counts(runner, factory):
    alpha = factory.group(slug="alpha", name="Alpha")
    factory.group(slug="omega", name="Omega", archived_at=sa.func.now())
    factory.company("Acme", groups=[alpha])
    factory.company("Bolt", groups=[alpha])
    result = runner.invoke(args=["groups", "list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["slug", "name", "companies", "threshold", "naming"]
    assert lines[1].split() == ["alpha", "Alpha", "2", "5", "industry_only"]
    assert "omega" not in result.output
    archived = runner.invoke(args=["groups", "list", "--archived"])
    assert "omega" in archived.output and "alpha" not in archived.output


def test_groups_list_says_when_there_are_none(runner):
    assert runner.invoke(args=["groups", "list"]).output.strip() == "(none)"


def test_companies_create_with_groups_and_aliases(runner, factory):
    factory.group(slug="alpha")
    factory.group(slug="beta")
    result = runner.invoke(
        args=[
            "companies", "create", "Acme Supply",
            "--group", "alpha", "--group", "beta", "--group", "alpha",
            "--alias", "Acme", "--alias", " ACME Co ",
            "--industry", "Bricks",
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Created company Acme Supply in alpha, beta" in result.output
    company = db.session.scalar(sa.select(MemberCompany))
    assert company.aliases == ["Acme", "ACME Co"]
    assert company.industry == "Bricks"
    assert count(GroupMembership) == 2


def test_companies_create_with_an_unknown_group_saves_nothing(runner, factory):
    factory.group(slug="alpha")
    result = runner.invoke(
        args=["companies", "create", "Acme", "--group", "alpha", "--group", "nope"]
    )
    assert result.exit_code == 1
    assert "No such group" in result.output
    assert count(MemberCompany) == 0
    assert count(GroupMembership) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["acme supply"], "already exists"),
        (["  "], "required"),
        (["Dyno", "--alias", "a" * 201], "at most 200"),
    ],
)
def test_companies_create_refuses_bad_input(runner, factory, args, message):
    factory.company("Acme Supply")
    result = runner.invoke(args=["companies", "create", *args])
    assert result.exit_code == 1
    assert message in result.output
    assert count(MemberCompany) == 1


def test_companies_list_shows_groups_and_other_names(runner, factory):
    alpha = factory.group(slug="alpha")
    factory.company("Acme", groups=[alpha], aliases=["Acme Co"])
    factory.company("Bolt")
    result = runner.invoke(args=["companies", "list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[1].split() == ["Acme", "alpha", "Acme", "Co"]
    assert lines[2].split() == ["Bolt", "-", "-"]
