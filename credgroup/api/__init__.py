"""JSON API at /api/v1 with bearer tokens and an OpenAPI 3 document."""

from flask import Flask


def init_app(app: Flask) -> None:
    from credgroup.api import views

    app.register_blueprint(views.bp)
