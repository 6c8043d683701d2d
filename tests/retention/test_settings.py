"""The retention setting: administrators only, validated, audited, on the admin pages."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from credgroup.audit.models import AuditEvent
from credgroup.errors import PermissionDenied, ValidationError
from credgroup.extensions import db
from credgroup.groups.models import Association
from credgroup.retention import policy
from tests.retention.conftest import age, set_retention_months

URL = "/admin/retention/"


def audit_events() -> list[AuditEvent]:
    query = sa.select(AuditEvent).where(AuditEvent.action == "association.retention_changed")
    return list(db.session.scalars(query))


@pytest.mark.parametrize("months", [11, 241, 0, -12, "24", 24.0, True])
def test_out_of_range_or_non_integer_months_are_refused(months):
    with pytest.raises(ValidationError) as refused:
        policy.clean_months(months)
    assert refused.value.field == "report_retention_months"


@pytest.mark.parametrize("months", [None, "", 12, 36, 240])
def test_allowed_values(months):
    assert policy.clean_months(months) == (months or None)


def test_first_save_creates_the_association_row_and_audits(world, app):
    assert db.session.scalar(sa.select(Association)) is None

    policy.set_retention(world.admin, 36)
    db.session.commit()

    row = db.session.scalar(sa.select(Association))
    assert row.name == app.config["ASSOCIATION_NAME"]
    assert policy.retention_months() == 36
    (event,) = audit_events()
    assert event.actor_id == world.admin.id
    assert event.details == {"old_months": None, "new_months": 36}


def test_saving_the_same_value_records_nothing_new(world):
    set_retention_months(24)
    policy.set_retention(world.admin, 24)
    db.session.commit()
    assert audit_events() == []


def test_only_administrators_change_retention(world):
    for person in (world.facilitator, world.members[0]):
        with pytest.raises(PermissionDenied):
            policy.set_retention(person, 24)
    assert policy.retention_months() is None


def test_admin_page_saves_and_clears_the_setting(world, browser):
    browser.login(world.admin.email)
    page = browser.get(URL)
    assert page.status_code == 200
    assert "every report is kept for ever" in page.get_data(as_text=True)

    saved = browser.post_form(URL, {"report_retention_months": "30"}, follow_redirects=True)
    assert "The retention setting was saved." in saved.get_data(as_text=True)
    assert "reports inactive for 30 months are purged" in saved.get_data(as_text=True)
    assert policy.retention_months() == 30

    browser.post_form(URL, {"report_retention_months": ""})
    db.session.expire_all()
    assert policy.retention_months() is None
    assert [e.details["new_months"] for e in audit_events()] == [30, None]


def test_admin_page_says_how_many_reports_would_go(world, browser):
    old = world.publish("old")
    world.publish("recent")
    age(old)
    set_retention_months(12)
    browser.login(world.admin.email)

    html = browser.get(URL).get_data(as_text=True)

    assert "1 report will go at the worker" in html


def test_admin_page_refuses_a_short_retention(world, browser):
    browser.login(world.admin.email)
    refused = browser.post_form(URL, {"report_retention_months": "3"})
    assert refused.status_code == 422
    assert "between 12 and 240" in refused.get_data(as_text=True)
    assert policy.retention_months() is None


def test_page_is_for_administrators_only(world, browser):
    browser.login(world.facilitator.email)
    assert browser.get(URL).status_code == 403
    assert browser.client.post(URL, data={"report_retention_months": "12"}).status_code in (
        400,
        403,
    )


def test_admin_navigation_links_to_retention(world, browser):
    browser.login(world.admin.email)
    html = browser.get("/admin/").get_data(as_text=True)
    assert f'href="{URL}"' in html
