"""``flask db backup PATH`` and ``flask db restore PATH`` (beside Flask-Migrate's commands).

SQLite: an online backup (the site keeps running) and a restore through the same API.
PostgreSQL: the commands explain ``pg_dump`` / ``pg_restore`` and exit with status 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate.cli import db as db_group

from credgroup.db import utcnow
from credgroup.extensions import db
from credgroup.ops import backup as backups
from credgroup.ops.health import migration_heads
from credgroup.worker.lease import Lease

PG_EXIT = 2  # "not done here", distinct from a failure (1)


def register(app: Flask) -> None:
    # Flask-Migrate's ``db`` group is where operators look; adding twice is harmless.
    db_group.add_command(backup_command)
    db_group.add_command(restore_command)


def _sqlite_or_advice(path: str) -> Path:
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        click.echo(backups.postgres_advice(url, path))
        sys.exit(PG_EXIT)
    try:
        return backups.sqlite_path(url)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None


def _refuse_while_worker_runs() -> None:
    holder = Lease(holder="restore", seconds=0).current()
    db.session.remove()
    if holder is not None and holder.expires_at > utcnow():
        raise click.ClickException(
            f"a worker holds the scheduler lease until {holder.expires_at:%H:%M:%S} UTC: "
            "stop the worker and the web processes before restoring"
        )


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--overwrite", is_flag=True, help="Replace PATH if it exists.")
@with_appcontext
def backup_command(path: str, overwrite: bool) -> None:
    """Back up the database to PATH while the site keeps running (SQLite)."""
    live = _sqlite_or_advice(path)
    db.session.remove()  # our own connection holds no transaction during the copy
    try:
        info = backups.backup_sqlite(live, Path(path), overwrite=overwrite)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up {live} to {info.path} ({info.bytes} bytes, revision {info.revision}).")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--no-reindex", is_flag=True, help="Leave the search index as it is.")
@with_appcontext
def restore_command(path: str, yes: bool, no_reindex: bool) -> None:
    """Replace the database with the backup at PATH (SQLite; stop web and worker first)."""
    live = _sqlite_or_advice(path)
    _refuse_while_worker_runs()
    if not yes:
        click.confirm(f"Replace everything in {live} with {path}?", abort=True)
    db.session.remove()
    db.engine.dispose()  # no pooled connection of ours keeps the old database open
    try:
        info = backups.restore_sqlite(Path(path), live)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored {live} from {path} (revision {info.revision}).")
    if {info.revision} != migration_heads(current_app._get_current_object()):
        click.echo(
            "The backup's schema is older than this code: run `flask --app app db upgrade`, "
            "then `flask --app app search reindex`."
        )
        return
    if no_reindex:
        click.echo("The search index still describes the old data: run `flask search reindex`.")
        return
    from credgroup.search.maintenance import reindex

    click.echo(f"Search index rebuilt from the restored data: {reindex()} documents.")
