"""Scheduled work for meetings: reminders (meetings, call deadlines, overdue actions).

The job runs every quarter hour without a ``period``: what makes each reminder go out once
is its row in ``meeting_reminder_log`` (see ``reminders``), which also lets a rescheduled
meeting get a fresh reminder the same day.
"""

from __future__ import annotations

from credgroup.meetings.reminders import send_due_reminders
from credgroup.worker.registry import JobSpec

REMINDERS_JOB = "meetings.reminders"


def reminders_job() -> str | None:
    """Email meeting, call-for-items and overdue-action reminders that are due."""
    result = send_due_reminders()
    return str(result) if result.emails else None


JOBS = (
    JobSpec(
        id=REMINDERS_JOB,
        func=reminders_job,
        trigger="cron",
        trigger_args={"minute": "*/15"},
        # Late is fine: a reminder an hour late beats none.
        misfire_grace_time=6 * 60 * 60,
    ),
)
