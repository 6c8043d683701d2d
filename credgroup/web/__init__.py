"""Site-wide web concerns: layout helpers, security headers, error pages, the home page."""

from flask import Flask

import credgroup.models  # noqa: F401 - every table registered before anything queries


def init_app(app: Flask) -> None:
    from credgroup.web import errors, guards, headers, templating, views

    templating.init_app(app)
    headers.init_app(app)
    errors.init_app(app)
    guards.init_app(app)
    app.register_blueprint(views.bp)
