"""The worker process: holds the single-runner lease and runs the registered jobs with an
APScheduler 3 ``BlockingScheduler`` (UTC). Never started by ``create_app``.

A second worker started by mistake waits for the lease instead of running every job twice.
Each job runs in its own app context and is committed (or rolled back) by ``run_job``.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask

from credgroup.db import utcnow
from credgroup.extensions import db
from credgroup.ops.logs import job_context
from credgroup.worker.lease import Lease, make_holder
from credgroup.worker.models import JobRun
from credgroup.worker.registry import SCHEDULER_TIMEZONE, JobSpec, period_key

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobOutcome:
    """What happened when a job was asked to run: "ok", "skipped" or "failed"."""

    job: str
    status: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.job}: {self.status}" + (f" ({self.detail})" if self.detail else "")


def run_job(app: Flask, spec: JobSpec, now: datetime | None = None) -> JobOutcome:
    """Run one job in a fresh app context and commit; never raises (failures are logged).

    A job with a period first records a JobRun row for that period in the same
    transaction, so it runs once per period however often it is triggered.
    """
    with app.app_context(), job_context(spec.id):  # every line it logs carries the run's id
        try:
            run = None
            if spec.period is not None:
                key = period_key(spec.period, now or utcnow())
                run = claim_period(spec.id, key)
                if run is None:
                    return JobOutcome(spec.id, "skipped", f"already ran for {key}")
            summary = spec.func()
            if run is not None:
                run.finished_at = utcnow()
            db.session.commit()
        except Exception as exc:
            db.session.rollback()
            logger.exception("Job %s failed", spec.id)
            return JobOutcome(spec.id, "failed", type(exc).__name__)
        detail = "" if summary is None else str(summary)
        # Frequent jobs that found nothing to do return None: keep them out of the log.
        logger.log(logging.INFO if detail else logging.DEBUG, "Job %s done: %s", spec.id, detail)
    return JobOutcome(spec.id, "ok", detail)


def claim_period(job: str, key: str) -> JobRun | None:
    """Record that ``job`` runs for period ``key``; None if it already has (or is running
    elsewhere: the unique constraint makes a concurrent insert wait, then fail)."""
    exists = db.session.scalar(
        sa.select(JobRun.id).where(JobRun.job == job, JobRun.period_key == key)
    )
    if exists is not None:
        db.session.rollback()
        return None
    run = JobRun(job=job, period_key=key)
    db.session.add(run)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        return None
    return run


class Worker:
    """Runs ``jobs`` while holding the scheduler lease; waits for it otherwise."""

    def __init__(
        self,
        app: Flask,
        jobs: Sequence[JobSpec],
        *,
        holder: str | None = None,
        lease_seconds: float | None = None,
        poll_seconds: float | None = None,
    ) -> None:
        self.app = app
        self.jobs = list(jobs)
        seconds = float(lease_seconds or app.config["WORKER_LEASE_SECONDS"])
        self.lease = Lease(holder or make_holder(), seconds)
        # Renew well before expiry; a waiting worker checks as often.
        self.poll_seconds = poll_seconds or max(seconds / 3, 0.05)
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._scheduler: Any = None
        self._waiting_for: str | None = None
        self._held_until: datetime | None = None

    # -- one pass (``--once``) ---------------------------------------------------------

    def run_once(self) -> list[JobOutcome] | None:
        """Run every job once, now, under the lease. None if another worker holds it."""
        with self.app.app_context():
            if not self.lease.acquire():
                self._log_waiting()
                return None
        try:
            return [self._renewed_then_run(spec) for spec in self.jobs]
        finally:
            with self.app.app_context():
                self.lease.release()

    def _renewed_then_run(self, spec: JobSpec) -> JobOutcome:
        # Slow jobs must not let the lease lapse under us halfway through the pass.
        if not self._with_context(self.lease.renew):
            return JobOutcome(spec.id, "skipped", "lost the worker lease")
        return run_job(self.app, spec)

    # -- the long-running loop ---------------------------------------------------------

    def run_forever(self) -> None:
        """Wait for the lease, run the scheduler while holding it, until ``stop()``."""
        try:
            while not self._stopping.is_set():
                if self._take_lease():
                    self._waiting_for = None
                    logger.info("Worker %s holds the lease; running jobs", self.lease.holder)
                    self._run_scheduler()
                else:
                    self._stopping.wait(self.poll_seconds)
        finally:
            self._release_lease()

    def _take_lease(self) -> bool | None:
        """Acquire or renew. None when the database did not answer: a worker waits that
        out rather than crashing."""
        asked_at = utcnow()
        try:
            held = self._with_context(self.lease.acquire)
            if not held:
                self._with_context(self._log_waiting)
        except sa.exc.SQLAlchemyError:
            logger.exception("Could not reach the database for the worker lease")
            return None
        if held:
            self._held_until = asked_at + timedelta(seconds=self.lease.seconds)
        return held

    def _release_lease(self) -> None:
        try:
            self._with_context(self.lease.release)
        except sa.exc.SQLAlchemyError:
            logger.exception("Could not release the worker lease; it will simply expire")
            return
        logger.info("Worker %s stopped and released the lease", self.lease.holder)

    def stop(self) -> None:
        """Ask the worker to finish: running jobs complete, then the lease is released."""
        with self._lock:
            self._stopping.set()
            scheduler = self._scheduler
        if scheduler is not None:
            self._shutdown(scheduler)

    def install_signal_handlers(self) -> None:
        """SIGTERM and SIGINT stop the worker cleanly (main thread only)."""
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_signal)

    def _on_signal(self, signum: int, frame: object) -> None:
        logger.info("Worker received %s; stopping", signal.Signals(signum).name)
        # Shut down from another thread: the handler interrupts the scheduler's own loop,
        # which may be holding the locks that shutdown needs.
        threading.Thread(target=self.stop, name="worker-stop", daemon=True).start()

    def _run_scheduler(self) -> None:
        from apscheduler.events import EVENT_SCHEDULER_STARTED
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.blocking import BlockingScheduler

        executor = ThreadPoolExecutor(max_workers=max(len(self.jobs), 1) + 1)
        scheduler = BlockingScheduler(timezone=SCHEDULER_TIMEZONE, executors={"default": executor})
        for spec in self.jobs:
            self._add_job(scheduler, spec)
        scheduler.add_job(
            self._renew_lease,
            "interval",
            seconds=self.poll_seconds,
            id="worker.renew_lease",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=max(int(self.poll_seconds), 1),
        )
        # stop() may come between creating the scheduler and its loop starting.
        scheduler.add_listener(lambda event: self._stop_if_asked(), EVENT_SCHEDULER_STARTED)
        with self._lock:
            if self._stopping.is_set():
                return
            self._scheduler = scheduler
        scheduler.start()  # blocks until shut down (stop() or a lost lease)
        executor.shutdown(wait=True)  # let running jobs finish before the lease goes
        with self._lock:
            self._scheduler = None

    def _add_job(self, scheduler: Any, spec: JobSpec) -> None:
        options: dict[str, Any] = {}
        if spec.run_at_start:
            options["next_run_time"] = utcnow()
        scheduler.add_job(
            run_job,
            spec.build_trigger(self.app.config),
            args=(self.app, spec),
            id=spec.id,
            name=spec.description,
            misfire_grace_time=spec.misfire_grace_time,
            coalesce=spec.coalesce,
            max_instances=spec.max_instances,
            **options,
        )

    def _renew_lease(self) -> None:
        held = self._take_lease()
        if held:
            return
        if held is None and self._held_until is not None and utcnow() < self._held_until:
            return  # the database did not answer, but the lease is still ours for now
        logger.error("Worker %s lost the lease; stopping its jobs", self.lease.holder)
        self._shutdown(self._scheduler)

    def _stop_if_asked(self) -> None:
        if self._stopping.is_set():
            self._shutdown(self._scheduler)

    def _shutdown(self, scheduler: Any) -> None:
        from apscheduler.schedulers import SchedulerNotRunningError

        if scheduler is None:
            return
        with contextlib.suppress(SchedulerNotRunningError):
            scheduler.shutdown(wait=False)

    def _log_waiting(self) -> None:
        current = self.lease.current()
        holder = current.holder if current else "another worker"
        if holder != self._waiting_for:  # once per holder, not on every poll
            self._waiting_for = holder
            until = f" until {current.expires_at:%Y-%m-%d %H:%M:%S}Z" if current else ""
            logger.warning(
                "Another worker (%s) holds the scheduler lease%s; waiting instead of running jobs",
                holder,
                until,
            )

    def _with_context(self, func: Any) -> Any:
        with self.app.app_context():
            return func()
