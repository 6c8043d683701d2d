"""The one background process: scheduled jobs and outbox draining (``flask worker``)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from credgroup.worker import cli

    app.cli.add_command(cli.worker_command)
