"""Running one job: app context, commit or rollback, and once-per-period via JobRun."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.notify.models import OutboxEmail
from credgroup.worker.models import JobRun
from credgroup.worker.registry import JobSpec
from credgroup.worker.scheduler import run_job

DAY_ONE = datetime(2025, 3, 7, 3, 30, tzinfo=UTC)


def spec(func, **overrides) -> JobSpec:
    values = {
        "id": "test.job",
        "func": func,
        "trigger": "cron",
        "trigger_args": {"hour": 3, "minute": 30},
        "misfire_grace_time": 3600,
    }
    values.update(overrides)
    return JobSpec(**values)


def add_row(subject: str = "written by a job") -> None:
    db.session.add(OutboxEmail(to_addr="a@example.com", subject=subject, body_text="x"))


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_job_runs_in_its_own_app_context_and_is_committed(app):
    def job() -> str:
        add_row()
        return "one row"

    outcome = run_job(app, spec(job))

    assert (outcome.status, outcome.detail) == ("ok", "one row")
    assert count(OutboxEmail) == 1


def test_failing_job_is_rolled_back_and_reported_not_raised(app, caplog):
    def job() -> None:
        add_row()
        raise RuntimeError("boom")

    outcome = run_job(app, spec(job))

    assert (outcome.status, outcome.detail) == ("failed", "RuntimeError")
    assert count(OutboxEmail) == 0
    assert "Job test.job failed" in caplog.text


def test_job_with_a_period_runs_once_per_period(app):
    runs = []
    daily = spec(lambda: runs.append(1), period="daily")

    outcomes = [
        run_job(app, daily, now=DAY_ONE),
        run_job(app, daily, now=DAY_ONE + timedelta(hours=5)),
        run_job(app, daily, now=DAY_ONE + timedelta(days=1)),
    ]

    assert [o.status for o in outcomes] == ["ok", "skipped", "ok"]
    assert outcomes[1].detail == "already ran for 2025-03-07"
    assert len(runs) == 2
    finished = db.session.scalars(sa.select(JobRun).order_by(JobRun.period_key)).all()
    assert [(r.job, r.period_key) for r in finished] == [
        ("test.job", "2025-03-07"),
        ("test.job", "2025-03-08"),
    ]
    assert all(r.finished_at is not None for r in finished)


def test_failed_period_job_is_not_recorded_so_it_can_run_again(app):
    attempts = []

    def flaky() -> None:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("database hiccup")

    daily = spec(flaky, period="daily")

    assert run_job(app, daily, now=DAY_ONE).status == "failed"
    assert run_job(app, daily, now=DAY_ONE).status == "ok"
    assert count(JobRun) == 1


def test_two_workers_running_the_same_period_job_at_once_run_it_once(app):
    runs = []

    def slow() -> None:
        runs.append(1)
        time.sleep(0.2)  # still running when the other worker tries

    daily = spec(slow, period="daily")
    start = threading.Barrier(2)
    outcomes = []

    def worker() -> None:
        start.wait()
        outcomes.append(run_job(app, daily, now=DAY_ONE))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(o.status for o in outcomes) == ["ok", "skipped"]
    assert len(runs) == 1
    assert count(JobRun) == 1
