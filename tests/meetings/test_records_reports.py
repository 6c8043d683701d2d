"""The attendance and acknowledgement reports (per meeting and per year, with CSV), and
where open action items show up: the next agenda, the owner's home page, the reminders."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import flask_login
from flask import render_template_string

from credgroup.extensions import db
from credgroup.meetings import actions, agenda, attendance, compliance, meetings, records_report
from credgroup.meetings.models import ActionStatus
from tests.meetings.records_world import past_meeting


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _held_meeting(world, *, hours_ago: int, present, acknowledged=(), title="Meeting"):
    meeting = world.meeting(title=title)
    acks = [compliance.acknowledge_statements(person, meeting) for person in acknowledged]
    db.session.commit()
    # Time passes: the meeting takes place; the acknowledgements were a day before it.
    start = datetime.now(UTC) - timedelta(hours=hours_ago)
    meetings.update_meeting(world.fran, meeting, starts_at=start)
    for ack in acks:
        ack.acknowledged_at = start - timedelta(days=1)
    attendance.record_attendance(world.fran, meeting, [p.public_id for p in present])
    db.session.commit()
    return meeting


def test_meeting_report_lists_answers_presence_and_acknowledgement_times(meeting_world):
    w = meeting_world
    meeting = _held_meeting(w, hours_ago=2, present=[w.alice, w.bob], acknowledged=[w.alice])
    fran = w.browser(w.fran)
    page = fran.get(f"/meetings/{meeting.public_id}/attendance/report").get_data(True)
    assert "Present without acknowledging" in page
    assert "Alice Archer" in page and "Bob Boulder" in page

    response = fran.get(f"/meetings/{meeting.public_id}/attendance/report.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = {r["person"]: r for r in _rows(response.get_data(as_text=True))}
    assert rows["Alice Archer"]["present"] == "yes"
    assert rows["Alice Archer"]["acknowledged_before_start"] == "yes"
    assert rows["Alice Archer"]["acknowledged_at"].startswith(str(meeting.starts_at.year)[:2])
    assert rows["Bob Boulder"]["acknowledged_at"] == ""
    assert rows["Ned North"]["present"] == "no"
    assert rows["Fran Facilitator"]["company"] == "Association staff"
    assert (
        w.browser(w.bob).get(f"/meetings/{meeting.public_id}/attendance/report").status_code == 403
    )


def test_yearly_report_per_company_and_person_with_csv(meeting_world):
    w = meeting_world
    first = _held_meeting(
        w, hours_ago=24 * 3, present=[w.alice, w.ned, w.bob], acknowledged=[w.alice], title="A"
    )
    _held_meeting(w, hours_ago=3, present=[w.alice], acknowledged=[w.alice, w.bob], title="B")
    cancelled = w.meeting(title="Cancelled one")
    meetings.cancel_meeting(w.fran, cancelled)
    db.session.commit()
    year = first.starts_at.astimezone().year
    fran = w.browser(w.fran)
    slug = w.group.slug

    page = fran.get(f"/g/{slug}/attendance-report?year={year}").get_data(True)
    assert "Per member company" in page and "Cancelled one" not in page

    people = {
        r["person"]: r
        for r in _rows(
            fran.get(f"/g/{slug}/attendance-report.csv?year={year}&by=people").get_data(True)
        )
    }
    assert people["Alice Archer"]["meetings_attended"] == "2"
    assert people["Alice Archer"]["acknowledged_when_present"] == "2"
    assert people["Bob Boulder"]["meetings_attended"] == "1"
    assert people["Bob Boulder"]["acknowledgements"] == "1"
    assert people["Bob Boulder"]["acknowledged_when_present"] == "0"
    assert people["Ned North"]["meetings_expected"] == "2"

    companies = {
        r["company"]: r
        for r in _rows(
            fran.get(f"/g/{slug}/attendance-report.csv?year={year}&by=companies").get_data(True)
        )
    }
    assert companies["Northfield Aggregates Inc."]["meetings_attended"] == "2"
    assert companies["Northfield Aggregates Inc."]["people_attended"] == "2"
    assert companies["Granite Ridge Supply"]["meetings_attended"] == "1"
    assert "Association staff" not in companies

    # Another year has none of this.
    empty = fran.get(f"/g/{slug}/attendance-report.csv?year={year - 1}&by=people")
    assert _rows(empty.get_data(True)) == []


def test_yearly_report_is_for_facilitators_and_refuses_bad_years(meeting_world):
    w = meeting_world
    slug = w.group.slug
    assert w.browser(w.bob).get(f"/g/{slug}/attendance-report").status_code == 403
    assert w.browser(w.olga).get(f"/g/{slug}/attendance-report").status_code == 404
    fran = w.browser(w.fran)
    assert fran.get(f"/g/{slug}/attendance-report?year=abcd").status_code == 422
    assert fran.get(f"/g/{slug}/attendance-report.csv?by=everyone").status_code == 422


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(meeting_world):
    w = meeting_world
    w.factory.member(w.bob.company, email="eve@graniteridge.example", name='=HYPERLINK("http://x")')
    meeting = _held_meeting(w, hours_ago=2, present=[w.bob])
    text = w.browser(w.fran).get(f"/meetings/{meeting.public_id}/attendance/report.csv")
    assert "'=HYPERLINK" in text.get_data(True)


# --- open action items --------------------------------------------------------------------------


def _actions(world):
    meeting = past_meeting(world, hours_ago=24 * 20, title="Last month")
    due_past = date.today() - timedelta(days=3)
    open_bob = actions.add_action(
        world.fran, meeting, what="Share the ticket", owner=world.bob.public_id, due_on=due_past
    )
    label = actions.add_action(
        world.fran, meeting, what="Circulate survey", owner_label="All members", due_on=due_past
    )
    done = actions.add_action(world.fran, meeting, what="Old thing", owner=world.bob.public_id)
    actions.set_action_status(world.fran, done, "done")
    due_today = actions.add_action(
        world.fran, meeting, what="Due today", owner=world.alice.public_id, due_on=date.today()
    )
    db.session.commit()
    return meeting, open_bob, label, done, due_today


def test_open_actions_show_on_the_next_meetings_agenda(meeting_world):
    _, open_bob, label, done, due_today = _actions(meeting_world)
    following = meeting_world.meeting(starts_in=timedelta(days=10), title="Next month")
    shown = agenda.open_actions(following)
    assert {a.what for a in shown} == {open_bob.what, label.what, due_today.what}
    assert actions.open_action_items is actions.open_actions_for_group
    assert done not in actions.open_actions_for_group(meeting_world.group)


def test_overdue_actions_are_open_past_due_and_owned_by_a_person(meeting_world):
    _, open_bob, _, _, due_today = _actions(meeting_world)
    assert actions.overdue_actions(date.today()) == [open_bob]
    assert actions.overdue_actions(date.today() + timedelta(days=1)) == [open_bob, due_today]
    actions.set_action_status(meeting_world.fran, open_bob, ActionStatus.DROPPED)
    assert actions.overdue_actions(date.today()) == []


def test_home_page_partial_lists_the_persons_open_actions(app, meeting_world):
    _, open_bob, _, done, _ = _actions(meeting_world)
    with app.test_request_context("/"):
        flask_login.login_user(meeting_world.bob)
        html = render_template_string('{% include "meetings/_my_actions.html" %}')
    assert open_bob.what in html and done.what not in html
    assert "overdue" in html
    assert f"/actions/{open_bob.public_id}/status" in html
    with app.test_request_context("/"):
        flask_login.login_user(meeting_world.ned)
        assert render_template_string('{% include "meetings/_my_actions.html" %}').strip() == ""


def test_actions_of_a_group_the_person_left_are_not_on_their_home(meeting_world):
    from credgroup.groups import services as group_services

    _, open_bob, *_ = _actions(meeting_world)
    assert actions.my_open_actions(meeting_world.bob) == [open_bob]
    group_services.remove_company_from_group(
        meeting_world.admin, meeting_world.group, meeting_world.bob.company
    )
    db.session.commit()
    assert actions.my_open_actions(meeting_world.bob) == []


def test_meeting_page_panel_offers_rsvp_statements_and_records(meeting_world):
    w = meeting_world
    meeting = w.meeting()
    page = w.browser(w.bob).get(f"/meetings/{meeting.public_id}")
    if page.status_code == 404:  # the meetings core's page is not there yet
        return
    text = page.get_data(as_text=True)
    assert f"/meetings/{meeting.public_id}/rsvp" in text
    assert f"/meetings/{meeting.public_id}/statements" in text
    assert f"/meetings/{meeting.public_id}/book" not in text
    staff = w.browser(w.fran).get(f"/meetings/{meeting.public_id}").get_data(as_text=True)
    assert f"/meetings/{meeting.public_id}/book" in staff
    assert f"/meetings/{meeting.public_id}/attendance" in staff


def test_demo_records_fill_a_held_meeting_once(meeting_world):
    from credgroup.meetings.demo_records import add_demo_records
    from credgroup.meetings.models import MinutesState

    w = meeting_world
    meeting = past_meeting(w, hours_ago=24 * 10)
    meetings.mark_held(w.fran, meeting)
    add_demo_records(meeting)
    db.session.commit()
    add_demo_records(meeting)  # a second run changes nothing
    db.session.commit()

    assert meeting.minutes.state is MinutesState.PUBLISHED
    assert len(meeting.minutes.entries) == len(meeting.items)
    assert len(actions.meeting_actions(meeting)) == 2
    report = records_report.meeting_report(w.fran, meeting)
    assert report.attendance_taken and report.present >= 2
    assert all(
        records_report.acknowledged_before_start(row, meeting) for row in report.rows if row.present
    )
    page = w.browser(w.bob).get(f"/meetings/{meeting.public_id}/minutes")
    assert page.status_code == 200 and "Published" in page.get_data(True)
