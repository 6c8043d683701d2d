"""The admins' portal catalogue pages: list with member-named portals, add, edit, merge."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from credgroup.audit.models import AuditEvent
from credgroup.extensions import db
from credgroup.portals.models import Portal
from credgroup.portals.services import get_portal, resolve_portal
from credgroup.reports import authoring
from credgroup.reports.models import Report
from tests.portals.test_stats import FEE_REPORT

NEW = "/admin/portals/new"
VALID = {
    "name": "Acme Pay",
    "vendor": "Acme Corp",
    "aliases": "AcmePay\r\nAcme Payables Network\r\n",
    "website": "https://acmepay.example",
    "description": "A buyer-run portal.",
    "fees_summary": "",
    "listed": "y",
}


@pytest.fixture
def as_admin(reporting_group, browser):
    browser.login(reporting_group.admin.email)
    return browser


def portal_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Portal.id)))


def portal_named(name: str) -> Portal | None:
    return db.session.scalar(sa.select(Portal).where(Portal.name == name))


@pytest.mark.parametrize("person", ["facilitator", "bob"])
def test_only_admins_reach_the_catalogue_upkeep(reporting_group, browser, person):
    browser.login(getattr(reporting_group, person).email)
    assert browser.get("/admin/portals").status_code == 403
    assert browser.get(NEW).status_code == 403
    assert browser.get("/admin/portals/coupa/edit").status_code == 403


def test_list_shows_member_named_portals_with_report_counts(reporting_group, as_admin):
    rg = reporting_group
    authoring.publish_report(rg.alice, rg.group, {**FEE_REPORT, "portal": "Acme Payables Hub"})
    db.session.commit()
    html = as_admin.get("/admin/portals").get_data(as_text=True)
    assert "Acme Payables Hub" in html and "Named by a member" in html
    assert 'id="merge-acme-payables-hub-target"' in html
    assert 'for="merge-acme-payables-hub-target"' in html


def test_admin_adds_a_portal_with_aliases_one_per_line(reporting_group, as_admin):
    response = as_admin.post_form(NEW, VALID)
    assert response.status_code == 302
    portal = portal_named("Acme Pay")
    assert portal.aliases == ["AcmePay", "Acme Payables Network"]
    assert portal.listed and portal.website == "https://acmepay.example"
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "portal.save"))


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"name": "Coupa"}, 409, "already has the name or alias"),
        ({"name": "ariba"}, 409, "already has the name or alias"),
        ({"aliases": "Ariba Network"}, 409, "already has the name or alias"),
        ({"website": "acmepay.example"}, 422, "must start with http"),
        ({"website": "javascript:alert(1)"}, 422, "must start with http"),
        ({"name": ""}, 422, "This field is required"),
        ({"name": "x" * 121}, 422, "120"),
    ],
)
def test_bad_portal_input_is_explained_and_kept(reporting_group, as_admin, change, status, message):
    before = portal_count()
    response = as_admin.post_form(NEW, {**VALID, **change})
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert message in html and "error-summary" in html
    assert "Acme Corp" in html  # what the admin typed is still there
    assert portal_count() == before


def test_admin_edits_a_portal_and_its_aliases(reporting_group, as_admin):
    page = "/admin/portals/coupa/edit"
    form = as_admin.get(page).get_data(as_text=True)
    assert 'value="Coupa"' in form  # the current values fill the form
    response = as_admin.post_form(
        page, {**VALID, "name": "Coupa", "aliases": "CSP\nCoupa Supplier Portal", "vendor": "Coupa"}
    )
    assert response.status_code == 302
    portal = get_portal("coupa")
    assert portal.aliases == ["CSP", "Coupa Supplier Portal"] and portal.vendor == "Coupa"


def test_admin_merges_a_member_named_portal(reporting_group, as_admin):
    rg = reporting_group
    report = authoring.publish_report(
        rg.alice, rg.group, {**FEE_REPORT, "portal": "Acme Payables Hub"}
    )
    db.session.commit()
    merge = "/admin/portals/acme-payables-hub/merge"
    response = as_admin.post_form("/admin/portals", {"target": ""}, action=merge)
    assert response.status_code == 422 and "error-summary" in response.get_data(as_text=True)
    response = as_admin.post_form("/admin/portals", {"target": "coupa"}, action=merge)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Report, report.id).portal.slug == "coupa"
    assert "Acme Payables Hub" in get_portal("coupa").aliases
    assert get_portal("acme-payables-hub").slug == "coupa"


def test_merge_into_an_unlisted_portal_is_refused(reporting_group, as_admin):
    resolve_portal("Acme Payables Hub")
    resolve_portal("Other Hub")
    db.session.commit()
    response = as_admin.post_form(
        "/admin/portals", {"target": "other-hub"}, action="/admin/portals/acme-payables-hub/merge"
    )
    assert response.status_code == 422
    assert get_portal("acme-payables-hub").slug == "acme-payables-hub"
