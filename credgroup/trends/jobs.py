"""Scheduled work for trends: the weekly trends email (see ``digest``).

Snapshots before meetings are frozen by the meetings feature's job
(``meetings.trend_snapshots``), which calls ``service.freeze_meeting_snapshot(...)``
(idempotent per meeting) and puts the snapshot on the agenda.
"""

from __future__ import annotations

from credgroup.db import utcnow
from credgroup.trends.digest import send_weekly_digests
from credgroup.worker.registry import JobSpec

WEEKLY_DIGEST_JOB = "trends.weekly_digest"


def weekly_digest_job() -> str:
    """Email each member this week's trends in their groups (once per ISO week)."""
    sent = send_weekly_digests(utcnow().date())
    return f"{sent} weekly trends email{'' if sent == 1 else 's'} queued"


JOBS = (
    JobSpec(
        id=WEEKLY_DIGEST_JOB,
        func=weekly_digest_job,
        trigger="cron",
        # Mondays 12:00 UTC: morning across North America, after the daily digest (11:00).
        trigger_args={"day_of_week": "mon", "hour": 12, "minute": 0},
        # A worker that was down on Monday still sends the week's email when it is back.
        misfire_grace_time=3 * 24 * 60 * 60,
        # One run per ISO week (a JobRun row), however often the worker restarts; a run
        # at start on another weekday sends that week's email then.
        period="weekly",
    ),
)
