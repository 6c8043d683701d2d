"""``flask --app app local``: the whole site on one machine with one command.

Migrates the database, loads the demo association into an empty one, starts the worker as
a separate process (scheduled jobs and email must never run inside the web process: with
several web workers every one of them would run them), then serves the site until Ctrl-C or
SIGTERM, and stops the worker on the way out.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any

import click
import flask_migrate
from flask import Flask
from werkzeug.serving import run_simple

from credgroup.demo import data
from credgroup.demo.load import demo_admin_exists, has_association, load_demo_data
from credgroup.extensions import db

WORKER_STOP_TIMEOUT = 10  # seconds the worker gets to finish its current job
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class LocalOptions:
    host: str = "127.0.0.1"
    port: int = 5000
    worker: bool = True
    app_import_path: str = "app"


def prepare_database() -> bool:
    """Apply migrations; load the demo if the database has no association. True if loaded."""
    flask_migrate.upgrade()
    if has_association():
        return False
    summary = load_demo_data()
    db.session.commit()
    click.echo(f"Loaded the demo association. {summary.describe()}")
    return True


def worker_command(app_import_path: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", app_import_path, "worker"]


def start_worker(app_import_path: str) -> subprocess.Popen[bytes]:
    """The worker in its own process; it shares this terminal's output."""
    return subprocess.Popen(worker_command(app_import_path))  # noqa: S603 - our own argv


def stop_worker(process: subprocess.Popen[bytes], timeout: float = WORKER_STOP_TIMEOUT) -> None:
    """Ask the worker to stop (SIGTERM); kill it if it does not within ``timeout``."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def sigterm_raises_exit() -> Iterator[None]:
    """Turn SIGTERM into SystemExit so ``finally`` blocks (stopping the worker) run."""

    def exit_now(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(0)

    previous = signal.signal(signal.SIGTERM, exit_now)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def banner(options: LocalOptions, worker: subprocess.Popen[bytes] | None) -> str:
    everywhere = options.host in ("0.0.0.0", "::")  # noqa: S104 - compared, not bound
    shown_host = "127.0.0.1" if everywhere else options.host
    if ":" in shown_host:  # an IPv6 address goes in brackets in a URL
        shown_host = f"[{shown_host}]"
    lines = [
        "",
        f"  credgroup is running at http://{shown_host}:{options.port}/",
        "  Worker: "
        + (
            f"running (pid {worker.pid})"
            if worker
            else "not started (--no-worker): queued email stays in the outbox"
        ),
    ]
    if everywhere or options.host not in LOOPBACK_HOSTS:
        lines.append(
            f"  Listening on {options.host}: other machines can reach this site, and the "
            "demo passwords are public."
        )
    if demo_admin_exists():
        lines += ["", f"  Demo logins (every password: {data.DEMO_PASSWORD})", ""]
        lines += data.login_table(indent="    ")
    lines += ["", "  Press Ctrl-C to stop.", ""]
    return "\n".join(lines)


def serve(app: Flask, options: LocalOptions) -> None:
    # No reloader (it would fork a second copy and a second worker) and no debugger (it
    # runs arbitrary code for anyone who can reach the port).
    run_simple(
        options.host,
        options.port,
        app,
        threaded=True,
        use_reloader=False,
        use_debugger=False,
    )


def run_local(
    app: Flask,
    options: LocalOptions,
    *,
    serve_app: Callable[[Flask, LocalOptions], Any] = serve,
) -> None:
    """Prepare the database, start the worker, serve until stopped, stop the worker."""
    prepare_database()
    with sigterm_raises_exit():
        worker = start_worker(options.app_import_path) if options.worker else None
        try:
            click.echo(banner(options, worker))
            db.session.remove()  # hold no connection (or transaction) while serving
            serve_app(app, options)
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                stop_worker(worker)
                click.echo("Worker stopped.")
