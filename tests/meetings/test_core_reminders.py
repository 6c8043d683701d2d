"""Reminders go out through the outbox, by the worker, exactly once; rescheduling re-times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.meetings import calls, jobs, meetings, reminders
from credgroup.meetings.models import ActionItem, ReminderLog, Rsvp, RsvpAnswer
from credgroup.notify.models import OutboxEmail
from credgroup.notify.outbox import drain_outbox
from credgroup.worker.registry import collect_jobs
from credgroup.worker.scheduler import run_job

JOB = next(job for job in collect_jobs() if job.id == jobs.REMINDERS_JOB)


@pytest.fixture
def app_config(smtp_server):
    return {**smtp_server.config(), "MEETING_REMINDER_DAYS": 7}


def outbox(subject_part: str = "") -> list[OutboxEmail]:
    db.session.expire_all()
    rows = db.session.scalars(sa.select(OutboxEmail).order_by(OutboxEmail.id)).all()
    return [r for r in rows if subject_part in r.subject]


def test_meeting_reminder_is_sent_once_by_the_worker_with_the_ics(app, meeting_world, smtp_server):
    w = meeting_world
    meeting = w.meeting(starts_in=timedelta(days=5), title="May meeting")
    db.session.add(Rsvp(meeting=meeting, user=w.ned, answer=RsvpAnswer.NO))
    db.session.commit()

    first = run_job(app, JOB)
    again = run_job(app, JOB)  # a restarted worker runs it again
    assert first.status == again.status == "ok"

    reminders_sent = outbox("Reminder: May meeting")
    # Alice, Bob and Fran; Ned said no.
    assert sorted(e.to_addr for e in reminders_sent) == sorted(
        [w.alice.email, w.bob.email, w.fran.email]
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReminderLog)) == 1

    drain_outbox(app)
    message = next(m for m in smtp_server.messages if w.alice.email in m.rcpt_tos).message
    assert "Agenda:" in message.get_body(preferencelist=("plain",)).get_content()
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == f"meeting-{meeting.public_id}.ics"
    cal = icalendar.Calendar.from_ical(attachment.get_content())
    (event,) = cal.walk("VEVENT")
    assert event["DTSTART"].dt.astimezone(UTC) == meeting.starts_at


def test_meetings_further_away_or_drafts_get_no_reminder_yet(app, meeting_world):
    w = meeting_world
    w.meeting(starts_in=timedelta(days=20))
    w.meeting(starts_in=timedelta(days=3), publish=False)
    assert run_job(app, JOB).status == "ok"
    assert outbox() == []


def test_rescheduling_re_times_the_reminder(app, meeting_world):
    w = meeting_world
    meeting = w.meeting(starts_in=timedelta(days=5), title="Moving meeting")
    run_job(app, JOB)
    assert len(outbox("Moving meeting")) == 4
    db.session.expire_all()
    meeting = meetings.get_meeting(w.fran, meeting.public_id)
    later = meetings.local_start(meeting).replace(tzinfo=None) + timedelta(days=20)
    meetings.update_meeting(w.fran, meeting, starts_local=later)
    db.session.commit()
    run_job(app, JOB)
    assert len(outbox("Moving meeting")) == 4  # now three weeks away: nothing yet
    now = datetime.now(UTC) + timedelta(days=19)
    reminders.send_due_reminders(now)
    db.session.commit()
    assert len(outbox("Moving meeting")) == 8  # the new date's reminder
    reminders.send_due_reminders(now + timedelta(hours=1))
    db.session.commit()
    assert len(outbox("Moving meeting")) == 8


def test_cancelled_meeting_gets_no_reminder_and_people_are_told(app, meeting_world):
    w = meeting_world
    meeting = w.meeting(starts_in=timedelta(days=5), title="Off")
    meetings.cancel_meeting(w.fran, meeting, reason="The hotel is closed.")
    db.session.commit()
    run_job(app, JOB)
    assert outbox("Reminder") == []
    cancelled = outbox("Cancelled: Off")
    assert len(cancelled) == 4 and "The hotel is closed." in cancelled[0].body_text


def test_call_deadline_reminder_goes_to_members_once(app, meeting_world):
    w = meeting_world
    meeting = w.meeting(starts_in=timedelta(days=30), title="June")
    deadline = (datetime.now(UTC) + timedelta(days=1)).astimezone(ZoneInfo(meeting.timezone))
    calls.open_call(
        w.fran, meeting, deadline=deadline.replace(tzinfo=None, second=0, microsecond=0)
    )
    db.session.commit()
    run_job(app, JOB)
    run_job(app, JOB)
    sent = outbox("Items for June")
    assert sorted(e.to_addr for e in sent) == sorted(p.email for p in w.members)
    assert f"/meetings/{meeting.public_id}/items/new" in sent[0].body_text


def test_overdue_action_reminds_its_owner_once_per_due_date(app, meeting_world):
    w = meeting_world
    meeting = w.meeting(starts_in=timedelta(days=-10), title="April")
    # "Overdue" is judged on the group's calendar, not the server's: just after midnight UTC
    # it is still yesterday in an American group.
    today = datetime.now(UTC).astimezone(ZoneInfo(meeting.group.timezone)).date()
    action = ActionItem(
        meeting=meeting,
        what="Ask Coupa about tiers",
        owner_user_id=w.bob.id,
        due_on=today - timedelta(days=2),
    )
    db.session.add(action)
    db.session.commit()
    run_job(app, JOB)
    run_job(app, JOB)
    sent = outbox("Overdue action")
    assert [e.to_addr for e in sent] == [w.bob.email]
    assert "Ask Coupa about tiers" in sent[0].body_text
    action = db.session.get(ActionItem, action.id)
    action.due_on = today - timedelta(days=1)  # given a new date, missed again
    db.session.commit()
    run_job(app, JOB)
    assert len(outbox("Overdue action")) == 2


def test_two_workers_racing_send_one_reminder(app, meeting_world):
    """The unique reminder key: a second sender's insert fails and its emails roll back."""
    w = meeting_world
    meeting = w.meeting(starts_in=timedelta(days=5), title="Race")
    reminders.send_meeting_reminder(meeting)
    db.session.commit()
    db.session.add(
        ReminderLog(
            kind=reminders.ReminderKind.MEETING, period_key=reminders.meeting_reminder_key(meeting)
        )
    )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert len(outbox("Race")) == 4
