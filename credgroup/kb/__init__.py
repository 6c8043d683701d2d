"""Knowledge base of portal workarounds."""

from flask import Flask


def init_app(app: Flask) -> None:
    from credgroup.kb import cli, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.kb_cli)
