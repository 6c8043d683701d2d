"""Jobs are data. Each feature declares ``JOBS = (JobSpec(...), ...)`` in its ``jobs.py``;
this module lists those modules, so the worker runs exactly what is written here.

Add a feature's job module to ``JOB_MODULES`` to schedule its jobs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

JOB_MODULES: tuple[str, ...] = (
    "credgroup.notify.jobs",
    "credgroup.accounts.jobs",
    "credgroup.reports.jobs",
    "credgroup.search.jobs",
    "credgroup.meetings.jobs",
    "credgroup.trends.jobs",
    "credgroup.retention.jobs",
)

SCHEDULER_TIMEZONE = UTC

Trigger = Literal["interval", "cron"]
Period = Literal["hourly", "daily", "weekly"]
TriggerArgs = Mapping[str, Any] | Callable[[Mapping[str, Any]], Mapping[str, Any]]


@dataclass(frozen=True)
class JobSpec:
    """One scheduled job.

    ``func`` takes no arguments and runs inside an app context; the worker commits after
    it returns (and rolls back if it raises). Its return value is logged as a summary.
    ``trigger_args`` are APScheduler trigger arguments, or a function of ``app.config``
    returning them (for intervals that come from configuration). With a ``period``, the
    job runs at most once per UTC hour/day/ISO week, across reruns and workers (JobRun).
    """

    id: str
    func: Callable[[], object]
    trigger: Trigger
    trigger_args: TriggerArgs
    # Explicit: APScheduler's default of 1 s silently skips a run that starts late.
    misfire_grace_time: int
    coalesce: bool = True
    max_instances: int = 1
    period: Period | None = None
    # Also run once when the worker starts: in-memory schedules forget missed runs.
    run_at_start: bool = True

    def __post_init__(self) -> None:
        if self.trigger not in ("interval", "cron"):
            raise ValueError(f"job {self.id}: unknown trigger {self.trigger!r}")
        if self.period not in (None, "hourly", "daily", "weekly"):
            raise ValueError(f"job {self.id}: unknown period {self.period!r}")
        if self.misfire_grace_time < 1:
            raise ValueError(f"job {self.id}: misfire_grace_time must be at least 1 second")

    @property
    def description(self) -> str:
        doc = (self.func.__doc__ or "").strip()
        return doc.splitlines()[0] if doc else self.id

    def trigger_kwargs(self, config: Mapping[str, Any]) -> dict[str, Any]:
        args = self.trigger_args(config) if callable(self.trigger_args) else self.trigger_args
        return dict(args)

    def build_trigger(self, config: Mapping[str, Any]) -> Any:
        """The APScheduler trigger, always with an explicit (UTC) time zone."""
        from apscheduler.triggers.cron import CronTrigger
        from apscheduler.triggers.interval import IntervalTrigger

        kwargs = {"timezone": SCHEDULER_TIMEZONE, **self.trigger_kwargs(config)}
        if self.trigger == "interval":
            return IntervalTrigger(**kwargs)
        return CronTrigger(**kwargs)


def collect_jobs(modules: Iterable[str] = JOB_MODULES) -> list[JobSpec]:
    """Every job declared in ``modules`` (their ``JOBS`` tuples), ids checked unique."""
    jobs: list[JobSpec] = []
    for name in modules:
        jobs.extend(importlib.import_module(name).JOBS)
    ids = [job.id for job in jobs]
    duplicates = sorted({job_id for job_id in ids if ids.count(job_id) > 1})
    if duplicates:
        raise ValueError(f"duplicate job ids: {', '.join(duplicates)}")
    return jobs


def period_key(period: Period, now: datetime) -> str:
    """The UTC period ``now`` falls in, e.g. ``2025-03-07`` for a daily job."""
    now = now.astimezone(UTC)
    if period == "hourly":
        return f"{now:%Y-%m-%dT%H}"
    if period == "daily":
        return f"{now:%Y-%m-%d}"
    year, week, _ = now.isocalendar()
    return f"{year}-W{week:02d}"
