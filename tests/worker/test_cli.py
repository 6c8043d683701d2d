"""``flask worker``: --once, --print-jobs, the real process with signals, and web processes
that never start a scheduler."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

import credgroup
from credgroup.db import utcnow
from credgroup.extensions import db
from credgroup.notify.models import OutboxEmail, OutboxStatus
from credgroup.worker.lease import Lease
from credgroup.worker.models import JobRun, WorkerLease
from credgroup.worker.registry import JobSpec
from tests.fixtures.app import TEST_PSEUDONYM_KEY, TEST_SECRET

PROJECT_ROOT = Path(credgroup.__file__).resolve().parent.parent


@pytest.fixture
def app_config(smtp_server):
    return smtp_server.config()


def queue_raw_email(subject: str = "Queued before the worker ran") -> int:
    email = OutboxEmail(to_addr="ann@supplier.example", subject=subject, body_text="Hello\n")
    db.session.add(email)
    db.session.commit()
    return email.id


def status_of(email_id: int) -> OutboxStatus:
    db.session.expire_all()
    status = db.session.get(OutboxEmail, email_id).status
    db.session.commit()
    return status


def test_worker_once_drains_the_outbox_and_runs_the_daily_purge(runner, smtp_server):
    email_id = queue_raw_email()

    result = runner.invoke(args=["worker", "--once"])

    assert result.exit_code == 0, result.output
    assert "notify.drain_outbox: ok (sent 1, retrying 0, gave up 0)" in result.output
    assert "accounts.purge_expired_records: ok" in result.output
    assert "notify.purge_old_emails: ok (deleted 0)" in result.output
    assert [m.message["Subject"] for m in smtp_server.messages] == ["Queued before the worker ran"]
    assert status_of(email_id) is OutboxStatus.SENT
    # Other features register jobs too; these two are ours.
    assert set(db.session.scalars(sa.select(JobRun.job))) >= {
        "accounts.purge_expired_records",
        "notify.purge_old_emails",
    }


def test_worker_once_twice_on_one_day_purges_once(runner):
    runner.invoke(args=["worker", "--once"])

    result = runner.invoke(args=["worker", "--once"])

    today = f"{utcnow():%Y-%m-%d}"
    assert f"accounts.purge_expired_records: skipped (already ran for {today})" in result.output
    assert f"notify.purge_old_emails: skipped (already ran for {today})" in result.output
    runs = db.session.scalars(sa.select(JobRun.job)).all()
    assert runs.count("accounts.purge_expired_records") == 1
    assert runs.count("notify.purge_old_emails") == 1


def test_worker_once_runs_nothing_while_another_worker_holds_the_lease(runner, smtp_server):
    queue_raw_email()
    Lease("other-host:99:ff", 60).acquire()

    result = runner.invoke(args=["worker", "--once"])

    assert result.exit_code == 0
    assert "Another worker holds the scheduler lease; nothing was run." in result.output
    assert smtp_server.messages == []


def test_worker_once_exits_non_zero_when_a_job_fails(runner, monkeypatch):
    def broken() -> None:
        """Fail."""
        raise RuntimeError("boom")

    failing = JobSpec("test.broken", broken, "interval", {"hours": 1}, misfire_grace_time=60)
    monkeypatch.setattr("credgroup.worker.cli.collect_jobs", lambda: [failing])

    result = runner.invoke(args=["worker", "--once"])

    assert result.exit_code == 1
    assert "test.broken: failed (RuntimeError)" in result.output


def test_print_jobs_lists_each_job_with_its_utc_schedule(runner):
    result = runner.invoke(args=["worker", "--print-jobs"])

    assert result.exit_code == 0
    lines = {line.split(":", 1)[0]: line for line in result.output.splitlines()}
    assert set(lines) >= {
        "notify.drain_outbox",
        "notify.purge_old_emails",
        "accounts.purge_expired_records",
    }
    drain, purge = lines["notify.drain_outbox"], lines["accounts.purge_expired_records"]
    assert drain.startswith("notify.drain_outbox: interval[0:00:10]")
    assert purge.startswith("accounts.purge_expired_records: cron[hour='3', minute='30']")
    assert "at most once per day" in purge
    assert "UTC" in drain and "misfire grace" in drain


def subprocess_env(database_url: str, tmp_path: Path, **config: object) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CREDGROUP_")}
    env.update(
        CREDGROUP_ENV="testing",
        CREDGROUP_DATABASE_URL=database_url,
        CREDGROUP_SECRET_KEY=TEST_SECRET,
        CREDGROUP_PSEUDONYM_KEY=TEST_PSEUDONYM_KEY,
        CREDGROUP_MAIL_FOLDER=str(tmp_path / "mail"),
    )
    env.update({f"CREDGROUP_{key}": str(value) for key, value in config.items()})
    return env


def wait_for(condition, timeout: float = 60.0) -> bool:
    # Generous: a fresh interpreter importing the app takes seconds on a loaded 2-core CI
    # machine; the wait ends as soon as the condition holds.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def lease_holder() -> str | None:
    holder = db.session.scalar(sa.select(WorkerLease.holder))
    db.session.commit()
    return holder


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_worker_process_sends_mail_and_releases_its_lease_on_signal(
    app, smtp_server, database_url, tmp_path, signum
):
    email_id = queue_raw_email()
    env = subprocess_env(
        database_url, tmp_path, MAIL_SERVER=smtp_server.host, MAIL_PORT=smtp_server.port
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "worker"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert wait_for(lambda: status_of(email_id) is OutboxStatus.SENT), "mail not sent"
        assert lease_holder() is not None
        process.send_signal(signum)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()

    assert process.returncode == 0, output
    assert "stopped and released the lease" in output
    assert lease_holder() is None
    assert len(smtp_server.messages) == 1


def test_creating_the_app_starts_no_scheduler_and_no_thread(tmp_path, database_url):
    code = (
        "import sys, threading\n"
        "from credgroup import create_app\n"
        "create_app()\n"
        "assert not any(m.startswith('apscheduler') for m in sys.modules), 'apscheduler loaded'\n"
        "assert threading.active_count() == 1, threading.enumerate()\n"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env=subprocess_env(database_url, tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr


def test_worker_without_mail_server_warns_and_writes_eml_files(app, runner, tmp_path, caplog):
    app.config.update(MAIL_SERVER="", MAIL_FOLDER=str(tmp_path / "mail"))
    queue_raw_email()

    result = runner.invoke(args=["worker", "--once"])

    assert result.exit_code == 0, result.output
    assert "MAIL_SERVER is not set" in caplog.text
    assert len(list((tmp_path / "mail").glob("*.eml"))) == 1
