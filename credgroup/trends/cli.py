"""Command line: ``flask --app app trends generate --group SLUG --from DATE --to DATE``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from credgroup.errors import DomainError
from credgroup.extensions import db
from credgroup.groups.services import get_group_by_slug
from credgroup.trends import exports, service
from credgroup.trends.periods import parse_month

trends_cli = AppGroup("trends", help="Trend reports and their snapshots.")


@trends_cli.command("generate")
@click.option("--group", "slug", required=True, help="The group's slug.")
@click.option("--from", "start", required=True, help="First month or day (YYYY-MM[-DD]).")
@click.option("--to", "end", required=True, help="Last month or day (YYYY-MM[-DD]).")
@click.option(
    "--print",
    "show",
    type=click.Choice(["summary", "csv", "json"]),
    default="summary",
    show_default=True,
    help="What to print of the frozen report.",
)
def generate(slug: str, start: str, end: str, show: str) -> None:
    """Generate the group's trend report for the quarters covering FROM-TO and freeze it
    as a snapshot (as the system; recorded in the audit log)."""
    try:
        group = get_group_by_slug(slug)
        first, last = parse_month(start, "from"), parse_month(end, "to")
        snapshot = service.freeze_snapshot(None, group, first, last)
    except DomainError as error:
        db.session.rollback()
        field = f"{error.field}: " if getattr(error, "field", None) else ""
        raise click.ClickException(f"{field}{error.message}") from None
    db.session.commit()
    payload = snapshot.payload
    if show == "csv":
        click.echo(exports.report_csv(payload), nl=False)
    elif show == "json":
        click.echo(exports.report_json(payload))
    else:
        new = payload["summary"]["new_reports"]
        click.echo(
            f"Froze snapshot {snapshot.public_id} of {group.slug}: {payload['period']['label']}"
        )
        if not payload["available"]:
            click.echo(payload["explanation"])
        else:
            shown = new["value"] if new["value"] is not None else payload["hidden_label"]
            click.echo(f"New reports: {shown}")
