"""Meeting records in the pages: RSVP, the statements, attendance, minutes with review,
action items, and who may do what."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.groups import services as group_services
from credgroup.meetings import attendance, compliance, meetings
from credgroup.meetings.models import (
    ActionItem,
    ActionStatus,
    Attendance,
    AttendanceMode,
    MinutesState,
    Rsvp,
    RsvpAnswer,
    StatementAcknowledgement,
)
from credgroup.notify.models import OutboxEmail
from tests.meetings.records_world import past_meeting


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# --- RSVP ---------------------------------------------------------------------------------------


def test_member_answers_yes_remote_and_can_change_the_answer(meeting_world):
    meeting = meeting_world.meeting()
    alice = meeting_world.browser(meeting_world.alice)
    url = f"/meetings/{meeting.public_id}/rsvp"

    response = alice.post_form(url, {"answer": "yes", "attendance": "remote"})
    assert response.status_code == 302
    rsvp = db.session.scalar(sa.select(Rsvp))
    assert (rsvp.answer, rsvp.attendance) == (RsvpAnswer.YES, AttendanceMode.REMOTE)

    alice.post_form(url, {"answer": "no"})
    db.session.expire_all()
    rsvp = db.session.scalar(sa.select(Rsvp))
    assert (rsvp.answer, rsvp.attendance) == (RsvpAnswer.NO, None)
    assert _count(Rsvp) == 1
    assert "You answered <strong>No</strong>" in alice.get(url).get_data(as_text=True)


def test_yes_to_a_meeting_held_in_person_and_by_video_asks_how(meeting_world):
    meeting = meeting_world.meeting()
    response = meeting_world.browser(meeting_world.bob).post_form(
        f"/meetings/{meeting.public_id}/rsvp", {"answer": "yes"}
    )
    assert response.status_code == 422
    assert "in person or join remotely" in response.get_data(as_text=True)
    assert _count(Rsvp) == 0


def test_rsvp_to_a_cancelled_meeting_is_refused_and_nothing_is_saved(meeting_world):
    meeting = meeting_world.meeting()
    bob = meeting_world.browser(meeting_world.bob)
    page = f"/meetings/{meeting.public_id}/rsvp"
    token_page = bob.get(page)
    assert token_page.status_code == 200
    meetings.cancel_meeting(meeting_world.fran, meeting)
    db.session.commit()

    response = bob.post_form(page, {"answer": "yes", "attendance": "in_person"})
    assert response.status_code == 422
    assert "This meeting was cancelled." in response.get_data(as_text=True)
    assert _count(Rsvp) == 0


def test_rsvp_to_a_meeting_that_is_over_is_refused(meeting_world):
    meeting = past_meeting(meeting_world, hours_ago=30)
    response = meeting_world.browser(meeting_world.bob).post_form(
        f"/meetings/{meeting.public_id}/rsvp", {"answer": "no"}
    )
    assert response.status_code == 422
    assert "already taken place" in response.get_data(as_text=True)


def test_rsvp_answer_that_is_not_a_choice_is_refused(meeting_world):
    meeting = meeting_world.meeting()
    response = meeting_world.browser(meeting_world.bob).post_form(
        f"/meetings/{meeting.public_id}/rsvp", {"answer": "definitely"}
    )
    assert response.status_code == 422
    assert _count(Rsvp) == 0


def test_people_outside_the_group_cannot_even_see_the_rsvp_page(meeting_world):
    meeting = meeting_world.meeting()
    olga = meeting_world.browser(meeting_world.olga)
    assert olga.get(f"/meetings/{meeting.public_id}/rsvp").status_code == 404
    assert olga.get(f"/meetings/{meeting.public_id}/statements").status_code == 404
    assert olga.get(f"/meetings/{meeting.public_id}/minutes").status_code == 404


def test_members_do_not_see_draft_meetings_records(meeting_world):
    meeting = meeting_world.meeting(publish=False)
    bob = meeting_world.browser(meeting_world.bob)
    assert bob.get(f"/meetings/{meeting.public_id}/rsvp").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(meeting_world, client):
    meeting = meeting_world.meeting()
    response = client.get(f"/meetings/{meeting.public_id}/statements")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


# --- the statements -----------------------------------------------------------------------------


def test_member_reads_the_three_statements_in_full_and_acknowledges_with_the_time(meeting_world):
    group = meeting_world.group
    group_services.update_group(
        meeting_world.fran, group, antitrust_statement="Only past facts. Never prices."
    )
    db.session.commit()
    meeting = meeting_world.meeting()
    alice = meeting_world.browser(meeting_world.alice)
    url = f"/meetings/{meeting.public_id}/statements"

    page = alice.get(url).get_data(as_text=True)
    assert "Only past facts. Never prices." in page
    assert group.antidefamation_statement.split(".")[0] in page
    assert group.confidentiality_statement.split(".")[0] in page
    assert "I acknowledge" in page

    before = datetime.now(UTC)
    assert alice.post_form(url, {}).status_code == 302
    after = datetime.now(UTC)
    ack = db.session.scalar(sa.select(StatementAcknowledgement))
    assert ack.user_id == meeting_world.alice.id
    assert before - timedelta(seconds=1) <= ack.acknowledged_at <= after
    assert ack.acknowledged_at.tzinfo is not None
    assert "Acknowledged" in alice.get(url).get_data(as_text=True)


def test_acknowledging_again_keeps_the_first_time(meeting_world):
    meeting = meeting_world.meeting()
    alice = meeting_world.browser(meeting_world.alice)
    url = f"/meetings/{meeting.public_id}/statements"
    alice.post_form(url, {})
    first = db.session.scalar(sa.select(StatementAcknowledgement)).acknowledged_at
    token = alice.get(f"/meetings/{meeting.public_id}/rsvp").get_data(as_text=True)
    from tests.fixtures.app import csrf_token_from

    alice.client.post(url, data={"csrf_token": csrf_token_from(token)})
    db.session.expire_all()
    assert _count(StatementAcknowledgement) == 1
    assert db.session.scalar(sa.select(StatementAcknowledgement)).acknowledged_at == first


def test_statements_changed_after_the_page_was_opened_must_be_read_again(meeting_world):
    meeting = meeting_world.meeting()
    alice = meeting_world.browser(meeting_world.alice)
    url = f"/meetings/{meeting.public_id}/statements"
    page = alice.get(url).get_data(as_text=True)
    from tests.fixtures.app import csrf_token_from

    old_digest = compliance.statements_digest(meeting_world.group)
    assert f'value="{old_digest}"' in page
    group_services.update_group(
        meeting_world.fran, meeting_world.group, confidentiality_statement="Nothing leaves."
    )
    db.session.commit()

    response = alice.client.post(
        url, data={"csrf_token": csrf_token_from(page), "digest": old_digest}
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "changed since you opened the page" in body
    assert "Nothing leaves." in body
    assert _count(StatementAcknowledgement) == 0


def test_statements_of_a_cancelled_meeting_cannot_be_acknowledged(meeting_world):
    meeting = meeting_world.meeting()
    meetings.cancel_meeting(meeting_world.fran, meeting)
    db.session.commit()
    response = meeting_world.browser(meeting_world.alice).post_form(
        f"/meetings/{meeting.public_id}/statements", {}
    )
    assert response.status_code == 422
    assert _count(StatementAcknowledgement) == 0


# --- attendance ---------------------------------------------------------------------------------


def test_facilitator_ticks_who_is_present_from_the_groups_people_and_staff(meeting_world):
    w = meeting_world
    meeting = past_meeting(w)
    fran = w.browser(w.fran)
    url = f"/meetings/{meeting.public_id}/attendance"
    page = fran.get(url).get_data(as_text=True)
    for person in (w.alice, w.ned, w.bob, w.fran):
        assert person.name in page
    assert w.olga.name not in page

    response = fran.post_form(
        url,
        {
            "present": [w.alice.public_id, w.fran.public_id],
            f"mode__{w.alice.public_id}": "remote",
        },
    )
    assert response.status_code == 302
    rows = {a.user_id: a for a in db.session.scalars(sa.select(Attendance))}
    assert rows[w.alice.id].present and rows[w.alice.id].attendance is AttendanceMode.REMOTE
    assert rows[w.fran.id].present
    assert not rows[w.bob.id].present and not rows[w.ned.id].present
    assert attendance.is_attendee(w.alice, meeting)


def test_members_cannot_take_attendance(meeting_world):
    meeting = past_meeting(meeting_world)
    bob = meeting_world.browser(meeting_world.bob)
    assert bob.get(f"/meetings/{meeting.public_id}/attendance").status_code == 403
    fran_page = meeting_world.browser(meeting_world.fran).get(
        f"/meetings/{meeting.public_id}/attendance"
    )
    from tests.fixtures.app import csrf_token_from

    # Even with a valid form token of their own, a member's post is refused.
    token = csrf_token_from(bob.get(f"/meetings/{meeting.public_id}/statements").get_data(True))
    response = bob.client.post(
        f"/meetings/{meeting.public_id}/attendance",
        data={"csrf_token": token, "present": [meeting_world.bob.public_id]},
    )
    assert fran_page.status_code == 200
    assert response.status_code == 403
    assert _count(Attendance) == 0


def test_an_unknown_person_on_the_attendance_list_saves_nothing(meeting_world):
    meeting = past_meeting(meeting_world)
    response = meeting_world.browser(meeting_world.fran).post_form(
        f"/meetings/{meeting.public_id}/attendance",
        {"present": [meeting_world.alice.public_id, meeting_world.olga.public_id]},
    )
    assert response.status_code == 422
    assert "not a person of this group" in response.get_data(as_text=True)
    assert _count(Attendance) == 0


def test_attendance_is_not_taken_before_the_day(meeting_world):
    meeting = meeting_world.meeting(starts_in=timedelta(days=10))
    response = meeting_world.browser(meeting_world.fran).post_form(
        f"/meetings/{meeting.public_id}/attendance", {"present": []}
    )
    assert response.status_code == 422
    assert "on the day of the meeting" in response.get_data(as_text=True)
    assert _count(Attendance) == 0


# --- minutes ------------------------------------------------------------------------------------


def _take_attendance(world, meeting, *people):
    attendance.record_attendance(world.fran, meeting, [p.public_id for p in people])
    db.session.commit()


def test_minutes_go_from_draft_to_attendee_review_to_published(meeting_world):
    w = meeting_world
    meeting = past_meeting(w)
    _take_attendance(w, meeting, w.alice, w.bob, w.fran)
    statements_item = meeting.items[0]
    fran = w.browser(w.fran)
    minutes_url = f"/meetings/{meeting.public_id}/minutes"

    response = fran.post_form(
        f"{minutes_url}/edit",
        {
            "summary": "A short meeting.",
            f"text__{statements_item.public_id}": "The facilitator read the statements.",
            f"decisions__{statements_item.public_id}": "None.",
        },
    )
    assert response.status_code == 302
    # A draft: members (even attendees) do not see it.
    assert w.browser(w.bob).get(minutes_url).status_code == 404
    assert "The facilitator read the statements." in fran.get(minutes_url).get_data(True)

    assert (
        fran.post_form(minutes_url, {}, action=f"{minutes_url}/send-for-review").status_code == 302
    )
    assert meeting.minutes.state is MinutesState.REVIEW
    assert sorted(e.to_addr for e in db.session.scalars(sa.select(OutboxEmail))) == sorted(
        [w.alice.email, w.bob.email]
    )

    bob = w.browser(w.bob)
    assert "Your review" in bob.get(minutes_url).get_data(True)
    # Ned did not attend: he neither sees the minutes in review nor reviews them.
    assert w.browser(w.ned).get(minutes_url).status_code == 404
    response = bob.post_form(minutes_url, {"approve": "y"}, action=f"{minutes_url}/review")
    assert response.status_code == 302
    alice = w.browser(w.alice)
    alice.post_form(minutes_url, {"comment": "Add the date."}, action=f"{minutes_url}/review")
    staff_page = fran.get(minutes_url).get_data(True)
    assert "1 approved" in staff_page and "Add the date." in staff_page

    assert fran.post_form(minutes_url, {}, action=f"{minutes_url}/publish").status_code == 302
    db.session.expire_all()
    assert meeting.minutes.state is MinutesState.PUBLISHED
    ned_page = w.browser(w.ned).get(minutes_url)
    assert ned_page.status_code == 200
    assert "The facilitator read the statements." in ned_page.get_data(True)
    # Published minutes cannot be edited any more.
    response = fran.client.get(f"{minutes_url}/edit")
    assert response.status_code == 200  # the page explains; the save is refused
    response = fran.post_form(
        f"{minutes_url}/edit", {f"text__{statements_item.public_id}": "Rewritten."}
    )
    assert response.status_code == 409
    db.session.expire_all()
    assert meeting.minutes.entries[0].text == "The facilitator read the statements."


def test_only_facilitators_write_minutes(meeting_world):
    meeting = past_meeting(meeting_world)
    bob = meeting_world.browser(meeting_world.bob)
    assert bob.get(f"/meetings/{meeting.public_id}/minutes/edit").status_code == 403
    response = bob.post_form(
        f"/meetings/{meeting.public_id}/statements",
        {},
        action=f"/meetings/{meeting.public_id}/minutes/publish",
    )
    assert response.status_code == 403


def test_minutes_cannot_go_to_review_before_attendance(meeting_world):
    meeting = past_meeting(meeting_world)
    fran = meeting_world.browser(meeting_world.fran)
    url = f"/meetings/{meeting.public_id}/minutes"
    fran.post_form(f"{url}/edit", {"summary": "Draft"})
    response = fran.post_form(url, {}, action=f"{url}/send-for-review")
    assert response.status_code == 422
    assert "Take attendance first" in response.get_data(True)
    db.session.expire_all()
    assert meeting.minutes.state is MinutesState.DRAFT


def test_over_long_minutes_are_refused_and_nothing_is_saved(meeting_world):
    meeting = past_meeting(meeting_world)
    item = meeting.items[0]
    response = meeting_world.browser(meeting_world.fran).post_form(
        f"/meetings/{meeting.public_id}/minutes/edit",
        {"summary": "Fine", f"text__{item.public_id}": "x" * 20_001},
    )
    assert response.status_code == 422
    assert "at most 20,000 characters" in response.get_data(True)
    assert meeting.minutes is None


def test_a_review_needs_an_approval_or_a_comment(meeting_world):
    w = meeting_world
    meeting = past_meeting(w)
    _take_attendance(w, meeting, w.bob)
    fran = w.browser(w.fran)
    url = f"/meetings/{meeting.public_id}/minutes"
    fran.post_form(f"{url}/edit", {"summary": "Draft"})
    fran.post_form(url, {}, action=f"{url}/send-for-review")
    response = w.browser(w.bob).post_form(url, {"comment": ""}, action=f"{url}/review")
    assert response.status_code == 422
    assert "Approve the minutes, or say what should change." in response.get_data(True)
    assert meeting.minutes.reviews == []


# --- action items -------------------------------------------------------------------------------


def test_facilitator_adds_an_action_for_a_person_who_sees_it_and_marks_it_done(meeting_world):
    w = meeting_world
    meeting = past_meeting(w)
    fran = w.browser(w.fran)
    url = f"/meetings/{meeting.public_id}/actions"
    response = fran.post_form(
        url,
        {
            "what": "Ask Coupa support about dropped credit memos",
            "owner": w.bob.public_id,
            "due_on": "2031-03-31",
        },
    )
    assert response.status_code == 302
    action = db.session.scalar(sa.select(ActionItem))
    assert action.owner_user_id == w.bob.id and action.due_on.isoformat() == "2031-03-31"

    bob = w.browser(w.bob)
    mine = bob.get("/actions/mine").get_data(True)
    assert "Ask Coupa support about dropped credit memos" in mine
    assert "Ask Coupa" not in w.browser(w.alice).get("/actions/mine").get_data(True)

    response = bob.post_form(
        "/actions/mine",
        {"status": "done", "next": "mine"},
        action=f"/actions/{action.public_id}/status",
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert action.status is ActionStatus.DONE and action.completed_on is not None


def test_someone_elses_action_cannot_be_closed_by_a_member(meeting_world):
    w = meeting_world
    meeting = past_meeting(w)
    fran = w.browser(w.fran)
    fran.post_form(
        f"/meetings/{meeting.public_id}/actions",
        {"what": "Collect examples", "owner": w.bob.public_id},
    )
    action = db.session.scalar(sa.select(ActionItem))
    response = w.browser(w.alice).post_form(
        f"/meetings/{meeting.public_id}/actions",
        {"status": "done"},
        action=f"/actions/{action.public_id}/status",
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert action.status is ActionStatus.OPEN


def test_members_cannot_add_actions(meeting_world):
    meeting = past_meeting(meeting_world)
    response = meeting_world.browser(meeting_world.bob).post_form(
        f"/meetings/{meeting.public_id}/actions", {"what": "Anything", "owner_label": "Members"}
    )
    assert response.status_code == 403
    assert _count(ActionItem) == 0


def test_bad_action_input_is_refused_with_a_clear_message_and_nothing_saved(meeting_world):
    w = meeting_world
    meeting = past_meeting(w)
    fran = w.browser(w.fran)
    url = f"/meetings/{meeting.public_id}/actions"
    cases = [
        ({"what": "Call", "owner": w.olga.public_id}, "not in this group"),
        ({"what": "Call", "owner": "no-such-person"}, "not in this group"),
        ({"what": "Call", "owner_label": "Facilitator", "due_on": "next tuesday"}, "Enter a date"),
        ({"what": "Call", "owner_label": "Facilitator", "due_on": "2025-02-30"}, "Enter a date"),
        ({"what": "x" * 501, "owner_label": "Facilitator"}, "at most 500 characters"),
        ({"what": "Call"}, "Choose who will do it"),
        ({"what": "Call", "owner": w.bob.public_id, "owner_label": "Bob"}, "not both"),
        ({"what": "", "owner_label": "Facilitator"}, "Say what is to be done."),
    ]
    for data, message in cases:
        response = fran.post_form(url, data)
        assert response.status_code == 422, data
        assert message in response.get_data(True), data
    assert _count(ActionItem) == 0


def test_label_owned_action_with_a_free_text_owner(meeting_world):
    meeting = past_meeting(meeting_world)
    fran = meeting_world.browser(meeting_world.fran)
    fran.post_form(
        f"/meetings/{meeting.public_id}/actions",
        {"what": "Circulate the portal survey", "owner_label": "All members"},
    )
    page = meeting_world.browser(meeting_world.bob).get(f"/meetings/{meeting.public_id}/actions")
    assert "Circulate the portal survey" in page.get_data(True)
    assert "All members" in page.get_data(True)


def test_facilitator_edits_an_action(meeting_world):
    w = meeting_world
    meeting = past_meeting(w)
    fran = w.browser(w.fran)
    fran.post_form(
        f"/meetings/{meeting.public_id}/actions",
        {"what": "Collect examples", "owner_label": "Fran"},
    )
    action = db.session.scalar(sa.select(ActionItem))
    url = f"/actions/{action.public_id}/edit"
    response = fran.post_form(
        url,
        {
            "what": "Collect three examples",
            "owner": w.alice.public_id,
            "owner_label": "",
            "status": "dropped",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert action.what == "Collect three examples"
    assert action.owner_user_id == w.alice.id and action.owner_label == ""
    assert action.status is ActionStatus.DROPPED
    assert w.browser(w.bob).get(url).status_code == 403
