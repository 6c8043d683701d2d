"""Search over articles and reports. The only package that imports whoosh."""

from flask import Flask


def init_app(app: Flask) -> None:
    from credgroup.search import cli, listeners, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.search_cli)
    listeners.connect_receivers()
