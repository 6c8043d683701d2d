"""The site's processes, as a deployment runs them: gunicorn with deploy/gunicorn.conf.py,
one ``flask worker``, and an SMTP sink that counts every message it receives."""

from __future__ import annotations

import email
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


class SmtpSink:
    """A local SMTP server that accepts everything and counts messages by Message-ID."""

    def __init__(self, port: int) -> None:
        from aiosmtpd.controller import Controller

        self.port = port
        self.received: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=port)

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's hook name
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        with self._lock:
            self.received[str(message["Message-ID"])] += 1
        return "250 OK"

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def counts(self) -> Counter[str]:
        with self._lock:
            return Counter(self.received)


class Process:
    """A child process writing its output to a log file; stopped by its own pid only."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.command, self.env, self.log = name, command, env, log
        self.popen: subprocess.Popen | None = None

    def start(self) -> None:
        handle = open(self.log, "a", encoding="utf-8")  # noqa: SIM115 - the child keeps it
        self.popen = subprocess.Popen(  # noqa: S603 - our own commands
            self.command, cwd=ROOT, env=self.env, stdout=handle, stderr=subprocess.STDOUT
        )
        handle.close()

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def kill(self) -> None:
        """SIGKILL: no cleanup, as when a machine or the OOM killer takes it."""
        os.kill(self.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)

    def stop(self, timeout: float = 60) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(timeout=10)


def gunicorn(env: dict[str, str], log: Path) -> Process:
    command = [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "app:app"]
    return Process("gunicorn", command, env, log)


def worker(env: dict[str, str], log: Path) -> Process:
    return Process("worker", [str(BIN / "flask"), "--app", "app", "worker"], env, log)


def children(pid: int) -> list[int]:
    """The processes ``pid`` forked (gunicorn's web workers)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def flask_command(env: dict[str, str], *args: str, timeout: float = 600) -> str:
    """Run ``flask --app app ARGS`` to completion; its output (raises on failure)."""
    result = subprocess.run(  # noqa: S603 - our own commands
        [str(BIN / "flask"), "--app", "app", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def wait_for_http(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer 200 in {timeout:.0f} s")
        time.sleep(0.5)
