"""Minutes never name who reported an anonymous item: an agenda item from an anonymous
submission appears by its topic only, in the minutes, the action items, the printed
agenda, the meeting book and the API, for members, the facilitator and an admin."""

from __future__ import annotations

import re

import pytest

from credgroup.extensions import db
from credgroup.meetings import actions, attendance, calls, minutes
from credgroup.meetings.models import ItemSubmission
from tests.meetings.records_world import (
    ANONYMOUS_TOPIC,
    RecordsApi,
    assert_no_trace,
    meeting_with_anonymous_item,
)


@pytest.fixture
def held(meeting_world):
    """Alice's anonymous item was discussed; Bob reviewed; the minutes are published."""
    w = meeting_world
    meeting, item_id = meeting_with_anonymous_item(w)
    attendance.record_attendance(
        w.fran, meeting, [w.alice.public_id, w.bob.public_id, w.ned.public_id, w.fran.public_id]
    )
    minutes.save_minutes(
        w.fran,
        meeting,
        summary="Four attended.",
        entries={item_id: {"text": "Two more members saw it.", "decisions": "Ask Coupa."}},
    )
    actions.add_action(
        w.fran,
        meeting,
        what="Ask Coupa about credit memos",
        owner_label="Facilitator",
        agenda_item=item_id,
    )
    minutes.send_for_review(w.fran, meeting)
    minutes.review_minutes(w.bob, meeting, approve=True)
    minutes.publish_minutes(w.fran, meeting)
    db.session.commit()
    return meeting


def _submission(meeting) -> ItemSubmission:
    return db.session.query(ItemSubmission).filter_by(meeting_id=meeting.id).one()


SELECT = re.compile(r"<select\b.*?</select>", re.S)


def _traces_absent(text: str, world, meeting) -> None:
    # The group's roster may be listed in a chooser ("who will do it"): never next to work.
    text = SELECT.sub("", text)
    assert_no_trace(text, world.alice)
    submission = _submission(meeting)
    assert calls.meeting_pseudonym(world.alice, meeting) not in text
    assert submission.submitter_pseudonym not in text
    assert submission.public_id not in text


def test_the_anonymous_item_was_really_submitted_anonymously(meeting_world, held):
    submission = _submission(held)
    assert submission.anonymous and submission.submitter_id is None


@pytest.mark.parametrize("who", ["bob", "ned", "fran", "admin"])
def test_minutes_pages_show_the_topic_but_never_the_reporter(meeting_world, held, who):
    w = meeting_world
    browser = w.browser(getattr(w, who))
    pages = [
        f"/meetings/{held.public_id}/minutes",
        f"/meetings/{held.public_id}/actions",
        f"/meetings/{held.public_id}/print",
    ]
    if who in ("fran", "admin"):
        pages.append(f"/meetings/{held.public_id}/book")
        pages.append(f"/meetings/{held.public_id}/minutes/edit")
    for url in pages:
        response = browser.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        if "/actions" not in url:
            assert ANONYMOUS_TOPIC in text, url
        _traces_absent(text, w, held)


@pytest.mark.parametrize("who", ["bob", "ned", "fran", "admin"])
def test_the_api_minutes_show_the_topic_but_never_the_reporter(app, meeting_world, held, who):
    w = meeting_world
    api = RecordsApi(app, w.factory, getattr(w, who))
    base = f"/meetings/{held.public_id}"
    minutes_json = api.get(f"{base}/minutes").get_data(as_text=True)
    assert ANONYMOUS_TOPIC in minutes_json
    for text in (minutes_json, api.get(f"{base}/actions").get_data(as_text=True)):
        _traces_absent(text, w, held)


def test_the_reviewers_email_does_not_name_the_reporter(meeting_world, held):
    from credgroup.notify.models import OutboxEmail

    for email in db.session.query(OutboxEmail).all():
        if "review the minutes" in email.subject and email.to_addr != meeting_world.alice.email:
            _traces_absent(email.body_text + (email.body_html or ""), meeting_world, held)
