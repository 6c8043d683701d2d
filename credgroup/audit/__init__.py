"""Audit log of facilitator and admin actions (pages live under the admin area)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from credgroup.audit import views

    app.register_blueprint(views.bp)
