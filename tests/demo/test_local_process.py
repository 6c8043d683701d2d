"""``flask local`` for real, as a person runs it: a fresh SQLite file is migrated and
filled, the site answers, the worker runs beside it, and SIGTERM stops both."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from credgroup.demo.data import ADMIN_EMAIL, DEMO_PASSWORD

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 120  # generous: a busy CI machine hashes 25 demo passwords first


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status


def wait_for_http(url: str, process: subprocess.Popen[str], log: Path) -> bytes:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"flask local exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                return response.read()
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"flask local did not answer in time:\n{log.read_text()}")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_local_command_serves_the_site_with_a_worker_and_stops_both(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "CREDGROUP_DATABASE_URL": f"sqlite:///{tmp_path / 'local.db'}",
        "CREDGROUP_SECRET_KEY": "local-test-secret-key-0123456789-abcdefgh",
        "CREDGROUP_PSEUDONYM_KEY": "local-test-pseudonym-key-0123456789-abcdefgh",
        "CREDGROUP_MAIL_FOLDER": str(tmp_path / "mail"),
        "CREDGROUP_ENV": "development",
    }
    env.pop("CREDGROUP_TEST_DATABASE_URL", None)
    log = tmp_path / "local.log"
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603 - our own command line
            [sys.executable, "-m", "flask", "--app", "app", "local", "--port", str(port)],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        spec = wait_for_http(f"http://127.0.0.1:{port}/api/v1/openapi.json", process, log)
        assert b'"openapi"' in spec
        assert b"csrf_token" in wait_for_http(f"http://127.0.0.1:{port}/login", process, log)
        workers = children(process.pid)
        assert len(workers) == 1, f"the worker runs as its own process\n{log.read_text()}"
        assert alive(workers[0]), log.read_text()
        assert "worker" in Path(f"/proc/{workers[0]}/cmdline").read_text()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    output = log.read_text()
    assert process.returncode == 0, output
    for shown in (f"http://127.0.0.1:{port}/", ADMIN_EMAIL, DEMO_PASSWORD, "Loaded the demo"):
        assert shown in output
    assert "Worker stopped." in output
    assert not alive(workers[0])
