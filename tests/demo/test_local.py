"""``flask local``: migrate, demo data when empty, worker in its own process, serve, and
stop the worker however the server ends (Ctrl-C, SIGTERM, a port already in use)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

import pytest
import sqlalchemy as sa

from credgroup.accounts.models import User
from credgroup.demo import data, local
from credgroup.extensions import db
from credgroup.groups.models import Association


class FakeProcess:
    """Stands in for the worker's Popen."""

    pid = 4242

    def __init__(self, argv: list[str], *, stubborn: bool = False) -> None:
        self.argv, self.stubborn = argv, stubborn
        self.calls: list[str] = []
        self.returncode: int | None = None

    def poll(self) -> int | None:
        return self.returncode

    def terminate(self) -> None:
        self.calls.append("terminate")
        if not self.stubborn:
            self.returncode = -signal.SIGTERM

    def kill(self) -> None:
        self.calls.append("kill")
        self.returncode = -signal.SIGKILL

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            raise subprocess.TimeoutExpired(self.argv, timeout or 0)
        return self.returncode


@pytest.fixture
def harness(monkeypatch):
    """Records the steps of a local run; ``harness.on_serve`` decides how serving ends."""

    class Harness:
        steps: list[str] = []
        workers: list[FakeProcess] = []
        serve_kwargs: dict[str, Any] = {}

        @staticmethod
        def on_serve() -> None:
            raise KeyboardInterrupt  # Ctrl-C

    def fake_upgrade() -> None:
        Harness.steps.append("upgrade")  # the test schema already exists

    def fake_popen(argv: list[str], **kwargs: Any) -> FakeProcess:
        Harness.steps.append("worker started")
        process = FakeProcess(argv)
        Harness.workers.append(process)
        return process

    def fake_run_simple(host: str, port: int, app: Any, **kwargs: Any) -> None:
        Harness.steps.append(f"serve {host}:{port}")
        Harness.serve_kwargs = kwargs
        Harness.on_serve()

    monkeypatch.setattr(local.flask_migrate, "upgrade", fake_upgrade)
    monkeypatch.setattr(local.subprocess, "Popen", fake_popen)
    monkeypatch.setattr(local, "run_simple", fake_run_simple)
    Harness.steps, Harness.workers = [], []
    return Harness


def test_local_migrates_loads_demo_starts_worker_serves_and_stops_worker(runner, harness):
    result = runner.invoke(args=["local", "--port", "5123"])
    assert result.exit_code == 0, result.output
    assert harness.steps == ["upgrade", "worker started", "serve 127.0.0.1:5123"]
    (worker,) = harness.workers
    assert worker.argv == [sys.executable, "-m", "flask", "--app", "app", "worker"]
    assert worker.calls == ["terminate"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Association)) == 1
    assert "Worker stopped." in result.output


def test_server_runs_threaded_without_reloader_or_debugger(runner, harness):
    runner.invoke(args=["local"])
    assert harness.serve_kwargs == {
        "threaded": True,
        "use_reloader": False,
        "use_debugger": False,
    }


def test_banner_shows_the_address_and_every_demo_login(runner, harness):
    output = runner.invoke(args=["local", "--host", "127.0.0.1", "--port", "5124"]).output
    assert "http://127.0.0.1:5124/" in output
    assert data.DEMO_PASSWORD in output
    for login in data.demo_logins():
        assert login.email in output
    assert "Worker: running (pid 4242)" in output


@pytest.mark.parametrize(
    ("host", "url"),
    [("0.0.0.0", "http://127.0.0.1:5000/"), ("::1", "http://[::1]:5000/")],  # noqa: S104
)
def test_banner_url_is_one_a_browser_can_open(runner, harness, host, url):
    assert url in runner.invoke(args=["local", "--host", host]).output


def test_banner_warns_when_listening_beyond_this_machine(runner, harness):
    exposed = runner.invoke(args=["local", "--host", "0.0.0.0"]).output  # noqa: S104
    assert "other machines can reach this site" in exposed
    private = runner.invoke(args=["local"]).output
    assert "other machines" not in private


def test_no_worker_flag_starts_no_worker(runner, harness):
    result = runner.invoke(args=["local", "--no-worker"])
    assert result.exit_code == 0, result.output
    assert harness.workers == []
    assert "not started" in result.output


def test_existing_association_is_not_overwritten_with_demo_data(runner, harness):
    db.session.add(Association(name="Real Association"))
    db.session.commit()
    result = runner.invoke(args=["local", "--no-worker"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    assert "Demo logins" not in result.output


def test_sigterm_stops_the_worker_too(runner, harness):
    def sigterm() -> None:
        os.kill(os.getpid(), signal.SIGTERM)

    harness.on_serve = staticmethod(sigterm)
    previous = signal.getsignal(signal.SIGTERM)
    result = runner.invoke(args=["local"])
    assert result.exit_code == 0, result.output
    assert harness.workers[0].calls == ["terminate"]
    assert signal.getsignal(signal.SIGTERM) == previous  # handler restored


def test_worker_is_stopped_when_the_server_cannot_start(runner, harness):
    def port_taken() -> None:
        raise OSError("Address already in use")

    harness.on_serve = staticmethod(port_taken)
    result = runner.invoke(args=["local"])
    assert result.exit_code != 0
    assert harness.workers[0].calls == ["terminate"]


def test_worker_that_ignores_sigterm_is_killed():
    process = FakeProcess(["worker"], stubborn=True)
    local.stop_worker(process, timeout=0.01)  # type: ignore[arg-type]
    assert process.calls == ["terminate", "kill"]


@pytest.mark.parametrize("app_config", [{"ENV": "production"}])
def test_local_refuses_to_run_in_production(runner, harness):
    result = runner.invoke(args=["local"])
    assert result.exit_code != 0
    assert harness.steps == []
