"""``flask search ...``: rebuild the index, check it against the database, apply the outbox.

``apply`` is the same single writer as the worker's job (with a lock timeout): run it
when no worker runs, or after a bulk change.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from credgroup.search.maintenance import reindex, verify
from credgroup.search.outbox import drain, pending_count

search_cli = AppGroup("search", help="The search index.")
SHOW = 20


@search_cli.command("reindex")
def reindex_command() -> None:
    """Rebuild the index from the database (into a new directory, then swap it in)."""
    count = reindex()
    click.echo(f"Index rebuilt: {count} document{'' if count == 1 else 's'}.")


@search_cli.command("verify")
def verify_command() -> None:
    """Report drift between index and database; exit 1 when there is any."""
    drift = verify()
    click.echo(
        f"Checked {drift.checked} searchable documents; {drift.pending} outbox rows pending."
    )
    for label, keys in (
        ("In the database but not in the index", drift.missing),
        ("In the index but not (searchable) in the database", drift.extra),
        ("Out of date in the index", drift.stale),
    ):
        if keys:
            shown = ", ".join(keys[:SHOW]) + (
                f" and {len(keys) - SHOW} more" if len(keys) > SHOW else ""
            )
            click.echo(f"{label} ({len(keys)}): {shown}")
    if not drift.clean:
        click.echo("Drift found: run `flask search apply`, or `flask search reindex`.")
        raise SystemExit(1)
    click.echo("Index and database agree.")


@search_cli.command("apply")
@click.option("--batch", default=500, show_default=True, type=click.IntRange(min=1, max=5000))
def apply_command(batch: int) -> None:
    """Apply every waiting outbox row to the index (what the worker does every few seconds)."""
    result = drain(limit=batch)
    click.echo(f"Search outbox: {result}; {pending_count()} rows waiting.")
    if result.busy or result.failed:
        raise SystemExit(1)
