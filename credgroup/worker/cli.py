"""``flask worker``: the one process that runs scheduled jobs and sends queued email."""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from credgroup.worker.registry import JobSpec, collect_jobs

logger = logging.getLogger(__name__)

PERIOD_NAMES = {"hourly": "hour", "daily": "day", "weekly": "ISO week"}


@click.command("worker")
@click.option("--once", is_flag=True, help="Run every job once now, then exit (cron, tests).")
@click.option("--print-jobs", is_flag=True, help="List the registered jobs and exit.")
@with_appcontext
def worker_command(once: bool, print_jobs: bool) -> None:
    """Run scheduled jobs and send queued email (one process per deployment)."""
    # Imported here so that nothing scheduler-related loads in web processes.
    from credgroup.worker.scheduler import Worker

    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    jobs = collect_jobs()
    if print_jobs:
        _print_jobs(jobs, app.config)
        return
    if not app.config["MAIL_SERVER"]:
        # Fine for a local run; in a deployment it means nobody receives any email.
        logger.warning("MAIL_SERVER is not set: emails are written as .eml files, not sent")
    worker = Worker(app, jobs)
    if once:
        outcomes = worker.run_once()
        if outcomes is None:
            click.echo("Another worker holds the scheduler lease; nothing was run.", err=True)
            return
        for outcome in outcomes:
            click.echo(str(outcome))
        if any(outcome.status == "failed" for outcome in outcomes):
            sys.exit(1)
        return
    worker.install_signal_handlers()
    worker.run_forever()


def _print_jobs(jobs: list[JobSpec], config: Mapping[str, Any]) -> None:
    now = datetime.now(UTC)
    for spec in jobs:
        trigger = spec.build_trigger(config)
        next_run = trigger.get_next_fire_time(None, now)
        period = f" at most once per {PERIOD_NAMES[spec.period]}" if spec.period else ""
        click.echo(
            f"{spec.id}: {trigger}{period}, misfire grace {spec.misfire_grace_time}s, "
            f"next {next_run:%Y-%m-%d %H:%M:%S %Z} - {spec.description}"
        )
