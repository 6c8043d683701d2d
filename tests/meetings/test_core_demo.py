"""Demo meetings: past ones held, an upcoming one with its call open; loading twice adds
nothing; no anonymous submitter shows anywhere a facilitator looks."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from credgroup.demo.load import load_demo_data
from credgroup.extensions import db
from credgroup.meetings import calls
from credgroup.meetings.demo import ANONYMOUS_MEMBER, FACILITATOR, load_demo_meetings
from credgroup.meetings.models import ItemSubmission, Meeting, MeetingStatus


def test_demo_meetings_are_made_once_with_a_past_and_an_open_call(app, make_browser):
    summary = load_demo_data()  # demo-data loads the meetings with everything else
    db.session.commit()
    assert summary.created["meetings"] == 4
    assert load_demo_meetings() == 0
    db.session.commit()

    all_meetings = db.session.scalars(sa.select(Meeting).order_by(Meeting.starts_at)).all()
    now = datetime.now(UTC)
    held = [m for m in all_meetings if m.status is MeetingStatus.HELD]
    assert len(held) == 2 and all(m.starts_at < now for m in held)
    upcoming = [m for m in all_meetings if m.starts_at > now]
    with_call = [m for m in upcoming if m.call is not None]
    assert len(with_call) == 1 and calls.accepting(with_call[0].call)
    anonymous = db.session.scalars(
        sa.select(ItemSubmission).where(ItemSubmission.anonymous.is_(True))
    ).one()
    assert anonymous.submitter_id is None

    browser = make_browser()
    browser.login(FACILITATOR, "demo-password-2026")
    page = browser.get(f"/meetings/{with_call[0].public_id}/call").get_data(as_text=True)
    assert "Anonymous member" in page
    assert ANONYMOUS_MEMBER not in page and "Dana Whitfield" not in page
    assert "Northfield" not in page
    assert browser.get(f"/meetings/{held[-1].public_id}").status_code == 200
