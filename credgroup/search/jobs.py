"""Scheduled work for search: apply the index outbox every few seconds (the one writer)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from credgroup.search.outbox import drain
from credgroup.worker.registry import JobSpec

DEFAULT_INTERVAL_SECONDS = 5


def apply_outbox_job() -> str | None:
    """Apply waiting search index changes (keeps them when the index is busy)."""
    result = drain(max_batches=20)
    return str(result) if result.applied or result.busy or result.failed else None


def _every_interval(config: Mapping[str, Any]) -> dict[str, Any]:
    return {"seconds": int(config.get("SEARCH_APPLY_INTERVAL_SECONDS", DEFAULT_INTERVAL_SECONDS))}


JOBS = (
    JobSpec(
        id="search.apply_outbox",
        func=apply_outbox_job,
        trigger="interval",
        trigger_args=_every_interval,
        # A late run is as good as an on-time one: it applies whatever is waiting.
        misfire_grace_time=300,
    ),
)
