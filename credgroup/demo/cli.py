"""Command line: ``flask --app app demo-data [--reset]`` and ``flask --app app local``."""

from __future__ import annotations

import time

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import ScriptInfo, with_appcontext

from credgroup.config import is_production
from credgroup.demo import data
from credgroup.demo.load import load_demo_data, wipe_database
from credgroup.demo.local import LocalOptions, run_local
from credgroup.demo.scale import generate
from credgroup.demo.scale.indexing import INDEX_CHOICES, rebuild_index
from credgroup.demo.scale.sizes import Sizes, parse_scale
from credgroup.errors import DomainError
from credgroup.extensions import db
from credgroup.groups.models import Association


@click.command("demo-data")
@click.option("--reset", is_flag=True, help="Delete EVERY row in the database first.")
@click.option("--yes", is_flag=True, help="Do not ask before --reset deletes everything.")
@click.option(
    "--scale",
    metavar="N",
    help="Also generate an association at scale: a fraction of the full size (1,000 "
    "groups, 20,000 companies, 60,000 people, 1,000,000 reports, 20,000 articles) such as "
    "0.01, or a step: tiny, small, medium, full. Adds to what is there each time.",
)
@click.option("--seed", default=2026, show_default=True, help="Random seed for --scale.")
@click.option(
    "--index",
    type=click.Choice(INDEX_CHOICES),
    default="outbox",
    show_default=True,
    help="How --scale's documents reach search: outbox rows for the worker, a full "
    "reindex now, or not at all.",
)
@with_appcontext
def demo_data_command(reset: bool, yes: bool, scale: str | None, seed: int, index: str) -> None:
    """Load the demo association (idempotent: running it twice changes nothing), and with
    --scale a generated association of that size on top."""
    factor = _parse_scale(scale)
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
    if factor is not None:
        generate_at_scale(factor, seed, index)
    echo_logins()


def _parse_scale(scale: str | None) -> float | None:
    if scale is None:
        return None
    try:
        return parse_scale(scale)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--scale") from None


def generate_at_scale(factor: float, seed: int, index: str) -> None:
    """The bulk generator, committed, then search as asked; progress on stderr."""
    sizes = Sizes.scaled(factor)
    started = time.perf_counter()

    def say(line: str) -> None:
        click.echo(line, err=True)

    generated = generate(sizes, seed=seed, outbox=index == "outbox", progress=say)
    db.session.commit()
    elapsed = time.perf_counter() - started
    click.echo(f"Generated in {elapsed:.0f} s: " + describe(generated.counts))
    click.echo("Generated people sign in with the demo password too, for example:")
    for role, email in generated.logins.items():
        click.echo(f"  {email}  ({role})")
    if index == "reindex":
        say("Rebuilding the search index...")
        documents, seconds = rebuild_index(say)
        click.echo(
            f"Search index rebuilt: {documents:,} documents in {seconds:.0f} s "
            f"({documents / max(seconds, 0.001):,.0f} a second)."
        )
    elif index == "outbox":
        click.echo("The worker indexes the generated documents from the search outbox.")


def describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {kind}" for kind, n in counts.items() if n) + "."


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
