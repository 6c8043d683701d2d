"""Trend reports: what is happening across members' portals, without exposing one member.

``disclosure`` is the one place that decides which aggregate figures may be shown.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    from credgroup.trends import cli, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.trends_cli)
