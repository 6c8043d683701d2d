"""Email: an outbox written in the change's transaction, drained by the worker."""

from flask import Flask


def init_app(app: Flask) -> None:
    from credgroup.notify import cli

    app.cli.add_command(cli.mail_cli)
