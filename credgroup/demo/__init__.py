"""Demo data and the one-command local run."""

from flask import Flask


def init_app(app: Flask) -> None:
    from credgroup.demo import cli

    app.cli.add_command(cli.demo_data_command)
    app.cli.add_command(cli.local_command)
