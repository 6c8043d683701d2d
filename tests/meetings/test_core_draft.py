"""'Draft from what members are reporting': most confirmed open reports, then problems
rising since the last meeting, never from a cell behind fewer companies than the threshold."""

from __future__ import annotations

import pytest

from credgroup.errors import ValidationError
from credgroup.extensions import db
from credgroup.meetings import agenda
from credgroup.portals.services import seed_catalogue
from credgroup.reports import authoring, discussion
from credgroup.reports.enums import ConfirmationKind
from tests.reports.conftest import REPORT_DATA


def post(user, group, title: str, **changes):
    data = {**REPORT_DATA, "title": title, "body": "Rejected again.", **changes}
    report = authoring.publish_report(user, group, data, redact_keys=[])
    db.session.commit()
    return report


@pytest.fixture
def reporting(meeting_world):
    seed_catalogue()
    db.session.commit()
    return meeting_world


def test_most_confirmed_open_reports_are_proposed_and_added_with_their_link(reporting):
    w = reporting
    confirmed = post(w.alice, w.group, "Ariba INV-15 rejections")
    post(w.bob, w.group, "Unconfirmed thing")
    discussion.confirm(w.bob, confirmed, ConfirmationKind.HIT_TOO)
    db.session.commit()
    meeting = w.meeting()
    proposals = agenda.draft_from_reports(w.fran, meeting)
    assert [p.title for p in proposals] == ["Ariba INV-15 rejections"]
    assert "1 member company hit this too" in proposals[0].reason
    (item,) = agenda.add_proposals(w.fran, meeting, [proposals[0].key])
    assert item.report_id == confirmed.id
    # Once on the agenda it is not proposed again.
    assert agenda.draft_from_reports(w.fran, meeting) == []
    with pytest.raises(ValidationError):
        agenda.add_proposals(w.fran, meeting, ["report:unknown"])


def test_rising_problems_need_enough_companies_behind_them(reporting):
    w = reporting
    carol_company = w.factory.company("Harbor Cement", groups=[w.group])
    carol = w.factory.member(carol_company, email="carol@harbor.example")
    for person in (w.alice, w.bob):
        post(person, w.group, f"Ariba rejects, seen by {person.name.split()[0]}")
    meeting = w.meeting()
    assert not [p for p in agenda.draft_from_reports(w.fran, meeting) if p.key.startswith("rising")]
    w.group.anonymity_threshold = 3
    db.session.commit()
    post(carol, w.group, "Ariba rejects here too")
    rising = [p for p in agenda.draft_from_reports(w.fran, meeting) if p.key.startswith("rising")]
    assert len(rising) == 1
    assert "3 new reports" in rising[0].reason
    assert "Northfield" not in rising[0].title + rising[0].reason


def test_members_cannot_draft_the_agenda(reporting):
    w = reporting
    meeting = w.meeting()
    from credgroup.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        agenda.draft_from_reports(w.alice, meeting)
    assert w.browser(w.alice).get(f"/meetings/{meeting.public_id}/agenda/draft").status_code == 403


def test_trend_report_since_the_last_meeting_goes_on_the_agenda_once(reporting):
    pytest.importorskip("credgroup.trends.service")
    w = reporting
    meeting = w.meeting()
    fran = w.browser(w.fran)
    url = f"/meetings/{meeting.public_id}/agenda"
    assert fran.post_form(url, {}, action=f"{url}/trend-report").status_code == 302
    assert fran.post_form(url, {}, action=f"{url}/trend-report").status_code == 302
    db.session.expire_all()
    items = [i for i in meeting.items if i.kind.value == "trend_report"]
    assert len(items) == 1 and items[0].trend_report_ref
    page = w.browser(w.bob).get(f"/meetings/{meeting.public_id}").get_data(as_text=True)
    assert items[0].trend_report_ref in page  # linked from the agenda
    assert (
        w.browser(w.bob)
        .post_form(f"/meetings/{meeting.public_id}", {}, action=f"{url}/trend-report")
        .status_code
        == 403
    )
