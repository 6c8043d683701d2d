"""The administrators' area: groups, companies, staff, people. Admins only."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from credgroup.accounts.models import Invitation, Role
from credgroup.extensions import db
from credgroup.groups.models import CreditGroup, FacilitatorAssignment, MemberCompany
from tests.groups.conftest import text

ADMIN_PAGES = [
    "/admin/",
    "/admin/groups/",
    "/admin/groups/?archived=1",
    "/admin/groups/new",
    "/admin/groups/alpha/edit",
    "/admin/companies/",
    "/admin/companies/new",
    "/admin/facilitators/",
    "/admin/facilitators/invite",
    "/admin/users/",
    "/admin/audit/",
]


def company_named(name: str) -> MemberCompany | None:
    return db.session.scalar(sa.select(MemberCompany).where(MemberCompany.name == name))


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_facilitators_and_members_get_403_in_the_admin_area(org, signed_in, url):
    for person in (org.facilitator_a, org.member_a):
        assert signed_in(person).get(url).status_code == 403, person.email


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_visitors_are_sent_to_sign_in(org, client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_opens_every_admin_page(org, signed_in, url):
    assert signed_in(org.admin).get(url).status_code == 200


def test_admin_actions_are_refused_to_facilitators(org, signed_in):
    browser = signed_in(org.facilitator_a)
    for action in (
        "/admin/groups/alpha/archive",
        f"/admin/companies/{org.acme.id}/groups",
        f"/admin/facilitators/{org.facilitator_a.public_id}/groups",
    ):
        assert browser.post_form("/", {"group": "beta"}, action=action).status_code == 403
    assert count(FacilitatorAssignment) == 2
    assert db.session.get(CreditGroup, org.alpha.id).archived_at is None


def test_dashboard_shows_counts_and_links(org, signed_in):
    html = text(signed_in(org.admin).get("/admin/"))
    assert "2 active" in html  # groups
    assert "2 registered" in html  # companies
    assert "3 active staff" in html
    assert "2 active members" in html
    for link in ("/admin/groups/", "/admin/companies/", "/admin/facilitators/", "/admin/audit/"):
        assert f'href="{link}"' in html


# --- groups ---------------------------------------------------------------------------------


def group_data(**changes) -> dict:
    data = {
        "slug": "gamma",
        "name": "Gamma Chemicals",
        "industry": "Chemicals",
        "description": "",
        "timezone": "Europe/London",
        "anonymity_threshold": "5",
        "customer_naming": "industry_only",
    }
    data.update(changes)
    return data


def test_admin_creates_a_group(org, signed_in):
    browser = signed_in(org.admin)
    response = browser.post_form("/admin/groups/new", group_data())
    assert response.status_code == 302
    group = db.session.scalar(sa.select(CreditGroup).where(CreditGroup.slug == "gamma"))
    assert group.timezone == "Europe/London"
    assert "Gamma Chemicals" in text(browser.get("/admin/groups/"))


def test_duplicate_slug_is_409_with_the_typed_input_kept(org, signed_in):
    response = signed_in(org.admin).post_form(
        "/admin/groups/new", group_data(slug="alpha", name="Second Alpha")
    )
    assert response.status_code == 409
    html = text(response)
    assert "already exists" in html
    assert 'value="Second Alpha"' in html
    assert count(CreditGroup) == 2


@pytest.mark.parametrize(
    "changes",
    [
        {"slug": "Bad Slug"},
        {"slug": "x" * 61},
        {"anonymity_threshold": "2"},
        {"timezone": "Nowhere"},
        {"name": ""},
    ],
)
def test_bad_group_input_is_refused(org, signed_in, changes):
    response = signed_in(org.admin).post_form("/admin/groups/new", group_data(**changes))
    assert response.status_code == 422
    assert "error-summary" in text(response)
    assert count(CreditGroup) == 2


def test_admin_edits_a_group(org, signed_in):
    browser = signed_in(org.admin)
    page = text(browser.get("/admin/groups/alpha/edit"))
    assert "Antitrust statement" in page
    data = group_data(name="Alpha Renamed", timezone="America/Denver")
    del data["slug"]
    data.update(
        antitrust_statement="A",
        antidefamation_statement="B",
        confidentiality_statement="C",
    )
    assert browser.post_form("/admin/groups/alpha/edit", data).status_code == 302
    db.session.expire_all()
    group = db.session.get(CreditGroup, org.alpha.id)
    assert (group.name, group.slug, group.antitrust_statement) == ("Alpha Renamed", "alpha", "A")


def test_archive_hides_the_group_and_restore_brings_it_back(org, signed_in):
    admin = signed_in(org.admin)
    member = signed_in(org.member_a)
    assert (
        admin.post_form("/admin/groups/", {}, action="/admin/groups/alpha/archive").status_code
        == 302
    )
    assert "<code>alpha</code>" not in text(admin.get("/admin/groups/"))
    assert "<code>alpha</code>" in text(admin.get("/admin/groups/?archived=1"))
    assert member.get("/g/alpha/").status_code == 404
    assert "Alpha Building Materials" not in text(member.get("/"))
    assert admin.get("/admin/groups/alpha/edit").status_code == 404
    restore = "/admin/groups/alpha/restore"
    assert admin.post_form("/admin/groups/", {}, action=restore).status_code == 302
    assert member.get("/g/alpha/").status_code == 200


def test_archiving_twice_is_404(org, signed_in):
    admin = signed_in(org.admin)
    admin.post_form("/admin/groups/", {}, action="/admin/groups/alpha/archive")
    assert (
        admin.post_form("/admin/groups/", {}, action="/admin/groups/alpha/archive").status_code
        == 404
    )


# --- companies ------------------------------------------------------------------------------


def test_admin_registers_a_company_with_aliases_one_per_line(org, signed_in):
    browser = signed_in(org.admin)
    data = {
        "name": "Crane Corp",
        "aliases": "Crane\r\n\r\n  CC Holdings  \r\ncrane",
        "industry": "Steel",
    }
    response = browser.post_form("/admin/companies/new", data)
    assert response.status_code == 302
    company = company_named("Crane Corp")
    assert company.aliases == ["Crane", "CC Holdings"]
    assert response.headers["Location"].endswith(f"/admin/companies/{company.id}/edit")
    edit = text(browser.get(f"/admin/companies/{company.id}/edit"))
    assert "Crane\nCC Holdings" in edit
    assert "Crane, CC Holdings" in text(browser.get("/admin/companies/"))


def test_duplicate_company_name_ignoring_case_is_409(org, signed_in):
    response = signed_in(org.admin).post_form(
        "/admin/companies/new", {"name": "ACME supply", "aliases": "", "industry": ""}
    )
    assert response.status_code == 409
    assert 'value="ACME supply"' in text(response)
    assert count(MemberCompany) == 2


def test_too_many_or_too_long_aliases_are_422(org, signed_in):
    browser = signed_in(org.admin)
    many = "\n".join(f"Alias {n}" for n in range(21))
    long = "a" * 201
    for aliases in (many, long):
        data = {"name": "Dyno", "aliases": aliases, "industry": ""}
        response = browser.post_form("/admin/companies/new", data)
        assert response.status_code == 422
        assert "other name" in text(response).lower()
    assert company_named("Dyno") is None


def test_editing_a_company_into_another_name_saves_nothing(org, signed_in):
    browser = signed_in(org.admin)
    url = f"/admin/companies/{org.acme.id}/edit"
    data = {"name": "bolt foods", "aliases": "New alias", "industry": "Changed"}
    response = browser.post_form(url, data)
    assert response.status_code == 409
    assert 'value="bolt foods"' in text(response)
    db.session.expire_all()
    acme = db.session.get(MemberCompany, org.acme.id)
    assert (acme.name, acme.aliases, acme.industry) == ("Acme Supply", [], "")


def test_admin_adds_and_removes_a_company_from_groups(org, signed_in):
    admin = signed_in(org.admin)
    member = signed_in(org.member_a)
    url = f"/admin/companies/{org.acme.id}/edit"
    page = text(admin.get(url))
    assert '<option value="beta">Beta Foods</option>' in page
    add = f"/admin/companies/{org.acme.id}/groups"
    assert admin.post_form(url, {"group": "beta"}, action=add).status_code == 302
    assert member.get("/g/beta/").status_code == 200
    assert admin.post_form(url, {"group": "beta"}, action=add).status_code == 409  # now taken
    assert admin.post_form(url, {"group": "nope"}, action=add).status_code == 422
    remove = f"/admin/companies/{org.acme.id}/groups/alpha/remove"
    assert admin.post_form(url, {}, action=remove).status_code == 302
    assert member.get("/g/alpha/").status_code == 404


def test_unknown_company_is_404(org, signed_in):
    assert signed_in(org.admin).get("/admin/companies/999999/edit").status_code == 404


# --- staff ----------------------------------------------------------------------------------


def test_staff_list_shows_staff_with_their_groups(org, signed_in):
    html = text(signed_in(org.admin).get("/admin/facilitators/"))
    assert "Fay Alpha" in html and "Finn Beta" in html and "Ada Admin" in html
    assert "Ann Acme" not in html
    assert "Administrator" in html


def test_admin_invites_a_facilitator_for_a_group(org, signed_in):
    browser = signed_in(org.admin)
    data = {
        "name": "Gus",
        "email": "gus@association.example",
        "role": "facilitator",
        "group": "alpha",
    }
    response = browser.post_form("/admin/facilitators/invite", data)
    assert response.status_code == 302, text(response)
    invitation = db.session.scalar(sa.select(Invitation))
    assert invitation.role is Role.FACILITATOR
    assert invitation.group_id == org.alpha.id
    assert invitation.company_id is None


def test_admin_invites_an_administrator_without_a_group(org, signed_in):
    browser = signed_in(org.admin)
    data = {"name": "Hal", "email": "hal@association.example", "role": "admin", "group": ""}
    assert browser.post_form("/admin/facilitators/invite", data).status_code == 302
    assert db.session.scalar(sa.select(Invitation)).role is Role.ADMIN


def test_staff_invitation_with_bad_input_is_refused(org, signed_in):
    browser = signed_in(org.admin)
    for data in (
        {"name": "Gus", "email": "gus", "role": "facilitator", "group": ""},
        {"name": "Gus", "email": "gus@a.example", "role": "owner", "group": ""},
        {"name": "Gus", "email": "gus@a.example", "role": "facilitator", "group": "nope"},
        {"name": "", "email": "gus@a.example", "role": "facilitator", "group": ""},
    ):
        assert browser.post_form("/admin/facilitators/invite", data).status_code == 422, data
    assert count(Invitation) == 0


def test_admin_assigns_and_unassigns_a_facilitator(org, signed_in):
    admin = signed_in(org.admin)
    finn = signed_in(org.facilitator_b)
    assign = f"/admin/facilitators/{org.facilitator_b.public_id}/groups"
    page = "/admin/facilitators/"
    assert admin.post_form(page, {"group": "alpha"}, action=assign).status_code == 302
    assert finn.get("/g/alpha/manage/settings").status_code == 200
    assert admin.post_form(page, {"group": "alpha"}, action=assign).status_code == 409
    unassign = f"/admin/facilitators/{org.facilitator_b.public_id}/groups/alpha/remove"
    assert admin.post_form(page, {}, action=unassign).status_code == 302
    assert finn.get("/g/alpha/manage/settings").status_code == 404


def test_members_cannot_be_assigned_as_facilitators(org, signed_in):
    admin = signed_in(org.admin)
    assign = f"/admin/facilitators/{org.member_a.public_id}/groups"
    assert admin.post_form("/admin/", {"group": "alpha"}, action=assign).status_code == 404
    assert count(FacilitatorAssignment) == 2


# --- people ---------------------------------------------------------------------------------


def test_users_list_searches_by_name_or_email(org, signed_in):
    browser = signed_in(org.admin)
    html = text(browser.get("/admin/users/?q=acme"))
    assert "Ann Acme" in html and "Bob Bolt" not in html
    html = text(browser.get("/admin/users/?q=finn@"))
    assert "Finn Beta" in html and "Fay Alpha" not in html
    html = text(browser.get("/admin/users/?q=%25"))  # a literal %, not a wildcard
    assert "0 people" in html


def test_users_list_is_paginated(org, signed_in, factory):
    for n in range(30):
        factory.member(org.acme, email=f"p{n:02d}@acme.example", name=f"Person {n:02d}")
    browser = signed_in(org.admin)
    first = text(browser.get("/admin/users/"))
    assert "35 people" in first
    assert "Page 1 of 2" in first
    assert 'rel="next" href="/admin/users/?page=2"' in first
    second = text(browser.get("/admin/users/?page=2"))
    assert "Page 2 of 2" in second
    assert second.count("<tr>") == 1 + 10  # header + the last 10 people
    assert browser.get("/admin/users/?page=-5").status_code == 200
    assert browser.get("/admin/users/?page=99999999999999999999").status_code == 200
    assert browser.get("/admin/users/?page=abc").status_code == 200
