"""The audit log: staff actions are recorded, and only administrators can read them."""

from __future__ import annotations

import pytest

from credgroup.audit.services import record
from credgroup.extensions import db
from tests.groups.conftest import text

AUDIT = "/admin/audit/"


def test_staff_actions_appear_in_the_log_for_admins(org, signed_in):
    facilitator = signed_in(org.facilitator_a)
    facilitator.post_form(
        "/g/alpha/manage/companies", {"company": str(org.bolt.id)}
    )  # group.company_added
    html = text(signed_in(org.admin).get(AUDIT))
    assert "group.company_added" in html
    assert "Fay Alpha &lt;fay@association.example&gt;" in html
    assert "company: Bolt Foods" in html
    assert "Alpha Building Materials" in html  # the group column


@pytest.mark.parametrize("who", ["facilitator_a", "member_a"])
def test_only_admins_read_the_audit_log(org, signed_in, who):
    assert signed_in(getattr(org, who)).get(AUDIT).status_code == 403


def test_visitors_are_sent_to_sign_in(org, client):
    response = client.get(AUDIT)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_log_filters_by_action(org, signed_in):
    record(org.admin, "group.archived", target_type="group", target_label="Old Group")
    record(org.admin, "company.created", target_type="company", target_label="New Co")
    db.session.commit()
    html = text(signed_in(org.admin).get(AUDIT + "?action=company.created"))
    assert "New Co" in html and "Old Group" not in html
    assert '<option value="company.created" selected>' in html
    assert "1 event" in html


def test_log_shows_time_in_the_viewers_time_zone(org, signed_in):
    org.admin.timezone = "Asia/Tokyo"
    record(org.admin, "company.created", target_label="Tokyo Co")
    db.session.commit()
    html = text(signed_in(org.admin).get(AUDIT))
    assert " JST</time>" in html


def test_log_is_paginated_newest_first(org, signed_in):
    for n in range(55):
        record(org.admin, "company.created", target_label=f"Company {n:02d}")
    db.session.commit()
    browser = signed_in(org.admin)
    first = text(browser.get(AUDIT + "?action=company.created"))
    assert "Company 54" in first and "Company 04" not in first
    assert "Page 1 of 2" in first
    assert 'href="/admin/audit/?page=2&amp;action=company.created"' in first
    second = text(browser.get(AUDIT + "?action=company.created&page=2"))
    assert "Company 04" in second and "Company 54" not in second


def test_nonsense_filters_are_harmless(org, signed_in):
    browser = signed_in(org.admin)
    for query in ("?action=" + "x" * 500, "?page=-3", "?page=zzz", "?page=10000000000000"):
        assert browser.get(AUDIT + query).status_code == 200
