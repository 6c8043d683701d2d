"""Scheduled work for retention: purge reports past the association's retention period."""

from __future__ import annotations

from credgroup.db import utcnow
from credgroup.retention.policy import retention_months
from credgroup.retention.purge import purge_expired
from credgroup.worker.registry import JobSpec

PURGE_JOB = "retention.purge_reports"


def purge_reports_job() -> str | None:
    """Purge reports inactive for longer than the association's retention (if set)."""
    months = retention_months()
    if months is None:
        return None
    result = purge_expired(months, utcnow().date())
    return str(result) if result.reports or result.more else None


JOBS = (
    JobSpec(
        id=PURGE_JOB,
        func=purge_reports_job,
        trigger="cron",
        # Hourly, off the hour: a run is bounded (purge.MAX_BATCHES), so a first purge
        # over years of reports finishes over a few runs instead of one long transaction.
        trigger_args={"minute": 37},
        # A late run purges exactly what an on-time one would have.
        misfire_grace_time=60 * 60,
    ),
)
