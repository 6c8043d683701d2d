"""``flask demo-data``: a realistic demo association, loaded idempotently, every login works."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from markupsafe import escape

from credgroup.accounts.models import Role, User
from credgroup.demo import data
from credgroup.demo.load import load_demo_data
from credgroup.extensions import db
from credgroup.groups.models import (
    Association,
    CreditGroup,
    CustomerNaming,
    FacilitatorAssignment,
    MemberCompany,
)


def load(runner, *args: str):
    result = runner.invoke(args=["demo-data", *args])
    assert result.exit_code == 0, result.output
    return result


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    db.session.expire_all()
    return {
        table.name: sorted(
            (tuple(str(value) for value in row) for row in db.session.execute(table.select())),
        )
        for table in db.metadata.sorted_tables
    }


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_demo_data_loads_the_association_groups_companies_and_people(runner):
    load(runner)
    assert count(Association) == 1
    groups = {g.slug: g for g in db.session.scalars(sa.select(CreditGroup))}
    assert sorted(groups) == ["building-materials", "food-beverage", "oilfield-services"]
    assert [groups[s].anonymity_threshold for s in sorted(groups)] == [5, 5, 3]
    assert {g.customer_naming for g in groups.values()} == set(CustomerNaming)
    assert groups["oilfield-services"].timezone == "America/Denver"
    assert count(MemberCompany) == len(data.COMPANIES)
    # Groups of a realistic size: enough companies that figures can reach the threshold
    # without pointing at nearly everybody.
    seats = {slug: len(g.memberships) for slug, g in groups.items()}
    assert seats["building-materials"] >= 10 and seats["food-beverage"] >= 10
    assert seats["oilfield-services"] >= 2 * groups["oilfield-services"].anonymity_threshold
    assert count(FacilitatorAssignment) == 3


def test_some_companies_sit_in_two_groups_and_each_has_one_to_three_people(runner):
    load(runner)
    companies = list(db.session.scalars(sa.select(MemberCompany)))
    assert sum(1 for c in companies if len(c.memberships) == 2) >= 2
    for company in companies:
        people = count(sa.select(User).where(User.company_id == company.id).subquery())
        assert 1 <= people <= 3, company.name
        assert company.aliases and company.industry


def test_staff_are_one_admin_and_two_facilitators_of_their_groups(runner):
    load(runner)
    staff = {u.email: u for u in db.session.scalars(sa.select(User).where(User.is_staff))}
    assert [u.role for u in staff.values()].count(Role.ADMIN) == 1
    assert [u.role for u in staff.values()].count(Role.FACILITATOR) == 2
    facilitated = {
        (a.user.email, a.group.slug) for a in db.session.scalars(sa.select(FacilitatorAssignment))
    }
    assert facilitated == {
        ("facilitator@demo-credit.example", "building-materials"),
        ("facilitator@demo-credit.example", "food-beverage"),
        ("energy.facilitator@demo-credit.example", "oilfield-services"),
    }


def test_output_lists_every_login_and_the_shared_password(runner):
    output = load(runner).output
    assert data.DEMO_PASSWORD in output
    for login in data.demo_logins():
        assert login.email in output
    emails = {login.email for login in data.demo_logins()}
    assert emails == set(db.session.scalars(sa.select(User.email)))


def test_running_twice_changes_nothing(runner):
    load(runner)
    before = snapshot()
    result = load(runner)
    assert "nothing was added" in result.output
    assert snapshot() == before


def test_a_second_load_restores_what_was_removed(runner):
    load(runner)
    assignment = db.session.scalars(sa.select(FacilitatorAssignment)).first()
    db.session.delete(assignment)
    db.session.commit()
    assert "1 facilitator assignments" in load(runner).output
    assert count(FacilitatorAssignment) == 3


def test_reset_wipes_everything_and_reloads(runner, factory):
    load(runner)
    factory.group(slug="not-demo")
    before_users = count(User)
    result = load(runner, "--reset", "--yes")
    assert "Deleted everything" in result.output
    slugs = set(db.session.scalars(sa.select(CreditGroup.slug)))
    assert "not-demo" not in slugs and len(slugs) == 3
    assert count(User) == before_users


def test_reset_asks_first_and_a_no_deletes_nothing(runner, factory):
    factory.group(slug="keep-me")
    result = runner.invoke(args=["demo-data", "--reset"], input="n\n")
    assert result.exit_code != 0
    assert "deletes every row" in result.output
    assert db.session.scalar(sa.select(CreditGroup.slug)) == "keep-me"
    assert count(User) == 0


@pytest.mark.parametrize("app_config", [{"ENV": "production"}])
def test_demo_data_is_refused_in_production(runner):
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code != 0
    assert "production" in result.output
    assert count(Association) == 0 and count(User) == 0


def test_every_demo_login_can_sign_in(runner, make_browser):
    load(runner)
    for login in data.demo_logins():
        browser = make_browser()
        response = browser.login(login.email, data.DEMO_PASSWORD)
        assert response.status_code == 302, login.email
        assert response.headers["Location"] == "/"
        home = browser.get("/")
        assert home.status_code == 200, login.email
        name = db.session.scalars(sa.select(User.name).where(User.email == login.email))
        assert f"Welcome, {escape(name.one())}" in home.get_data(as_text=True)


def test_demo_people_see_their_groups_through_the_api(runner, client, factory):
    load(runner)

    def slugs_for(email: str) -> list[str]:
        user = db.session.scalars(sa.select(User).where(User.email == email)).one()
        token = factory.api_token(user)
        response = client.get("/api/v1/groups", headers={"Authorization": f"Bearer {token}"})
        return [g["slug"] for g in response.get_json()["items"]]

    assert slugs_for("credit@northfield-aggregates.example") == ["building-materials"]
    assert slugs_for("renee.castillo@ironcladfasteners.example") == [
        "building-materials",
        "oilfield-services",
    ]
    assert slugs_for("energy.facilitator@demo-credit.example") == ["oilfield-services"]
    assert len(slugs_for(data.ADMIN_EMAIL)) == 3


def test_demo_data_on_an_unmigrated_database_says_what_to_do(tmp_path, instance_dir):
    from credgroup import create_app
    from tests.fixtures.app import base_config

    empty = create_app(base_config(f"sqlite:///{tmp_path / 'empty.db'}", instance_dir))
    result = empty.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code != 0
    assert "db upgrade" in result.output
    with empty.app_context():
        db.engine.dispose()


def test_loader_can_be_called_directly_and_leaves_committing_to_the_caller(app):
    summary = load_demo_data()
    assert summary.changed and summary.created["groups"] == 3
    db.session.rollback()
    assert count(CreditGroup) == 0
