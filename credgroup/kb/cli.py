"""Command line for the knowledge base: ``flask --app app kb import|export``.

Import reads JSON Lines (one article per line; the format is described in
``credgroup/kb/importing.py``). Every line is checked and saved on its own: a bad line is
reported with its number and leaves nothing behind; the good ones are kept, unless
``--strict`` is given, which keeps the whole file out when any line is bad. The exit status
is 1 whenever a line was bad.
"""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from credgroup.extensions import db
from credgroup.groups.models import CreditGroup
from credgroup.kb import exporting
from credgroup.kb.importing import import_articles

kb_cli = AppGroup("kb", help="The knowledge base of workarounds.")


def _group(slug: str | None) -> CreditGroup | None:
    if not slug:
        return None
    group = db.session.scalar(sa.select(CreditGroup).where(CreditGroup.slug == slug))
    if group is None or group.archived_at is not None:
        raise click.ClickException(f"No group with the slug '{slug}'.")
    return group


@kb_cli.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--group", "group_slug", help="Import into this group (default: association-wide).")
@click.option("--strict", is_flag=True, help="Import nothing if any line is bad.")
def import_command(file, group_slug: str | None, strict: bool) -> None:
    """Import articles from a JSON Lines FILE (``-`` reads standard input)."""
    group = _group(group_slug)
    result = import_articles(file, group=group, strict=strict)
    for number, message in result.errors:
        click.echo(f"line {number}: {message}", err=True)
    if result.errors and strict:
        db.session.rollback()
        raise click.ClickException(
            f"{len(result.errors)} bad line(s); nothing was imported (--strict)."
        )
    db.session.commit()
    click.echo(
        f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
        f"{len(result.errors)} bad line(s) skipped."
    )
    if result.ignored_keys:
        click.echo("Ignored fields: " + ", ".join(sorted(result.ignored_keys)))
    if result.errors:
        raise SystemExit(1)


@kb_cli.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "markdown"]), default="jsonl", show_default=True
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=True, path_type=Path),
    help="A .jsonl file; for markdown a .zip file or a folder.",
)
def export_command(fmt: str, out: Path) -> None:
    """Export every published article (no pseudonyms; anonymous authors as "A member")."""
    found = exporting.exportable_articles(None)
    if fmt == "jsonl":
        out.write_text(exporting.to_jsonl(found), encoding="utf-8")
        count = len(found)
    else:
        count = exporting.write_markdown(found, out)
    click.echo(f"Exported {count} article(s) to {out}.")
