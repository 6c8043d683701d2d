"""Operating a deployment: health checks, request ids and log lines, backups.

Logging is configured by ``create_app`` itself (``logs.configure``, before any extension),
so request ids cover every request from its first hook; this feature adds the health
endpoints and the ``flask db backup`` / ``flask db restore`` commands.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    from credgroup.ops import cli, health

    app.register_blueprint(health.bp)
    cli.register(app)
