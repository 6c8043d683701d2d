"""Timing leaks: a time of day could be matched against who was signed in, so what others
see of a contribution is a calendar day at most (the incident: a month)."""

from __future__ import annotations

import re

import sqlalchemy as sa
from markupsafe import escape

from credgroup.reports import presenters
from credgroup.reports.enums import ContributionState
from tests.anonymity.test_attacker_api import TIMESTAMP, fields
from tests.anonymity.test_attacker_pages import signed_in

DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTH = re.compile(r"^\d{4}-\d{2}$")
CLOCK = re.compile(r"(?<![\d.])\d{1,2}:\d{2}(?![\d])")


def test_report_details_hold_days_and_months_never_a_time(attack_world):
    for viewer in attack_world.attackers.values():
        for report in attack_world.a_published:
            detail = presenters.report_detail(viewer, report)
            for key, value in fields(detail):
                assert not key.endswith(("_at", "_time", "timestamp")), key
                assert not TIMESTAMP.search(str(value)), (key, value)
                if key.endswith("_on") and value is not None:
                    assert DAY.match(value), (key, value)
            assert detail["incident_month"] is None or MONTH.match(detail["incident_month"])


def test_report_tables_store_no_time_of_day(app):
    """Columns, not just presenters: a datetime column is one template away from a page, and
    in a database dump it could be matched against sign-in times."""
    from credgroup.extensions import db

    report_tables = [t for t in db.metadata.sorted_tables if t.name.startswith("report")]
    assert len(report_tables) >= 4
    for table in report_tables:
        for column in table.columns:
            column_type = column.type
            if isinstance(column_type, sa.TypeDecorator):
                column_type = column_type.impl_instance
            assert not isinstance(column_type, sa.DateTime | sa.Time), f"{table}.{column.name}"


def test_report_pages_and_the_queue_show_no_clock_time(make_browser, attack_world):
    member = signed_in(make_browser, attack_world.member.email)
    for report in attack_world.a_published:
        if report.group_id != attack_world.group.id:
            continue
        html = member.get(f"/reports/{report.public_id}").get_data(as_text=True)
        assert str(escape(report.title)) in html
        assert not CLOCK.findall(html), report.title
        assert not re.search(r'datetime="[^"]*T', html)

    queued = attack_world.a_hidden["review"]
    assert queued.state is ContributionState.IN_REVIEW
    facilitator = signed_in(make_browser, attack_world.facilitator.email)
    html = facilitator.get(f"/g/{attack_world.group.slug}/review").get_data(as_text=True)
    assert str(escape(queued.title)) in html
    assert not CLOCK.findall(html)
