import click
from flask.cli import AppGroup

portals_cli = AppGroup("portals", help="The portal catalogue.")


@portals_cli.command("seed")
def seed_command() -> None:
    """Add the real portals the catalogue starts with (idempotent)."""
    from credgroup.extensions import db
    from credgroup.portals.services import seed_catalogue

    added = seed_catalogue()
    db.session.commit()
    click.echo(f"Added {added} portal(s) to the catalogue.")
