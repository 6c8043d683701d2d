"""The worker loop: runs jobs only while it holds the lease, waits otherwise, stops cleanly.

The loop runs in a thread with a short poll interval, so nothing waits for real intervals.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa

from credgroup.db import utcnow
from credgroup.extensions import db
from credgroup.worker.lease import Lease
from credgroup.worker.models import WorkerLease
from credgroup.worker.registry import JobSpec
from credgroup.worker.scheduler import Worker

POLL = 0.05


class Ticker:
    """A job that counts its runs and lets a test wait for the next one."""

    def __init__(self) -> None:
        self.runs = 0
        self.ran = threading.Event()

    def __call__(self) -> None:
        """Count a tick."""
        self.runs += 1
        self.ran.set()

    def spec(self, seconds: float = 3600) -> JobSpec:
        return JobSpec("test.tick", self, "interval", {"seconds": seconds}, misfire_grace_time=60)


def lease_holder() -> str | None:
    db.session.expire_all()
    row = db.session.get(WorkerLease, "scheduler")
    holder = row.holder if row else None
    db.session.commit()
    return holder


@pytest.fixture
def start_worker(app) -> Iterator:
    """Start ``Worker.run_forever`` in a thread; stopped and joined after the test."""
    running: list[tuple[Worker, threading.Thread]] = []

    def start(jobs, holder: str = "test-host:1:aa") -> Worker:
        worker = Worker(app, jobs, holder=holder, lease_seconds=5, poll_seconds=POLL)
        thread = threading.Thread(target=worker.run_forever, daemon=True)
        thread.start()
        running.append((worker, thread))
        return worker

    yield start
    for worker, thread in running:
        worker.stop()
        thread.join(timeout=10)
        assert not thread.is_alive(), "worker did not stop"


def wait_until(condition, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_worker_runs_jobs_at_start_while_holding_the_lease(app, start_worker):
    ticker = Ticker()

    start_worker([ticker.spec()])

    assert ticker.ran.wait(5)
    assert lease_holder() == "test-host:1:aa"


def test_worker_runs_interval_jobs_repeatedly(app, start_worker):
    ticker = Ticker()

    start_worker([ticker.spec(seconds=0.05)])

    assert wait_until(lambda: ticker.runs >= 3)


def test_stopped_worker_releases_the_lease(app):
    ticker = Ticker()
    worker = Worker(app, [ticker.spec()], holder="test-host:1:aa", lease_seconds=5)
    thread = threading.Thread(target=worker.run_forever)
    thread.start()
    assert ticker.ran.wait(5)

    worker.stop()
    thread.join(timeout=10)

    assert not thread.is_alive()
    assert lease_holder() is None


def test_stop_before_the_scheduler_starts_still_stops(app):
    worker = Worker(app, [Ticker().spec()], lease_seconds=5, poll_seconds=POLL)
    worker.stop()

    thread = threading.Thread(target=worker.run_forever)
    thread.start()
    thread.join(timeout=5)

    assert not thread.is_alive()


def test_second_worker_waits_for_the_lease_then_takes_over(app, start_worker, caplog):
    caplog.set_level(logging.INFO, logger="credgroup.worker")
    other = Lease("other-host:99:ff", 60)
    other.acquire()
    ticker = Ticker()

    start_worker([ticker.spec()])

    assert not ticker.ran.wait(0.3)  # several polls, no job run
    assert "Another worker (other-host:99:ff) holds the scheduler lease" in caplog.text
    assert caplog.text.count("holds the scheduler lease") == 1  # not once per poll

    other.release()  # the other worker shuts down cleanly

    assert ticker.ran.wait(5)
    assert lease_holder() == "test-host:1:aa"


def test_worker_waits_for_a_crashed_holder_until_its_lease_expires(app, start_worker):
    db.session.add(
        WorkerLease(
            name="scheduler", holder="dead:1:aa", expires_at=utcnow() + timedelta(seconds=0.4)
        )
    )
    db.session.commit()
    ticker = Ticker()

    start_worker([ticker.spec()])

    assert not ticker.ran.wait(0.2)
    assert ticker.ran.wait(5)


def test_worker_that_loses_its_lease_stops_running_jobs(app, start_worker, caplog):
    ticker = Ticker()
    start_worker([ticker.spec(seconds=0.05)])
    assert wait_until(lambda: ticker.runs >= 1)

    # Another worker took over (say this one was paused longer than the lease).
    db.session.execute(
        sa.update(WorkerLease).values(holder="thief:2:bb", expires_at=utcnow() + timedelta(hours=1))
    )
    db.session.commit()

    assert wait_until(lambda: "lost the lease" in caplog.text)
    runs = ticker.runs
    time.sleep(0.3)
    assert ticker.runs <= runs + 1  # at most one already started before the shutdown
    assert lease_holder() == "thief:2:bb"


def test_a_long_job_keeps_the_lease_renewed(app):
    release = threading.Event()

    def long_job() -> None:
        """Block until the test says so."""
        release.wait(5)

    long_spec = JobSpec("test.long", long_job, "interval", {"hours": 1}, misfire_grace_time=60)
    worker = Worker(app, [long_spec], holder="test-host:1:aa", lease_seconds=0.3, poll_seconds=POLL)
    thread = threading.Thread(target=worker.run_forever, daemon=True)
    thread.start()
    try:
        time.sleep(0.6)  # twice the lease
        assert not Lease("other:2:bb", 60).acquire()
    finally:
        release.set()
        worker.stop()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_run_once_runs_every_job_and_releases_the_lease(app):
    first, second = Ticker(), Ticker()
    specs = [
        first.spec(),
        JobSpec("test.other", second, "cron", {"hour": 1}, misfire_grace_time=60),
    ]

    outcomes = Worker(app, specs).run_once()

    assert [o.status for o in outcomes] == ["ok", "ok"]
    assert first.runs == second.runs == 1
    assert lease_holder() is None


def test_run_once_does_nothing_while_another_worker_holds_the_lease(app, caplog):
    Lease("other-host:99:ff", 60).acquire()
    ticker = Ticker()

    assert Worker(app, [ticker.spec()]).run_once() is None
    assert ticker.runs == 0
    assert "holds the scheduler lease" in caplog.text
    assert lease_holder() == "other-host:99:ff"


def test_worker_rides_out_a_database_outage_and_stops_jobs_once_its_lease_is_gone(app, caplog):
    ticker = Ticker()
    worker = Worker(app, [ticker.spec(seconds=0.05)], lease_seconds=0.5, poll_seconds=POLL)
    thread = threading.Thread(target=worker.run_forever, daemon=True)
    thread.start()
    try:
        assert wait_until(lambda: ticker.runs >= 1)
        real_acquire = worker.lease.acquire

        def database_down(*args, **kwargs):
            raise sa.exc.OperationalError("UPDATE worker_leases", {}, ConnectionError("down"))

        worker.lease.acquire = database_down
        time.sleep(0.2)  # shorter than the lease: jobs go on
        assert "lost the lease" not in caplog.text
        assert wait_until(lambda: "lost the lease" in caplog.text)  # longer: they stop
        assert "Could not reach the database for the worker lease" in caplog.text
        assert thread.is_alive()  # waiting, not crashed

        worker.lease.acquire = real_acquire  # the database is back
        runs = ticker.runs
        assert wait_until(lambda: ticker.runs > runs + 1)
    finally:
        worker.stop()
        thread.join(timeout=10)
    assert not thread.is_alive()
