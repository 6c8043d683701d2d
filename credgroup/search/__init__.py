"""Search over articles and reports. The only package that imports whoosh, or speaks
PostgreSQL's full-text dialect."""

from flask import Flask


def init_app(app: Flask) -> None:
    from credgroup.search import cli, listeners, views
    from credgroup.search.backend import check_backend

    check_backend(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.search_cli)
    listeners.connect_receivers()
