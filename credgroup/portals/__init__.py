"""The association-wide catalogue of customers' invoice and payment portals."""

from flask import Flask


def init_app(app: Flask) -> None:
    from credgroup.portals import cli, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.portals_cli)
