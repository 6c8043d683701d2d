"""Organisation: the association, credit groups, member companies, facilitators."""

from flask import Flask, request_started


def init_app(app: Flask) -> None:
    from credgroup.groups import cli, views
    from credgroup.groups.admin_views import admin_bp
    from credgroup.memo import forget

    # Access answers (and other kept answers) last one request at most: credgroup.memo.
    request_started.connect(forget, app, weak=False)
    app.register_blueprint(views.bp)
    app.register_blueprint(admin_bp)
    app.cli.add_command(cli.groups_cli)
    app.cli.add_command(cli.companies_cli)
