"""Scheduled work for meetings: reminders (meetings, call deadlines, overdue actions) and
the trend report frozen onto each upcoming agenda.

Neither job has a ``period``: what makes each reminder go out once is its row in
``meeting_reminder_log`` (see ``reminders``), which also lets a rescheduled meeting get a
fresh reminder the same day; what makes each meeting get one snapshot is the snapshot's
unique meeting id (see ``trend_snapshots``), so a meeting planned at short notice gets its
report within the hour, not the next day.
"""

from __future__ import annotations

from flask import current_app

from credgroup.db import utcnow
from credgroup.meetings.reminders import send_due_reminders
from credgroup.meetings.trend_snapshots import freeze_due_trend_reports
from credgroup.worker.registry import JobSpec

REMINDERS_JOB = "meetings.reminders"
TREND_SNAPSHOTS_JOB = "meetings.trend_snapshots"


def reminders_job() -> str | None:
    """Email meeting, call-for-items and overdue-action reminders that are due."""
    result = send_due_reminders()
    return str(result) if result.emails else None


def trend_snapshots_job() -> str | None:
    """Freeze the group's trend report onto the agenda of each meeting starting soon."""
    days = int(current_app.config["TRENDS_SNAPSHOT_DAYS_BEFORE"])
    run = freeze_due_trend_reports(utcnow(), days)
    return str(run) if run.attached or run.taken_elsewhere else None


JOBS = (
    JobSpec(
        id=REMINDERS_JOB,
        func=reminders_job,
        trigger="cron",
        trigger_args={"minute": "*/15"},
        # Late is fine: a reminder an hour late beats none.
        misfire_grace_time=6 * 60 * 60,
    ),
    JobSpec(
        id=TREND_SNAPSHOTS_JOB,
        func=trend_snapshots_job,
        trigger="cron",
        trigger_args={"minute": 20},
        # Late is fine: the report is frozen days before the meeting.
        misfire_grace_time=12 * 60 * 60,
    ),
)
