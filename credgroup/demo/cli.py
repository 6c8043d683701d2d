"""Command line: ``flask --app app demo-data [--reset]`` and ``flask --app app local``."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import ScriptInfo, with_appcontext

from credgroup.config import is_production
from credgroup.demo import data
from credgroup.demo.load import load_demo_data, wipe_database
from credgroup.demo.local import LocalOptions, run_local
from credgroup.errors import DomainError
from credgroup.extensions import db
from credgroup.groups.models import Association


@click.command("demo-data")
@click.option("--reset", is_flag=True, help="Delete EVERY row in the database first.")
@click.option("--yes", is_flag=True, help="Do not ask before --reset deletes everything.")
@with_appcontext
def demo_data_command(reset: bool, yes: bool) -> None:
    """Load the demo association (idempotent: running it twice changes nothing)."""
    if not sa.inspect(db.engine).has_table(Association.__tablename__):
        raise click.ClickException(
            "The database has no tables yet: run 'flask --app app db upgrade' first "
            "(or 'flask --app app local', which does everything)."
        )
    if reset and not yes:
        click.confirm(
            "--reset deletes every row in the database, not only the demo. Continue?",
            abort=True,
        )
    try:
        if reset:
            wipe_database()
        summary = load_demo_data()
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    if reset:
        click.echo("Deleted everything in the database.")
    click.echo(summary.describe())
    echo_logins()


def echo_logins() -> None:
    click.echo(f"\nDemo logins (every password: {data.DEMO_PASSWORD}):")
    click.echo("\n".join(data.login_table(indent="  ")))


@click.command("local")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-worker", is_flag=True, help="Do not start the background worker.")
@with_appcontext
def local_command(host: str, port: int, no_worker: bool) -> None:
    """Run the whole site locally: migrate, load the demo if empty, web + worker."""
    if is_production(current_app):
        raise click.ClickException(
            "'flask local' is for a local machine. In production run gunicorn and one "
            "'flask worker' (see the README)."
        )
    # The worker is started the way this command was: same app import path.
    script_info = click.get_current_context().find_object(ScriptInfo)
    options = LocalOptions(
        host=host,
        port=port,
        worker=not no_worker,
        app_import_path=(script_info.app_import_path if script_info else None) or "app",
    )
    try:
        run_local(current_app._get_current_object(), options)  # type: ignore[attr-defined]
    except DomainError as error:
        raise click.ClickException(error.message) from None
