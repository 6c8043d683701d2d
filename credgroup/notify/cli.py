"""``flask mail ...``: send queued email now, and look at the outbox."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from credgroup.notify.models import OutboxEmail, OutboxStatus
from credgroup.notify.outbox import drain_outbox, recent_emails

mail_cli = AppGroup("mail", help="Send queued email and inspect the outbox.")


@mail_cli.command("drain")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1))
def drain_command(limit: int) -> None:
    """Send the emails that are due now (the worker does this on its own)."""
    result = drain_outbox(limit=limit)
    click.echo(f"Outbox drained: {result}.")


@mail_cli.command("list")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1))
@click.option(
    "--status",
    type=click.Choice([s.value for s in OutboxStatus]),
    help="Only rows with this status.",
)
def list_command(limit: int, status: str | None) -> None:
    """Show the most recent outbox rows (never their bodies)."""
    rows = recent_emails(limit, OutboxStatus(status) if status else None)
    if not rows:
        click.echo("The outbox is empty.")
        return
    for row in rows:
        click.echo(_describe(row))


def _describe(row: OutboxEmail) -> str:
    line = (
        f"#{row.id} {row.status.value:<7} attempts={row.attempts} "
        f"created={row.created_at:%Y-%m-%d %H:%M}Z {_when(row)} "
        f"to={row.to_addr} subject={_shorten(row.subject, 60)!r}"
    )
    if row.last_error and row.status is not OutboxStatus.SENT:
        line += f" error={_shorten(row.last_error, 120)!r}"
    return line


def _when(row: OutboxEmail) -> str:
    if row.status is OutboxStatus.SENT and row.sent_at is not None:
        return f"sent={row.sent_at:%Y-%m-%d %H:%M}Z"
    if row.status is OutboxStatus.PENDING:
        return f"next={row.next_attempt_at:%Y-%m-%d %H:%M}Z"
    return "gave-up"


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
