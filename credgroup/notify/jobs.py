"""Scheduled work for email: drain the outbox every WORKER_OUTBOX_INTERVAL_SECONDS and
purge old sent or given-up rows daily."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from credgroup.notify.outbox import drain_outbox, purge_old_emails
from credgroup.worker.registry import JobSpec

DRAIN_BATCH = 200


def drain_outbox_job() -> str | None:
    """Send queued email that is due (retries included)."""
    result = drain_outbox(limit=DRAIN_BATCH)
    return str(result) if result.sent or result.retrying or result.gave_up else None


def purge_old_emails_job() -> str:
    """Delete sent and given-up emails older than 30 days."""
    return f"deleted {purge_old_emails()}"


def _every_outbox_interval(config: Mapping[str, Any]) -> dict[str, Any]:
    return {"seconds": int(config["WORKER_OUTBOX_INTERVAL_SECONDS"])}


JOBS = (
    JobSpec(
        id="notify.drain_outbox",
        func=drain_outbox_job,
        trigger="interval",
        trigger_args=_every_outbox_interval,
        # A late drain is still useful; the next interval catches up anyway.
        misfire_grace_time=300,
    ),
    JobSpec(
        id="notify.purge_old_emails",
        func=purge_old_emails_job,
        trigger="cron",
        trigger_args={"hour": 3, "minute": 45},
        misfire_grace_time=12 * 60 * 60,
        period="daily",
    ),
)
